import type { Frame, FrameEvent, HistoryEvent } from '../asl/frame.js';
import type { PassRun } from '../asl/pass-run.js';
import type { TaskTarget } from '../asl/task-target.js';
import type { Json } from '../asl/json.js';

export type StateMachineType = 'STANDARD' | 'EXPRESS';
export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED' | 'PENDING_REDRIVE';

export interface LoggingConfiguration {
  level?: 'ALL' | 'ERROR' | 'FATAL' | 'OFF';
  includeExecutionData?: boolean;
  destinations?: { cloudWatchLogsLogGroup?: { logGroupArn?: string } }[];
}

export interface StateMachineRecord {
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  definition: string;
  roleArn: string;
  description?: string;
  creationDate: number;
  updateDate?: number;
  revisionId: string;
  loggingConfiguration: LoggingConfiguration;
  tracingConfiguration: { enabled: boolean };
  tags: Record<string, string>;
}

export interface ExecutionRecord {
  executionArn: string;
  stateMachineArn: string;
  name: string;
  type: StateMachineType;
  status: ExecutionStatus;
  /** The input as the caller sent it (text), and parsed. */
  input: string;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  /** The definition this execution runs (a later UpdateStateMachine does not change it). */
  definition: string;
  roleArn: string;
  revisionId: string;
  redriveCount: number;
  /** The next history event id: ids are dense and increasing per execution. */
  nextEventId: number;
  /** Execution-level TimeoutSeconds deadline, epoch ms. */
  deadline?: number;
  /** Started by a `.sync` Task of another execution: its end answers that task. */
  parentTask?: ParentTask;
}

/** A `.sync` child execution's parent: the task its end answers, and how that answer is shaped. */
export interface ParentTask {
  readonly executionArn: string;
  readonly frameId: string;
  readonly taskId: number;
  readonly pattern: 'sync' | 'sync2';
}

/** What ListExecutions shows of an execution. */
export type ExecutionSummary = Pick<ExecutionRecord, 'executionArn' | 'stateMachineArn' | 'name' | 'status' | 'startDate' | 'stopDate' | 'redriveCount'>;

/** One step of one frame: SQS (AWS) or an in-process queue (local) carries these. */
export interface StepMessage {
  readonly executionArn: string;
  readonly frameId: string;
  /** The frame's sequence the step applies to (-1: any): a message for an older sequence is a duplicate. */
  readonly sequence: number;
  /** A child's end sent to its parent: the id of the finished child, which the parent consumes once. */
  readonly from?: string;
  readonly event: FrameEvent | { readonly kind: 'executionTimeout' } | { readonly kind: 'invokeTask'; readonly taskId: number } | ExpressStart;
}

/**
 * An asynchronous Express execution to run, whole, by whoever takes the message (the AWS home's
 * `task` function, on the task queue): everything it needs travels with it, since nothing of it is stored.
 */
export interface ExpressStart {
  readonly kind: 'runExpress';
  readonly stateMachineArn: string;
  readonly name: string;
  readonly input: string;
  readonly startDate: number;
  readonly parentTask?: ParentTask;
}

/** Where EXPRESS executions run: whole, in memory, each in one go (lib/runtime/express.ts). */
export interface ExpressExecutions {
  /** StartExecution of an EXPRESS machine: accepted, run later (at least once); the record as it starts. */
  start(stateMachine: StateMachineRecord, name: string, input: string, parentTask?: ParentTask): Promise<ExecutionRecord>;
}

/**
 * A message a committed step sends; `delayMs` for timers (due at `dueAt`, epoch ms, which a re-send
 * after a restart keeps), `urgent` for new children (see StepQueue).
 */
export interface OutboxEntry {
  readonly message: StepMessage;
  readonly delayMs?: number;
  readonly dueAt?: number;
  readonly urgent?: boolean;
}

/**
 * At-least-once: a message may arrive twice, so every step must be safe to run twice. `send` sends
 * the entries in order and resolves once every one of them is accepted (it throws otherwise).
 * `urgent`: run before older messages where the queue can (the local queue runs new children
 * depth-first, which is the order AWS records an inline Map's iterations in).
 */
