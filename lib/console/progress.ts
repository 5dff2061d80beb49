// What an execution's history says about each state: its visits (entered, exited, failed, caught),
// the state each event belongs to, and the tasks that wait for an answer. Pure, as graph.ts.
//
// Events are attributed through `previousEventId`, as AWS numbers them: an event belongs to the
// state its previous event belongs to, and a Parallel or Map's own events (…StateSucceeded, the
// …StateExited that follows a branch's last event) to the nearest enclosing visit of that state.

/** A history event as GetExecutionHistory returns it (AWS JSON: epoch-second timestamps). */
export interface HistoryEvent {
  readonly id: number;
  readonly previousEventId?: number;
  readonly timestamp: number;
  readonly type: string;
  readonly [details: string]: unknown;
}

export type StateStatus = 'succeeded' | 'failed' | 'caught' | 'running' | 'aborted' | 'notReached';

export interface StateVisit {
  readonly name: string;
  /** The ASL Type, from the event type (`TaskStateEntered` → Task). */
  readonly type: string;
  readonly enteredEventId: number;
  /** The enclosing Parallel or Map visit, if any. */
  readonly parent: StateVisit | undefined;
  /** The Map iteration this visit ran in (the innermost Map's index). */
  readonly iteration: number | undefined;
  input: string | undefined;
  output: string | undefined;
  exitedEventId: number | undefined;
  status: Exclude<StateStatus, 'notReached'>;
  /** The last error recorded for the visit (a retry clears it; a caught one stays). */
  error: { readonly error: string; readonly cause: string } | undefined;
  /** The last TaskScheduled / ActivityScheduled / LambdaFunctionScheduled event of a task. */
  scheduled: HistoryEvent | undefined;
}

export interface ExecutionProgress {
  readonly visits: readonly StateVisit[];
  /** Each state's status over all its visits (a running or failed visit outweighs others). */
  readonly statusByName: ReadonlyMap<string, StateStatus>;
  /** The state each event belongs to, by event id (none for the execution's own events). */
  readonly stateOfEvent: ReadonlyMap<number, string>;
}

interface Scope {
  readonly container: StateVisit | undefined;
  readonly iteration: number | undefined;
}
interface EventContext {
  readonly visit: StateVisit | undefined;
  /** Where a state entered after this event sits. */
  readonly scope: Scope;
}

const ROOT: Scope = { container: undefined, iteration: undefined };
const FAILURES = /^(Task(Failed|TimedOut|StartFailed|SubmitFailed)|LambdaFunction(Failed|TimedOut|StartFailed|ScheduleFailed)|Activity(Failed|TimedOut|ScheduleFailed)|(Parallel|Map)StateFailed|MapRunFailed)$/;
const SCHEDULED = /^(TaskScheduled|ActivityScheduled|LambdaFunctionScheduled)$/;
const ABORTS = /^(Task|Wait|Parallel|Map)StateAborted$/;
const OWN_EVENTS = /^(Parallel|Map)(State(Started|Succeeded|Failed|Aborted)|Iteration\w+|Run\w+)$/;
const RANK: Readonly<Record<StateStatus, number>> = { running: 5, failed: 4, aborted: 3, caught: 2, succeeded: 1, notReached: 0 };

