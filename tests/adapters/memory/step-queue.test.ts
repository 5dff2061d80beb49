import { afterEach, describe, expect, it, vi } from 'vitest';
import { LocalStepQueue } from '../../../lib/adapters/memory/step-queue.js';
import type { StepMessage } from '../../../lib/runtime/ports.js';

const message = (frameId: string): StepMessage => ({ executionArn: 'arn', frameId, sequence: 0, event: { kind: 'run' } });
const year = 365 * 24 * 3600 * 1000;

/** A queue on fake timers and a fake clock, recording `execution/frame` of what it delivers. */
function timedQueue(): { queue: LocalStepQueue; seen: string[] } {
  vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
  const queue = new LocalStepQueue();
  const seen: string[] = [];
  queue.consume(async (m) => {
    seen.push(`${m.executionArn}/${m.frameId}`);
  });
  return { queue, seen };
}

describe('LocalStepQueue', () => {
  afterEach(() => vi.useRealTimers());

  it('runs urgent messages depth-first, before older ones', async () => {
    const queue = new LocalStepQueue();
    const seen: string[] = [];
    queue.enqueue(message('old'));
    queue.enqueue(message('child-1'), { urgent: true });
    queue.enqueue(message('child-0'), { urgent: true });
    queue.consume(async (m) => {
      seen.push(m.frameId);
    });

    await queue.drained();

    expect(seen).toEqual(['child-0', 'child-1', 'old']);
  });

  it('delivers a delay longer than a Node timer can hold, and not before', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const queue = new LocalStepQueue();
    const seen: string[] = [];
    queue.consume(async (m) => {
      seen.push(m.frameId);
    });
    const thirtyDays = 30 * 24 * 3600 * 1000;

    queue.enqueue(message('late'), { delayMs: thirtyDays });
    await vi.advanceTimersByTimeAsync(2 ** 31 - 1);
    await queue.drained();
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(thirtyDays - (2 ** 31 - 1));
    await queue.drained();

    expect(seen).toEqual(['late']);
    queue.close();
  });

  it("drops an ended execution's delayed messages and their timers (forget), and no other's", async () => {
    const { queue, seen } = timedQueue();
    queue.enqueue({ ...message('deadline'), executionArn: 'ended' }, { delayMs: year });
    queue.enqueue({ ...message('wait'), executionArn: 'ended' }, { delayMs: 1000 });
    queue.enqueue({ ...message('wait'), executionArn: 'running' }, { delayMs: 1000 });

    queue.forget('ended');
    expect(vi.getTimerCount()).toBe(1);
    await vi.advanceTimersByTimeAsync(1000);
    await queue.drained();

    expect(seen).toEqual(['running/wait']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('keeps its timer when the earliest message is dropped, and still delivers the next one at its due time', async () => {
    const { queue, seen } = timedQueue();
    queue.enqueue({ ...message('first'), executionArn: 'ended' }, { delayMs: 1000 });
    queue.enqueue({ ...message('second'), executionArn: 'a' }, { delayMs: 3000 });
    queue.enqueue({ ...message('third'), executionArn: 'b' }, { delayMs: 3000 });
    queue.forget('ended');
    expect(vi.getTimerCount()).toBe(1);

    await vi.advanceTimersByTimeAsync(2999);
    await queue.drained();
    expect(seen).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    await queue.drained();

    expect(seen).toEqual(['a/second', 'b/third']);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('delivers delayed messages in due order under one timer, and keeps no dropped deadline for long', async () => {
    const { queue, seen } = timedQueue();
    queue.enqueue({ ...message('c'), executionArn: 'x' }, { delayMs: 3000 });
    queue.enqueue({ ...message('a'), executionArn: 'y' }, { delayMs: 1000 });
    queue.enqueue({ ...message('b1'), executionArn: 'z' }, { delayMs: 2000 });
    queue.enqueue({ ...message('b2'), executionArn: 'z' }, { delayMs: 2000 });
    // A thousand executions' deadlines, each dropped as its execution ends.
    for (let i = 0; i < 1000; i++) {
      queue.enqueue({ ...message('deadline'), executionArn: `ended-${i}` }, { delayMs: year });
      queue.forget(`ended-${i}`);
    }
    expect(vi.getTimerCount()).toBe(1);
    expect((queue as unknown as { delayed: unknown[] }).delayed.length).toBeLessThan(20);

    await vi.advanceTimersByTimeAsync(1500);
    await queue.drained();
    expect(seen).toEqual(['y/a']);
    await vi.advanceTimersByTimeAsync(2000);
    await queue.drained();

    expect(seen).toEqual(['y/a', 'z/b1', 'z/b2', 'x/c']);
    expect(vi.getTimerCount()).toBe(0);
  });
});