export interface StepQueue {
  send(entries: readonly OutboxEntry[]): Awaitable<void>;
  /**
   * The execution ended: its delayed messages may be dropped, since a message for an ended execution
   * changes nothing. A queue holding its timers in memory drops them (every execution has at least its
   * deadline timer, up to a year away); SQS has no such call and hands them out to be ignored.
   */
  forget?(executionArn: string): void;
}

export interface Clock {
  now(): number;
}

/** Ids and randomness, handed to the interpreter so that it stays pure. */
export interface IdSource {
  uuid(): string;
  random(): number;
  /** Unguessable and URL-safe. */
  taskToken(): string;
}

/** One call a Task state makes: what the TaskInvoker (Lambda, service integrations) gets. */
export interface TaskInvocation {
  readonly target: TaskTarget;
  /** The state's effective parameters: the request (a Lambda's Payload wrapper, SendMessage's fields, …). */
  readonly parameters: Json;
  readonly executionArn: string;
  /** The execution's role, as AWS would assume it. */
  readonly roleArn: string;
  /** The state's TimeoutSeconds in ms, where set: a call may give up then (the state times out anyway). */
  readonly timeoutMs?: number;
}

/**
 * The outcome of one call. A failure carries AWS's error name (`Lambda.ResourceNotFoundException`,
 * `SQS.QueueDoesNotExistException`, a function's own `errorType`, `States.TaskFailed`) and cause.
 */
export type TaskOutcome = { ok: true; output: Json } | { ok: false; error: string; cause?: string };

/**
 * Lambda and the AWS service integrations (the `states` integration and activities are the
 * runtime's own). Never throws for a failed call: every failure is an outcome.
 */
export interface TaskInvoker {
  invoke(task: TaskInvocation): Promise<TaskOutcome>;
}

/**
 * A task token handed out by `.waitForTaskToken`, an activity or a `.sync` child execution: where its
 * answer goes (execution, frame and the task's id, the id of its scheduled event), its heartbeat
 * deadline, and the TTL that sweeps it (`expiresAt`, epoch seconds). An answered token stays
 * (`closed`) until then, so a second answer is told `TaskTimedOut` rather than `InvalidToken`.
 */
export interface TaskTokenRecord {
  readonly token: string;
  readonly executionArn: string;
  readonly frameId: string;
  readonly taskId: number;
  readonly status: 'open' | 'closed';
  readonly heartbeatSeconds?: number;
  /** Epoch ms: the task times out unless a heartbeat comes before. */
  readonly heartbeatDeadline?: number;
  /** Epoch seconds (DynamoDB's TTL attribute). */
  readonly expiresAt: number;
  readonly activityArn?: string;
}

export interface TaskTokenStore {
  /** Records a token; a token recorded already is kept as it is (a step may run twice). */
  putToken(record: TaskTokenRecord): Promise<void>;
  getToken(token: string): Promise<TaskTokenRecord | undefined>;
  /** Moves an open token's heartbeat deadline (and its TTL); false when it is closed or gone. */
  heartbeat(token: string, heartbeatDeadline: number, expiresAt: number): Promise<boolean>;
  /** Closes an open token; false when it was closed already: the first answer wins. */
  closeToken(token: string): Promise<boolean>;
  /** Opens a token again whose answer could not be delivered. */
  reopenToken(token: string): Promise<void>;
}

export interface ActivityRecord {
  readonly activityArn: string;
  readonly name: string;
  readonly creationDate: number;
  readonly tags: Record<string, string>;
}

/** Work waiting for an activity's workers. */
export interface ActivityTask {
  readonly activityArn: string;
  readonly token: string;
  /** The task's input, as JSON text. */
  readonly input: string;
  readonly scheduledAt: number;
}

