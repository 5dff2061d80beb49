import type { Frame, HistoryEvent } from '../../asl/frame.js';
import type { ExecutionRecord, ExecutionStatus, ExecutionStore, StateMachineRecord, StepCommit } from '../../runtime/ports.js';

interface ExecutionEntry {
  record: ExecutionRecord;
  frames: Map<string, Frame>;
  children: Map<string, Set<string>>;
  history: HistoryEvent[];
}

/**
 * The local home's store: everything in this process's memory. Records are kept as objects (no
 * serialisation); the engine never mutates a record it has handed over, it replaces it.
 */
export class MemoryExecutionStore implements ExecutionStore {
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

  async createExecution(record: ExecutionRecord, root: Frame, events: readonly HistoryEvent[]): Promise<boolean> {
    if (this.executions.has(record.executionArn)) return false;
    const entry: ExecutionEntry = { record, frames: new Map([[root.id, root]]), children: new Map(), history: [...events] };
    this.executions.set(record.executionArn, entry);
    const list = this.byStateMachine.get(record.stateMachineArn) ?? [];
    list.push(entry);
    this.byStateMachine.set(record.stateMachineArn, list);
    return true;
  }

  async getExecution(arn: string): Promise<ExecutionRecord | undefined> {
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

  getFrame(executionArn: string, frameId: string): Frame | undefined {
    return this.executions.get(executionArn)?.frames.get(frameId);
  }

  childFrameIds(executionArn: string, frameId: string): string[] {
    return [...(this.executions.get(executionArn)?.children.get(frameId) ?? [])];
  }

  commitStep(commit: StepCommit): boolean {
    const entry = this.executions.get(commit.executionArn);
    if (!entry || entry.record.status !== 'RUNNING') return false;
    const current = entry.frames.get(commit.frame.id);
    if (!current || current.sequence !== commit.expectedSequence) return false;
    // The running record is this store's own: its event counter moves in place, one write per step.
    if (commit.end) entry.record = { ...entry.record, nextEventId: commit.nextEventId, ...commit.end };
    else entry.record.nextEventId = commit.nextEventId;
    for (const event of commit.events) entry.history.push(event);
    entry.frames.set(commit.frame.id, commit.frame);
    for (const frame of commit.newFrames ?? []) {
      entry.frames.set(frame.id, frame);
      if (frame.parentId !== undefined) {
        let set = entry.children.get(frame.parentId);
        if (!set) entry.children.set(frame.parentId, (set = new Set()));
        set.add(frame.id);
      }
    }
    for (const id of commit.removedFrameIds ?? []) this.removeFrame(entry, id);
    // A finished execution keeps its record and history, not its frames.
    if (commit.end) this.dropFrames(entry);
    return true;
  }

  async finishExecution(execution: ExecutionRecord, events: readonly HistoryEvent[]): Promise<boolean> {
    const entry = this.executions.get(execution.executionArn);
    if (!entry || entry.record.status !== 'RUNNING') return false;
    entry.record = execution;
    entry.history.push(...events);
    this.dropFrames(entry);
    return true;
  }

  async history(executionArn: string): Promise<readonly HistoryEvent[]> {
    return this.executions.get(executionArn)?.history ?? [];
  }

  private removeFrame(entry: ExecutionEntry, id: string): void {
    const frame = entry.frames.get(id);
    if (!frame) return;
    entry.frames.delete(id);
    entry.children.delete(id);
    if (frame.parentId !== undefined) entry.children.get(frame.parentId)?.delete(id);
  }

  private dropFrames(entry: ExecutionEntry): void {
    entry.frames.clear();
    entry.children.clear();
  }
}
