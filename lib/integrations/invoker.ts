// The TaskInvoker that does a Task state's work: Lambda (legacy ARN and lambda:invoke), the optimised
// integrations (sqs:sendMessage, sns:publish, dynamodb item actions, events:putEvents) and the SDK
// integrations (aws-sdk:<service>:<action>), shaped and named the way AWS Step Functions records them.
// `states:*` and activities belong to the runtime. It never throws: every failure is an outcome.
import type { TaskInvocation, TaskInvoker, TaskOutcome } from '../runtime/ports.js';
import { invokeSdkIntegration } from './aws-sdk-task.js';
import type { IntegrationsConfig } from './config.js';
import { invokeLambdaIntegration, invokeLegacyLambda, type LambdaTaskOptions } from './lambda-task.js';
import { createLocalLambdaService } from './local-lambda-service.js';
import { invokeOptimised, isOptimisedAction } from './optimised-task.js';
import { SdkClients, type Credentials } from './sdk-clients.js';

export interface TaskInvokerOptions {
  readonly config: IntegrationsConfig;
  /** The executions' region: where a Resource that names none runs (unless the config's `aws.region` says). */
  readonly region: string;
  /** The account in the ARNs of functions that run here (`invokedFunctionArn`, error messages). */
  readonly accountId?: string;
  /** For the SDK clients; the SDK's usual credential chain otherwise. */
  readonly credentials?: Credentials;
}

export interface IntegrationsTaskInvoker extends TaskInvoker {
  /** Releases the SDK clients' connections. */
  close(): void;
}

export function createTaskInvoker(options: TaskInvokerOptions): IntegrationsTaskInvoker {
  const { config } = options;
  const clients = new SdkClients(config, options.credentials);
  const local = createLocalLambdaService({
    functions: Object.fromEntries(Object.entries(config.functions).flatMap(([name, fn]) => ('handler' in fn ? [[name, fn]] : []))),
    region: config.aws.region ?? options.region,
    ...(options.accountId === undefined ? {} : { accountId: options.accountId }),
  });
  const lambdaOptions: LambdaTaskOptions = { config, clients, local };

  async function run(task: TaskInvocation): Promise<TaskOutcome> {
    const { target, parameters, timeoutMs } = task;
    const region = target.region ?? config.aws.region ?? options.region;
    if (target.kind === 'lambda') return invokeLegacyLambda(lambdaOptions, target.arn, parameters, region, timeoutMs);
    if (target.kind === 'activity' || target.service === 'states') {
      return { ok: false, error: 'States.Runtime', cause: `The resource ${target.arn} is run by the Step Functions runtime, not by the integrations.` };
    }
    if (target.pattern === 'sync' || target.pattern === 'sync2') {
      return { ok: false, error: 'States.Runtime', cause: `The resource ${target.arn} is not supported: ${target.service} has no .sync integration here.` };
    }
    if (target.service === 'lambda' && target.action === 'invoke') return invokeLambdaIntegration(lambdaOptions, parameters, region, timeoutMs);
    if (isOptimisedAction(target.service, target.action)) return invokeOptimised(clients, target.service, target.action, parameters, task.executionArn, region, timeoutMs);
    if (target.service.startsWith('aws-sdk:')) return invokeSdkIntegration(clients, target.arn, target.service.slice('aws-sdk:'.length), target.action, parameters, region, timeoutMs);
    return { ok: false, error: 'States.Runtime', cause: `The resource provided ${target.arn} not recognized. The value is not a valid resource ARN, or the resource is not available in this region.` };
  }

  return {
    async invoke(task) {
      try {
        return await run(task);
      } catch (error) {
        // A defect here, not a failed call: still an outcome, never a throw.
        return { ok: false, error: 'States.Runtime', cause: `Internal error in the task invoker: ${error instanceof Error ? error.message : String(error)}` };
      }
    },
    close: () => clients.destroy(),
  };
}
