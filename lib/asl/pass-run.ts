import { NOT_TRUNCATED, type HistoryEvent } from './frame.js';
import type { PassThrough } from './machine.js';

/**
 * The history events of a run of pass-through Pass states (machine.ts), as one record rather than
 * two event objects a state: for each state from `first` on (`states` of them, following `then`), a
 * PassStateEntered and a PassStateExited event. Ids are consecutive from `firstId`; the first event's
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
  readonly texts?: readonly string[];
}

export const PASS_ENTERED = 'PassStateEntered';
export const PASS_EXITED = 'PassStateExited';


/** Appends the run's events to `out`, as Step.enter and Step.exit record them. */
export function pushPassRunEvents(run: PassRun, out: HistoryEvent[]): void {
  const { timestamp, text, texts } = run;
  let pass = run.first;
  let previous = run.previousEventId;
  for (let i = 0, id = run.firstId; i < run.states; i++, id += 2) {
    out.push({ id, previousEventId: previous, timestamp, type: PASS_ENTERED, details: { name: pass.name, input: texts === undefined ? text : texts[i]!, inputDetails: NOT_TRUNCATED } });
    out.push({ id: id + 1, previousEventId: id, timestamp, type: PASS_EXITED, details: { name: pass.name, output: texts === undefined ? text : texts[i + 1]!, outputDetails: NOT_TRUNCATED } });
    previous = id + 1;
    pass = pass.then!;
  }
}

/**
 * A step's events in id order as objects: `events` with the runs' events where their ids fall (a
 * step that kept its runs as records, StepEnv.passRuns). Runs are in id order, as the step made them.
 */
export function withPassRuns(events: readonly HistoryEvent[], runs: readonly PassRun[] | undefined): HistoryEvent[] {
  if (runs === undefined || runs.length === 0) return events as HistoryEvent[];
  const out: HistoryEvent[] = [];
  let r = 0;
  for (const event of events) {
    while (r < runs.length && runs[r]!.firstId < event.id) pushPassRunEvents(runs[r++]!, out);
    out.push(event);
  }
  while (r < runs.length) pushPassRunEvents(runs[r++]!, out);
  return out;
}

/** How many events runs hold. */
export function passRunEvents(runs: readonly PassRun[] | undefined): number {
  let n = 0;
  if (runs !== undefined) for (let i = 0; i < runs.length; i++) n += 2 * runs[i]!.states;
  return n;
}
