import type { Partition } from '../runtime/arns.js';

/** The AWS home's settings, from the environment (serverless.yml sets them in AWS; `npm run start:aws` locally). */
export interface AwsHomeConfig {
  readonly partition: Partition;
  /** The DynamoDB table (model: lib/adapters/aws/table.ts). */
  readonly table: string;
  readonly stepQueueUrl: string;
  /** The queue of Task calls (the `task` function's, which may run 15 minutes); none: they go to the step queue. */
  readonly taskQueueUrl?: string;
  /** The EventBridge bus status changes go to; none: not published. */
  readonly eventBus?: string;
  readonly eventSource: string;
  /** How long GetActivityTask waits for work: AWS's 60 s; behind API Gateway (30 s at most) less. */
  readonly activityPollMs?: number;
  /** How many consecutive states of a frame one step message may run (EnginePorts.chainSteps; 1: one transition per message). */
  readonly chainSteps?: number;
}

export function awsHomeConfigFromEnv(env: NodeJS.ProcessEnv = process.env): AwsHomeConfig {
  const required = (name: string): string => {
    const value = env[name];
    if (!value) throw new Error(`${name} is not set: the AWS home needs it (see README, "Configuration")`);
    return value;
  };
  const eventBus = env['STEPWISE_EVENT_BUS'];
  const taskQueueUrl = env['STEPWISE_TASK_QUEUE_URL'];
  return {
    partition: { region: env['AWS_REGION'] ?? 'us-east-1', accountId: env['STEPWISE_ACCOUNT_ID'] ?? '123456789012' },
    table: required('STEPWISE_TABLE'),
    stepQueueUrl: required('STEPWISE_STEP_QUEUE_URL'),
    ...(taskQueueUrl ? { taskQueueUrl } : {}),
    ...(eventBus ? { eventBus } : {}),
    eventSource: env['STEPWISE_EVENT_SOURCE'] ?? 'aws.states',
    ...(env['STEPWISE_ACTIVITY_POLL_SECONDS'] ? { activityPollMs: Number(env['STEPWISE_ACTIVITY_POLL_SECONDS']) * 1000 } : {}),
    ...chainStepsFromEnv(env),
  };
}

/** STEPWISE_CHAIN_STEPS, where set: how many consecutive states of a frame one step message may run. */
export function chainStepsFromEnv(env: NodeJS.ProcessEnv): { chainSteps?: number } {
  const text = env['STEPWISE_CHAIN_STEPS'];
  if (!text) return {};
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1 || n > 1000) throw new Error(`STEPWISE_CHAIN_STEPS must be a whole number from 1 to 1000, not '${text}'`);
  return { chainSteps: n };
}
