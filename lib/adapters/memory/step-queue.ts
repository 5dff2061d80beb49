import type { OutboxEntry, StepMessage, StepQueue } from '../../runtime/ports.js';

/**
 * The local home's queue and its single consumer. Steps run one at a time, so an execution's event
 * ids need no lock; `urgent` messages (new children) run before older ones, depth-first, and
 * delayed ones wait on a timer. The loop yields to the event loop regularly so the HTTP server
 * keeps answering while long executions run.
 */
const MAX_TIMER_MS = 2 ** 31 - 1;

export class LocalStepQueue implements StepQueue {
  private readonly urgent: StepMessage[] = [];
  private queue: StepMessage[] = [];
  private head = 0;
  private running = false;
  /** Delayed messages' timers, by execution: dropped when the execution ends (forget). */
  private readonly timers = new Map<string, Set<NodeJS.Timeout>>();
  private idle: (() => void)[] = [];
  private handler: ((message: StepMessage) => Promise<void>) | undefined;

  constructor(private readonly onError: (error: unknown, message: StepMessage) => void = (e) => console.error(e)) {}

  /** The consumer: the engine's `process`. */
  consume(handler: (message: StepMessage) => Promise<void>): void {
    this.handler = handler;
    this.kick();
  }

  send(entries: readonly OutboxEntry[]): void {
    for (const entry of entries) this.enqueue(entry.message, entry);
  }

  enqueue(message: StepMessage, options: { delayMs?: number | undefined; urgent?: boolean | undefined } = {}): void {
    const delayMs = options.delayMs ?? 0;
    if (delayMs > 0) {
      // setTimeout fires at once beyond 2^31-1 ms (~24.8 days): longer delays are chained.
      const slice = Math.min(delayMs, MAX_TIMER_MS);
      const arn = message.executionArn;
      const timer = setTimeout(() => {
        this.untrack(arn, timer);
        if (delayMs > slice) return this.enqueue(message, { delayMs: delayMs - slice });
        this.queue.push(message);
        this.kick();
      }, slice);
      const own = this.timers.get(arn);
      if (own) own.add(timer);
      else this.timers.set(arn, new Set([timer]));
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
    for (const timer of this.timers.get(executionArn) ?? []) clearTimeout(timer);
    this.timers.delete(executionArn);
  }

  close(): void {
    for (const arn of [...this.timers.keys()]) this.forget(arn);
  }

  private untrack(executionArn: string, timer: NodeJS.Timeout): void {
    const own = this.timers.get(executionArn);
    if (!own) return;
    own.delete(timer);
    if (own.size === 0) this.timers.delete(executionArn);
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
