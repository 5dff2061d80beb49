import type { ExecutionInfo, StateMachineInfo } from '../asl/context-object.js';
import type { StateMachineDefinition } from '../asl/definition.js';
import { States } from '../asl/errors.js';
import { joinChildPrefix, NO_ATTEMPTS, NO_VARIABLES, type RunningChild, type Frame, type FrameEvent, type HistoryEvent } from '../asl/frame.js';
import type { Json } from '../asl/json.js';
import { jsonText, parseJsonText } from '../asl/json-text.js';
import { compileMachine, stateOf, type Machine } from '../asl/machine.js';
import { advance, type StepEnv, type StepResult } from '../asl/step.js';
import { passRunEvents, withPassRuns, type PassRun } from '../asl/pass-run.js';
import { executionArn as makeExecutionArn, expressExecutionArn, stateMachineNameOf, type Partition } from './arns.js';
import { executionEvent, failureDetails, startedDetails, succeededDetails } from './history.js';
import {
  type ActivityStore,
  type Awaitable,
  type Clock,
  type CommitOutcome,
  type EventPublisher,
  type ExecutionEnd,
  type ExecutionLog,
  type ExecutionRecord,
  type ExecutionStore,
  type ExpressExecutions,
  type IdSource,
  type OutboxEntry,
  type ParentTask,
  ROOT_FRAME_ID,
  endedRecord,
  type StateMachineRecord,
  type StepCommit,
  type StepMessage,
  type StepQueue,
  type StoredFrame,
  type TaskInvoker,
  type TaskTokenStore,
} from './ports.js';
import { TaskRunner } from './tasks.js';

export interface EnginePorts {
  readonly store: ExecutionStore;
  readonly queue: StepQueue;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly tasks: TaskInvoker;
  readonly tokens: TaskTokenStore;
  readonly activities: ActivityStore;
  readonly partition: Partition;
  readonly events?: EventPublisher;
  readonly log?: ExecutionLog;
  /**
   * Local home: run a frame's next state, and a parent's join, in the same step loop instead of a
   * queue round trip. (The AWS home may chain a frame's states in one message: chainSteps.)
   */
  readonly inline?: boolean;
  /**
   * AWS home: how many consecutive states of one frame one message may run (a chain), each committed.
   * 1 (the default): one state transition per message, the next one enqueued through the queue. More
   * divides the queue's requests and the invocations per transition by the chain's length (cost, in
   * BENCHMARKS.md), at most CHAIN_MS after the message arrived.
   */
  readonly chainSteps?: number;
  /** Where EXPRESS executions run, whole and in memory (lib/runtime/express.ts); without it they run step by step. */
  readonly express?: ExpressExecutions;
  /** An Express run's own engine starts the child executions of its `states:startExecution` tasks in its home's engine. */
  readonly children?: Pick<Engine, 'startChild'>;
}

export type StartOutcome = { kind: 'started'; execution: ExecutionRecord } | { kind: 'exists'; execution: ExecutionRecord };

/**
 * What a step applies to a frame: an event, or a child's end (`from`); where other children of the
 * same join have ended too, `ends` holds them all, the message's own included, in the order they
 * ended — one commit takes them all. `chain`: the sequence of the message whose chain it continues
 * (AWS home); `child`: a child the previous step started, run in the same loop instead of from its
 * message (local home).
 */
type Next = { frame: Frame; event: FrameEvent; from?: string; ends?: readonly ChildEnd[]; chain?: number; child?: true };
type ChildEnd = { readonly from: string; readonly event: FrameEvent };
/** After a step: the execution's next event id and what to step next inline; `conflict` when another frame committed first. */
type StepOutcome = { nextEventId: number; states: number; next?: Next } | 'done' | 'conflict';
/** A message's run of steps (runChain): where it has got to. */
interface Chain {
  execution: ExecutionRecord;
  next: Next;
  nextEventId: number;
  /** How many more states it may run. */
  budget: number;
  first: boolean;
  /** How many of its steps lost a race mid-chain (AWS home). */
  conflicts: number;
  /** Epoch ms: the chain goes back to the queue from then on. */
  readonly until: number;
}
type Waiter = (execution: ExecutionRecord) => void;
type Loaded = { execution: ExecutionRecord; stored: StoredFrame | undefined } | undefined;
/** What a step's result becomes: its commit, its outbox, what runs next in this process, the execution as it ends (if it does), how many states it ran. */
interface Plan {
  readonly commit: StepCommit;
  readonly outbox: OutboxEntry[];
  readonly next: Next | undefined;
  readonly ended: ExecutionRecord | undefined;
  readonly states: number;
}
const RUN: FrameEvent = { kind: 'run' };
const NO_OUTBOX: readonly OutboxEntry[] = Object.freeze([]);
const WAKE: FrameEvent = { kind: 'wake' };
const EXECUTION_TIMEOUT: StepMessage['event'] = Object.freeze({ kind: 'executionTimeout' });
/** How a message reached the engine: `redelivered` when an earlier delivery of it failed (SQS's receive count above 1). */
export interface Delivery {
  readonly redelivered?: boolean;
}
const FIRST_DELIVERY: Delivery = {};
/** How many states one message may run inline before the rest of the chain goes back to the queue. */
const INLINE_STATES_PER_MESSAGE = 256;
/**
 * Local home: how many states one step may run in turn (StepEnv.states), committed together. A
 * step's frame, events and commit are made once for the run rather than once per state: as many as
 * a message may run (a chain of pass-through Pass states costs little more than its step, Step.passThrough).
 */
const INLINE_STATES_PER_STEP = INLINE_STATES_PER_MESSAGE;
/**
 * AWS home, when chains are on (EnginePorts.chainSteps): until how long (ms) after the message
 * arrived a chain may run: the rest goes back to the queue well inside the step function's 30 s
 * timeout. A chain divides the SQS requests and Lambda invocations per transition by its length.
 */
const CHAIN_MS = 5_000;
/** How often a step re-runs after losing the race for the execution's event counter before SQS redelivers it. */
const CONFLICT_RETRIES = 20;
/**
 * How many children's ends one step of a join applies at most. Ends that arrive together (a Map's
 * iterations finishing side by side) would otherwise each race for the parent frame; the first step
 * takes them all, and the others find theirs consumed. Bounded by DynamoDB's 100 items a transaction.
 */
const JOINED_PER_STEP = 64;
/** AWS's hard quota on an execution's history, and what AWS records when it is reached. */
const MAX_HISTORY_EVENTS = 25_000;
const HISTORY_LIMIT_CAUSE = 'The execution reached the maximum number of history events (25000).';
/**
 * AWS's maximum execution time: a year for Standard, five minutes for Express. Past it the execution
 * fails with States.Timeout (AWS's quotas pages), which the execution-level timeout timer records as
 * ExecutionTimedOut, as it does for TimeoutSeconds.
 */
