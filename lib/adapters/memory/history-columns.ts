import { NOT_TRUNCATED, type HistoryEvent } from '../../asl/frame.js';
import type { JsonObject } from '../../asl/json.js';
import { pushPassRunEvents, type EventSink, type PassRun } from '../../asl/pass-run.js';

/**
 * How a row's details are kept: as given, or (the bulk of any history) as a state's name and JSON
 * text; or the row is a whole run of pass-through states (pass-run.ts), kept as its record.
 */
const AS_GIVEN = 0;
const ENTERED = 1;
const EXITED = 2;
const RUN = 3;

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

/** The rows a history starts with, in the shared buffer. */
const FIRST_ROWS = 16;
/**
 * Histories start in slices of one buffer, many to a buffer: a buffer of its own each (an ArrayBuffer
 * and its memory outside the heap) was a fifth of the cost of starting an execution. A buffer stays
 * as long as one of its histories does (at most this many times a history's first rows).
 */
const HISTORIES_PER_SHARED_BUFFER = 256;
let shared = new Float64Array(0);
let sharedUsed = 0;

/**
 * One execution's history in the local home, kept as columns rather than as event objects. A
 * transition's two history events and their details are what outlives it: as objects they survive
 * young-generation collections and are copied into the old generation (garbage collection was half of
 * a Pass chain's time, BENCHMARKS.md). Here the numbers of a row (previous id, timestamp, type and how
 * its details are kept) live in a typed array, outside the heap the collector copies; a *StateEntered /
 * *StateExited event's details are its state's name and JSON text (rebuilt when read, exactly as the
 * step made them); any other event keeps its details object. A run of pass-through states is one row,
 * its record (PassRun): the events it stands for are made only when read. Ids are not stored: they are
 * dense from 1 (the engine gives each execution's events consecutive ids), counted as rows are read.
 */
export class HistoryColumns implements EventSink {
  /** Events, and rows (fewer where runs stand for several events). */
  private size = 0;
  private rows = 0;
  /**
   * Three numbers a row, from `base` on, in one buffer (not one per column): the previous event's id,
   * the timestamp, and `typeCode * 4 + kind` (AS_GIVEN, ENTERED, EXITED, RUN). A history starts in a
   * slice of a buffer shared with others (FIRST_ROWS rows) and moves to its own once it outgrows it.
   */
  private numbers: Float64Array;
  private base: number;
  /** How many rows `numbers` has room for, from `base` on. */
  private capacity = FIRST_ROWS;
  /**
   * Two slots a row: the state's name and the JSON text (ENTERED, EXITED), the details as given
   * (AS_GIVEN; may be undefined) and nothing, or the run (RUN) and nothing. Made with room for
   * `capacity` rows, as `numbers` has: an array grown by push from empty was made twice over for the
   * dozen rows of a short execution.
   */
  private strings: (string | JsonObject | PassRun | undefined)[] = new Array(2 * FIRST_ROWS);
  /** The latest read, reused while nothing was added (GetExecutionHistory reads page by page). */
  private read: HistoryEvent[] | undefined;

  constructor() {
    if (sharedUsed + 3 * FIRST_ROWS > shared.length) {
      shared = new Float64Array(3 * FIRST_ROWS * HISTORIES_PER_SHARED_BUFFER);
      sharedUsed = 0;
    }
    this.numbers = shared;
    this.base = sharedUsed;
    sharedUsed += 3 * FIRST_ROWS;
  }

  get length(): number {
    return this.size;
  }

  push(event: HistoryEvent): void {
    const type = event.type;
    const details = event.details;
    // What Step.enter and Step.exit record (step.ts): these exact fields in this order, the shared
    // NOT_TRUNCATED marker, nothing else (an exit that assigned variables is kept as given).
    let kind = AS_GIVEN;
    let first: string | JsonObject | undefined = details;
    let second: string | undefined;
    if (details !== undefined && typeof details['name'] === 'string') {
      if (details['inputDetails'] === NOT_TRUNCATED && typeof details['input'] === 'string' && type.endsWith('StateEntered')) {
        kind = ENTERED;
        second = details['input'];
      } else if (details['outputDetails'] === NOT_TRUNCATED && details['assignedVariables'] === undefined && typeof details['output'] === 'string' && type.endsWith('StateExited')) {
        kind = EXITED;
        second = details['output'];
      }
      if (kind !== AS_GIVEN) first = details['name'];
    }
    this.pushEvent(event.id, event.previousEventId, event.timestamp, typeCode(type) * 4 + kind, first, second);
  }

