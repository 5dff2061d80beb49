import type { Frame, FrameEvent, HistoryEvent, TaskRequest } from '../asl/frame.js';
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
}

/** One step of one frame: SQS (AWS) or an in-process queue (local) carries these. */
export interface StepMessage {
  readonly executionArn: string;
  readonly frameId: string;
  /** The frame's sequence the step applies to: a message for an older sequence is a duplicate. */
  readonly sequence: number;
  readonly event: FrameEvent | { readonly kind: 'executionTimeout' };
}

/** At-least-once: a message may arrive twice, so every step must be safe to run twice. */
export interface StepQueue {
  /** `urgent`: run before older messages where the queue can (the local queue runs new children
   *  depth-first, which is the order AWS records an inline Map's iterations in). */
  enqueue(message: StepMessage, options?: { delayMs?: number; urgent?: boolean }): void;
}

export interface Clock {
  now(): number;
}

/** Ids and randomness, handed to the interpreter so that it stays pure. */
export interface IdSource {
  uuid(): string;
  random(): number;
}

/** The outcome of one task invocation (issue #5 brings the integrations). */
export type TaskOutcome = { ok: true; output: Json } | { ok: false; error: string; cause?: string };

export interface TaskInvoker {
  invoke(request: TaskRequest, execution: ExecutionRecord): Promise<TaskOutcome>;
}

/** How a step ended its execution. */
export interface ExecutionEnd {
  readonly status: 'SUCCEEDED' | 'FAILED';
  readonly stopDate: number;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

/** A step's writes, applied atomically and only while the frame is still at `expectedSequence`. */
export interface StepCommit {
  readonly executionArn: string;
  /** The execution's next history event id once this step's events are recorded. */
  readonly nextEventId: number;
  /** Present when this step ended the execution. */
  readonly end?: ExecutionEnd;
  readonly frame: Frame;
  readonly expectedSequence: number;
  readonly events: readonly HistoryEvent[];
  readonly newFrames?: readonly Frame[];
  readonly removedFrameIds?: readonly string[];
}

export interface ListPage<T> {
  items: T[];
  nextToken?: string;
}

/** A port may answer at once (the memory adapters) or later (AWS): the engine waits only for the latter. */
export type Awaitable<T> = T | Promise<T>;

/** Everything the runtime knows about state machines and executions, kept where it survives a crash. */
export interface ExecutionStore {
  putStateMachine(record: StateMachineRecord): Promise<void>;
  getStateMachine(arn: string): Promise<StateMachineRecord | undefined>;
  deleteStateMachine(arn: string): Promise<void>;
  listStateMachines(): Promise<StateMachineRecord[]>;

  /** false when the ARN is taken: the caller decides between idempotent success and ExecutionAlreadyExists. */
  createExecution(record: ExecutionRecord, root: Frame, events: readonly HistoryEvent[]): Promise<boolean>;
  getExecution(arn: string): Promise<ExecutionRecord | undefined>;
  /** Newest first, as AWS lists them. */
  listExecutions(stateMachineArn: string, status?: ExecutionStatus): Promise<ExecutionRecord[]>;
  getFrame(executionArn: string, frameId: string): Awaitable<Frame | undefined>;
  /** Frames whose parent is `frameId` (to cancel a failed Parallel's siblings). */
  childFrameIds(executionArn: string, frameId: string): Awaitable<string[]>;
  /** false: another delivery of this step committed first; drop this one, change nothing. */
  commitStep(commit: StepCommit): Awaitable<boolean>;
  /** Ends an execution from outside a step (StopExecution, TimeoutSeconds), when it is still RUNNING. */
  finishExecution(execution: ExecutionRecord, events: readonly HistoryEvent[]): Promise<boolean>;
  history(executionArn: string): Promise<readonly HistoryEvent[]>;
}
