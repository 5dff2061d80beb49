import { randomIds, systemClock } from '../adapters/memory/clock-and-ids.js';
import { MemoryExecutionStore } from '../adapters/memory/execution-store.js';
import { LocalStepQueue } from '../adapters/memory/step-queue.js';
import { unsupportedTasks } from '../adapters/memory/task-invoker.js';
import { MemoryActivityStore } from '../adapters/memory/activity-store.js';
import { MemoryTaskTokenStore } from '../adapters/memory/task-token-store.js';
import type { ApiContext } from '../api/service.js';
import type { Partition } from '../runtime/arns.js';
import { Engine } from '../runtime/engine.js';
import { ExpressRunner, type Sleep } from '../runtime/express.js';
import type { Clock, ExecutionLog, ExecutionStore, IdSource, TaskInvoker } from '../runtime/ports.js';

export interface LocalOptions {
  readonly partition?: Partition;
  readonly clock?: Clock;
  readonly ids?: IdSource;
  readonly tasks?: TaskInvoker;
  /** How long GetActivityTask waits for work (AWS's 60 s unless set). */
  readonly activityPollMs?: number;
  /**
   * Execution-log records of machines whose loggingConfiguration asks for them (none unless set):
   * `(store) => new LineExecutionLog(cachedLoggingConfigurations(store))` writes them to stdout,
   * `CloudWatchExecutionLog` to CloudWatch Logs. A function receives the home's store.
   */
  readonly log?: ExecutionLog | ((store: ExecutionStore) => ExecutionLog);
  /** How Express runs wait for their timers (real time unless set: a test's clock advances instead). */
  readonly sleep?: Sleep;
}

/** The local home: the engine over in-memory adapters, one queue consumer in this process. */
export function createLocalStepwise(options: LocalOptions = {}): { api: ApiContext; queue: LocalStepQueue; close(): void } {
  const store = new MemoryExecutionStore();
  const queue = new LocalStepQueue((error, message) =>
    console.error(JSON.stringify({ level: 'ERROR', message: 'step failed', executionArn: message.executionArn, frameId: message.frameId, error: error instanceof Error ? error.stack : String(error) })),
  );
  const clock = options.clock ?? systemClock;
  const ids = options.ids ?? randomIds;
  const partition = options.partition ?? { region: 'us-east-1', accountId: '123456789012' };
  const tokens = new MemoryTaskTokenStore(() => clock.now());
  const activities = new MemoryActivityStore();
  const log = typeof options.log === 'function' ? options.log(store) : options.log;
  const ports = { store, queue, clock, ids, tasks: options.tasks ?? unsupportedTasks, tokens, activities, partition, ...(log ? { log } : {}) };
  // Express runs are kept in this store: DescribeExecution and GetExecutionHistory answer for them.
  const express: ExpressRunner = new ExpressRunner(ports, { keepRuns: true, startVia: 'inProcess', ...(options.sleep ? { sleep: options.sleep } : {}) }, (): Engine => engine);
  const engine: Engine = new Engine({ ...ports, inline: true, express });
  queue.consume((message) => engine.process(message));
  return { api: { store, engine, express, clock, ids, partition, tokens, activities, ...(options.activityPollMs === undefined ? {} : { activityPollMs: options.activityPollMs }) }, queue, close: () => queue.close() };
}
