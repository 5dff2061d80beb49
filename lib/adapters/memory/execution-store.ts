import type { Frame, HistoryEvent } from '../../asl/frame.js';
import { appendInIdOrder } from '../../asl/pass-run.js';
import { HistoryColumns } from './history-columns.js';
import {
  endedRecord,
  ROOT_FRAME_ID,
  type CommitOutcome,
  type ExecutionRecord,
  type ExecutionStatus,
  type ExecutionStore,
  type StateMachineRecord,
  type StepCommit,
  type StoredFrame,
} from '../../runtime/ports.js';

const NOTHING: readonly never[] = [];

/**
 * One execution in the store: its record, its frames and its history. The root frame is kept apart
 * and the map of the others made when a first child starts: most executions never have another
 * frame, and a map each would stay with them while they run (and, cleared, after they end).
 */
class ExecutionEntry {
  private root: StoredFrame | undefined;
  private children: Map<string, StoredFrame> | undefined;

  constructor(
    public record: ExecutionRecord,
    readonly history: HistoryColumns,
  ) {}

  frame(id: string): StoredFrame | undefined {
    return id === ROOT_FRAME_ID ? this.root : this.children?.get(id);
  }

  setFrame(id: string, stored: StoredFrame): void {
    if (id === ROOT_FRAME_ID) this.root = stored;
    else (this.children ??= new Map()).set(id, stored);
  }

  deleteFrame(id: string): void {
    if (id === ROOT_FRAME_ID) this.root = undefined;
    else this.children?.delete(id);
  }

  /** The execution ended: it keeps its record and history, not its frames. */
  dropFrames(): void {
    this.root = undefined;
    this.children = undefined;
  }

  /** Every frame, the root first (the order they were stored in). */
  *frames(): Generator<[string, StoredFrame]> {
    if (this.root) yield [ROOT_FRAME_ID, this.root];
    if (this.children) yield* this.children;
  }
}

/**
 * The local home's store: everything in this process's memory. Records are kept as objects (no
 * serialisation); the engine never mutates a record it has handed over, it replaces it.
 */
export class MemoryExecutionStore implements ExecutionStore {
  /** A step's pass-through runs go into the history's columns as they are. */
  readonly takesPassRuns = true;
  private readonly stateMachines = new Map<string, StateMachineRecord>();
  private readonly executions = new Map<string, ExecutionEntry>();
  private readonly byStateMachine = new Map<string, ExecutionEntry[]>();

  async putStateMachine(record: StateMachineRecord): Promise<void> {
    this.stateMachines.set(record.stateMachineArn, record);
  }

  async getStateMachine(arn: string): Promise<StateMachineRecord | undefined> {
    return this.stateMachines.get(arn);
  }

  async deleteStateMachine(arn: string): Promise<void> {
    this.stateMachines.delete(arn);
  }

  async listStateMachines(): Promise<StateMachineRecord[]> {
    return [...this.stateMachines.values()];
  }

  createExecution(record: ExecutionRecord, root: Frame, events: readonly HistoryEvent[]): boolean {
    if (this.executions.has(record.executionArn)) return false;
    const history = new HistoryColumns();
    for (let i = 0; i < events.length; i++) history.push(events[i]!);
    const entry = new ExecutionEntry(record, history);
    entry.setFrame(root.id, { frame: root, outbox: NOTHING, finished: false });
    this.executions.set(record.executionArn, entry);
    const list = this.byStateMachine.get(record.stateMachineArn) ?? [];
    list.push(entry);
    this.byStateMachine.set(record.stateMachineArn, list);
    return true;
  }

  getExecution(arn: string): ExecutionRecord | undefined {
    return this.executions.get(arn)?.record;
  }

  async listExecutions(stateMachineArn: string, status?: ExecutionStatus): Promise<ExecutionRecord[]> {
    const list = this.byStateMachine.get(stateMachineArn) ?? [];
    const out: ExecutionRecord[] = [];
    for (let i = list.length - 1; i >= 0; i--) {
      const record = list[i]!.record;
      if (status === undefined || record.status === status) out.push(record);
    }
    return out;
  }

  getFrame(executionArn: string, frameId: string): StoredFrame | undefined {
    return this.executions.get(executionArn)?.frame(frameId);
  }

