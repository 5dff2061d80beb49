import { randomIds, systemClock } from '../adapters/memory/clock-and-ids.js';
import { DynamoDbActivityStore } from '../adapters/aws/activity-store.js';
import { DynamoDbTaskTokenStore } from '../adapters/aws/task-token-store.js';
import { createAwsClients, type AwsClientOptions, type AwsClients } from '../adapters/aws/clients.js';
import { EventBridgePublisher } from '../adapters/aws/event-publisher.js';
import { CloudWatchExecutionLog } from '../adapters/aws/execution-log.js';
import { cachedLoggingConfigurations } from '../adapters/memory/execution-log.js';
import { DynamoDbExecutionStore } from '../adapters/aws/execution-store.js';
import { SqsStepQueue } from '../adapters/aws/step-queue.js';
import type { ApiContext } from '../api/service.js';
import { Engine } from '../runtime/engine.js';
import { ExpressRunner, type Sleep } from '../runtime/express.js';
import { loadIntegrationsConfig } from '../integrations/config.js';
import { createTaskInvoker } from '../integrations/invoker.js';
import type { Clock, ExecutionLog, IdSource, TaskInvoker } from '../runtime/ports.js';
import { awsHomeConfigFromEnv, type AwsHomeConfig } from './config.js';

/** The engine over DynamoDB, SQS and EventBridge: what every AWS-home handler works with. */
export interface AwsStepwise {
  readonly config: AwsHomeConfig;
  readonly clients: AwsClients;
  readonly engine: Engine;
  readonly queue: SqsStepQueue;
  readonly express: ExpressRunner;
  readonly api: ApiContext;
}

export interface AwsStepwiseOptions {
  readonly config?: AwsHomeConfig;
  readonly clients?: AwsClientOptions;
  /** Clients already made (they are made once per container): these win over `clients`. */
  readonly sdk?: AwsClients;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly tasks?: TaskInvoker;
  /**
   * Execution-log records: CloudWatch Logs (the log group each machine's loggingConfiguration names)
   * unless set; `false` for none.
   */
  readonly log?: ExecutionLog | false;
  /** How Express runs wait for their timers (real time unless set: a test's clock advances instead). */
  readonly sleep?: Sleep;
}

export function createAwsStepwise(options: AwsStepwiseOptions = {}): AwsStepwise {
  const config = options.config ?? awsHomeConfigFromEnv();
  const clients = options.sdk ?? createAwsClients(options.clients);
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const store = new DynamoDbExecutionStore(clients.dynamodb, config.table);
  const queue = new SqsStepQueue(clients.sqs, config, clock);
  const events = config.eventBus === undefined ? undefined : new EventBridgePublisher(clients.eventbridge, config.eventBus, config.eventSource);
  const tokens = new DynamoDbTaskTokenStore(clients.dynamodb, config.table, () => clock.now());
  const activities = new DynamoDbActivityStore(clients.dynamodb, config.table);
  const log = options.log === undefined ? new CloudWatchExecutionLog(clients.logs, cachedLoggingConfigurations(store, { now: () => clock.now() })) : options.log;
  const ports = { store, queue, clock, ids, tasks: options.tasks ?? defaultTasks(config), tokens, activities, partition: config.partition, ...(log ? { log } : {}) };
  // Express runs keep nothing in the table: StartSyncExecution runs one inside the API's invocation,
  // StartExecution sends one message that the task function runs whole.
  const express: ExpressRunner = new ExpressRunner(ports, { keepRuns: false, startVia: 'queue', ...(options.sleep ? { sleep: options.sleep } : {}) }, (): Engine => engine);
  const engine: Engine = new Engine({ ...ports, ...(events ? { events } : {}), ...(config.chainSteps === undefined ? {} : { chainSteps: config.chainSteps }), express });
  return { config, clients, engine, queue, express, api: { store, engine, express, clock, ids, partition: config.partition, tokens, activities, ...(config.activityPollMs === undefined ? {} : { activityPollMs: config.activityPollMs }) } };
}

/** Lambda and the service integrations through the SDK (stepwise.config.json, if any, names local endpoints). */
function defaultTasks(config: AwsHomeConfig): TaskInvoker {
  return createTaskInvoker({ config: loadIntegrationsConfig(), region: config.partition.region, accountId: config.partition.accountId });
}

let shared: AwsStepwise | undefined;

/** One per container: SDK clients (and their connections) outlive an invocation. */
export function awsStepwise(): AwsStepwise {
  shared ??= createAwsStepwise();
  return shared;
}
