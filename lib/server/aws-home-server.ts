import type { Server } from 'node:http';
import { ensureStepQueues, ensureTable, type StepQueues } from '../adapters/aws/resources.js';
import { createAwsClients, type AwsClientOptions } from '../adapters/aws/clients.js';
import { handleDeadLetters } from '../aws-home/dead-letter-handler.js';
import { createAwsStepwise, type AwsStepwise } from '../aws-home/runtime.js';
import { SqsPoller } from '../aws-home/sqs-poller.js';
import { handleStepMessages } from '../aws-home/step-handler.js';
import type { Partition } from '../runtime/arns.js';
import type { Sleep } from '../runtime/express.js';
import type { Clock, ExecutionLog, TaskInvoker } from '../runtime/ports.js';
import { createHttpServer } from './http-server.js';

export interface AwsHomeServerOptions {
  readonly clients: AwsClientOptions;
  readonly table: string;
  readonly queueName: string;
  readonly partition: Partition;
  /** In-process step pollers, like the step function's concurrency under its event source mapping. */
  readonly pollers?: number;
  /** In-process pollers of the task queue (calls wait on I/O: more of them than step pollers). */
  readonly taskPollers?: number;
  readonly batchSize?: number;
  /** Long-poll wait (20 s, as Lambda's pollers); short in tests, so that stopping is quick. */
  readonly waitTimeSeconds?: number;
  readonly eventBus?: string;
  readonly activityPollMs?: number;
  /** How many consecutive states of a frame one step message may run (1, the default: one transition per message). */
  readonly chainSteps?: number;
  /** Lambda and the service integrations (tests pass their own). */
  readonly tasks?: TaskInvoker;
  /** Execution-log records: CloudWatch Logs at `clients.endpoints.logs` (or AWS's) unless set; `false` for none. */
  readonly log?: ExecutionLog | false;
  /** Tests: a clock of their own, and how Express runs wait for their timers (see createAwsStepwise). */
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /** The built web console to serve at / (none unless set). */
  readonly consoleDir?: string;
}

export interface AwsHomeServer {
  readonly stepwise: AwsStepwise;
  readonly queues: StepQueues;
  readonly server: Server;
  /** How many RUNNING executions were found at start and had their pending messages sent again. */
  readonly resumed: number;
  close(): Promise<void>;
}

/**
 * The AWS home on one machine: the Step Functions API over the AWS adapters, and pollers that feed
 * the step queue to the `step` handler and the dead-letter queue to the `dead-letter` handler, as
 * Lambda's event source mappings would. Table and queues are created where missing.
 */
export async function startAwsHomeServer(options: AwsHomeServerOptions, listen: { port: number; host: string }): Promise<AwsHomeServer> {
  const sdk = createAwsClients(options.clients);
  await ensureTable(sdk.dynamodb, options.table);
  const queues = await ensureStepQueues(sdk.sqs, options.queueName);
  const stepwise = createAwsStepwise({
    sdk,
    config: {
      partition: options.partition,
      table: options.table,
      stepQueueUrl: queues.stepQueueUrl,
      taskQueueUrl: queues.taskQueueUrl,
      eventSource: 'aws.states',
      ...(options.eventBus ? { eventBus: options.eventBus } : {}),
      ...(options.activityPollMs === undefined ? {} : { activityPollMs: options.activityPollMs }),
      ...(options.chainSteps === undefined ? {} : { chainSteps: options.chainSteps }),
    },
    ...(options.tasks ? { tasks: options.tasks } : {}),
    ...(options.log === undefined ? {} : { log: options.log }),
    ...(options.clock ? { clock: options.clock } : {}),
    ...(options.sleep ? { sleep: options.sleep } : {}),
  });
  const resumed = await resumeRunning(stepwise);
  const steps = new SqsPoller(
    sdk.sqs,
    { queueUrl: queues.stepQueueUrl, queueArn: queues.stepQueueArn, batchSize: options.batchSize ?? 10, concurrency: options.pollers ?? 4, waitTimeSeconds: options.waitTimeSeconds ?? 20 },
    (event) => handleStepMessages(stepwise, event),
  );
  const calls = new SqsPoller(
    sdk.sqs,
    { queueUrl: queues.taskQueueUrl, queueArn: queues.taskQueueArn, batchSize: options.batchSize ?? 10, concurrency: options.taskPollers ?? 8, waitTimeSeconds: options.waitTimeSeconds ?? 20 },
    (event) => handleStepMessages(stepwise, event),
  );
  const deadLetters = new SqsPoller(stepwise.clients.sqs, { queueUrl: queues.deadLetterQueueUrl, batchSize: 10, concurrency: 1, waitTimeSeconds: options.waitTimeSeconds ?? 20 }, (event) => handleDeadLetters(stepwise, event));
  const server = createHttpServer(stepwise.api, options);
  await new Promise<void>((resolve) => server.listen(listen.port, listen.host, resolve));
  return {
    stepwise,
    queues,
    server,
    resumed,
    close: async () => {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([steps.stop(), calls.stop(), deadLetters.stop()]);
    },
  };
}

/** Sends again what RUNNING executions wait for: harmless when the queue kept it, vital when it did not. */
async function resumeRunning(stepwise: AwsStepwise): Promise<number> {
  let count = 0;
  for (const machine of await stepwise.api.store.listStateMachines()) {
    for (const execution of await stepwise.api.store.listExecutions(machine.stateMachineArn, 'RUNNING')) {
      await stepwise.engine.resume(execution.executionArn);
      count++;
    }
  }
  return count;
}
