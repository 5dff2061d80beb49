import type { HistoryEvent } from '../../asl/frame.js';
import type { JsonObject } from '../../asl/json.js';
import { NOT_TRUNCATED } from '../../asl/step.js';

/** How a row's details are kept: as given, or (the bulk of any history) as a state's name and JSON text. */
const AS_GIVEN = 0;
const ENTERED = 1;
const EXITED = 2;

/**
 * One execution's history in the local home, kept as columns of numbers and strings rather than as
 * event objects. A transition's two history events and their details are what outlives it: as objects
 * they survive young-generation collections and are copied into the old generation (garbage
 * collection was a quarter of the local home's time, BENCHMARKS.md). Here a *StateEntered /
 * *StateExited event is a row of primitives (its details are rebuilt when read, exactly as the step
 * made them); any other event keeps its details object.
 */
export class HistoryColumns {
  private readonly ids: number[] = [];
  private readonly previous: number[] = [];
  private readonly timestamps: number[] = [];
  private readonly types: string[] = [];
  private readonly kinds: number[] = [];
  /** The state's name (ENTERED, EXITED) or the details as given (AS_GIVEN; may be undefined). */
  private readonly first: (string | JsonObject | undefined)[] = [];
  /** The input or output JSON text (ENTERED, EXITED). */
  private readonly text: (string | undefined)[] = [];
  /** The latest read, reused while nothing was added (GetExecutionHistory reads page by page). */
  private read: HistoryEvent[] | undefined;

  get length(): number {
    return this.ids.length;
  }

  push(event: HistoryEvent): void {
    this.ids.push(event.id);
    this.previous.push(event.previousEventId);
    this.timestamps.push(event.timestamp);
    this.types.push(event.type);
    const details = event.details;
    // What Step.enter and Step.exit record (step.ts): these exact fields in this order, the shared
    // NOT_TRUNCATED marker, nothing else (an exit that assigned variables is kept as given).
    if (details !== undefined && details['inputDetails'] === NOT_TRUNCATED && typeof details['name'] === 'string' && typeof details['input'] === 'string' && event.type.endsWith('StateEntered')) {
      this.kinds.push(ENTERED);
      this.first.push(details['name']);
      this.text.push(details['input']);
    } else if (details !== undefined && details['outputDetails'] === NOT_TRUNCATED && details['assignedVariables'] === undefined && typeof details['name'] === 'string' && typeof details['output'] === 'string' && event.type.endsWith('StateExited')) {
      this.kinds.push(EXITED);
      this.first.push(details['name']);
      this.text.push(details['output']);
    } else {
      this.kinds.push(AS_GIVEN);
      this.first.push(details);
      this.text.push(undefined);
    }
  }

  /** The events as the steps recorded them (equal field by field, in the same key order). */
  events(): readonly HistoryEvent[] {
    if (this.read?.length === this.ids.length) return this.read;
    const out: HistoryEvent[] = new Array(this.ids.length);
    for (let i = 0; i < out.length; i++) out[i] = this.at(i);
    this.read = out;
    return out;
  }

  /** Forgets the latest read (its events stay valid for whoever holds them). */
  release(): void {
    this.read = undefined;
  }

  private at(i: number): HistoryEvent {
    const kind = this.kinds[i]!;
    const first = this.first[i];
    let details: JsonObject | undefined;
    if (kind === ENTERED) details = { name: first as string, input: this.text[i]!, inputDetails: NOT_TRUNCATED };
    else if (kind === EXITED) details = { name: first as string, output: this.text[i]!, outputDetails: NOT_TRUNCATED };
    else details = first as JsonObject | undefined;
    return { id: this.ids[i]!, previousEventId: this.previous[i]!, timestamp: this.timestamps[i]!, type: this.types[i]!, details };
  }
}