const MAX_EXECUTION_MS: Record<StateMachineRecord['type'], number> = { STANDARD: 365 * 24 * 3600 * 1000, EXPRESS: 5 * 60 * 1000 };
/** How many running siblings a child's failure records as aborted, at most. */
const MAX_ABORTS_RECORDED = 1000;

/**
 * The step engine: loads a frame, calls the pure `advance`, commits frame + history + outbox
 * atomically (guarded by the frame's sequence and the execution's event counter), then sends the
 * outbox. A duplicate message finds the frame's sequence moved on and only re-sends what the step it
 * repeats sent, so a crash between commit and send loses nothing and nothing runs twice.
 */
export class Engine {
  private readonly machines = new Map<string, Machine>();
  private readonly waiters = new Map<string, Waiter | Waiter[]>();
  /** The context object's execution and state machine parts, made once per execution that reads `$$`. */
  private readonly infos = new ContextInfos();
  /** The latest step of each execution this process is running (AWS home): the next one waits for it. */
  private readonly turns = new Map<string, Promise<void>>();
  /** AWS home: whether a message may run its frame's following states too (EnginePorts.chainSteps above 1). */
  private readonly chains: boolean;
  /** Whether the store takes a step's pass-through runs as records (ExecutionStore.takesPassRuns). */
  private readonly passRuns: boolean;

  /** Task states' work: dispatch, tokens, activities, child executions. */
  readonly tasks: TaskRunner;

  constructor(private readonly ports: EnginePorts) {
    this.chains = !ports.inline && (ports.chainSteps ?? 1) > 1;
    this.passRuns = ports.store.takesPassRuns === true;
    this.tasks = new TaskRunner(ports, (stateMachine, name, input, parent) => (ports.children ?? this).startChild(stateMachine, name, input, parent));
  }

