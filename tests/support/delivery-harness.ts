import { MemoryActivityStore } from '../../lib/adapters/memory/activity-store.js';
import { MemoryTaskTokenStore } from '../../lib/adapters/memory/task-token-store.js';
import type { HistoryEvent } from '../../lib/asl/frame.js';
import { Engine } from '../../lib/runtime/engine.js';
import { unsupportedTasks } from '../../lib/adapters/memory/task-invoker.js';
import type { ExecutionStore, OutboxEntry, StateMachineRecord, StepMessage, StepQueue } from '../../lib/runtime/ports.js';

/**
 * Delivers step messages the way SQS and Lambda may: at least once, late, after a crash. A message
 * whose processing throws comes back (the visibility timeout); time is a fake clock that jumps to
 * the next due message, so a run's history is the same whatever faults it met.
 */
export interface Faults {
  /** Every message sent is delivered twice (`racing`: both copies at the same moment). */
  readonly duplicate?: boolean | 'racing';
  /** Every message due at the same moment is delivered at once, concurrently (branches race for the event counter). */
  readonly concurrent?: boolean;
  /** The n-th commit (1-based) lands, then the process "dies" before it sends anything. */
  readonly crashAfterCommit?: number;
  /** The n-th send (1-based) fails after the commit it follows. */
  readonly failSend?: number;
  /** Not a fault: the engine's chainSteps (the AWS home's chains of a frame's states in one message); 1 when unset. */
  readonly chainSteps?: number;
}

/** A message on its way; `redelivered` once a delivery of it failed (as SQS's receive count shows). */
interface Pending {
  message: StepMessage;
  dueAt: number;
  seq: number;
  redelivered?: boolean;
}

export class DeliveryHarness {
  now = Date.parse('2026-01-01T00:00:00Z');
  readonly engine: Engine;
  private readonly pending: Pending[] = [];
  private seq = 0;
  private commits = 0;
  private sends = 0;
  deliveries = 0;

  constructor(
    readonly store: ExecutionStore,
    private readonly faults: Faults = {},
  ) {
    const harness = this;
    const queue: StepQueue = {
      send(entries: readonly OutboxEntry[]): void {
        harness.sends++;
        if (harness.sends === harness.faults.failSend) throw new Error('injected: SQS send failed');
        for (const entry of entries) {
          const copies = harness.faults.duplicate === true ? 2 : 1;
          for (let i = 0; i < copies; i++) harness.pending.push({ message: entry.message, dueAt: harness.now + (entry.delayMs ?? 0), seq: harness.seq++ });
        }
      },
    };
    const crashing: ExecutionStore = Object.create(store) as ExecutionStore;
    crashing.commitStep = async (commit) => {
      const outcome = await store.commitStep(commit);
      if (outcome === 'committed' && ++harness.commits === harness.faults.crashAfterCommit) throw new Error('injected: crash after commit');
      return outcome;
    };
    let n = 0;
    this.engine = new Engine({
      store: crashing,
      queue,
      clock: { now: () => harness.now },
      ids: { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, random: () => 0.5, taskToken: () => `token-${++n}` },
      tasks: unsupportedTasks,
      tokens: new MemoryTaskTokenStore(),
      activities: new MemoryActivityStore(),
      partition: { region: 'us-east-1', accountId: '123456789012' },
      ...(faults.chainSteps === undefined ? {} : { chainSteps: faults.chainSteps }),
    });
  }

  /**
   * Delivers until nothing is pending (or `stopAt` deliveries were made). A failed delivery comes back at once, before anything else:
   * the order of effective steps, and so the history, is then that of an undisturbed run.
   */
  async drain(limit = 100_000, stopAt = Number.POSITIVE_INFINITY): Promise<void> {
    for (let rounds = 0; this.pending.length > 0 && rounds < stopAt; rounds++) {
      if (++this.deliveries > limit) throw new Error('too many deliveries: a loop?');
      const batch = this.faults.concurrent ? this.takeAllDue() : [this.takeNext()];
      await Promise.all(
        batch.map(async (item) => {
          try {
            const delivery = { redelivered: item.redelivered === true };
            if (this.faults.duplicate === 'racing') await Promise.all([this.engine.process(item.message, delivery), this.engine.process(item.message, delivery)]);
            else await this.engine.process(item.message, delivery);
          } catch {
            this.pending.push({ message: item.message, dueAt: this.now, seq: Number.MIN_SAFE_INTEGER + this.seq++, redelivered: true });
          }
        }),
      );
    }
  }

  private takeNext(): Pending {
    let next = 0;
    for (let i = 1; i < this.pending.length; i++) {
      const a = this.pending[i]!;
      const b = this.pending[next]!;
      if (a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.seq < b.seq)) next = i;
    }
    const [item] = this.pending.splice(next, 1);
    this.now = Math.max(this.now, item!.dueAt);
    return item!;
  }

  private takeAllDue(): Pending[] {
    const first = this.takeNext();
    const due = this.pending.filter((p) => p.dueAt <= this.now);
    for (const item of due) this.pending.splice(this.pending.indexOf(item), 1);
    return [first, ...due];
  }
}

export function stateMachine(definition: object, name = 'faults'): StateMachineRecord {
  return {
    stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
    name,
    type: 'STANDARD',
    definition: JSON.stringify(definition),
    roleArn: 'arn:aws:iam::123456789012:role/r',
    creationDate: 0,
    revisionId: 'r1',
    loggingConfiguration: { level: 'OFF' },
    tracingConfiguration: { enabled: false },
    tags: {},
  };
}

/** A history without its timestamps, for comparing runs that met different delays. */
export function untimed(history: readonly HistoryEvent[]): object[] {
  return history.map(({ id, previousEventId, type, details }) => ({ id, previousEventId, type, details }));
}

/** What must hold of any history, however its steps interleaved: dense ids, links backwards, one end. */
export function checkHistoryShape(history: readonly HistoryEvent[]): void {
  history.forEach((event, i) => {
    if (event.id !== i + 1) throw new Error(`event ${i} has id ${event.id}`);
    if (event.previousEventId >= event.id) throw new Error(`event ${event.id} points forward to ${event.previousEventId}`);
  });
  const ends = history.filter((e) => /^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(e.type));
  if (ends.length !== 1 || history.at(-1) !== ends[0]) throw new Error(`history does not end once: ${ends.map((e) => e.type).join(', ')}`);
}
