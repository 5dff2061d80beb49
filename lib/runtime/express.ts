import { States } from '../asl/errors.js';
import type { Frame, HistoryEvent } from '../asl/frame.js';
import { MemoryExecutionStore } from '../adapters/memory/execution-store.js';
import { expressExecutionArn, parseExecutionArn } from './arns.js';
import { Engine, type EnginePorts } from './engine.js';
import {
  type Awaitable,
  type CommitOutcome,
  type ExecutionRecord,
  type ExecutionStatus,
  type ExecutionStore,
  type ExpressExecutions,
  type ExpressStart,
  type OutboxEntry,
  type ParentTask,
  ROOT_FRAME_ID,
  type StateMachineRecord,
  type StepCommit,
  type StepMessage,
  type StepQueue,
  type StoredFrame,
} from './ports.js';

/** Waits `ms` of the clock's time, or less once `signal` aborts; a test's clock advances instead. */
export type Sleep = (ms: number, signal: AbortSignal) => Promise<void>;

export interface ExpressOptions {
  /**
   * `true` (the local home): runs are kept in the home's store, so that DescribeExecution and
   * GetExecutionHistory answer for them, more generous than AWS. `false` (the AWS home): nothing of a
   * run outlives it — its history goes only to the execution log, as AWS keeps no Express history.
   */
  readonly keepRuns: boolean;
  /**
   * How StartExecution's runs start: `queue` — one message on the home's queue, whose taker runs it
   * whole (the AWS home's `task` function, on the task queue: redelivered, it runs again from the
   * start: at least once); `inProcess` — at once, in this process (the local home).
   */
  readonly startVia: 'queue' | 'inProcess';
  readonly sleep?: Sleep;
}

/** The home's ports the runs use (its store for state machines, its queue for messages to other executions). */
export type ExpressHomePorts = Pick<EnginePorts, 'store' | 'queue' | 'clock' | 'ids' | 'tasks' | 'tokens' | 'activities' | 'partition' | 'log'>;

const MIB = 1024 * 1024;

/**
 * Express workflows as AWS runs them: each execution whole, in memory, in one go — the engine over
 * the memory adapters, its steps in one loop of their own (no per-step persistence, no queue round
 * trips), its timers waited for in place; AWS's five-minute maximum is its deadline (engine.ts).
 * StartSyncExecution runs it inside the caller's request (at most once: nothing runs it again);
 * StartExecution hands it to the home's queue or runs it in-process (at least once).
 */
export class ExpressRunner implements ExpressExecutions {
  private readonly engine: Engine;
  private readonly runs = new Map<string, RunQueue>();
  private readonly sleep: Sleep;
  private readonly runStore: RunStore | undefined;
  /** Where runs are while they run: the home's store when they are kept, else their own. */
  private readonly store: ExecutionStore;

  constructor(
    private readonly home: ExpressHomePorts,
    private readonly options: ExpressOptions,
    /** The home's engine: child executions start there, and it tells its waiters when a kept run ends. */
    private readonly homeEngine: () => Engine,
  ) {
    this.sleep = options.sleep ?? realSleep;
    this.runStore = options.keepRuns ? undefined : new RunStore(home.store);
    this.store = this.runStore ?? home.store;
    // No status events: AWS sends none for Express executions.
    const { clock, ids, tasks, tokens, activities, partition, log } = home;
    this.engine = new Engine({
      store: this.store,
      queue: new RunRouter(this.runs, home.queue),
      clock,
      ids,
      tasks,
      tokens,
      activities,
      partition,
      ...(log ? { log } : {}),
      inline: true,
      children: { startChild: (...args) => this.homeEngine().startChild(...args) },
    });
  }

  /** Whether DescribeExecution and GetExecutionHistory can answer for Express executions here. */
  get keepsRuns(): boolean {
    return this.options.keepRuns;
  }

  async start(stateMachine: StateMachineRecord, name: string, input: string, parentTask?: ParentTask): Promise<ExecutionRecord> {
    const given = this.newRun(stateMachine, name);
    if (this.options.startVia === 'queue') {
      const event: ExpressStart = { kind: 'runExpress', stateMachineArn: stateMachine.stateMachineArn, name, input, startDate: given.startDate, ...(parentTask ? { parentTask } : {}) };
      await this.home.queue.send([{ message: { executionArn: given.executionArn, frameId: ROOT_FRAME_ID, sequence: 0, event } }]);
    } else {
      // Its start (the record in the home's store) happens before this returns; the rest runs on.
      void this.run(stateMachine, name, input, given, parentTask).catch((e: unknown) =>
        console.error(JSON.stringify({ level: 'ERROR', message: 'express execution failed to run', executionArn: given.executionArn, error: e instanceof Error ? e.stack : String(e) })),
      );
    }
    return startingRecord(stateMachine, name, input, given, parentTask);
  }