  /**
   * Starts an execution; an existing one of that name is returned as such (the API decides what it
   * means). An EXPRESS execution goes to the Express runner, where there is one; `given` is that
   * runner's own start of it, under the ARN and start date it handed out.
   */
  async start(stateMachine: StateMachineRecord, name: string, input: string, parentTask?: ParentTask, given?: { executionArn: string; startDate: number }): Promise<StartOutcome> {
    if (stateMachine.type === 'EXPRESS' && this.ports.express && given === undefined) return { kind: 'started', execution: await this.ports.express.start(stateMachine, name, input, parentTask) };
    const { store, clock, ids, partition } = this.ports;
    const now = given?.startDate ?? clock.now();
    const arn = given?.executionArn ?? (stateMachine.type === 'EXPRESS' ? expressExecutionArn(partition, stateMachine.name, name, ids.uuid()) : makeExecutionArn(partition, stateMachine.name, name));
    const { definition } = this.machine(stateMachine.definition);
    const execution: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: stateMachine.stateMachineArn,
      name,
      type: stateMachine.type,
      status: 'RUNNING',
      input,
      startDate: now,
      definition: stateMachine.definition,
      roleArn: stateMachine.roleArn,
      revisionId: stateMachine.revisionId,
      redriveCount: 0,
      nextEventId: 2,
      deadline: Math.min(now + MAX_EXECUTION_MS[stateMachine.type], definition.TimeoutSeconds === undefined ? Infinity : now + definition.TimeoutSeconds * 1000),
    };
    if (parentTask !== undefined) execution.parentTask = parentTask;
    const events = [executionEvent(1, 0, now, 'ExecutionStarted', startedDetails(input, stateMachine.roleArn))];
    const root: Frame = {
      id: ROOT_FRAME_ID,
      scopeKey: '',
      sequence: 0,
      stateName: definition.StartAt,
      input: parseJsonText(input),
      phase: 'enter',
      enteredEventId: 0,
      enteredAt: now,
      lastEventId: 0,
      attempts: NO_ATTEMPTS,
      variables: NO_VARIABLES,
    };
    // Each port may answer at once (the local home): awaited only when it does not.
    const creating = store.createExecution(execution, root, events);
    if (!(creating instanceof Promise ? await creating : creating)) {
      const existing = await store.getExecution(arn);
      if (existing) return { kind: 'exists', execution: existing };
      throw new Error(`execution ${arn} could not be created`);
    }
    const logged = this.writeLog(execution, events);
    if (logged instanceof Promise) await logged;
    // Should this send fail, the caller sees the error and the execution stays RUNNING with its first
    // step unsent: StartExecution is idempotent, and the API resumes the execution when it is retried.
    const first: OutboxEntry = { message: { executionArn: arn, frameId: ROOT_FRAME_ID, sequence: 0, event: RUN } };
    // The local home sends the deadline with the first step, if that step leaves the execution running
    // (plan): most local executions end in their first step, and their deadline was made only to be dropped.
    const timeout = this.ports.inline ? undefined : this.timeoutEntry(execution);
    const sent = this.ports.queue.send(timeout === undefined ? [first] : [timeout, first]);
    if (sent instanceof Promise) await sent;
    const published = this.publish(execution);
    if (published instanceof Promise) await published;
    return { kind: 'started', execution };
  }

  /** A child execution for the `states:startExecution` integration; an existing one of that name is AWS's ExecutionAlreadyExists. */
  async startChild(stateMachine: StateMachineRecord, name: string, input: string, parentTask?: ParentTask): Promise<ExecutionRecord> {
    const outcome = await this.start(stateMachine, name, input, parentTask);
    // The same task dispatched twice finds its own child, which answers that same task.
    if (outcome.kind === 'exists' && (outcome.execution.input !== input || outcome.execution.parentTask?.pattern !== parentTask?.pattern)) {
      throw Object.assign(new Error(`Execution Already Exists: '${outcome.execution.executionArn}'`), { code: 'ExecutionAlreadyExists' });
    }
    return outcome.execution;
  }

  /** The execution-level TimeoutSeconds timer, if the definition sets one. */
  private timeoutEntry(execution: ExecutionRecord): OutboxEntry | undefined {
    if (execution.deadline === undefined) return undefined;
    const message: StepMessage = { executionArn: execution.executionArn, frameId: ROOT_FRAME_ID, sequence: -1, event: EXECUTION_TIMEOUT };
    return this.dueEntry(message, execution.deadline);
  }

  /**
   * Sends again what every live frame of a RUNNING execution waits for: its latest step's outbox
   * (timers keep their due time), the first step of a frame that never ran, the execution's timeout.
   * Duplicates are dropped by the receivers, so this is safe at any time; it brings executions back
   * after their queue lost its messages (an emulator's in-memory queue across a restart).
   */
  async resume(executionArn: string): Promise<number> {
    const { store } = this.ports;
    const execution = await store.getExecution(executionArn);
    if (!execution || execution.status !== 'RUNNING') return 0;
    const entries: OutboxEntry[] = [];
    for (const id of await store.frameIdsUnder(executionArn, '')) {
      const stored = await store.getFrame(executionArn, id);
      if (!stored) continue;
      if (stored.frame.sequence === 0 && !stored.finished) entries.push({ message: { executionArn, frameId: id, sequence: 0, event: RUN } });
      else entries.push(...stored.outbox);
    }
    const timeout = this.timeoutEntry(execution);
    if (timeout) entries.push(timeout);
    await this.resend(entries);
    return entries.length;
  }

  /**
   * Resolves once the execution is no longer RUNNING (StartSyncExecution). Steps this engine runs
   * say so at once; steps run elsewhere (another Lambda) are seen by polling the store.
   */
  completion(executionArn: string, pollMs = 200): Promise<ExecutionRecord> {
    const reading = this.ports.inline ? this.ports.store.getExecution(executionArn) : undefined;
    if (reading !== undefined && !(reading instanceof Promise)) {
      // The local home runs every step in this engine, which says when an execution ends, and its
      // store answers at once: a read, then a waiter, nothing else (no timer, no closures).
      if (reading.status !== 'RUNNING') return Promise.resolve(reading);
      return new Promise((resolve) => this.wait(executionArn, resolve));
    }
    return new Promise((resolve) => {
      let timer: NodeJS.Timeout | undefined;
      // Registered before the first read, so an end committed meanwhile is heard either way.
      this.wait(executionArn, (execution) => {
        clearTimeout(timer);
        resolve(execution);
      });
      const check = () => {
        void Promise.resolve(this.ports.store.getExecution(executionArn)).then((e) => (e && e.status !== 'RUNNING' ? this.notifyDone(e) : poll()), poll);
      };
      const poll = () => {
        // The local home runs every step in this engine, which says when an execution ends: no timer.
        if (this.ports.inline) return;
        timer = setTimeout(check, pollMs);
        timer.unref();
      };
      check();
    });
  }

  async stop(executionArn: string, error: string | undefined, cause: string | undefined): Promise<ExecutionRecord | undefined> {
    return this.endFromOutside(executionArn, 'ExecutionAborted', failureDetails(error, cause), { status: 'ABORTED', ...optional('error', error), ...optional('cause', cause) });
  }

  /**
   * One step message: the whole of what a Lambda invocation (AWS) or a queue turn (local) does. A
   * step that loses the race for the execution's event counter to another branch runs again; after
   * too many losses it throws, and the queue delivers the message again later.
   */
  process(message: StepMessage, delivery: Delivery = FIRST_DELIVERY): Awaitable<void> {
    if (message.event.kind === 'invokeTask') return this.invoke(message, message.event.taskId);
    if (this.ports.inline) {
      // Plain code down to the step, a promise only where something answers later: a local message
      // costs no async function frames. What it throws, it throws as a rejection, as an async function would.
      try {
        return this.processWithRetries(message, delivery, Number.POSITIVE_INFINITY);
      } catch (e) {
        return Promise.reject(e);
      }
    }
    // A chain ends CHAIN_MS after its message arrived, its wait for its turn included: the messages
    // of one batch (one invocation) that take turns share one budget, not one each.
    const until = this.ports.clock.now() + CHAIN_MS;
    // Steps of one execution that meet in this process take turns instead of racing each other for
    // the execution's event counter (a Map's iterations ending side by side would otherwise lose
    // most of their commits to each other). Steps in other processes still race, and retry.
    const arn = message.executionArn;
    const before = this.turns.get(arn);
    const mine = (before ?? Promise.resolve()).then(() => this.processWithRetries(message, delivery, until));
    const settled = mine.then(
      () => undefined,
      () => undefined,
    );
    this.turns.set(arn, settled);
    void settled.then(() => {
      if (this.turns.get(arn) === settled) this.turns.delete(arn);
    });
    return mine;
  }

  private processWithRetries(message: StepMessage, delivery: Delivery, until: number): Awaitable<void> {
    const once = this.processOnce(message, delivery, until);
    if (once !== 'done') return this.retried(message, delivery, until, once);
  }

  /** A step that lost the race for the execution's event counter (or may have: it is still running) runs again. */
  private async retried(message: StepMessage, delivery: Delivery, until: number, first: Promise<'done' | 'conflict'> | 'conflict'): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      if ((await (attempt === 1 ? first : this.processOnce(message, delivery, until))) !== 'conflict') return;
      if (attempt >= CONFLICT_RETRIES) throw new Error(`step of ${message.executionArn} frame ${message.frameId} lost the race for its event ids ${attempt} times`);
      await new Promise((resolve) => setTimeout(resolve, Math.floor(this.ports.ids.random() * 10 * attempt)));
    }
  }

  private processOnce(message: StepMessage, delivery: Delivery, until: number): Awaitable<'done' | 'conflict'> {
    const loading = this.ports.store.getExecutionAndFrame(message.executionArn, message.frameId);
    if (loading instanceof Promise) return loading.then((loaded) => this.processLoaded(message, delivery, until, loaded));
    return this.processLoaded(message, delivery, until, loading);
  }

  /**
   * The common message, the next step of a running frame (every local step), goes straight to its
   * steps; anything else (a duplicate, a timer, a child's end, an ended execution) to processOther.
   */
  private processLoaded(message: StepMessage, delivery: Delivery, until: number, loaded: Loaded): Awaitable<'done' | 'conflict'> {
    if (!loaded) return 'done';
    const { execution, stored } = loaded;
    // Sequenced messages are `run` and `wake`: timers, heartbeats, answers and children's ends go unsequenced (-1).
    if (execution.status === 'RUNNING' && stored && !stored.finished && message.sequence >= 0 && stored.frame.sequence === message.sequence && message.from === undefined) {
      const event = message.event as FrameEvent;
      return this.runChain(execution, this.chains ? { frame: stored.frame, event, chain: message.sequence } : { frame: stored.frame, event }, until);
    }
    return this.processOther(message, delivery, until, execution, stored);
  }

  private async processOther(message: StepMessage, delivery: Delivery, until: number, execution: ExecutionRecord, stored: StoredFrame | undefined): Promise<'done' | 'conflict'> {
    const { store } = this.ports;
    if (execution.status !== 'RUNNING') {
      // The step that ended a `.sync` child may have died before its answer to the parent went out.
      const toParent = delivery.redelivered ? this.tasks.parentAnswer(execution) : undefined;
      if (toParent) await this.ports.queue.send([toParent]);
      return 'done';
    }
    if (message.event.kind === 'executionTimeout') return this.timeOut(execution);
    // A timer for a state already left, a cancelled child, a finished frame: nothing to do.
    if (!stored || stored.finished) return this.resendIfLatest(stored, message, delivery);
    if (message.sequence >= 0 && stored.frame.sequence !== message.sequence) {
      const resumed = await this.resumeChain(stored, message, delivery);
      return resumed ? this.runChain(execution, resumed, until) : 'done';
    }
    const event = message.event as FrameEvent;
    if (event.kind === 'taskTimedOut' && event.heartbeat && event.taskId === stored.frame.task?.id) {
      // A heartbeat came meanwhile: wait for the deadline it set instead.
      const later = await this.tasks.laterHeartbeat(stored.frame);
      if (later !== undefined) {
        await this.ports.queue.send([this.dueEntry(message, later)]);
        return 'done';
      }
    }
    // AWS home: a message for a frame's sequence may run the frame's next states too (a chain).
    let next: Next = this.chains && message.sequence >= 0 ? { frame: stored.frame, event, chain: message.sequence } : { frame: stored.frame, event };
    if (message.from !== undefined) {
      // A child's end: only once (a consumed child is gone), and only for the join running now.
      const child = await store.getFrame(execution.executionArn, message.from);
      if (!child) return this.resendIfLatest(stored, message, delivery);
      const prefix = joinChildPrefix(stored.frame);
      if (prefix === undefined || !message.from.startsWith(prefix)) return 'done';
      next = { frame: stored.frame, event, from: message.from };
      if (!this.ports.inline) next.ends = await this.endsAt(execution.executionArn, prefix, { from: message.from, event });
    }
    return this.runChain(execution, next, until);
  }

  /**
   * Steps `next`, then the states it continues to in the same message (inline, or chained), each
   * committed, until the budget of steps or the time `until` (epoch ms) runs out.
   */
  private runChain(execution: ExecutionRecord, next: Next, until: number): Awaitable<'done' | 'conflict'> {
    const budget = this.ports.inline ? INLINE_STATES_PER_MESSAGE : (this.ports.chainSteps ?? 1);
    return this.continueChain({ execution, next, nextEventId: execution.nextEventId, budget, first: true, conflicts: 0, until });
  }

  /** Steps the chain on, in a plain loop while its steps answer at once, until it ends. */
  private continueChain(chain: Chain): Awaitable<'done' | 'conflict'> {
    for (;;) {
      const stepping = this.step(chain.execution, chain.nextEventId, chain.next, this.ports.inline ? Math.min(chain.budget, INLINE_STATES_PER_STEP) : 1);
      if (stepping instanceof Promise) return stepping.then((outcome) => this.chainStepped(chain, outcome) ?? this.continueChain(chain));
      const ended = this.chainStepped(chain, stepping);
      if (ended !== undefined) return ended;
    }
  }

  /** Takes a step's outcome into its chain: undefined when the chain goes on, else how the chain ends. */
  private chainStepped(chain: Chain, outcome: StepOutcome): Awaitable<'done' | 'conflict'> | undefined {
    const first = chain.first;
    chain.first = false;
    if (outcome === 'conflict') {
      if (first) return 'conflict';
      // Mid-chain (AWS home): the step runs again here, so that the chain keeps its message (a
      // redelivery of it goes on from the chain's latest step). Else the rest goes back to the queue.
      return chain.next.chain !== undefined && ++chain.conflicts < CONFLICT_RETRIES ? this.retryInChain(chain) : this.sendRest(chain);
    }
    if (outcome === 'done' || !outcome.next) return 'done';
    chain.nextEventId = outcome.nextEventId;
    chain.next = outcome.next;
    // A child started in this loop has the budget its own message would have had.
    chain.budget = outcome.next.child ? INLINE_STATES_PER_MESSAGE : chain.budget - outcome.states;
    // A long chain (or an endless loop) gives way to other executions: it goes on from the queue.
    if (chain.budget <= 0 || this.ports.clock.now() >= chain.until) return this.sendRest(chain);
    return undefined;
  }

  /** A chain's step that lost a race runs again, from the frame as stored. */
  private async retryInChain(chain: Chain): Promise<'done' | 'conflict'> {
    await new Promise((resolve) => setTimeout(resolve, Math.floor(this.ports.ids.random() * 10 * chain.conflicts)));
    const loaded = await this.ports.store.getExecutionAndFrame(chain.execution.executionArn, chain.next.frame.id);
    const stored = loaded?.stored;
    if (!loaded || loaded.execution.status !== 'RUNNING' || !stored || stored.finished || stored.frame.sequence !== chain.next.frame.sequence) return 'done';
    chain.execution = loaded.execution;
    chain.nextEventId = loaded.execution.nextEventId;
    chain.next = { ...chain.next, frame: stored.frame };
    return this.continueChain(chain);
  }

  /** The rest of a chain goes back to the queue. */
  private sendRest(chain: Chain): Awaitable<'done'> {
    const sent = this.ports.queue.send([this.entry(chain.execution, chain.next)]);
    return sent instanceof Promise ? sent.then(() => 'done' as const) : 'done';
  }

  /** The message's own child's end and those of the join's other finished children, in the order they ended. */
  private async endsAt(executionArn: string, prefix: string, own: ChildEnd): Promise<ChildEnd[]> {
    const ends: ChildEnd[] = [own];
    for (const child of await this.ports.store.finishedChildren(executionArn, prefix)) {
      const end = child.outbox.find((entry) => entry.message.from === child.frame.id);
      if (child.frame.id !== own.from && end && ends.length < JOINED_PER_STEP) ends.push({ from: child.frame.id, event: end.message.event as FrameEvent });
    }
    const endedAt = (end: ChildEnd) => ('lastEventId' in end.event ? (end.event.lastEventId ?? 0) : 0);
    return ends.sort((a, b) => endedAt(a) - endedAt(b));
  }

  /**
   * A redelivered message whose chain (AWS home) was cut short after a commit: the continuation its
   * latest step recorded runs here, as it would have in the chain (the rest of that step's outbox is
   * sent again). Any other message whose step was applied already: resendIfLatest.
   */
  private async resumeChain(stored: StoredFrame, message: StepMessage, delivery: Delivery): Promise<Next | undefined> {
    const last = stored.outbox.at(-1);
    const continuation = last !== undefined && last.delayMs === undefined && last.message.frameId === stored.frame.id && last.message.sequence === stored.frame.sequence && last.message.event.kind === 'run';
    if (!this.chains || !continuation || !delivery.redelivered || !isLatest(stored, message)) {
      await this.resendIfLatest(stored, message, delivery);
      return undefined;
    }
    await this.resend(stored.outbox.slice(0, -1));
    return { frame: stored.frame, event: RUN, chain: message.sequence };
  }

  /**
   * A message whose step was applied already. If this is a redelivery (the delivery that applied it
   * failed or died before it was acknowledged) and that step is still the frame's latest, the outbox
   * may never have gone out: send it again (receivers drop duplicates). A first delivery is a copy
   * of a message whose own delivery is alive: re-sending there would only multiply the copies.
   */
  private async resendIfLatest(stored: StoredFrame | undefined, message: StepMessage, delivery: Delivery): Promise<'done'> {
    if (stored && delivery.redelivered && isLatest(stored, message)) await this.resend(stored.outbox);
    return 'done';
  }

  /** Sends recorded entries again; a timer keeps its due time (the delay left, not the delay it had). */
  private async resend(entries: readonly OutboxEntry[]): Promise<void> {
    if (entries.length === 0) return;
    await this.ports.queue.send(entries.map((entry) => (entry.dueAt === undefined ? entry : this.dueEntry(entry.message, entry.dueAt))));
  }

  /** A message due at `dueAt` (epoch ms): sent with the delay left until then, and remembering when. */
  private dueEntry(message: StepMessage, dueAt: number): OutboxEntry {
    const delayMs = dueAt - this.ports.clock.now();
    return delayMs > 0 ? { message, delayMs, dueAt } : { message };
  }

  /**
   * One transition of one frame. `execution` holds what does not change while it runs; the event
   * counter is threaded through separately so that a step copies no records. Plain code in stages
   * (apply, commit, send, follow): a stage waits only where a port or a JSONata expression answers
   * later, so a local step makes no promise and no generator (a generator was ~1 KB a step).
   */
  private step(execution: ExecutionRecord, firstEventId: number, current: Next, states: number): Awaitable<StepOutcome> {
    const now = this.ports.clock.now();
    let applying: StepResult | Promise<StepResult>;
    try {
      const { frame, event } = current;
      applying =
        current.ends !== undefined || event.kind === 'childFailed'
          ? this.applyEnds(execution, firstEventId, current, states, now)
          : // Synchronous unless a JSONata expression was evaluated: no microtask for a JSONPath step.
            advance(this.machine(execution.definition), frame, event, new StepEnvironment(now, firstEventId, this.ports.ids, execution, this.infos, states, this.passRuns, this.ports.inline === true));
    } catch (e) {
      return this.defect(execution, current.frame, e);
    }
    if (applying instanceof Promise) {
      return applying.then(
        (result) => this.commitResult(execution, firstEventId, current, result, now),
        (e: unknown) => this.defect(execution, current.frame, e),
      );
    }
    return this.commitResult(execution, firstEventId, current, applying, now);
  }

  /**
   * A step that applies several children's ends (AWS home), or a child's failure: a failure aborts
   * the failed child's running siblings, and the history names them.
   */
  private async applyEnds(execution: ExecutionRecord, firstEventId: number, current: Next, states: number, now: number): Promise<StepResult> {
    const { frame, event } = current;
    const machine = this.machine(execution.definition);
    let applied: readonly FrameEvent[] = current.ends?.map((end) => end.event) ?? [event];
    if (applied.some((e) => e.kind === 'childFailed')) {
      const running = await this.runningChildren(execution.executionArn, frame, machine);
      applied = applied.map((e) => (e.kind === 'childFailed' ? { ...e, running: running.filter((child) => child.index !== e.index) } : e));
    }
    // Pass-through runs as records for a store that takes them, unless further ends' events follow.
    const passRuns = this.passRuns && applied.length === 1;
    let result = await advance(machine, frame, applied[0]!, new StepEnvironment(now, firstEventId, this.ports.ids, execution, this.infos, states, passRuns, this.ports.inline === true));
    for (let i = 1; i < applied.length; i++) {
      // Further children's ends, applied in turn to the frame as the previous one left it.
      const then = await advance(machine, result.frame, applied[i]!, new StepEnvironment(now, firstEventId + result.events.length, this.ports.ids, execution, this.infos, states, false, false));
      result = { frame: then.frame, events: [...result.events, ...then.events], commands: [...result.commands, ...then.commands], states: result.states + then.states };
    }
    return result;
  }

  /** A defect of ours must not leave the execution RUNNING: fail it, visibly, as States.Runtime. */
  private async defect(execution: ExecutionRecord, frame: Frame, e: unknown): Promise<'done'> {
    await this.fail(execution.executionArn, States.Runtime, `Internal error in Stepwise while executing state '${frame.stateName}': ${e instanceof Error ? e.message : String(e)}`);
    return 'done';
  }

  /** The step's result planned and committed; the frames a cancellation drops are looked up first. */
  private commitResult(execution: ExecutionRecord, firstEventId: number, current: Next, result: StepResult, now: number): Awaitable<StepOutcome> {
    for (let i = 0; i < result.commands.length; i++) {
      if (result.commands[i]!.kind === 'cancelChildren') {
        return this.cancelledFrames(execution, result).then((removed) => this.commitPlan(execution, this.plan(execution, firstEventId, current, result, now, removed)));
      }
    }
    return this.commitPlan(execution, this.plan(execution, firstEventId, current, result, now, undefined));
  }

  /** The frames the step's cancellations drop: each cancelled join's children and everything under them. */
  private async cancelledFrames(execution: ExecutionRecord, result: StepResult): Promise<string[]> {
    const removed: string[] = [];
    for (const command of result.commands) if (command.kind === 'cancelChildren') removed.push(...(await this.ports.store.frameIdsUnder(execution.executionArn, command.prefix)));
    return removed;
  }

  private commitPlan(execution: ExecutionRecord, planned: Plan): Awaitable<StepOutcome> {
    const committing = this.ports.store.commitStep(planned.commit);
    if (committing instanceof Promise) return committing.then((committed) => this.afterCommit(execution, planned, committed));
    return this.afterCommit(execution, planned, committing);
  }

  private afterCommit(execution: ExecutionRecord, planned: Plan, committed: CommitOutcome): Awaitable<StepOutcome> {
    if (committed === 'conflict') return 'conflict';
    if (committed === 'stale') return 'done';
    const { events, runs } = planned.commit;
    const logged = this.ports.log && (events.length > 0 || runs) ? this.writeLog(execution, events, runs) : undefined;
    if (logged instanceof Promise) return logged.then(() => this.sendOutbox(execution, planned));
    return this.sendOutbox(execution, planned);
  }

  /**
   * Commit before send: if the process dies in between, the message comes again, the frame's sequence
   * refuses it, and the outbox recorded with the frame is sent again. A chained continuation, or a
   * child started in this loop (the outbox's last entry), is not sent: the caller runs it, or sends it.
   */
  private sendOutbox(execution: ExecutionRecord, planned: Plan): Awaitable<StepOutcome> {
    const { outbox, next } = planned;
    const sent = next !== undefined && (!this.ports.inline || next.child) ? outbox.slice(0, -1) : outbox;
    const sending = sent.length > 0 ? this.ports.queue.send(sent) : undefined;
    if (sending instanceof Promise) return sending.then(() => this.following(execution, planned));
    return this.following(execution, planned);
  }

  /** What the committed step leads to: the execution's end, the parent's join (inline), or the frame's next state. */
  private following(execution: ExecutionRecord, planned: Plan): Awaitable<StepOutcome> {
    const { commit, next, ended, states } = planned;
    const nextEventId = commit.nextEventId;
    if (ended) {
      const ending = this.ended(ended);
      return ending instanceof Promise ? ending.then(() => ({ nextEventId, states })) : { nextEventId, states };
    }
    const from = next?.from;
    if (from !== undefined) {
      // The parent's join, inline: load the parent as it is now.
      const { event } = next!;
      const loading = this.ports.store.getFrame(execution.executionArn, commit.frame.parentId!);
      if (loading instanceof Promise) return loading.then((parent) => joined(nextEventId, states, event, from, parent));
      return joined(nextEventId, states, event, from, loading);
    }
    return next ? { nextEventId, states, next } : { nextEventId, states };
  }

  /**
   * What a step's result becomes (plain, no generator: it runs on every step): the commit, with the
   * step's events (and the execution's end), its outbox, what runs next in this process, and the
   * execution as it ends (if it does). `removed`: the frames the step's cancellations drop, looked up
   * by the caller.
   */
  private plan(execution: ExecutionRecord, firstEventId: number, current: Next, result: StepResult, now: number, removed: string[] | undefined): Plan {
    const { frame } = current;
    let events = result.events as HistoryEvent[];
    let runs = result.runs;
    let nextEventId = firstEventId + events.length + passRunEvents(runs);
    let newFrames: Frame[] | undefined;
    let cancelled: string[] | undefined;
    // Children and parents first, the frame's own continuation last: the frame cannot move on
    // (and a redelivery stop re-sending) before everything else this step sends was accepted.
    const outbox: OutboxEntry[] = [];
    let own: OutboxEntry | undefined;
    let next: Next | undefined;
    let end: ExecutionEnd | undefined;
    let ended: ExecutionRecord | undefined;
    let finished = false;
    let firstChild: Frame | undefined;

    // An index loop: cold code would make an iterator per step for a for-of.
    for (let i = 0; i < result.commands.length; i++) {
      const command = result.commands[i]!;
      switch (command.kind) {
        case 'continue':
          if (this.ports.inline) next = { frame: result.frame, event: RUN };
          else {
            own = this.entry(execution, { frame: result.frame, event: RUN });
            // Chained: the next state runs in this message; `own` stays in the outbox, unsent, for a redelivery.
            if (current.chain !== undefined) next = { frame: result.frame, event: RUN, chain: current.chain };
          }
          break;
        case 'sleep':
          own = this.entry(execution, { frame: result.frame, event: WAKE }, command.at);
          break;
        case 'startChildren':
          (newFrames ??= []).push(...command.children);
          for (let i = command.children.length - 1; i >= 0; i--) outbox.push({ message: { executionArn: execution.executionArn, frameId: command.children[i]!.id, sequence: 0, event: RUN }, urgent: true });
          firstChild = command.children[0];
          break;
        case 'cancelChildren':
          (cancelled ??= []).push(command.prefix);
          break;
        case 'invokeTask':
          // A message, not a call: the call happens once the step is committed, and again if it is lost.
          outbox.push({ message: { executionArn: execution.executionArn, frameId: frame.id, sequence: -1, event: { kind: 'invokeTask', taskId: command.taskId } } });
          break;
        case 'timer':
          outbox.push(this.dueEntry({ executionArn: execution.executionArn, frameId: frame.id, sequence: -1, event: command.event }, command.at));
          break;
        case 'succeed':
        case 'fail':
          finished = true;
          if (command.kind === 'fail' && (command.terminal || frame.parentId === undefined)) {
            events.push(executionEvent(nextEventId++, result.frame.lastEventId, now, 'ExecutionFailed', failureDetails(command.error, command.cause)));
            end = { status: 'FAILED', stopDate: now, ...optional('error', command.error || undefined), ...optional('cause', command.cause) };
          } else if (command.kind === 'succeed' && frame.parentId === undefined) {
            events.push(executionEvent(nextEventId++, result.frame.lastEventId, now, 'ExecutionSucceeded', succeededDetails(command.output)));
            end = { status: 'SUCCEEDED', stopDate: now, output: jsonText(command.output) };
          } else {
            const parentEvent: FrameEvent =
              command.kind === 'succeed'
                ? { kind: 'childSucceeded', index: frame.index ?? 0, output: command.output, lastEventId: result.frame.lastEventId }
                : {
                    kind: 'childFailed',
                    index: frame.index ?? 0,
                    error: command.error,
                    ...optional('cause', command.cause),
                    lastEventId: result.frame.lastEventId,
                    // The state the step ended in (a step may run several: StepEnv.states).
                    ...optional('failedState', stateOf(this.machine(execution.definition), frame.scopeKey, result.frame.stateName).Type),
                  };
            // Local home: the parent's join runs in this loop (it is loaded after the commit).
            if (this.ports.inline) next = { frame: result.frame, event: parentEvent, from: frame.id };
            else own = { message: { executionArn: execution.executionArn, frameId: frame.parentId!, sequence: -1, from: frame.id, event: parentEvent } };
          }
          break;
      }
    }
    if (cancelled) {
      // A join that started children and failed in the same step (several children's ends at once):
      // the children it had just started go with the rest.
      const abandoned = (id: string) => cancelled!.some((prefix) => id.startsWith(prefix));
      newFrames = newFrames?.filter((f) => !abandoned(f.id));
      for (let i = outbox.length - 1; i >= 0; i--) if (abandoned(outbox[i]!.message.frameId)) outbox.splice(i, 1);
    }
    // Express executions have no such quota (AWS's quotas page: "Unlimited"). The quota below counts
    // events as objects: a STANDARD step that reaches it has its runs made into events first.
    const overQuota = nextEventId - 1 >= MAX_HISTORY_EVENTS && execution.type === 'STANDARD';
    if (runs !== undefined && overQuota) {
      events = withPassRuns(events, runs);
      runs = undefined;
    }
    if (overQuota && events[MAX_HISTORY_EVENTS - firstEventId]?.type !== 'ExecutionSucceeded') {
      // AWS's hard quota: event 25,000 is the execution's end. Unless the execution succeeds with it,
      // the execution fails there, after the 24,999 events it recorded (AWS guide, "Avoid reaching the history quota").
      events.length = MAX_HISTORY_EVENTS - firstEventId;
      events.push(executionEvent(MAX_HISTORY_EVENTS, MAX_HISTORY_EVENTS - 1, now, 'ExecutionFailed', failureDetails(States.Runtime, HISTORY_LIMIT_CAUSE)));
      nextEventId = MAX_HISTORY_EVENTS + 1;
      end = { status: 'FAILED', stopDate: now, error: States.Runtime, cause: HISTORY_LIMIT_CAUSE };
      finished = true;
    }
    if (end) {
      // The execution is over: nothing it asked for happens any more, but a `.sync` parent hears of it.
      outbox.length = 0;
      own = undefined;
      next = undefined;
      ended = endedRecord(execution, nextEventId, end);
      const toParent = this.tasks.parentAnswer(ended);
      if (toParent) outbox.push(toParent);
    }
    if (!end && this.ports.inline && frame.sequence === 0 && frame.id === ROOT_FRAME_ID) {
      // The execution's first step (local home), and it goes on: its deadline goes first, where start would have sent it.
      const timeout = this.timeoutEntry(execution);
      if (timeout !== undefined) outbox.unshift(timeout);
    }
    if (own) outbox.push(own);
    if (this.ports.inline && next === undefined && firstChild !== undefined && outbox.at(-1)?.message.frameId === firstChild.id) {
      // Local home: the first child starts in this loop. Its message (the outbox's last, recorded, not
      // sent) is the one the queue would run next: it runs new children first, the first child first.
      next = { frame: firstChild, event: RUN, child: true };
    }

    const from = current.from;
    // Every field in one literal: one shape for every commit (the store reads each of them).
    const commit: StepCommit = {
      executionArn: execution.executionArn,
      firstEventId,
      nextEventId,
      end,
      ended,
      frame: result.frame,
      expectedSequence: frame.sequence,
      events,
      runs,
      // Most local steps send nothing (their next state runs inline): one shared empty outbox then.
      outbox: outbox.length > 0 ? outbox : NO_OUTBOX,
      finished,
      // The message's own child first: the store tells "applied already" from "someone took another" by it.
      consumedFrameIds: from === undefined ? undefined : current.ends === undefined ? [from] : [from, ...current.ends.map((end) => end.from).filter((id) => id !== from)],
      newFrames,
      removedFrameIds: removed,
      chainStart: current.chain !== undefined && current.chain !== frame.sequence ? current.chain : undefined,
    };
    return { commit, outbox, next, ended, states: result.states };
  }

  /**
   * The join's direct children still running, by index, with the type of the state each is in (none
   * before its first); at most MAX_ABORTS_RECORDED of them (AWS's inline Map runs at most 40 at once).
   * A child that failed too but whose end the join has not taken yet counts as running: AWS records
   * it aborted (its failure comes too late to count).
   */
  private async runningChildren(executionArn: string, frame: Frame, machine: Machine): Promise<RunningChild[]> {
    const prefix = joinChildPrefix(frame);
    if (prefix === undefined || frame.join?.distributed) return [];
    const direct = (await this.ports.store.frameIdsUnder(executionArn, prefix)).filter((id) => /^\d+$/.test(id.slice(prefix.length)));
    const running: RunningChild[] = [];
    for (const id of direct.slice(0, MAX_ABORTS_RECORDED)) {
      const stored = await this.ports.store.getFrame(executionArn, id);
      if (!stored || stored.frame.announce !== undefined) continue;
      const child = stored.frame;
      if (stored.finished) {
        const end = stored.outbox.find((entry) => entry.message.from === child.id)?.message.event;
        if (end?.kind === 'childFailed') running.push({ index: child.index ?? 0, ...optional('stateType', end.failedState) });
        continue;
      }
      running.push({ index: child.index ?? 0, ...(child.phase === 'enter' ? {} : { stateType: stateOf(machine, child.scopeKey, child.stateName).Type }) });
    }
    return running.sort((a, b) => a.index - b.index);
  }

  /** The message that steps `next`; due at `dueAt` (epoch ms) when given. */
  private entry(execution: ExecutionRecord, next: Next, dueAt?: number): OutboxEntry {
    const { frame, event } = next;
    // A join's events may arrive in any order: they name the child instead of a sequence.
    const message: StepMessage =
      next.from !== undefined
        ? { executionArn: execution.executionArn, frameId: frame.id, sequence: -1, from: next.from, event }
        : { executionArn: execution.executionArn, frameId: frame.id, sequence: frame.sequence, event };
    return dueAt === undefined ? { message } : this.dueEntry(message, dueAt);
  }

  /**
   * Hands a frame's pending task out (the message its scheduling step sent) and steps the frame with
   * the answer, if one comes at once. The call runs outside the execution's turn, so a Map's tasks
   * run side by side; the local home does not even wait for it (its queue runs one step at a time).
   */
  private async invoke(message: StepMessage, taskId: number): Promise<void> {
    const work = async () => {
      const loaded = await this.ports.store.getExecutionAndFrame(message.executionArn, message.frameId);
      if (!loaded || loaded.execution.status !== 'RUNNING') return;
      const { execution, stored } = loaded;
      // Dispatched and answered already (a duplicate), or abandoned: nothing to hand out.
      if (!stored || stored.finished || stored.frame.phase !== 'task' || stored.frame.task?.id !== taskId) return;
      const state = stateOf(this.machine(execution.definition), stored.frame.scopeKey, stored.frame.stateName);
      const event = await this.tasks.dispatch(execution, stored.frame, state.Resource ?? '');
      if (!event) return;
      const answer: StepMessage = { executionArn: message.executionArn, frameId: message.frameId, sequence: -1, event };
      if (this.ports.inline) return this.ports.queue.send([{ message: answer }]);
      try {
        await this.process(answer);
      } catch {
        // Not applied here (too many lost races): queued, it is applied later. Failing this message
        // instead would make the call again.
        await this.ports.queue.send([{ message: answer }]);
      }
    };
    if (!this.ports.inline) return work();
    void work().catch((e: unknown) => console.error(JSON.stringify({ level: 'ERROR', message: 'task dispatch failed', executionArn: message.executionArn, frameId: message.frameId, error: e instanceof Error ? e.stack : String(e) })));
  }

  /** An execution ended: say so to whoever waits (StartSyncExecution, EventBridge). */
  private ended(execution: ExecutionRecord): Awaitable<void> {
    this.ports.queue.forget?.(execution.executionArn);
    const published = this.publish(execution);
    if (!(published instanceof Promise)) return this.notifyDone(execution);
    return published.then(() => this.notifyDone(execution));
  }

  private async timeOut(execution: ExecutionRecord): Promise<'done'> {
    if (execution.deadline === undefined || this.ports.clock.now() < execution.deadline) return 'done';
    // AWS reports a timed-out execution without an error or cause in DescribeExecution.
    await this.endFromOutside(execution.executionArn, 'ExecutionTimedOut', {}, { status: 'TIMED_OUT' });
    return 'done';
  }

  /** Fails a RUNNING execution from outside its steps (a defect, a step message given up on). */
  async fail(executionArn: string, error: string, cause: string): Promise<void> {
    await this.endFromOutside(executionArn, 'ExecutionFailed', failureDetails(error, cause), { status: 'FAILED', error, cause });
  }

  /**
   * Ends a RUNNING execution from outside its steps (StopExecution, TimeoutSeconds, a defect), reading
   * it again whenever a step commits meanwhile; returns it as it ends up (unchanged if it had ended).
   */
  private async endFromOutside(
    executionArn: string,
    type: 'ExecutionAborted' | 'ExecutionTimedOut' | 'ExecutionFailed',
    details: Record<string, Json>,
    ending: Pick<ExecutionRecord, 'status' | 'error' | 'cause'>,
  ): Promise<ExecutionRecord | undefined> {
    for (;;) {
      const execution = await this.ports.store.getExecution(executionArn);
      if (!execution || execution.status !== 'RUNNING') return execution;
      const stopDate = this.ports.clock.now();
      // Ids are dense: the execution's latest event is the one before its counter.
      const event = executionEvent(execution.nextEventId, execution.nextEventId - 1, stopDate, type, details);
      const record: ExecutionRecord = { ...execution, ...ending, stopDate, nextEventId: execution.nextEventId + 1 };
      const outcome = await this.ports.store.finishExecution(record, [event]);
      if (outcome === 'conflict') continue;
      if (outcome === 'committed') {
        await this.writeLog(record, [event]);
        await this.ended(record);
        const toParent = this.tasks.parentAnswer(record);
        if (toParent) await this.ports.queue.send([toParent]);
      }
      return outcome === 'committed' ? record : this.ports.store.getExecution(executionArn);
    }
  }

  /** Execution-log records are best effort, as AWS's are: a failed write is reported, never undoes a step. */
  private writeLog(execution: ExecutionRecord, events: readonly HistoryEvent[], runs?: readonly PassRun[]): Awaitable<void> {
    const log = this.ports.log;
    if (!log) return;
    const failed = (e: unknown) =>
      console.error(JSON.stringify({ level: 'ERROR', message: 'execution log records not written', executionArn: execution.executionArn, error: e instanceof Error ? e.message : String(e) }));
    try {
      const written = log.write(execution, events, runs);
      if (written instanceof Promise) return written.catch(failed);
    } catch (e) {
      failed(e);
    }
  }

  /** Status events are best effort, as AWS's are: a failed publish is logged, never undoes a step. */
  private publish(execution: ExecutionRecord): Awaitable<void> {
    const events = this.ports.events;
    if (!events) return;
    return (async () => {
      try {
        await events.statusChanged(execution);
      } catch (e) {
        console.error(JSON.stringify({ level: 'ERROR', message: 'status change not published', executionArn: execution.executionArn, status: execution.status, error: e instanceof Error ? e.message : String(e) }));
      }
    })();
  }

  /** Tells whoever waits for the execution that it ended (also called by the Express runner for the runs it ended). */
  notifyDone(execution: ExecutionRecord): void {
    this.infos.delete(execution.executionArn);
    const waiting = this.waiters.get(execution.executionArn);
    if (!waiting) return;
    this.waiters.delete(execution.executionArn);
    if (typeof waiting === 'function') waiting(execution);
    else for (const resolve of waiting) resolve(execution);
  }

  /** `done` is called when the execution ends (notifyDone). */
  private wait(executionArn: string, done: Waiter): void {
    const waiting = this.waiters.get(executionArn);
    // One waiter is the rule (an array only for more).
    if (waiting === undefined) this.waiters.set(executionArn, done);
    else if (typeof waiting === 'function') this.waiters.set(executionArn, [waiting, done]);
    else waiting.push(done);
  }

  private machine(definitionText: string): Machine {
    let machine = this.machines.get(definitionText);
    if (!machine) {
      machine = compileMachine(JSON.parse(definitionText) as StateMachineDefinition);
      if (this.machines.size > 1000) this.machines.clear();
      this.machines.set(definitionText, machine);
    }
    return machine;
  }
}

