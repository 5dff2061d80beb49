import { MemoryActivityStore } from '../../lib/adapters/memory/activity-store.js';
import { MemoryTaskTokenStore } from '../../lib/adapters/memory/task-token-store.js';
import { describe, expect, it } from 'vitest';
import { MemoryExecutionStore } from '../../lib/adapters/memory/execution-store.js';
import { Engine, type EnginePorts } from '../../lib/runtime/engine.js';
import type { HistoryEvent } from '../../lib/asl/frame.js';
import { withPassRuns, type PassRun } from '../../lib/asl/pass-run.js';
import type { ExecutionStore, OutboxEntry, StateMachineRecord, StepMessage, StepQueue } from '../../lib/runtime/ports.js';
import { unsupportedTasks } from '../../lib/adapters/memory/task-invoker.js';

/**
 * A queue the test drains by hand, so it can deliver a message twice or hold it back. The timers of
 * executions' deadlines (every execution has one: AWS's maximum execution time at the latest) are
 * set aside in `deadlines`, delivered only by the tests about them.
 */
class ManualQueue implements StepQueue {
  readonly messages: { message: StepMessage; delayMs: number }[] = [];
  readonly deadlines: { message: StepMessage; delayMs: number }[] = [];
  /** The executions the engine said had ended (their delayed messages may go). */
  readonly forgotten: string[] = [];
  /** The kinds of the messages sent, in the order they were sent. */
  readonly sentKinds: string[] = [];
  forget(executionArn: string): void {
    this.forgotten.push(executionArn);
  }
  send(entries: readonly OutboxEntry[]): void {
    for (const { message, delayMs } of entries) {
      this.sentKinds.push(message.event.kind);
      (message.event.kind === 'executionTimeout' ? this.deadlines : this.messages).push({ message, delayMs: delayMs ?? 0 });
    }
  }
  take(): StepMessage {
    const next = this.messages.shift();
    if (!next) throw new Error('queue is empty');
    return next.message;
  }
}

/** The AWS-home tests here run with chains on (chainSteps 100), unless they say otherwise. */
function setup(definition: object, inline = false, chainSteps = 100, ports: (store: MemoryExecutionStore) => Partial<EnginePorts> = () => ({})) {
  const store = new MemoryExecutionStore();
  const queue = new ManualQueue();
  let now = Date.parse('2026-01-01T00:00:00Z');
  let n = 0;
  const engine = new Engine({
    store,
    queue,
    clock: { now: () => now },
    ids: { uuid: () => `id-${++n}`, random: () => 0.5, taskToken: () => `token-${++n}` },
    tasks: unsupportedTasks,
      tokens: new MemoryTaskTokenStore(),
      activities: new MemoryActivityStore(),
    partition: { region: 'us-east-1', accountId: '123456789012' },
    inline,
    chainSteps,
    ...ports(store),
  });
  const machine: StateMachineRecord = {
    stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:sm',
    name: 'sm',
    type: 'STANDARD',
    definition: JSON.stringify(definition),
    roleArn: 'arn:aws:iam::123456789012:role/r',
    creationDate: now,
    revisionId: 'r1',
    loggingConfiguration: { level: 'OFF' },
    tracingConfiguration: { enabled: false },
    tags: {},
  };
  return { store, queue, engine, machine, advanceClock: (ms: number) => (now += ms) };
}

const chain = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } };

