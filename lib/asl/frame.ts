import type { Json, JsonObject } from './json.js';

/**
 * One thread of control: the top level, a Parallel branch or a Map iteration. A frame is plain data,
 * so a store can persist it between steps; `advance` (step.ts) is the only code that changes it.
 */
export interface Frame {
  readonly id: string;
  /** The frame that started this one (a Parallel or Map state's frame); undefined at the top level. */
  readonly parentId?: string | undefined;
  /** Which child of the parent this is: the branch or item index. */
  readonly index?: number | undefined;
  /** Where this frame's states live (machine.ts). */
  readonly scopeKey: string;
  /** Map iterations of a DISTRIBUTED map write no events into the parent execution's history. */
  readonly silent?: boolean | undefined;
  /**
   * An event the frame records as its first, when it starts running: a Map iteration's
   * MapIterationStarted, which AWS records when the iteration begins, not when it is scheduled.
   */
  announce?: { readonly type: string; readonly details: JsonObject } | undefined;
  /** Bumped on every committed step: a message for an older sequence is a duplicate. */
  sequence: number;
  /** The state being executed, and its raw input. */
  stateName: string;
  input: Json;
  phase: FramePhase;
  /** Event id of the current state's *StateEntered event ("entered at the event id #N"). */
  enteredEventId: number;
  /** Epoch ms at which the current state was entered (`$$.State.EnteredTime`). */
  enteredAt: number;
  /** The id of this frame's latest history event: the previousEventId of its next one. */
  lastEventId: number;
  /** previousEventId of the current state's *StateEntered event. */
  enteredPreviousEventId?: number | undefined;
  /** Attempts made per Retrier of the current state (index in its Retry array). */
  attempts: number[];
  /** Variables assigned in this frame; `outerVariables` is what enclosing frames held when it started. */
  variables: JsonObject;
  readonly outerVariables?: JsonObject | undefined;
  /** What a Wait state will output, and assign, once it wakes (computed from the values at entry). */
  pendingOutput?: Json | undefined;
  pendingAssign?: JsonObject | undefined;
  /** Join bookkeeping while a Parallel or Map state waits for its children. */
  join?: Join | undefined;
  /** The work a Task state waits for. */
  task?: PendingTask | undefined;
}

/**
 * A new frame's attempts and variables: shared, since both are only ever replaced, never changed in
 * place (a frame's step copies them when it retries or assigns).
 */
export const NO_ATTEMPTS = Object.freeze([]) as readonly number[] as number[];
export const NO_VARIABLES = Object.freeze({}) as JsonObject;

/** Shared by every event: Stepwise never truncates a payload, and events are never changed once made. */
export const NOT_TRUNCATED: JsonObject = Object.freeze({ truncated: false }) as JsonObject;

/**
 * The frame a step works on: every field present, in one order, so that all frames share one shape
 * in V8 (frames made elsewhere omit what they do not use), and the caller's frame stays untouched.
 */
export function nextFrame(frame: Frame): Frame {
  return {
    id: frame.id,
    parentId: frame.parentId,
    index: frame.index,
    scopeKey: frame.scopeKey,
    silent: frame.silent,
    announce: frame.announce,
    sequence: frame.sequence + 1,
    stateName: frame.stateName,
    input: frame.input,
    phase: frame.phase,
    enteredEventId: frame.enteredEventId,
    enteredAt: frame.enteredAt,
    lastEventId: frame.lastEventId,
    enteredPreviousEventId: frame.enteredPreviousEventId,
    attempts: frame.attempts,
    variables: frame.variables,
    outerVariables: frame.outerVariables,
    pendingOutput: frame.pendingOutput,
    pendingAssign: frame.pendingAssign,
    join: frame.join,
    task: frame.task,
  };
}

export type FramePhase =
  /** Run the current state from its entry. */
  | 'enter'
  /** A Wait state sleeps until a timer wakes it. */
  | 'waiting'
  /** A Retrier's back-off: on waking, the state's work runs again (no new *StateEntered event). */
  | 'retrying'
  /** A Parallel or Map state waits for its children. */
  | 'joining'
  /** A Task waits for its result. */
  | 'task'
  | 'done';

/**
 * A Task state's work in flight: the request as evaluated, the token its answer comes back with,
 * and how far it got. `id` (the id of its *Scheduled event) names this attempt in every message about
 * it, so that an answer, a timer or a worker meant for an earlier attempt changes nothing.
 */
export interface PendingTask {
  readonly id: number;
  readonly parameters: Json;
  readonly token?: string | undefined;
  readonly timeoutSeconds?: number | undefined;
  readonly heartbeatSeconds?: number | undefined;
  /** The request part of a `.waitForTaskToken` or `.sync` task answered (TaskSubmitted). */
  readonly submitted?: boolean | undefined;
  /** An activity's worker took it (ActivityStarted). */
  readonly started?: boolean | undefined;
}