/** An event's details: `TaskFailed` → `taskFailedEventDetails`, every `…StateEntered` → `stateEnteredEventDetails`. */
export function eventDetails(event: HistoryEvent): Record<string, unknown> | undefined {
  const type = event.type.endsWith('StateEntered') ? 'StateEntered' : event.type.endsWith('StateExited') ? 'StateExited' : event.type;
  const key = `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
  const details = event[key];
  return typeof details === 'object' && details !== null ? (details as Record<string, unknown>) : undefined;
}

/**
 * Reads a history (oldest first). `executionStatus` is DescribeExecution's: once the execution has
 * ended, a visit still open was cut short (aborted, timed out).
 */
export function executionProgress(events: readonly HistoryEvent[], executionStatus: string): ExecutionProgress {
  const contexts = new Map<number, EventContext>();
  const visits: StateVisit[] = [];
  const stateOfEvent = new Map<number, string>();
  for (const event of events) {
    const previous = (event.previousEventId === undefined ? undefined : contexts.get(event.previousEventId)) ?? { visit: undefined, scope: ROOT };
    const details = eventDetails(event);
    let context: EventContext;
    if (event.type.endsWith('StateEntered')) {
      const visit: StateVisit = {
        name: String(details?.['name'] ?? ''),
        type: event.type.slice(0, -'StateEntered'.length),
        enteredEventId: event.id,
        parent: previous.scope.container,
        iteration: previous.scope.iteration,
        input: stringOrUndefined(details?.['input']),
        output: undefined,
        exitedEventId: undefined,
        status: event.type === 'FailStateEntered' ? 'failed' : 'running',
        error: undefined,
        scheduled: undefined,
      };
      visits.push(visit);
      context = { visit, scope: previous.scope };
    } else if (event.type.endsWith('StateExited')) {
      const visit = enclosing(previous.visit, (v) => v.name === details?.['name'] && v.exitedEventId === undefined);
      if (visit) {
        visit.exitedEventId = event.id;
        visit.output = stringOrUndefined(details?.['output']);
        visit.status = visit.error ? 'caught' : 'succeeded';
      }
      context = { visit, scope: visit ? { container: visit.parent, iteration: visit.iteration } : previous.scope };
    } else if (OWN_EVENTS.test(event.type)) {
      const type = event.type.startsWith('Parallel') ? 'Parallel' : 'Map';
      const visit = enclosing(previous.visit, (v) => v.type === type && v.exitedEventId === undefined) ?? previous.visit;
      const index = event.type === 'MapIterationStarted' ? details?.['index'] : undefined;
      context = { visit, scope: event.type === 'ParallelStateStarted' || event.type === 'MapIterationStarted' ? { container: visit, iteration: typeof index === 'number' ? index : visit?.iteration } : previous.scope };
    } else {
      context = previous;
    }
    contexts.set(event.id, context);
    const visit = context.visit;
    if (visit === undefined) continue;
    stateOfEvent.set(event.id, visit.name);
    if (FAILURES.test(event.type)) {
      visit.status = 'failed';
      visit.error = { error: String(details?.['error'] ?? ''), cause: String(details?.['cause'] ?? '') };
    } else if (SCHEDULED.test(event.type)) {
      // A retry schedules the task again: the earlier failure is behind it.
      visit.scheduled = event;
      visit.status = 'running';
      visit.error = undefined;
    } else if (ABORTS.test(event.type)) {
      visit.status = 'aborted';
    }
  }
  if (executionStatus !== 'RUNNING' && executionStatus !== 'PENDING_REDRIVE') {
    for (const visit of visits) if (visit.status === 'running') visit.status = executionStatus === 'FAILED' ? 'failed' : 'aborted';
  }
  const statusByName = new Map<string, StateStatus>();
  for (const visit of visits) {
    const known = statusByName.get(visit.name);
    if (known === undefined || RANK[visit.status] > RANK[known]) statusByName.set(visit.name, visit.status);
  }
  return { visits, statusByName, stateOfEvent };
}

function enclosing(from: StateVisit | undefined, match: (visit: StateVisit) => boolean): StateVisit | undefined {
  for (let v = from; v !== undefined; v = v.parent) if (match(v)) return v;
  return undefined;
}

const stringOrUndefined = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);

/** A task the execution waits on for SendTaskSuccess / SendTaskFailure. */
export interface WaitingTask {
  readonly visit: StateVisit;
  readonly kind: 'callback' | 'activity';
  readonly resource: string;
  /** The task token, where the history shows it (the definition passes `$$.Task.Token` in the parameters). */
  readonly taskToken: string | undefined;
}

/**
 * The running tasks that wait for an answer: `.waitForTaskToken` tasks (their token read from the
 * TaskScheduled parameters where the definition put `$$.Task.Token`) and activities (whose token
 * only the worker that took the task has: the history never shows it).
 */
export function waitingTasks(progress: ExecutionProgress, definitionText: string): WaitingTask[] {
  const states = statesByName(definitionText);
  const waiting: WaitingTask[] = [];
  for (const visit of progress.visits) {
    const scheduled = visit.scheduled;
    if (visit.status !== 'running' || scheduled === undefined) continue;
    const details = eventDetails(scheduled);
    if (scheduled.type === 'ActivityScheduled') {
      waiting.push({ visit, kind: 'activity', resource: String(details?.['resource'] ?? ''), taskToken: undefined });
    } else if (scheduled.type === 'TaskScheduled' && String(details?.['resource'] ?? '').endsWith('.waitForTaskToken')) {
      const parameters = parseJson(details?.['parameters']);
      const token = tokenIn(states.get(visit.name), parameters);
      waiting.push({ visit, kind: 'callback', resource: String(details?.['resource'] ?? ''), taskToken: token });
    }
  }
  return waiting;
}

/**
 * Where `$$.Task.Token` (JSONPath) or `$states.context.Task.Token` (JSONata) went in a state's
 * Parameters / Arguments, read from the parameters the task was called with.
 */
export function tokenIn(state: Record<string, unknown> | undefined, parameters: unknown): string | undefined {
  const template = state?.['Parameters'] ?? state?.['Arguments'];
  for (const path of tokenPaths(template, [])) {
    let value: unknown = parameters;
    for (const key of path) value = typeof value === 'object' && value !== null ? (value as Record<string, unknown>)[key] : undefined;
    if (typeof value === 'string' && value !== '') return value;
  }
  return undefined;
}

function tokenPaths(template: unknown, at: string[]): string[][] {
  if (typeof template !== 'object' || template === null) return [];
  const found: string[][] = [];
  for (const [key, value] of Object.entries(template)) {
    if (typeof value === 'string' && key.endsWith('.$') && value.trim() === '$$.Task.Token') found.push([...at, key.slice(0, -2)]);
    else if (typeof value === 'string' && /^\{%\s*\$states\.context\.Task\.Token\s*%\}$/.test(value)) found.push([...at, key]);
    else found.push(...tokenPaths(value, [...at, key]));
  }
  return found;
}

/** Every state of a definition, nested ones included (names are unique in a whole state machine). */
export function statesByName(definitionText: string): Map<string, Record<string, unknown>> {
  const found = new Map<string, Record<string, unknown>>();
  const visit = (scope: unknown): void => {
    const states = (scope as { States?: unknown } | null)?.States;
    if (typeof states !== 'object' || states === null) return;
    for (const [name, state] of Object.entries(states as Record<string, unknown>)) {
      if (typeof state !== 'object' || state === null) continue;
      const s = state as Record<string, unknown>;
      found.set(name, s);
      if (Array.isArray(s['Branches'])) s['Branches'].forEach(visit);
      visit(s['ItemProcessor'] ?? s['Iterator']);
    }
  };
  visit(parseJson(definitionText));
  return found;
}

function parseJson(text: unknown): unknown {
  if (typeof text !== 'string') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