describe('Engine', () => {
  it('applies a step delivered twice only once', async () => {
    // The Wait ends the first message's chain: its wake-up is the message sent.
    const { store, queue, engine, machine, advanceClock } = setup({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'W' }, W: { Type: 'Wait', Seconds: 1, Next: 'B' }, B: { Type: 'Pass', End: true } } });
    const { execution } = await engine.start(machine, 'ex', '{}');
    const first = queue.take();

    await engine.process(first);
    // A copy of a message whose own delivery went fine: dropped, nothing re-sent.
    await engine.process(first);
    expect(queue.messages).toHaveLength(1);
    // A redelivery (the first delivery failed after its commit): it re-sends what the step sent.
    await engine.process(first, { redelivered: true });

    const types = (await store.history(execution.executionArn)).map((e) => e.type);
    expect(types).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'WaitStateEntered']);
    // The same message twice, of which again only one applies.
    expect(queue.messages.map((m) => m.message)).toEqual([queue.messages[0]!.message, queue.messages[0]!.message]);
    advanceClock(1000);
    await engine.process(queue.take());
    await engine.process(queue.take());
    expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual([...types, 'WaitStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it("runs a frame's consecutive states in one message, each committed, with dense event ids", async () => {
    for (const inline of [false, true]) {
      const { store, queue, engine, machine } = setup(chain, inline);
      const { execution } = await engine.start(machine, 'ex', '{"v":1}');
      let messages = 0;
      while (queue.messages.length > 0) {
        await engine.process(queue.take());
        messages++;
      }

      const history = await store.history(execution.executionArn);
      expect(history.map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(history.at(-1)?.type).toBe('ExecutionSucceeded');
      expect(messages).toBe(1);
      expect((await store.getExecution(execution.executionArn))?.output).toBe('{"v":1}');
    }
  });

  it("records a run of pass-through Pass states, kept as a record by the memory store, as the events a store of objects and the execution log get", async () => {
    const passes = (prefix: string, n: number, last: object) =>
      Object.fromEntries(Array.from({ length: n }, (_, i) => [`${prefix}${i}`, i + 1 < n ? { Type: 'Pass', Next: `${prefix}${i + 1}` } : { Type: 'Pass', ...last }]));
    const definition = {
      StartAt: 'A0',
      States: {
        ...passes('A', 3, { Next: 'P' }),
        P: { Type: 'Parallel', Branches: [{ StartAt: 'X0', States: passes('X', 4, { End: true }) }, { StartAt: 'Y0', States: { ...passes('Y', 2, { Result: { y: 1 }, Next: 'Y2' }), ...{ Y2: { Type: 'Pass', End: true } } } }], Next: 'M' },
        M: { Type: 'Map', ItemsPath: '$[0].items', ItemProcessor: { StartAt: 'I0', States: passes('I', 3, { End: true }) }, Next: 'B0' },
        ...passes('B', 70, { End: true }),
      },
    };
    const histories: HistoryEvent[][] = [];
    const logged: HistoryEvent[] = [];
    // The log gets a step's runs beside its events, and makes them events only for a machine it logs.
    const log = { write: (_execution: unknown, events: readonly HistoryEvent[], runs?: readonly PassRun[]) => void logged.push(...withPassRuns(events, runs)) };
    // The same memory store, seen without takesPassRuns: every event comes to it as an object.
    const objectsOnly = (store: MemoryExecutionStore): ExecutionStore => new Proxy(store, { get: (target, key) => (key === 'takesPassRuns' ? undefined : Reflect.get(target, key, target)) });
    for (const ports of [() => ({}), (store: MemoryExecutionStore) => ({ store: objectsOnly(store) }), () => ({ log })]) {
      const { store, queue, engine, machine } = setup(definition, true, 100, ports);
      const { execution } = await engine.start(machine, 'ex', '{"items":[1,2]}');
      while (queue.messages.length > 0) await engine.process(queue.take());
      expect((await store.getExecution(execution.executionArn))?.status).toBe('SUCCEEDED');
      histories.push([...(await store.history(execution.executionArn))]);
    }

    const [runs, objects, withLog] = histories;
    expect(runs).toHaveLength(objects!.length);
    expect(runs).toStrictEqual(objects);
    expect(withLog).toStrictEqual(objects);
    // The log got every step's events (the start's went to it first).
    expect([withLog![0], ...logged.filter((e) => e.id !== 1)].sort((a, b) => a!.id - b!.id)).toStrictEqual(withLog);
    // Branch frames' runs: their first state's previous event is the branch's start, not the event before.
    expect(runs!.find((e) => e.details?.['name'] === 'Y0' && e.type === 'PassStateEntered')?.previousEventId).toBe(runs!.find((e) => e.type === 'ParallelStateStarted')?.id);
  });

  it('runs one state a message, the next one sent through the queue, with chainSteps 1 (the AWS home by default)', async () => {
    const { store, queue, engine, machine } = setup({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } } }, false, 1);
    const { execution } = await engine.start(machine, 'ex', '{"v":1}');
    const entered: number[] = [];
    while (queue.messages.length > 0) {
      await engine.process(queue.take());
      entered.push((await store.history(execution.executionArn)).filter((e) => e.type === 'PassStateEntered').length);
    }
    expect(entered).toEqual([1, 2, 3]);
    expect((await store.getExecution(execution.executionArn))?.output).toBe('{"v":1}');
  });

  it('sends the rest of a long chain back to the queue after 100 states (AWS home) or 256 (local)', async () => {
    const states: Record<string, object> = {};
    for (let i = 0; i < 300; i++) states[`S${i}`] = i === 299 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
    for (const inline of [false, true]) {
      const { store, queue, engine, machine } = setup({ StartAt: 'S0', States: states }, inline);
      const { execution } = await engine.start(machine, 'ex', '{}');
      let messages = 0;
      while (queue.messages.length > 0) {
        await engine.process(queue.take());
        messages++;
      }
      expect(messages).toBe(inline ? 2 : 3);
      expect((await store.history(execution.executionArn)).filter((e) => e.type === 'PassStateEntered')).toHaveLength(300);
    }
  });

  it("ends a chain 5 s after its message arrived, its wait for the execution's turn included (AWS home)", async () => {
    const branch = (name: string) => {
      const states: Record<string, object> = {};
      for (let i = 0; i < 20; i++) states[`${name}${i}`] = i === 19 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `${name}${i + 1}` };
      return { StartAt: `${name}0`, States: states };
    };
    const { store, queue, engine, machine, advanceClock } = setup({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [branch('A'), branch('B')], End: true } } });
    await engine.start(machine, 'ex', '{}');
    await engine.process(queue.take());
    const [a, b] = [queue.take(), queue.take()];
    // Every commit takes a second of the (fake) clock.
    const commits: string[] = [];
    const commitStep = store.commitStep.bind(store);
    store.commitStep = (commit) => {
      commits.push(commit.frame.id);
      advanceClock(1000);
      return commitStep(commit);
    };

    // Both branches' messages arrive together: the second waits for the first's chain, and then runs one state.
    await Promise.all([engine.process(a), engine.process(b)]);

    expect(commits.filter((id) => id === a.frameId)).toHaveLength(5);
    expect(commits.filter((id) => id === b.frameId)).toHaveLength(1);
    expect(queue.messages.map((m) => m.message.frameId).sort()).toEqual([a.frameId, b.frameId].sort());
  });

  it('goes on with a chain cut short by a crash when its message comes again', async () => {
    const { store, queue, engine, machine } = setup({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } } });
    const reference = setup({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } } });
    const { execution } = await engine.start(machine, 'ex', '{}');
    const started = await reference.engine.start(reference.machine, 'ex', '{}');
    await reference.engine.process(reference.queue.take());
    const first = queue.take();
    // The process dies after the chain's second commit (B), before C.
    let commits = 0;
    const commitStep = store.commitStep.bind(store);
    store.commitStep = (commit) => {
      const outcome = commitStep(commit);
      if (++commits === 2) throw new Error('injected: crash after commit');
      return outcome;
    };
    await expect(engine.process(first)).rejects.toThrow('injected');
    store.commitStep = commitStep;
    // A copy of the message whose delivery is (as far as it knows) alive does nothing; the redelivery goes on from C.
    await engine.process(first);
    expect((await store.getExecution(execution.executionArn))?.status).toBe('RUNNING');
    await engine.process(first, { redelivered: true });
    expect(queue.messages).toHaveLength(0);
    expect(await store.history(execution.executionArn)).toEqual(await reference.store.history(started.execution.executionArn));
  });

  it("tells the queue when an execution ends, so that it may drop the execution's timers (its deadline's among them)", async () => {
    const { queue, engine, machine } = setup(chain, false, 1);
    const { execution } = await engine.start(machine, 'ex', '{}');
    expect(queue.deadlines.map((d) => d.message.executionArn)).toEqual([execution.executionArn]);
    await engine.process(queue.take());
    expect(queue.forgotten).toEqual([]);
    await engine.process(queue.take());
    expect(queue.forgotten).toEqual([execution.executionArn]);
  });

  it('drops a timer for a state the frame has already left', async () => {
    const { store, queue, engine, machine, advanceClock } = setup({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'Done' }, Done: { Type: 'Succeed' } } });
    const { execution } = await engine.start(machine, 'ex', '{}');
    await engine.process(queue.take());
    const wake = queue.take();
    advanceClock(5000);

    await engine.process(wake);
    await engine.process(wake);

    const types = (await store.history(execution.executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'WaitStateExited')).toHaveLength(1);
  });

  it('fails the execution with States.Runtime instead of leaving it RUNNING when the engine meets a defect', async () => {
    // Unvalidated on purpose: 'Nowhere' does not exist, which validation would have refused.
    const { store, queue, engine, machine } = setup({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'Nowhere' } } }, true);
    const { execution } = await engine.start(machine, 'ex', '{}');

    await engine.process(queue.take());

    const done = await store.getExecution(execution.executionArn);
    expect(done?.status).toBe('FAILED');
    expect(done?.error).toBe('States.Runtime');
    expect(done?.cause).toContain('Nowhere');
  });

  it('times out at the definition TimeoutSeconds and ignores steps after that', async () => {
    const { store, queue, engine, machine, advanceClock } = setup({ TimeoutSeconds: 2, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } });
    const { execution } = await engine.start(machine, 'ex', '{}');
    const [timeout] = queue.deadlines;
    expect(timeout!.delayMs).toBe(2000);
    await engine.process(queue.take());
    advanceClock(2000);

    await engine.process(timeout!.message);
    await engine.process(queue.take());

    const done = await store.getExecution(execution.executionArn);
    expect(done?.status).toBe('TIMED_OUT');
    expect(done?.error).toBeUndefined();
    expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });

  it('sends the deadline with the first step that leaves the execution running, not at the start (local home)', async () => {
    // One that ends in its first step never has a deadline to drop.
    const quick = setup({ TimeoutSeconds: 2, StartAt: 'P', States: { P: { Type: 'Pass', End: true } } }, true);
    const ended = await quick.engine.start(quick.machine, 'ex', '{}');
    expect(quick.queue.deadlines).toEqual([]);
    await quick.engine.process(quick.queue.take());
    expect((await quick.store.getExecution(ended.execution.executionArn))?.status).toBe('SUCCEEDED');
    expect(quick.queue.deadlines).toEqual([]);

    // One that waits gets it in its first step, before the step's own timer, due when start would have set it.
    const { store, queue, engine, machine, advanceClock } = setup({ TimeoutSeconds: 2, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 10, End: true } } }, true);
    const { execution } = await engine.start(machine, 'ex', '{}');
    expect(queue.deadlines).toEqual([]);
    advanceClock(500);
    await engine.process(queue.take());
    expect(queue.sentKinds).toEqual(['run', 'executionTimeout', 'wake']);
    expect(queue.deadlines.map((d) => d.delayMs)).toEqual([1500]);
    advanceClock(1500);
    await engine.process(queue.deadlines[0]!.message);
    await engine.process(queue.take());
    expect(await store.getExecution(execution.executionArn)).toMatchObject({ status: 'TIMED_OUT', stopDate: execution.startDate + 2000 });
    expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
  });

  it('times a Standard execution out at AWS\'s one-year maximum, recorded as TimeoutSeconds is', async () => {
    const year = 365 * 24 * 3600 * 1000;
    const { store, queue, engine, machine, advanceClock } = setup({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 400 * 24 * 3600, End: true } } });
    const { execution } = await engine.start(machine, 'ex', '{}');
    expect(queue.deadlines.map((d) => d.delayMs)).toEqual([year]);
    await engine.process(queue.take());
    const wake = queue.take();
    // A timer that arrives early (a queue's clock ahead of ours) changes nothing.
    advanceClock(year - 1);
    await engine.process(queue.deadlines[0]!.message);
    expect((await store.getExecution(execution.executionArn))?.status).toBe('RUNNING');
    advanceClock(1);
    await engine.process(queue.deadlines[0]!.message);
    advanceClock(35 * 24 * 3600 * 1000);
    await engine.process(wake);

    const done = await store.getExecution(execution.executionArn);
    expect(done).toMatchObject({ status: 'TIMED_OUT', stopDate: execution.startDate + year });
    expect(done?.error).toBeUndefined();
    expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
    // A definition's TimeoutSeconds beyond the year does not lift it.
    const capped = setup({ TimeoutSeconds: 2 * 365 * 24 * 3600, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 1, End: true } } });
    await capped.engine.start(capped.machine, 'ex', '{}');
    expect(capped.queue.deadlines.map((d) => d.delayMs)).toEqual([year]);
  });

  it("runs a Parallel's branches in the step that starts it while each ends at once, with the events their own steps record (local home)", async () => {
    const branch = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', Result: name, End: true } } });
    const { store, queue, engine, machine } = setup({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [branch('a'), branch('b')], Next: 'Done' }, Done: { Type: 'Succeed' } } }, true);
    const { execution } = await engine.start(machine, 'ex', '{}');

    await engine.process(queue.take());
    expect(queue.messages).toHaveLength(0);
    const done = await store.getExecution(execution.executionArn);
    expect(done?.status).toBe('SUCCEEDED');
    expect(JSON.parse(done!.output!)).toEqual(['a', 'b']);
    // As AWS records them: each branch's first event follows ParallelStateStarted, ParallelStateSucceeded the
    // last branch's last event, and ParallelStateExited skips ParallelStateSucceeded in the chain.
    const history = (await store.history(execution.executionArn)).map((e) => [e.id, e.previousEventId, e.type, e.details?.['name']]);
    expect(history).toEqual([
      [1, 0, 'ExecutionStarted', undefined],
      [2, 0, 'ParallelStateEntered', 'P'],
      [3, 2, 'ParallelStateStarted', undefined],
      [4, 3, 'PassStateEntered', 'a'],
      [5, 4, 'PassStateExited', 'a'],
      [6, 3, 'PassStateEntered', 'b'],
      [7, 6, 'PassStateExited', 'b'],
      [8, 7, 'ParallelStateSucceeded', undefined],
      [9, 7, 'ParallelStateExited', 'P'],
      [10, 9, 'SucceedStateEntered', 'Done'],
      [11, 10, 'SucceedStateExited', 'Done'],
      [12, 11, 'ExecutionSucceeded', undefined],
    ]);
  });

  it('leaves a branch that does not end at once, and those after it, to start from their messages (local home)', async () => {
    const pass = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', Result: name, End: true } } });
    const wait = { StartAt: 'w', States: { w: { Type: 'Wait', Seconds: 1, End: true } } };
    const { store, queue, engine, machine, advanceClock } = setup({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [pass('a'), wait, pass('c')], End: true } } }, true);
    const { execution } = await engine.start(machine, 'ex', '{}');

    await engine.process(queue.take());
    const entered = async () => (await store.history(execution.executionArn)).filter((e) => e.type.endsWith('StateEntered')).map((e) => e.details?.['name']);
    // The waiting branch's run in the first step was dropped, and it ran again as the first child
    // started as usual (in the same loop): its events are recorded once. Its wake-up and c's message wait.
    expect(await entered()).toEqual(['P', 'a', 'w']);
    expect(queue.messages).toHaveLength(2);
    while (queue.messages.length > 0) {
      advanceClock(queue.messages[0]!.delayMs);
      await engine.process(queue.take());
    }
    expect(await entered()).toEqual(['P', 'a', 'w', 'c']);

    const done = await store.getExecution(execution.executionArn);
    expect(done?.status).toBe('SUCCEEDED');
    expect(JSON.parse(done!.output!)).toEqual(['a', {}, 'c']);
    const ids = (await store.history(execution.executionArn)).map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it("runs a Map's iterations in the steps that start them, each whole before another, past a step's budget of states (local home)", async () => {
    const items = Array.from({ length: 150 }, (_, i) => i);
    const processor = { StartAt: 'A', States: { A: { Type: 'Pass', Parameters: { 'n.$': '$' }, Next: 'B' }, B: { Type: 'Pass', End: true } } };
    const { store, queue, engine, machine } = setup({ StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: processor, End: true } } }, true);
    const { execution } = await engine.start(machine, 'ex', JSON.stringify(items));

    // 301 states: more than a step runs, so some iterations start from their messages.
    while (queue.messages.length > 0) await engine.process(queue.take());
    const done = await store.getExecution(execution.executionArn);
    expect(JSON.parse(done!.output!)).toEqual(items.map((n) => ({ n })));
    const history = await store.history(execution.executionArn);
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
    // Each iteration whole before the next: MapIterationStarted, A entered and exited, B entered and
    // exited, MapIterationSucceeded, for every index once.
    const started = history.flatMap((e, at) => (e.type === 'MapIterationStarted' ? [at] : []));
    expect(started.map((at) => history[at]!.details?.['index']).sort((a, b) => Number(a) - Number(b))).toEqual(items);
    for (const at of started) {
      const index = history[at]!.details?.['index'];
      expect(history.slice(at, at + 6).map((e) => [e.type, e.details?.['index']])).toEqual([
        ['MapIterationStarted', index],
        ['PassStateEntered', undefined],
        ['PassStateExited', undefined],
        ['PassStateEntered', undefined],
        ['PassStateExited', undefined],
        ['MapIterationSucceeded', index],
      ]);
    }
  });

  it('lets a branch that runs out of the step\'s states go on from where it stopped, each state entered once (local home)', async () => {
    const states: Record<string, object> = {};
    for (let i = 0; i < 300; i++) states[`S${i}`] = { Type: 'Pass', Parameters: { i, 'v.$': '$.v' }, ...(i < 299 ? { Next: `S${i + 1}` } : { End: true }) };
    const short = { StartAt: 'T', States: { T: { Type: 'Pass', Result: 'short', End: true } } };
    const { store, queue, engine, machine } = setup({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'S0', States: states }, short], End: true } } }, true);
    const { execution } = await engine.start(machine, 'ex', '{"v":7}');

    while (queue.messages.length > 0) await engine.process(queue.take());
    const done = await store.getExecution(execution.executionArn);
    expect(JSON.parse(done!.output!)).toEqual([{ i: 299, v: 7 }, 'short']);
    const history = await store.history(execution.executionArn);
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
    const entered = history.filter((e) => e.type === 'PassStateEntered').map((e) => e.details?.['name']);
    expect(entered).toEqual([...Object.keys(states), 'T']);
    // The long branch's states follow one another in the history, each after the one before it.
    const s1 = history.findIndex((e) => e.details?.['name'] === 'S1');
    const s299 = history.findIndex((e) => e.type === 'PassStateExited' && e.details?.['name'] === 'S299');
    expect(history.slice(s1, s299 + 1).every((e, i, all) => i === 0 || e.previousEventId === all[i - 1]!.id)).toBe(true);
  });

  it('fails a Parallel whose branch fails after the branches before it ran in the starting step (local home)', async () => {
    const pass = (name: string) => ({ StartAt: name, States: { [name]: { Type: 'Pass', Result: name, End: true } } });
    const fail = { StartAt: 'f', States: { f: { Type: 'Fail', Error: 'Boom', Cause: 'branch b' } } };
    const { store, queue, engine, machine } = setup({ StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [pass('a'), fail, pass('c')], End: true } } }, true);
    const { execution } = await engine.start(machine, 'ex', '{}');

    while (queue.messages.length > 0) await engine.process(queue.take());
    const done = await store.getExecution(execution.executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'Boom', cause: 'branch b' });
    const types = (await store.history(execution.executionArn)).map((e) => e.type);
    expect(types.filter((t) => t === 'FailStateEntered')).toHaveLength(1);
    expect(types).toContain('ParallelStateFailed');
    const ids = (await store.history(execution.executionArn)).map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });

  it('answers every waiter of an execution at its end, and one that asks after the end at once (local home)', async () => {
    const { queue, engine, machine } = setup(chain, true);
    const { execution } = await engine.start(machine, 'ex', '{"v":1}');
    const waiting = [engine.completion(execution.executionArn), engine.completion(execution.executionArn)];

    while (queue.messages.length > 0) await engine.process(queue.take());

    for (const ended of [...(await Promise.all(waiting)), await engine.completion(execution.executionArn)]) {
      expect(ended.status).toBe('SUCCEEDED');
      expect(ended.output).toBe('{"v":1}');
    }
  });

  it('joins Parallel branches run as separate messages into one ordered result', async () => {
    const { store, queue, engine, machine } = setup({
      StartAt: 'P',
      States: {
        P: {
          Type: 'Parallel',
          Branches: [
            { StartAt: 'A', States: { A: { Type: 'Pass', Result: 'a', End: true } } },
            { StartAt: 'B', States: { B: { Type: 'Pass', Result: 'b', End: true } } },
          ],
          End: true,
        },
      },
    });
    const { execution } = await engine.start(machine, 'ex', '{}');
    while (queue.messages.length > 0) await engine.process(queue.take());

    const done = await store.getExecution(execution.executionArn);
    expect(done?.status).toBe('SUCCEEDED');
    expect(JSON.parse(done!.output!)).toEqual(['a', 'b']);
    const ids = (await store.history(execution.executionArn)).map((e) => e.id);
    expect(ids).toEqual(ids.map((_, i) => i + 1));
  });
});