  /** StartSyncExecution: the whole execution, here and now; its record as it ended, and what AWS would bill. */
  async runSync(stateMachine: StateMachineRecord, name: string, input: string): Promise<{ execution: ExecutionRecord; billingDetails: BillingDetails }> {
    let billing: BillingDetails | undefined;
    const execution = await this.run(stateMachine, name, input, this.newRun(stateMachine, name), undefined, async (ended) => {
      billing = billingDetails(ended, await this.store.history(ended.executionArn));
    });
    return { execution, billingDetails: billing! };
  }

  /**
   * The `task` function's share: an asynchronous execution's message. Its state machine is read
   * again (it travels by ARN); one deleted meanwhile starts nothing.
   */
  async handle(message: StepMessage & { event: ExpressStart }): Promise<ExecutionRecord | undefined> {
    const { event } = message;
    const stateMachine = await this.home.store.getStateMachine(event.stateMachineArn);
    if (!stateMachine) return undefined;
    return this.run(stateMachine, event.name, event.input, { executionArn: message.executionArn, startDate: event.startDate }, event.parentTask);
  }

  private newRun(stateMachine: StateMachineRecord, name: string): { executionArn: string; startDate: number } {
    return { executionArn: expressExecutionArn(this.home.partition, stateMachine.name, name, this.home.ids.uuid()), startDate: this.home.clock.now() };
  }

  /** Runs an execution whole; `ended` sees it at its end, before a run that is not kept is dropped. */
  private async run(
    stateMachine: StateMachineRecord,
    name: string,
    input: string,
    given: { executionArn: string; startDate: number },
    parentTask?: ParentTask,
    ended?: (execution: ExecutionRecord) => Promise<void>,
  ): Promise<ExecutionRecord> {
    const arn = given.executionArn;
    const queue = new RunQueue(this.home.clock);
    this.runs.set(arn, queue);
    this.runStore?.open(arn);
    try {
      await this.engine.start(stateMachine, name, input, parentTask, given);
      const completion = this.engine.completion(arn);
      try {
        await queue.drain((message) => this.engine.process(message), completion, this.sleep);
      } catch (e) {
        // A defect of ours must not leave the run hanging: it fails, visibly, as States.Runtime.
        await this.engine.fail(arn, States.Runtime, `Internal error in Stepwise while running this Express execution: ${e instanceof Error ? e.message : String(e)}`);
      }
      const execution = await completion;
      if (ended) await ended(execution);
      if (this.options.keepRuns) this.homeEngine().notifyDone(execution);
      return execution;
    } finally {
      this.runs.delete(arn);
      this.runStore?.close(arn);
    }
  }
}

/** AWS's billing of an Express execution (StartSyncExecution's billingDetails). */
export interface BillingDetails {
  readonly billedMemoryUsedInMB: number;
  readonly billedDurationInMilliseconds: number;
}

/**
 * Duration rounded up to the next 100 ms (100 at least); memory in 64 MB chunks of AWS's estimate
 * (its pricing page): 50 MB + the definition + the execution's data times its Map and Parallel steps.
 */
export function billingDetails(execution: ExecutionRecord, history: readonly HistoryEvent[]): BillingDetails {
  const durationMs = (execution.stopDate ?? execution.startDate) - execution.startDate;
  const steps = history.filter((e) => e.type === 'MapIterationStarted' || e.type === 'ParallelStateStarted').length;
  const dataBytes = Math.max(Buffer.byteLength(execution.input), Buffer.byteLength(execution.output ?? ''));
  const memoryBytes = 50 * MIB + Buffer.byteLength(execution.definition) + dataBytes * Math.max(1, steps);
  return { billedMemoryUsedInMB: 64 * Math.ceil(memoryBytes / (64 * MIB)), billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs / 100) * 100) };
}

function startingRecord(stateMachine: StateMachineRecord, name: string, input: string, given: { executionArn: string; startDate: number }, parentTask?: ParentTask): ExecutionRecord {
  return {
    executionArn: given.executionArn,
    stateMachineArn: stateMachine.stateMachineArn,
    name,
    type: 'EXPRESS',
    status: 'RUNNING',
    input,
    startDate: given.startDate,
    definition: stateMachine.definition,
    roleArn: stateMachine.roleArn,
    revisionId: stateMachine.revisionId,
    redriveCount: 0,
    nextEventId: 2,
    ...(parentTask ? { parentTask } : {}),
  };
}

const realSleep: Sleep = (ms, signal) =>
  new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener(
      'abort',
      () => {
        clearTimeout(timer);
        resolve();
      },
      { once: true },
    );
  });

/**
 * One run's messages, in the local queue's order: new children first, depth-first (the order AWS
 * records an inline Map's iterations in), then the rest in order; timers once the clock reaches them.
 */
class RunQueue {
  private readonly urgent: StepMessage[] = [];
  private readonly ready: StepMessage[] = [];
  private head = 0;
  private readonly timers: { dueAt: number; message: StepMessage }[] = [];
  private arrived: (() => void) | undefined;

  constructor(private readonly clock: { now(): number }) {}

