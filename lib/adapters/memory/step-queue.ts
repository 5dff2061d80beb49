import type { Awaitable, OutboxEntry, StepMessage, StepQueue } from '../../runtime/ports.js';

/**
 * The local home's queue and its single consumer. Steps run one at a time, so an execution's event
 * ids need no lock; `urgent` messages (new children) run before older ones, depth-first, and
 * delayed ones wait in a heap ordered by due time under one timer (every execution has a deadline
 * message, a year away at most: a Node timer each cost a fifth of a short execution). The loop yields
 * to the event loop regularly so the HTTP server keeps answering while long executions run.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

interface Delayed {
  readonly dueAt: number;
  /** Ties go in the order they were sent. */
  readonly order: number;
  readonly message: StepMessage;
  /** Dropped by forget: left in the heap until it comes up, or the heap is compacted. */
  dropped: boolean;
}

export class LocalStepQueue implements StepQueue {
  private readonly urgent: StepMessage[] = [];
  private queue: StepMessage[] = [];
  private head = 0;
  private running = false;
  /** Delayed messages, a binary min-heap by (dueAt, order). */
  private delayed: Delayed[] = [];
  private sent = 0;
  private droppedCount = 0;
  /** Delayed messages by execution, for forget: most executions have one (their deadline), kept without an array. */
  private readonly byExecution = new Map<string, Delayed | Delayed[]>();
  private timer: NodeJS.Timeout | undefined;
  private timerAt = Number.POSITIVE_INFINITY;
  private idle: (() => void)[] = [];
  private handler: ((message: StepMessage) => Awaitable<void>) | undefined;

  constructor(
    private readonly onError: (error: unknown, message: StepMessage) => void = (e) => console.error(e),
    /** Epoch ms; delays are measured on it. */
    private readonly now: () => number = Date.now,
  ) {}

  /** The consumer: the engine's `process`. */
  consume(handler: (message: StepMessage) => Awaitable<void>): void {
    this.handler = handler;
    this.kick();
  }

  send(entries: readonly OutboxEntry[]): void {
    // An index loop: cold code would make an iterator per call for a for-of.
    for (let i = 0; i < entries.length; i++) this.enqueue(entries[i]!.message, entries[i]);
  }

  enqueue(message: StepMessage, options: { delayMs?: number | undefined; urgent?: boolean | undefined } = {}): void {
    const delayMs = options.delayMs ?? 0;
    if (delayMs > 0) {
      const entry: Delayed = { dueAt: this.now() + delayMs, order: this.sent++, message, dropped: false };
      heapPush(this.delayed, entry);
      const own = this.byExecution.get(message.executionArn);
      if (own === undefined) this.byExecution.set(message.executionArn, entry);
      else if (Array.isArray(own)) own.push(entry);
      else this.byExecution.set(message.executionArn, [own, entry]);
      this.arm();
      return;
    }
    if (options.urgent) this.urgent.push(message);
    else this.queue.push(message);
    this.kick();
  }

  /** Resolves when nothing is ready to run (timers may still be pending). */
  drained(): Promise<void> {
    if (!this.running && this.pending() === 0) return Promise.resolve();
    return new Promise((resolve) => this.idle.push(resolve));
  }

  forget(executionArn: string): void {
    const own = this.byExecution.get(executionArn);
    if (!own) return;
    this.byExecution.delete(executionArn);
    if (Array.isArray(own)) {
      for (const entry of own) entry.dropped = true;
      this.droppedCount += own.length;
    } else {
      own.dropped = true;
      this.droppedCount++;
    }
    // Dropped entries (mostly deadlines a year away) are not kept for long: the heap is rebuilt without
    // them once they are half of it.
    if (this.droppedCount * 2 > this.delayed.length) {
      this.delayed = this.delayed.filter((entry) => !entry.dropped);
      for (let i = (this.delayed.length >> 1) - 1; i >= 0; i--) siftDown(this.delayed, i);
      this.droppedCount = 0;
    }
    this.arm();
  }