describe('Engine fairness', () => {
  it('hands a long inline chain back to the queue so other executions get their turn', async () => {
    const loop = { StartAt: 'Again', States: { Again: { Type: 'Pass', Next: 'Again' } } };
    const { queue, engine, machine, store } = setup(loop, true);
    const { execution } = await engine.start(machine, 'endless', '{}');

    await engine.process(queue.take());

    expect(queue.messages).toHaveLength(1);
    expect((await store.getExecution(execution.executionArn))?.status).toBe('RUNNING');
    const events = await store.history(execution.executionArn);
    expect(events.length).toBeGreaterThan(100);
    expect(events.length).toBeLessThan(1000);
  });
});

describe('Engine history quota', () => {
  it('fails an endless execution at event 25,000 exactly as AWS records it', async () => {
    const loop = { StartAt: 'Loop', States: { Loop: { Type: 'Choice', Choices: [{ Variable: '$.spin', BooleanEquals: true, Next: 'Spin' }], Default: 'Done' }, Spin: { Type: 'Pass', Next: 'Loop' }, Done: { Type: 'Succeed' } } };
    const { queue, engine, machine, store } = setup(loop, true);
    const { execution } = await engine.start(machine, 'endless', '{"spin":true}');
    while (queue.messages.length > 0) await engine.process(queue.take());

    const done = await store.getExecution(execution.executionArn);
    expect(done).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).' });
    const events = await store.history(execution.executionArn);
    expect(events).toHaveLength(25_000);
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: 25_000 }, (_, i) => i + 1));
    expect(events.at(-1)).toMatchObject({ id: 25_000, previousEventId: 24_999, type: 'ExecutionFailed', details: { error: 'States.Runtime', cause: 'The execution reached the maximum number of history events (25000).' } });
    expect(events.at(-2)?.type).toMatch(/State(Entered|Exited)$/);
  });

  it('cuts a run of pass-through states at event 25,000 as it cuts any step', async () => {
    const loop = { StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } };
    const { queue, engine, machine, store } = setup(loop, true);
    const { execution } = await engine.start(machine, 'endless', '{"spin":true}');
    while (queue.messages.length > 0) await engine.process(queue.take());

    expect(await store.getExecution(execution.executionArn)).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    const events = await store.history(execution.executionArn);
    expect(events.map((e) => e.id)).toEqual(Array.from({ length: 25_000 }, (_, i) => i + 1));
    // Event 24,999 is the exit of the 12,499th state (A), the run's cut inside a step of 256 states.
    expect(events.slice(-3).map((e) => [e.id, e.previousEventId, e.type, e.details?.['name']])).toEqual([
      [24_998, 24_997, 'PassStateEntered', 'A'],
      [24_999, 24_998, 'PassStateExited', 'A'],
      [25_000, 24_999, 'ExecutionFailed', undefined],
    ]);
  });

  it('lets an execution whose 25,000th event is ExecutionSucceeded succeed', async () => {
    // ExecutionStarted, two events for each of 12,499 Pass states, ExecutionSucceeded: 25,000 events.
    const states: Record<string, object> = {};
    const n = 12_499;
    for (let i = 0; i < n; i++) states[`S${i}`] = i === n - 1 ? { Type: 'Pass', End: true } : { Type: 'Pass', Next: `S${i + 1}` };
    const { queue, engine, machine, store } = setup({ StartAt: 'S0', States: states }, true);
    const { execution } = await engine.start(machine, 'exact', '{}');
    while (queue.messages.length > 0) await engine.process(queue.take());

    const events = await store.history(execution.executionArn);
    expect(events).toHaveLength(25_000);
    expect(events.at(-1)?.type).toBe('ExecutionSucceeded');
    expect((await store.getExecution(execution.executionArn))?.status).toBe('SUCCEEDED');
  });
});