export interface Join {
  readonly kind: 'Parallel' | 'Map';
  /**
   * The frame's sequence when the join began: its children's ids carry it, so a message from a child
   * of an earlier join of the same state (before a Retry) is never taken for one of this join's.
   */
  readonly epoch: number;
  /** The state's effective input (after InputPath/Parameters), kept for ItemSelector and late children. */
  readonly effectiveInput: Json;
  readonly total: number;
  results: (Json | null)[];
  /** Children started so far (children start in index order). */
  started: number;
  finished: number;
  failed: number;
  readonly maxConcurrency: number;
  readonly toleratedFailureCount?: number;
  readonly toleratedFailurePercentage?: number;
  /** Map: the items to hand out (raw, before ItemSelector). */
  readonly items?: Json[];
  readonly distributed?: boolean;
}

/** What happened to a frame: the input of one step. */
export type FrameEvent =
  | { readonly kind: 'run' }
  | { readonly kind: 'wake' }
  | { readonly kind: 'childSucceeded'; readonly index: number; readonly output: Json; readonly lastEventId?: number }
  /**
   * `failedState`: the type of the state the child failed in; `running`: the join's other children
   * still running then (the runtime looks them up as the step begins), which the failure aborts.
   */
  | { readonly kind: 'childFailed'; readonly index: number; readonly error: string; readonly cause?: string; readonly lastEventId?: number; readonly failedState?: string; readonly running?: readonly RunningChild[] }
  /** A worker took an activity's task. */
  | { readonly kind: 'taskStarted'; readonly taskId: number; readonly workerName?: string }
  /** The request part of a `.waitForTaskToken` or `.sync` task answered. */
  | { readonly kind: 'taskSubmitted'; readonly taskId: number; readonly output: Json }
  | { readonly kind: 'taskSucceeded'; readonly taskId: number; readonly output: Json }
  /** `scheduleFailed`: the work could not even be handed out (an activity that does not exist). */
  | { readonly kind: 'taskFailed'; readonly taskId: number; readonly error: string; readonly cause?: string; readonly scheduleFailed?: boolean }
  /** TimeoutSeconds ran out, or (`heartbeat`) HeartbeatSeconds passed without a heartbeat. */
  | { readonly kind: 'taskTimedOut'; readonly taskId: number; readonly heartbeat?: boolean };

/** A child of a join that is still running: its index, and the type of the state it is in (none before its first). */
export interface RunningChild {
  readonly index: number;
  readonly stateType?: string;
}

/** What a step asks the runtime to do next. */
export type Command =
  /** Step this frame again right away (it moved to its next state). */
  | { readonly kind: 'continue' }
  /** Wake this frame at `at` (epoch ms): a Wait state or a Retrier's back-off. */
  | { readonly kind: 'sleep'; readonly at: number }
  /** Start these new frames (Parallel branches, Map iterations). */
  | { readonly kind: 'startChildren'; readonly children: Frame[] }
  /** Abandon the running children whose ids start with `prefix` (a sibling failed). */
  | { readonly kind: 'cancelChildren'; readonly prefix: string }
  /** Hand the frame's pending task out (frame.task): call it, queue it for workers, start the child execution. */
  | { readonly kind: 'invokeTask'; readonly taskId: number }
  /** Deliver `event` to this frame at `at` (epoch ms), whatever the frame did meanwhile: a task's timeouts. */
  | { readonly kind: 'timer'; readonly at: number; readonly event: FrameEvent }
  /** The frame finished: the parent (or the execution) takes it from here. */
  | { readonly kind: 'succeed'; readonly output: Json }
  /** `terminal`: States.Runtime and friends end the whole execution, past every Catch. */
  | { readonly kind: 'fail'; readonly error: string; readonly cause?: string; readonly terminal?: boolean };

/** The id prefix shared by the children of the frame's current join (none when it is not joining). */
export function joinChildPrefix(frame: Frame): string | undefined {
  return frame.join === undefined ? undefined : `${frame.id}/${frame.stateName}.${frame.join.epoch}#`;
}

/**
 * One history event as AWS records it, kept in one shape for every type (timestamp in epoch ms; the
 * details under `details`): `awsHistoryEvent` gives AWS's shape, with its per-type details key, when
 * the API hands events out.
 */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly type: string;
  readonly details: JsonObject | undefined;
}

/** AWS's shape: `{ id, previousEventId, timestamp, type, stateEnteredEventDetails: {…} }`. */
export function awsHistoryEvent(event: HistoryEvent): Record<string, Json> {
  const out: Record<string, Json> = { id: event.id, previousEventId: event.previousEventId, timestamp: event.timestamp, type: event.type };
  if (event.details !== undefined) out[detailsKey(event.type)] = event.details;
  return out;
}

/** AWS's key for an event's details: `stateEnteredEventDetails`, `mapIterationStartedEventDetails`, … */
export function detailsKey(type: string): string {
  let key = DETAILS_KEYS.get(type);
  if (key === undefined) {
    if (type.endsWith('StateEntered')) key = 'stateEnteredEventDetails';
    else if (type.endsWith('StateExited')) key = 'stateExitedEventDetails';
    else key = `${type[0]!.toLowerCase()}${type.slice(1)}EventDetails`;
    DETAILS_KEYS.set(type, key);
  }
  return key;
}

const DETAILS_KEYS = new Map<string, string>();