  /**
   * Appends a run of pass-through states' events (pass-run.ts) as one row, its record kept as it is;
   * a run of one state as the two rows of its events (its *StateEntered and *StateExited), which take
   * less of the heap than the record and its texts (longer runs are cheaper as records: a Map's
   * iterations of three states each took longer as rows).
   */
  pushRun(run: PassRun): void {
    if (run.states === 1) {
      const { first, texts } = run;
      this.pushEvent(run.firstId, run.previousEventId, run.timestamp, typeCode(first.entered) * 4 + ENTERED, first.name, texts === undefined ? run.text : texts[0]!);
      this.pushEvent(run.firstId + 1, run.firstId, run.timestamp, typeCode(first.exited) * 4 + EXITED, first.name, texts === undefined ? run.text : texts[1]!);
      return;
    }
    const i = this.newRow(run.firstId);
    this.numbers[this.base + 3 * i + 2] = RUN;
    this.strings[2 * i] = run;
    this.rows = i + 1;
    this.size += 2 * run.states;
  }

  /**
   * One event's row: its numbers (`code` is `typeCode * 4 + kind`), and its two slots, a state's name
   * and JSON text (ENTERED, EXITED) or the details as given and nothing (AS_GIVEN).
   */
  private pushEvent(id: number, previousEventId: number, timestamp: number, code: number, first: string | JsonObject | undefined, second: string | undefined): void {
    const i = this.newRow(id);
    const at = this.base + 3 * i;
    const numbers = this.numbers;
    numbers[at] = previousEventId;
    numbers[at + 1] = timestamp;
    numbers[at + 2] = code;
    const strings = this.strings;
    strings[2 * i] = first;
    strings[2 * i + 1] = second;
    this.rows = i + 1;
    this.size++;
  }

  /** The events as the steps recorded them (equal field by field, in the same key order). */
  events(): readonly HistoryEvent[] {
    if (this.read?.length === this.size) return this.read;
    const out: HistoryEvent[] = [];
    for (let i = 0; i < this.rows; i++) {
      if (this.numbers[this.base + 3 * i + 2] === RUN) pushPassRunEvents(this.strings[2 * i] as PassRun, out);
      else out.push(this.at(i, out.length + 1));
    }
    this.read = out;
    return out;
  }

  /** Forgets the latest read (its events stay valid for whoever holds them). */
  release(): void {
    this.read = undefined;
  }

  private at(i: number, id: number): HistoryEvent {
    const at = this.base + 3 * i;
    const code = this.numbers[at + 2]!;
    const kind = code & 3;
    const first = this.strings[2 * i];
    let details: JsonObject | undefined;
    if (kind === ENTERED) details = { name: first as string, input: this.strings[2 * i + 1] as string, inputDetails: NOT_TRUNCATED };
    else if (kind === EXITED) details = { name: first as string, output: this.strings[2 * i + 1] as string, outputDetails: NOT_TRUNCATED };
    else details = first as JsonObject | undefined;
    // `| 0`: an id read from the Float64Array can come as a heap number, and event objects made here with
    // one change the shape of the engine's own events (small integers there): V8 then discards the code
    // that appends them (seen after the bench read the histories of a first round, before its second).
    return { id, previousEventId: this.numbers[at]! | 0, timestamp: this.numbers[at + 1]!, type: TYPES[code >> 2]!, details };
  }

  /** The index of the next row, whose (first) event must have the next id; room made for it. */
  private newRow(id: number): number {
    if (id !== this.size + 1) throw new Error(`history event ${id} recorded as event ${this.size + 1}: ids must be dense`);
    if (this.rows === this.capacity) this.grow();
    return this.rows;
  }

  private grow(): void {
    const numbers = new Float64Array(3 * this.capacity * 2);
    numbers.set(this.numbers.subarray(this.base, this.base + 3 * this.rows));
    this.numbers = numbers;
    this.base = 0;
    const strings = new Array<string | JsonObject | PassRun | undefined>(2 * this.capacity * 2);
    for (let k = 0; k < 2 * this.rows; k++) strings[k] = this.strings[k];
    this.strings = strings;
    this.capacity *= 2;
  }
}