/** Whether the frame's latest step is the message's own (or one its chain ran). */
function isLatest(stored: StoredFrame, message: StepMessage): boolean {
  if (message.from !== undefined) return stored.consumed?.includes(message.from) === true;
  return stored.frame.sequence === message.sequence + 1 || stored.chainStart === message.sequence;
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/**
 * The context object's execution and state machine parts of one execution, made when a state first
 * reads `$$` (most executions never do: parsing the input again and formatting the start time would be
 * wasted on them).
 */
class ContextInfo {
  private builtExecution: ExecutionInfo | undefined;
  private builtStateMachine: StateMachineInfo | undefined;

  constructor(private readonly record: ExecutionRecord) {}

  get execution(): ExecutionInfo {
    return (this.builtExecution ??= executionInfo(this.record));
  }

  get stateMachine(): StateMachineInfo {
    return (this.builtStateMachine ??= { Id: this.record.stateMachineArn, Name: stateMachineNameOf(this.record.stateMachineArn) });
  }
}

/** Each execution's ContextInfo, made when a state first reads `$$` and kept until the execution ends. */
class ContextInfos {
  private readonly byArn = new Map<string, ContextInfo>();

  of(execution: ExecutionRecord): ContextInfo {
    let info = this.byArn.get(execution.executionArn);
    if (!info) {
      info = new ContextInfo(execution);
      if (this.byArn.size > 10_000) this.byArn.clear();
      this.byArn.set(execution.executionArn, info);
    }
    return info;
  }

  delete(executionArn: string): void {
    this.byArn.delete(executionArn);
  }
}

/** What `advance` gets from the engine; the context parts come from the execution's ContextInfo when read. */
class StepEnvironment implements StepEnv {
  constructor(
    readonly now: number,
    readonly nextEventId: number,
    readonly entropy: IdSource,
    private readonly record: ExecutionRecord,
    private readonly infos: ContextInfos,
    readonly states: number,
    readonly passRuns: boolean,
    readonly runsChildren: boolean,
  ) {}

  get execution(): ExecutionInfo {
    return this.infos.of(this.record).execution;
  }

  get stateMachine(): StateMachineInfo {
    return this.infos.of(this.record).stateMachine;
  }
}

/** The parent's join, next in this loop, unless the parent is gone or finished meanwhile. */
function joined(nextEventId: number, states: number, event: FrameEvent, from: string, parent: StoredFrame | undefined): StepOutcome {
  if (!parent || parent.finished) return { nextEventId, states };
  return { nextEventId, states, next: { frame: parent.frame, event, from } };
}

function executionInfo(execution: ExecutionRecord): ExecutionInfo {
  return {
    Id: execution.executionArn,
    Input: JSON.parse(execution.input) as Json,
    Name: execution.name,
    RoleArn: execution.roleArn,
    StartTime: new Date(execution.startDate).toISOString(),
    RedriveCount: execution.redriveCount,
  };
}