describe('Engine history quota, EXPRESS', () => {
  it('lets an EXPRESS execution run past 25,000 events (the quota is on STANDARD histories)', async () => {
    const loop = { StartAt: 'Loop', States: { Loop: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericLessThan: 13_000, Next: 'Inc' }], Default: 'Done' }, Inc: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Loop' }, Done: { Type: 'Succeed' } } };
    const { queue, engine, machine, store } = setup(loop, true);
    const { execution } = await engine.start({ ...machine, type: 'EXPRESS' }, 'long', '{"n":0}');
    while (queue.messages.length > 0) await engine.process(queue.take());

    const done = await store.getExecution(execution.executionArn);
    expect(done).toMatchObject({ status: 'SUCCEEDED', output: '{"n":13000}' });
    expect((await store.history(execution.executionArn)).length).toBeGreaterThan(50_000);
  });
});

describe('Engine history chaining', () => {
  it("links a Map's events by previousEventId as AWS records them", async () => {
    const { store, queue, engine, machine } = setup(
      { StartAt: 'M', States: { M: { Type: 'Map', MaxConcurrency: 1, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } } },
      true,
    );
    const { execution } = await engine.start(machine, 'ex', '[1,2]');
    while (queue.messages.length > 0) await engine.process(queue.take());

    const chain = (await store.history(execution.executionArn)).map((e) => [e.id, e.previousEventId, e.type]);
    expect(chain).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 0, 'MapStateEntered'],
      [3, 2, 'MapStateStarted'],
      [4, 3, 'MapIterationStarted'],
      [5, 4, 'PassStateEntered'],
      [6, 5, 'PassStateExited'],
      [7, 6, 'MapIterationSucceeded'],
      [8, 6, 'MapIterationStarted'],
      [9, 8, 'PassStateEntered'],
      [10, 9, 'PassStateExited'],
      [11, 10, 'MapIterationSucceeded'],
      [12, 11, 'MapStateSucceeded'],
      [13, 11, 'MapStateExited'],
      [14, 13, 'ExecutionSucceeded'],
    ]);
  });

  it('records ParallelStateSucceeded, which the Exited event skips in the chain', async () => {
    const { store, queue, engine, machine } = setup(
      { StartAt: 'P', States: { P: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } }], End: true } } },
      true,
    );
    const { execution } = await engine.start(machine, 'ex', '{}');
    while (queue.messages.length > 0) await engine.process(queue.take());

    const chain = (await store.history(execution.executionArn)).map((e) => [e.id, e.previousEventId, e.type]);
    expect(chain.slice(-3)).toEqual([
      [6, 5, 'ParallelStateSucceeded'],
      [7, 5, 'ParallelStateExited'],
      [8, 7, 'ExecutionSucceeded'],
    ]);
  });
});