  getExecutionAndFrame(executionArn: string, frameId: string): { execution: ExecutionRecord; stored: StoredFrame | undefined } | undefined {
    const entry = this.executions.get(executionArn);
    return entry && { execution: entry.record, stored: entry.frame(frameId) };
  }

  frameIdsUnder(executionArn: string, prefix: string): string[] {
    const out: string[] = [];
    for (const [id] of this.executions.get(executionArn)?.frames() ?? []) if (id.startsWith(prefix)) out.push(id);
    return out;
  }

  finishedChildren(executionArn: string, prefix: string): StoredFrame[] {
    const out: StoredFrame[] = [];
    for (const [id, stored] of this.executions.get(executionArn)?.frames() ?? []) {
      if (stored.finished && id.startsWith(prefix) && !id.includes('/', prefix.length)) out.push(stored);
    }
    return out;
  }

  commitStep(commit: StepCommit): CommitOutcome {
    const entry = this.executions.get(commit.executionArn);
    if (!entry || entry.record.status !== 'RUNNING') return 'stale';
    const consumed = commit.consumedFrameIds ?? NOTHING;
    // Most steps consume no child: no array for them (this runs on every transition).
    const present: readonly boolean[] = consumed.length === 0 ? NOTHING : consumed.map((id) => entry.frame(id)?.finished === true);
    if (present.length > 0 && !present[0]) return 'stale';
    const current = entry.frame(commit.frame.id);
    // A join's frame that moved on met another child's end first: the step goes again.
    if (!current || current.finished || current.frame.sequence !== commit.expectedSequence) return consumed.length === 0 ? 'stale' : 'conflict';
    if (present.includes(false) || entry.record.nextEventId !== commit.firstEventId) return 'conflict';
    // The running record is this store's own: its event counter moves in place, one write per step.
    if (commit.end) entry.record = commit.ended ?? endedRecord(entry.record, commit.nextEventId, commit.end);
    else entry.record.nextEventId = commit.nextEventId;
    // Index loops, not for-of, on this path: cold code would make an iterator for each loop of each step.
    const events = commit.events;
    const runs = commit.runs;
    if (runs === undefined) for (let i = 0; i < events.length; i++) entry.history.push(events[i]!);
    else appendInIdOrder(events, runs, entry.history);
    if (commit.end) {
      entry.dropFrames();
      return 'committed';
    }
    const finished = commit.finished === true;
    const { frame, outbox, chainStart } = commit;
    // Literals, not a spread of one into another: a join's step (every Map iteration's end) runs this.
    const stored: StoredFrame =
      consumed.length === 0
        ? chainStart === undefined
          ? { frame, outbox, finished }
          : { frame, outbox, finished, chainStart }
        : chainStart === undefined
          ? { frame, outbox, finished, consumed }
          : { frame, outbox, finished, consumed, chainStart };
    entry.setFrame(frame.id, stored);
    for (let i = 0; i < consumed.length; i++) entry.deleteFrame(consumed[i]!);
    const newFrames = commit.newFrames ?? NOTHING;
    for (let i = 0; i < newFrames.length; i++) entry.setFrame(newFrames[i]!.id, { frame: newFrames[i]!, outbox: NOTHING, finished: false });
    const removed = commit.removedFrameIds ?? NOTHING;
    for (let i = 0; i < removed.length; i++) entry.deleteFrame(removed[i]!);
    return 'committed';
  }

  async finishExecution(execution: ExecutionRecord, events: readonly HistoryEvent[]): Promise<CommitOutcome> {
    const entry = this.executions.get(execution.executionArn);
    if (!entry || entry.record.status !== 'RUNNING') return 'stale';
    if (entry.record.nextEventId !== execution.nextEventId - events.length) return 'conflict';
    entry.record = execution;
    for (const event of events) entry.history.push(event);
    entry.dropFrames();
    return 'committed';
  }

  async history(executionArn: string): Promise<readonly HistoryEvent[]> {
    const history = this.executions.get(executionArn)?.history;
    if (!history) return NOTHING;
    // One history's events are kept between reads (the pages of one GetExecutionHistory), not every one's.
    if (this.lastRead !== history) this.lastRead?.release();
    this.lastRead = history;
    return history.events();
  }

  private lastRead: HistoryColumns | undefined;
}
