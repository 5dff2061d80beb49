/**
 * What a Task state's Resource names, parsed once: who does the work (a Lambda function called the
 * legacy way, an activity's workers, or a service integration), how the state waits for it, and the
 * `resourceType`/`resource` pair AWS writes into the task's history events.
 */
export type TaskTargetKind = 'lambda' | 'activity' | 'integration';

/**
 * How the state waits (AWS guide, "Service integration patterns"): `requestResponse` for the call's
 * answer, `sync`/`sync2` for the job it started to finish, `waitForTaskToken` for a SendTask* answer.
 */
export type IntegrationPattern = 'requestResponse' | 'sync' | 'sync2' | 'waitForTaskToken';

export interface TaskTarget {
  readonly kind: TaskTargetKind;
  /** The Resource as written. */
  readonly arn: string;
  /** `lambda`, `sqs`, `dynamodb`, … or `aws-sdk:<service>` (the SDK integrations). */
  readonly service: string;
  /** The integration's action as written (`invoke`, `sendMessage`, `getItem`, `listBuckets`); a legacy Lambda's or activity's ARN otherwise. */
  readonly action: string;
  readonly pattern: IntegrationPattern;
  /** History's `resourceType` and `resource` (`lambda` + `invoke.waitForTaskToken`). */
  readonly resourceType: string;
  readonly resource: string;
  /** The region the work runs in: the ARN's, else the execution's. */
  readonly region?: string;
}

const INTEGRATION = /^arn:[^:]+:states:([^:]*):[^:]*:(aws-sdk:[^:]+|[^:]+):([^:.]+)(?:\.(sync:2|sync|waitForTaskToken))?$/;
const LAMBDA = /^arn:[^:]+:lambda:([^:]+):[^:]*:function:/;
const ACTIVITY = /^arn:[^:]+:states:([^:]+):[^:]*:activity:/;

export function parseTaskTarget(resource: string): TaskTarget | undefined {
  const activity = ACTIVITY.exec(resource);
  if (activity) return { kind: 'activity', arn: resource, service: 'states', action: resource, pattern: 'waitForTaskToken', resourceType: 'activity', resource, region: activity[1]! };
  const integration = INTEGRATION.exec(resource);
  if (integration) {
    const [, region = '', service = '', action = '', suffix] = integration;
    const pattern: IntegrationPattern = suffix === 'sync' ? 'sync' : suffix === 'sync:2' ? 'sync2' : suffix === 'waitForTaskToken' ? 'waitForTaskToken' : 'requestResponse';
    return {
      kind: 'integration',
      arn: resource,
      service,
      action,
      pattern,
      resourceType: service,
      resource: suffix === undefined ? action : `${action}.${suffix}`,
      ...(region === '' ? {} : { region }),
    };
  }
  const lambda = LAMBDA.exec(resource);
  if (lambda) return { kind: 'lambda', arn: resource, service: 'lambda', action: resource, pattern: 'requestResponse', resourceType: 'lambda', resource, region: lambda[1]! };
  return undefined;
}

/**
 * Whether the task has a token (`$$.Task.Token`) that SendTask* answers: callbacks and activities, and
 * `.sync` tasks too (AWS hands them one; an answer to it ends the task before the job does).
 */
export function hasTaskToken(target: TaskTarget): boolean {
  return target.kind === 'activity' || target.pattern !== 'requestResponse';
}
