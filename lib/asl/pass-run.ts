import { NOT_TRUNCATED, type HistoryEvent } from './frame.js';
import type { PassThrough } from './machine.js';

/**
 * The history events of a run of pass-through states (machine.ts), as one record rather than two event
 * objects a state: for each state from `first` on (`states` of them), its *StateEntered and *StateExited
 * event. The states follow `first`'s `then` links, unless `path` lists them (a run through a Choice,
 * whose next state is the one its rules chose). Ids are consecutive from `firstId`; the first event's
 * previous event is `previousEventId`, every other's the event before it; all are at `timestamp`.
 * Every input and output is `text` (plain states leave with their input as it is), unless `texts`
 * holds them: the first state's input, then each state's output (the next one's input).
 */
export interface PassRun {
  readonly firstId: number;
  readonly previousEventId: number;
  readonly timestamp: number;
  readonly first: PassThrough;
  readonly states: number;
  readonly text: string;
  readonly texts?: readonly string[] | undefined;
  readonly path?: readonly PassThrough[] | undefined;
}

/** Appends the run's events to `out`, as Step.enter and Step.exit record them. */
export function pushPassRunEvents(run: PassRun, out: HistoryEvent[]): void {
  const { timestamp, text, texts, path } = run;
  let pass = run.first;
  let previous = run.previousEventId;
  for (let i = 0, id = run.firstId; i < run.states; i++, id += 2) {
    if (path !== undefined) pass = path[i]!;
    out.push({ id, previousEventId: previous, timestamp, type: pass.entered, details: { name: pass.name, input: texts === undefined ? text : texts[i]!, inputDetails: NOT_TRUNCATED } });
    out.push({ id: id + 1, previousEventId: id, timestamp, type: pass.exited, details: { name: pass.name, output: texts === undefined ? text : texts[i + 1]!, outputDetails: NOT_TRUNCATED } });
    previous = id + 1;
    if (path === undefined) pass = pass.then!;
  }
}

/** Where a step's events and its runs go, one by one (the memory store's HistoryColumns is one). */
export interface EventSink {
  push(event: HistoryEvent): void;
  pushRun(run: PassRun): void;
}

/**
 * A step's events and its runs (a step that kept its runs as records, StepEnv.passRuns) into `sink`
 * in id order: each run where its ids fall among the events. Runs are in id order, as the step made them.
 */
export function appendInIdOrder(events: readonly HistoryEvent[], runs: readonly PassRun[], sink: EventSink): void {
  for (let i = 0, r = 0; i < events.length || r < runs.length; ) {
    if (r < runs.length && (i === events.length || runs[r]!.firstId < events[i]!.id)) sink.pushRun(runs[r++]!);
    else sink.push(events[i++]!);
  }
}

/** A step's events in id order as objects: `events` with the runs' events where their ids fall. */
export function withPassRuns(events: readonly HistoryEvent[], runs: readonly PassRun[] | undefined): HistoryEvent[] {
  if (runs === undefined || runs.length === 0) return events as HistoryEvent[];
  const out: HistoryEvent[] = [];
  appendInIdOrder(events, runs, { push: (event) => out.push(event), pushRun: (run) => pushPassRunEvents(run, out) });
  return out;
}

/** How many events runs hold. */
export function passRunEvents(runs: readonly PassRun[] | undefined): number {
  let n = 0;
  if (runs !== undefined) for (let i = 0; i < runs.length; i++) n += 2 * runs[i]!.states;
  return n;
}