export interface ActivityStore {
  /** false when the ARN is taken. */
  putActivity(record: ActivityRecord): Promise<boolean>;
  getActivity(arn: string): Promise<ActivityRecord | undefined>;
  deleteActivity(arn: string): Promise<void>;
  listActivities(): Promise<ActivityRecord[]>;
  /** Replaces an activity's tags; false when it does not exist. */
  putActivityTags(arn: string, tags: Record<string, string>): Promise<boolean>;
  /** Queues a task; one queued already under the same token is kept (a step may run twice). */
  enqueueTask(task: ActivityTask): Promise<void>;
  /** Takes the oldest waiting task of the activity, if any: each task goes to exactly one caller. */
  claimTask(activityArn: string): Promise<ActivityTask | undefined>;
  /**
   * Resolves when a task may have arrived for the activity, or after `ms`, or on `signal`: long polls
   * wait on it between claims. A store that cannot tell simply waits a while.
   */
  taskMayBeWaiting(activityArn: string, ms: number, signal?: AbortSignal): Promise<void>;
}

/** How a step ended its execution. */
export interface ExecutionEnd {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly stopDate: number;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/**
 * The record of a running execution as it ends with `end`, its event counter at `nextEventId`. A
 * literal of its fields: a spread of the record and the end made an object five times the size
 * (~1.2 KB against ~250 bytes), and the local home keeps every ended execution's record.
 */
export function endedRecord(execution: ExecutionRecord, nextEventId: number, end: ExecutionEnd): ExecutionRecord {
  const record: ExecutionRecord = {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    type: execution.type,
    status: end.status,
    input: execution.input,
    startDate: execution.startDate,
    stopDate: end.stopDate,
    definition: execution.definition,
    roleArn: execution.roleArn,
    revisionId: execution.revisionId,
    redriveCount: execution.redriveCount,
    nextEventId,
  };
  const output = end.output ?? execution.output;
  if (output !== undefined) record.output = output;
  const error = end.error ?? execution.error;
  if (error !== undefined) record.error = error;
  const cause = end.cause ?? execution.cause;
  if (cause !== undefined) record.cause = cause;
  if (execution.deadline !== undefined) record.deadline = execution.deadline;
  if (execution.parentTask !== undefined) record.parentTask = execution.parentTask;
  return record;
}

/**
 * A step's writes, applied atomically, and only while the frame is still at `expectedSequence` and
 * the execution's event counter still at `firstEventId` (so concurrent branches keep ids dense).
 */
export interface StepCommit {
  readonly executionArn: string;
  /** The execution's event counter the step read: its events are numbered from here. */
  readonly firstEventId: number;
  /** The execution's next history event id once this step's events are recorded. */
  readonly nextEventId: number;
  /** Present when this step ended the execution. */
  readonly end?: ExecutionEnd | undefined;
  /**
   * With `end`, where the engine made it: the execution's record as it ends (endedRecord), which the
   * engine hands to whoever waits. A store that keeps records as objects keeps this one rather than
   * making its own copy.
   */
  readonly ended?: ExecutionRecord | undefined;
  readonly frame: Frame;
  readonly expectedSequence: number;
  readonly events: readonly HistoryEvent[];
  /**
   * The events of the step's pass-through runs, left out of `events` (only for a store that
   * takesPassRuns): the step's events are both, in id order.
   */
  readonly runs?: readonly PassRun[] | undefined;
  /** What the step sends once committed; kept with the frame so that a redelivery can send it again. */
  readonly outbox: readonly OutboxEntry[];
  /** The frame ended: it stays, finished, with its outbox until its parent consumes it. */
  readonly finished?: boolean | undefined;
  /**
   * The finished children whose ends this step applies (the message's own first): they must still
   * be there, and go. The first gone means this step was applied already; another gone, that
   * another step consumed it meanwhile.
   */
  readonly consumedFrameIds?: readonly string[] | undefined;
  readonly newFrames?: readonly Frame[] | undefined;
  /** Children of a join abandoned by this step. */
  readonly removedFrameIds?: readonly string[] | undefined;
  /**
   * The step ran in the same message as the frame's previous steps (AWS home: consecutive states of a
   * frame, each committed): the sequence of the message that began them. A redelivery of that message
   * finds this step its latest, and re-sends its outbox (which holds the frame's continuation).
   */
  readonly chainStart?: number | undefined;
}

/** A frame as stored: its state, the outbox of its latest step, and whether it has finished. */
export interface StoredFrame {
  readonly frame: Frame;
  readonly outbox: readonly OutboxEntry[];
  readonly finished: boolean;
  /** The children whose ends the latest step consumed. */
  readonly consumed?: readonly string[];
  /** The latest step ran in the chain of the message for this sequence (StepCommit.chainStart). */
  readonly chainStart?: number;
}

/** The id of an execution's first frame, which createExecution stores with the execution. */
export const ROOT_FRAME_ID = 'root';

/**
 * `stale`: the frame moved on (another delivery of this step committed first), the consumed child
 * is gone, or the execution ended: drop the step. `conflict`: another step of the execution
 * committed in between (another frame, or another child's end at the same join): step again.
 */
export type CommitOutcome = 'committed' | 'stale' | 'conflict';

/**
 * Execution history as log records (AWS's execution-log format: CloudWatch Logs on AWS, stdout or a
 * file locally), as the state machine's `loggingConfiguration` admits them. Best effort, as AWS's
 * logging is: a record that cannot be written is reported, never undoes a step.
 */
export interface ExecutionLog {
  /**
   * The events one step (or the start, or an end from outside) recorded, in order; with the step's
   * pass-through runs (StepCommit.runs), whose events fall among `events` by id: made into events only
   * for a machine whose logging level lets them through.
   */
  write(execution: ExecutionRecord, events: readonly HistoryEvent[], runs?: readonly PassRun[]): Awaitable<void>;
}

/** Execution status changes, published where operators listen (EventBridge on AWS). */
export interface EventPublisher {
  statusChanged(execution: ExecutionRecord): Awaitable<void>;
}

export interface ListPage<T> {
  items: T[];
  nextToken?: string;
}

/** A port may answer at once (the memory adapters) or later (AWS): the engine waits only for the latter. */
export type Awaitable<T> = T | Promise<T>;

/** Everything the runtime knows about state machines and executions, kept where it survives a crash. */
export interface ExecutionStore {
  /** commitStep takes a step's pass-through runs as they are (StepCommit.runs); otherwise all its events come as objects. */
  readonly takesPassRuns?: boolean;
  putStateMachine(record: StateMachineRecord): Promise<void>;
  getStateMachine(arn: string): Promise<StateMachineRecord | undefined>;
  deleteStateMachine(arn: string): Promise<void>;
  listStateMachines(): Promise<StateMachineRecord[]>;