  push(entry: OutboxEntry): void {
    const dueAt = entry.dueAt ?? (entry.delayMs ? this.clock.now() + entry.delayMs : undefined);
    if (dueAt !== undefined && dueAt > this.clock.now()) {
      this.timers.push({ dueAt, message: entry.message });
      this.timers.sort((a, b) => a.dueAt - b.dueAt);
    } else if (entry.urgent) this.urgent.push(entry.message);
    else this.ready.push(entry.message);
    this.arrived?.();
  }

  /** Runs messages until `ended` settles; between them, waits for the next timer or message. */
  async drain(handle: (message: StepMessage) => Awaitable<void>, ended: Promise<unknown>, sleep: Sleep): Promise<void> {
    let over = false;
    void ended.then(() => (over = true));
    while (!over) {
      const message = this.next();
      if (message) {
        await handle(message);
        continue;
      }
      const wake = new AbortController();
      const waits: Promise<unknown>[] = [ended, new Promise<void>((resolve) => (this.arrived = resolve))];
      const due = this.timers[0]?.dueAt;
      if (due !== undefined) waits.push(sleep(due - this.clock.now(), wake.signal));
      await Promise.race(waits);
      this.arrived = undefined;
      wake.abort();
    }
  }

  private next(): StepMessage | undefined {
    if (this.urgent.length > 0) return this.urgent.pop();
    if (this.head < this.ready.length) {
      const message = this.ready[this.head++]!;
      if (this.head === this.ready.length) {
        this.ready.length = 0;
        this.head = 0;
      }
      return message;
    }
    if (this.timers.length > 0 && this.timers[0]!.dueAt <= this.clock.now()) return this.timers.shift()!.message;
    return undefined;
  }
}

/**
 * The runs' StepQueue: a message for a run goes to its own queue; one for another execution (a
 * `.sync` parent's answer) to the home's queue; one for an Express execution no longer running here
 * (a task's answer after the run timed out) nowhere.
 */
class RunRouter implements StepQueue {
  constructor(
    private readonly runs: Map<string, RunQueue>,
    private readonly home: StepQueue,
  ) {}

  send(entries: readonly OutboxEntry[]): Promise<void> | void {
    let elsewhere: OutboxEntry[] | undefined;
    for (const entry of entries) {
      const run = this.runs.get(entry.message.executionArn);
      if (run) run.push(entry);
      else if (!parseExecutionArn(entry.message.executionArn)?.express) (elsewhere ??= []).push(entry);
    }
    if (elsewhere) return this.home.send(elsewhere);
  }
}

/**
 * The AWS home's runs' store: each run in a memory store of its own, dropped when it ends; state
 * machines are the home's (a `states:startExecution` task and the execution log look them up).
 */
class RunStore implements ExecutionStore {
  readonly takesPassRuns = true;
  private readonly stores = new Map<string, MemoryExecutionStore>();

  constructor(private readonly home: ExecutionStore) {}

  open(arn: string): void {
    this.stores.set(arn, new MemoryExecutionStore());
  }

  close(arn: string): void {
    this.stores.delete(arn);
  }

  putStateMachine(record: StateMachineRecord): Promise<void> {
    return this.home.putStateMachine(record);
  }
  getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    return this.home.getStateMachine(arn);
  }
  deleteStateMachine(arn: string): Promise<void> {
    return this.home.deleteStateMachine(arn);
  }
  listStateMachines(): Promise<StateMachineRecord[]> {
    return this.home.listStateMachines();
  }
  async createExecution(record: ExecutionRecord, root: Frame, events: readonly HistoryEvent[]): Promise<boolean> {
    return this.stores.get(record.executionArn)?.createExecution(record, root, events) ?? false;
  }
  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
    return this.stores.get(arn)?.getExecution(arn);
  }
  async listExecutions(_stateMachineArn: string, _status?: ExecutionStatus): Promise<ExecutionRecord[]> {
    return [];
  }
  getFrame(executionArn: string, frameId: string): StoredFrame | undefined {
    return this.stores.get(executionArn)?.getFrame(executionArn, frameId);
  }
  getExecutionAndFrame(executionArn: string, frameId: string): { execution: ExecutionRecord; stored: StoredFrame | undefined } | undefined {
    return this.stores.get(executionArn)?.getExecutionAndFrame(executionArn, frameId);
  }
  frameIdsUnder(executionArn: string, prefix: string): string[] {
    return this.stores.get(executionArn)?.frameIdsUnder(executionArn, prefix) ?? [];
  }
  finishedChildren(executionArn: string, prefix: string): StoredFrame[] {
    return this.stores.get(executionArn)?.finishedChildren(executionArn, prefix) ?? [];
  }
  commitStep(commit: StepCommit): CommitOutcome {
    return this.stores.get(commit.executionArn)?.commitStep(commit) ?? 'stale';
  }
  async finishExecution(execution: ExecutionRecord, events: readonly HistoryEvent[]): Promise<CommitOutcome> {
    return (await this.stores.get(execution.executionArn)?.finishExecution(execution, events)) ?? 'stale';
  }
  async history(executionArn: string): Promise<readonly HistoryEvent[]> {
    return (await this.stores.get(executionArn)?.history(executionArn)) ?? [];
  }
}
