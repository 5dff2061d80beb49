import type { HistoryEvent } from '../../asl/frame.js';
import type { JsonObject } from '../../asl/json.js';
import { NOT_TRUNCATED, PASS_ENTERED, PASS_EXITED, type PassRun } from '../../asl/pass-run.js';

/** How a row's details are kept: as given, or (the bulk of any history) as a state's name and JSON text. */
const AS_GIVEN = 0;
const ENTERED = 1;
const EXITED = 2;

/** Event types by code, shared by every history: a row keeps `code * 4 + kind`. */
const TYPES: string[] = [];
const TYPE_CODES = new Map<string, number>();

function typeCode(type: string): number {
  let code = TYPE_CODES.get(type);
  if (code === undefined) {
    code = TYPES.push(type) - 1;
    TYPE_CODES.set(type, code);
  }
  return code;
}

/** The row codes of a pass-through run's events. */
const PASS_ENTERED_ROW = typeCode(PASS_ENTERED) * 4 + ENTERED;
const PASS_EXITED_ROW = typeCode(PASS_EXITED) * 4 + EXITED;

/**
 * One execution's history in the local home, kept as columns rather than as event objects. A
 * transition's two history events and their details are what outlives it: as objects they survive
 * young-generation collections and are copied into the old generation (garbage collection was half of
 * a Pass chain's time, BENCHMARKS.md). Here the numbers of a row (previous id, timestamp, type and how
 * its details are kept) live in a typed array, outside the heap the collector copies; a *StateEntered /
 * *StateExited event's details are its state's name and JSON text (rebuilt when read, exactly as the
 * step made them); any other event keeps its details object. Ids are not stored: they are dense from 1
 * (the engine gives each execution's events consecutive ids), so a row's id is its index + 1.
 */
export class HistoryColumns {
  private size = 0;
  /**
   * Three numbers a row, in one buffer (one allocation per history, not one per column): the previous
   * event's id, the timestamp, and `typeCode * 4 + kind` (AS_GIVEN, ENTERED, EXITED).
   */
  private numbers = new Float64Array(3 * 16);
  /**
   * Two slots a row: the state's name and the JSON text (ENTERED, EXITED), or the details as given
   * (AS_GIVEN; may be undefined) and nothing.
   */
  private strings: (string | JsonObject | undefined)[] = [];
  /** The latest read, reused while nothing was added (GetExecutionHistory reads page by page). */
  private read: HistoryEvent[] | undefined;

  get length(): number {
    return this.size;
  }

  push(event: HistoryEvent): void {
    const i = this.size;
    if (event.id !== i + 1) throw new Error(`history event ${event.id} recorded as event ${i + 1}: ids must be dense`);
    if (3 * i === this.numbers.length) this.grow();
    const type = event.type;
    const details = event.details;
    // What Step.enter and Step.exit record (step.ts): these exact fields in this order, the shared
    // NOT_TRUNCATED marker, nothing else (an exit that assigned variables is kept as given).
    let kind = AS_GIVEN;
    if (details !== undefined && typeof details['name'] === 'string') {
      if (details['inputDetails'] === NOT_TRUNCATED && typeof details['input'] === 'string' && type.endsWith('StateEntered')) kind = ENTERED;
      else if (details['outputDetails'] === NOT_TRUNCATED && details['assignedVariables'] === undefined && typeof details['output'] === 'string' && type.endsWith('StateExited')) kind = EXITED;
    }
    const numbers = this.numbers;
    numbers[3 * i] = event.previousEventId;
    numbers[3 * i + 1] = event.timestamp;
    numbers[3 * i + 2] = typeCode(type) * 4 + kind;
    if (kind === ENTERED) this.strings.push(details!['name'] as string, details!['input'] as string);
    else if (kind === EXITED) this.strings.push(details!['name'] as string, details!['output'] as string);
    else this.strings.push(details, undefined);
    this.size = i + 1;
  }

  /**
   * Appends a run of pass-through states' events (pass-run.ts) as rows, without making them: what
   * `push` would keep for each of them, written directly.
   */
  pushRun(run: PassRun): void {
    const i = this.size;
    if (run.firstId !== i + 1) throw new Error(`history event ${run.firstId} recorded as event ${i + 1}: ids must be dense`);
    const rows = 2 * run.states;
    while (3 * (i + rows) > this.numbers.length) this.grow();
    const numbers = this.numbers;
    const strings = this.strings;
    const entered = PASS_ENTERED_ROW;
    const exited = PASS_EXITED_ROW;
    const { timestamp, text } = run;
    let pass = run.first;
    let previous = run.previousEventId;
    for (let k = 3 * i, end = 3 * (i + rows), id = i + 1; k < end; k += 6, id += 2) {
      numbers[k] = previous;
      numbers[k + 1] = timestamp;
      numbers[k + 2] = entered;
      numbers[k + 3] = id;
      numbers[k + 4] = timestamp;
      numbers[k + 5] = exited;
      strings.push(pass.name, text, pass.name, text);
      previous = id + 1;
      pass = pass.then!;
    }
    this.size = i + rows;
  }

  /** The events as the steps recorded them (equal field by field, in the same key order). */
  events(): readonly HistoryEvent[] {
    if (this.read?.length === this.size) return this.read;
    const out: HistoryEvent[] = new Array(this.size);
    for (let i = 0; i < out.length; i++) out[i] = this.at(i);
    this.read = out;
    return out;
  }

  /** Forgets the latest read (its events stay valid for whoever holds them). */
  release(): void {
    this.read = undefined;
  }

  private at(i: number): HistoryEvent {
    const code = this.numbers[3 * i + 2]!;
    const kind = code & 3;
    const first = this.strings[2 * i];
    let details: JsonObject | undefined;
    if (kind === ENTERED) details = { name: first as string, input: this.strings[2 * i + 1] as string, inputDetails: NOT_TRUNCATED };
    else if (kind === EXITED) details = { name: first as string, output: this.strings[2 * i + 1] as string, outputDetails: NOT_TRUNCATED };
    else details = first as JsonObject | undefined;
    return { id: i + 1, previousEventId: this.numbers[3 * i]!, timestamp: this.numbers[3 * i + 1]!, type: TYPES[code >> 2]!, details };
  }

  private grow(): void {
    const numbers = new Float64Array(this.numbers.length * 2);
    numbers.set(this.numbers);
    this.numbers = numbers;
  }
}