  /** false when the ARN is taken: the caller decides between idempotent success and ExecutionAlreadyExists. */
  createExecution(record: ExecutionRecord, root: Frame, events: readonly HistoryEvent[]): Awaitable<boolean>;
  getExecution(arn: string): Awaitable<ExecutionRecord | undefined>;
  /** Newest first, as AWS lists them. */
  listExecutions(stateMachineArn: string, status?: ExecutionStatus): Promise<ExecutionSummary[]>;
  getFrame(executionArn: string, frameId: string): Awaitable<StoredFrame | undefined>;
  /**
   * An execution and one of its frames, read together: what a step loads (DynamoDB keeps the root
   * frame in the execution's item, so a step of it is one read).
   */
  getExecutionAndFrame(executionArn: string, frameId: string): Awaitable<{ execution: ExecutionRecord; stored: StoredFrame | undefined } | undefined>;
  /** Ids of the frames whose ids start with `prefix`: a join's children and everything under them. */
  frameIdsUnder(executionArn: string, prefix: string): Awaitable<string[]>;
  /** A join's finished children not consumed yet (its direct children only: ids `prefix` + index). */
  finishedChildren(executionArn: string, prefix: string): Awaitable<StoredFrame[]>;
  commitStep(commit: StepCommit): Awaitable<CommitOutcome>;
  /**
   * Ends an execution from outside a step (StopExecution, TimeoutSeconds, a defect) while it is
   * RUNNING and its event counter is still `execution.nextEventId - events.length`.
   */
  finishExecution(execution: ExecutionRecord, events: readonly HistoryEvent[]): Promise<CommitOutcome>;
  history(executionArn: string): Promise<readonly HistoryEvent[]>;
}