  close(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    this.delayed = [];
    this.byExecution.clear();
    this.droppedCount = 0;
  }

  /**
   * One timer, for the earliest delayed message (setTimeout holds at most ~24.8 days: longer ones
   * re-arm). A timer due no later than the heap's top is kept as it is, even if that top was dropped
   * (an execution ended): it fires early, finds nothing due and re-arms, where re-arming at every
   * execution's end cost a Node timer each (every execution's deadline is in the heap).
   */
  private arm(): void {
    const top = this.delayed[0];
    if (top === undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.timerAt = Number.POSITIVE_INFINITY;
      return;
    }
    if (this.timer !== undefined && this.timerAt <= top.dueAt) return;
    clearTimeout(this.timer);
    this.timerAt = top.dueAt;
    this.timer = setTimeout(() => this.fire(), Math.min(Math.max(top.dueAt - this.now(), 0), MAX_TIMER_MS));
  }

  private fire(): void {
    this.timer = undefined;
    this.timerAt = Number.POSITIVE_INFINITY;
    const now = this.now();
    let moved = false;
    while (this.delayed.length > 0 && this.delayed[0]!.dueAt <= now) {
      const entry = heapPop(this.delayed);
      if (entry.dropped) {
        this.droppedCount--;
        continue;
      }
      const own = this.byExecution.get(entry.message.executionArn);
      if (own === entry) this.byExecution.delete(entry.message.executionArn);
      else if (Array.isArray(own)) {
        const at = own.indexOf(entry);
        if (at >= 0) own.splice(at, 1);
        if (own.length === 0) this.byExecution.delete(entry.message.executionArn);
      }
      this.queue.push(entry.message);
      moved = true;
    }
    this.arm();
    if (moved) this.kick();
  }

  private pending(): number {
    return this.urgent.length + this.queue.length - this.head;
  }

  private next(): StepMessage | undefined {
    if (this.urgent.length > 0) return this.urgent.pop();
    if (this.head < this.queue.length) {
      const message = this.queue[this.head++];
      if (this.head > 1024 && this.head * 2 > this.queue.length) {
        this.queue = this.queue.slice(this.head);
        this.head = 0;
      }
      return message;
    }
    return undefined;
  }

  private kick(): void {
    if (this.running || !this.handler) return;
    this.running = true;
    setImmediate(() => void this.loop());
  }

  private async loop(): Promise<void> {
    const handler = this.handler!;
    let sliceStart = Date.now();
    for (;;) {
      const message = this.next();
      if (!message) break;
      try {
        await handler(message);
      } catch (e) {
        this.onError(e, message);
      }
      if (Date.now() - sliceStart > 20) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = Date.now();
      }
    }
    this.running = false;
    const idle = this.idle;
    this.idle = [];
    for (const resolve of idle) resolve();
  }
}

function before(a: Delayed, b: Delayed): boolean {
  return a.dueAt < b.dueAt || (a.dueAt === b.dueAt && a.order < b.order);
}

function heapPush(heap: Delayed[], entry: Delayed): void {
  heap.push(entry);
  let i = heap.length - 1;
  while (i > 0) {
    const parent = (i - 1) >> 1;
    if (!before(heap[i]!, heap[parent]!)) break;
    [heap[i], heap[parent]] = [heap[parent]!, heap[i]!];
    i = parent;
  }
}

function heapPop(heap: Delayed[]): Delayed {
  const top = heap[0]!;
  const last = heap.pop()!;
  if (heap.length > 0) {
    heap[0] = last;
    siftDown(heap, 0);
  }
  return top;
}

function siftDown(heap: Delayed[], start: number): void {
  let i = start;
  for (;;) {
    const left = 2 * i + 1;
    const right = left + 1;
    let least = i;
    if (left < heap.length && before(heap[left]!, heap[least]!)) least = left;
    if (right < heap.length && before(heap[right]!, heap[least]!)) least = right;
    if (least === i) return;
    [heap[i], heap[least]] = [heap[least]!, heap[i]!];
    i = least;
  }
}
