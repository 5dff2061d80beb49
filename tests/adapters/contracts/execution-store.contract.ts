import { beforeEach, describe, expect, it } from 'vitest';
import type { Frame, HistoryEvent } from '../../../lib/asl/frame.js';
import type { ExecutionRecord, ExecutionStore, OutboxEntry, StateMachineRecord, StepCommit } from '../../../lib/runtime/ports.js';

const SM_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:contract';

function aMachine(overrides: Partial<StateMachineRecord> = {}): StateMachineRecord {
  return {
    stateMachineArn: SM_ARN,
    name: 'contract',
    type: 'STANDARD',
    definition: '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}',
    roleArn: 'arn:aws:iam::123456789012:role/r',
    creationDate: 1,
    revisionId: 'r1',
    loggingConfiguration: { level: 'OFF' },
    tracingConfiguration: { enabled: false },
    tags: {},
    ...overrides,
  };
}

function anExecution(name: string, overrides: Partial<ExecutionRecord> = {}): ExecutionRecord {
  return {
    executionArn: `arn:aws:states:us-east-1:123456789012:execution:contract:${name}`,
    stateMachineArn: SM_ARN,
    name,
    type: 'STANDARD',
    status: 'RUNNING',
    input: '{}',
    startDate: 1,
    definition: aMachine().definition,
    roleArn: 'arn:aws:iam::123456789012:role/r',
    revisionId: 'r1',
    redriveCount: 0,
    nextEventId: 2,
    ...overrides,
  };
}

function aFrame(overrides: Partial<Frame> = {}): Frame {
  return { id: 'root', scopeKey: '', sequence: 0, stateName: 'A', input: {}, phase: 'enter', enteredEventId: 0, enteredAt: 1, lastEventId: 0, attempts: [], variables: {}, ...overrides };
}

function anEvent(id: number, type = 'PassStateEntered'): HistoryEvent {
  return { id, previousEventId: id - 1, timestamp: 1, type, details: undefined };
}

function commitOf(execution: ExecutionRecord, overrides: Partial<StepCommit> = {}): StepCommit {
  return { executionArn: execution.executionArn, firstEventId: 2, nextEventId: 3, frame: aFrame({ sequence: 1 }), expectedSequence: 0, events: [anEvent(2)], outbox: [], ...overrides };
}

function runMessage(execution: ExecutionRecord, frameId: string, sequence: number): OutboxEntry {
  return { message: { executionArn: execution.executionArn, frameId, sequence, event: { kind: 'run' } } };
}

/** What every ExecutionStore must do, whatever keeps the data (memory here, DynamoDB in the AWS home). */
export function executionStoreContract(adapter: string, open: () => Promise<ExecutionStore>): void {
  describe(`ExecutionStore contract (${adapter})`, () => {
    let store: ExecutionStore;
    beforeEach(async () => {
      store = await open();
    });

    it('keeps, lists and deletes state machines', async () => {
      await store.putStateMachine(aMachine());
      expect((await store.getStateMachine(SM_ARN))?.name).toBe('contract');
      expect((await store.listStateMachines()).map((m) => m.stateMachineArn)).toEqual([SM_ARN]);

      await store.deleteStateMachine(SM_ARN);

      expect(await store.getStateMachine(SM_ARN)).toBeUndefined();
    });

    it('creates an execution once and refuses a second one of the same ARN', async () => {
      const execution = anExecution('once');

      expect(await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')])).toBe(true);
      expect(await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')])).toBe(false);

      expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted']);
    });

    it('lets exactly one of two racing deliveries commit the same step; the other is stale', async () => {
      const execution = anExecution('race');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);

      const outcomes = await Promise.all([store.commitStep(commitOf(execution)), store.commitStep(commitOf(execution, { frame: aFrame({ sequence: 1, stateName: 'B' }) }))]);

      expect([...outcomes].sort()).toEqual(['committed', 'stale']);
      expect((await store.getFrame(execution.executionArn, 'root'))?.frame.sequence).toBe(1);
      expect((await store.history(execution.executionArn)).map((e) => e.id)).toEqual([1, 2]);
      expect((await store.getExecution(execution.executionArn))?.nextEventId).toBe(3);
    });

    it('keeps event ids dense across frames: a step that read an old counter is told to step again', async () => {
      const execution = anExecution('counter');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const left = aFrame({ id: 'root/P.0#0', parentId: 'root', index: 0 });
      const right = aFrame({ id: 'root/P.0#1', parentId: 'root', index: 1 });
      await store.commitStep(commitOf(execution, { newFrames: [left, right], frame: aFrame({ sequence: 1, phase: 'joining' }) }));

      const first = await store.commitStep(commitOf(execution, { frame: { ...left, sequence: 1 }, firstEventId: 3, nextEventId: 4, events: [anEvent(3)] }));
      const second = await store.commitStep(commitOf(execution, { frame: { ...right, sequence: 1 }, firstEventId: 3, nextEventId: 4, events: [anEvent(3)] }));
      const again = await store.commitStep(commitOf(execution, { frame: { ...right, sequence: 1 }, firstEventId: 4, nextEventId: 6, events: [anEvent(4), anEvent(5)] }));

      expect([first, second, again]).toEqual(['committed', 'conflict', 'committed']);
      expect((await store.history(execution.executionArn)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5]);
      expect((await store.getExecution(execution.executionArn))?.nextEventId).toBe(6);
    });

    it('keeps a step\'s outbox with its frame, for a redelivery to send again', async () => {
      const execution = anExecution('outbox');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const outbox = [runMessage(execution, 'root', 1), { ...runMessage(execution, 'root', 1), delayMs: 1500 }];

      await store.commitStep(commitOf(execution, { outbox }));

      const stored = await store.getFrame(execution.executionArn, 'root');
      expect(stored).toMatchObject({ finished: false, outbox });
      expect(stored?.frame).toEqual(aFrame({ sequence: 1 }));
    });

    it('reads an execution and one of its frames together, as the latest commit left them', async () => {
      const execution = anExecution('together');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      expect(await store.getExecutionAndFrame(execution.executionArn, 'root')).toMatchObject({ execution: { nextEventId: 2, status: 'RUNNING' }, stored: { frame: { sequence: 0 }, finished: false } });

      // A step that ran in the chain of the message for sequence 0 says so, for that message's redelivery.
      await store.commitStep(commitOf(execution, { outbox: [runMessage(execution, 'root', 1)] }));
      await store.commitStep(commitOf(execution, { frame: aFrame({ sequence: 2 }), expectedSequence: 1, firstEventId: 3, nextEventId: 4, events: [anEvent(3)], outbox: [runMessage(execution, 'root', 2)], chainStart: 0 }));
      const loaded = await store.getExecutionAndFrame(execution.executionArn, 'root');
      expect(loaded?.execution.nextEventId).toBe(4);
      expect(loaded?.stored).toMatchObject({ frame: { sequence: 2 }, outbox: [runMessage(execution, 'root', 2)], chainStart: 0 });
      expect(await store.getExecutionAndFrame(execution.executionArn, 'root/none')).toMatchObject({ execution: { nextEventId: 4 }, stored: undefined });
      expect(await store.getExecutionAndFrame(`${execution.executionArn}-none`, 'root')).toBeUndefined();
      expect((await store.history(execution.executionArn)).map((e) => e.id)).toEqual([1, 2, 3]);
    });

    it('keeps a joining root frame, its join state and all, and takes it back when the join ends', async () => {
      const execution = anExecution('joining');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const results = Array.from({ length: 50 }, (_, i) => ({ item: i, text: 'x'.repeat(100) }));
      const join = { kind: 'Map' as const, epoch: 1, effectiveInput: {}, total: 50, results, started: 1, finished: 0, failed: 0, maxConcurrency: 0 };
      const child = aFrame({ id: 'root/M.1#0', parentId: 'root', index: 0 });
      const joining = aFrame({ sequence: 1, phase: 'joining', join });
      expect(await store.commitStep(commitOf(execution, { frame: joining, newFrames: [child] }))).toBe('committed');
      expect((await store.getFrame(execution.executionArn, 'root'))?.frame.join?.results).toEqual(results);
      expect(await store.frameIdsUnder(execution.executionArn, '')).toEqual(expect.arrayContaining(['root', child.id]));

      const toParent: OutboxEntry = { message: { executionArn: execution.executionArn, frameId: 'root', sequence: -1, from: child.id, event: { kind: 'childSucceeded', index: 0, output: 1 } } };
      await store.commitStep(commitOf(execution, { frame: { ...child, sequence: 1 }, firstEventId: 3, nextEventId: 4, events: [anEvent(3)], finished: true, outbox: [toParent] }));
      // A step of the joining root from before the join is a duplicate.
      expect(await store.commitStep(commitOf(execution, { frame: aFrame({ sequence: 2 }), expectedSequence: 0, firstEventId: 4, nextEventId: 5, events: [anEvent(4)] }))).toBe('stale');
      const done = commitOf(execution, { frame: aFrame({ sequence: 2, stateName: 'B' }), expectedSequence: 1, firstEventId: 4, nextEventId: 6, events: [anEvent(4), anEvent(5)], consumedFrameIds: [child.id] });
      expect(await store.commitStep(done)).toBe('committed');
      expect(await store.commitStep(done)).toBe('stale');
      const loaded = await store.getExecutionAndFrame(execution.executionArn, 'root');
      expect(loaded?.stored).toMatchObject({ frame: { sequence: 2, stateName: 'B' }, consumed: [child.id] });
      expect(loaded?.stored?.frame.join).toBeUndefined();
      expect(await store.frameIdsUnder(execution.executionArn, '')).toEqual(['root']);
      expect(await store.commitStep(commitOf(execution, { frame: aFrame({ sequence: 3, stateName: 'C' }), expectedSequence: 2, firstEventId: 6, nextEventId: 7, events: [anEvent(6)] }))).toBe('committed');
      expect((await store.history(execution.executionArn)).map((e) => e.id)).toEqual([1, 2, 3, 4, 5, 6]);
    });

    it('keeps a finished child until its parent consumes it, once', async () => {
      const execution = anExecution('children');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const child = aFrame({ id: 'root/P.0#0', parentId: 'root', index: 0 });
      const toParent: OutboxEntry = { message: { executionArn: execution.executionArn, frameId: 'root', sequence: -1, from: child.id, event: { kind: 'childSucceeded', index: 0, output: 1 } } };
      await store.commitStep(commitOf(execution, { newFrames: [child], frame: aFrame({ sequence: 1, phase: 'joining' }) }));
      expect(await store.frameIdsUnder(execution.executionArn, 'root/P.0#')).toEqual([child.id]);

      await store.commitStep(commitOf(execution, { frame: { ...child, sequence: 1 }, firstEventId: 3, nextEventId: 4, events: [anEvent(3)], finished: true, outbox: [toParent] }));
      expect(await store.getFrame(execution.executionArn, child.id)).toMatchObject({ finished: true, outbox: [toParent] });
      expect(await store.commitStep(commitOf(execution, { frame: { ...child, sequence: 2 }, expectedSequence: 1, firstEventId: 4, nextEventId: 4, events: [] }))).toBe('stale');

      const consume = (sequence: number) => commitOf(execution, { frame: aFrame({ sequence: sequence + 1 }), expectedSequence: sequence, firstEventId: 4, nextEventId: 5, events: [anEvent(4)], consumedFrameIds: [child.id] });
      expect(await store.commitStep(consume(1))).toBe('committed');
      expect(await store.getFrame(execution.executionArn, child.id)).toBeUndefined();
      expect((await store.getFrame(execution.executionArn, 'root'))?.consumed).toEqual([child.id]);
      expect(await store.commitStep(consume(2))).toBe('stale');
      expect((await store.history(execution.executionArn)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
    });

    it('tells the second of two children\'s ends at one join to step again, not to drop', async () => {
      const execution = anExecution('two-ends');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const children = [0, 1].map((i) => aFrame({ id: `root/P.0#${i}`, parentId: 'root', index: i }));
      await store.commitStep(commitOf(execution, { newFrames: children, frame: aFrame({ sequence: 1, phase: 'joining' }) }));
      for (const child of children) await store.commitStep(commitOf(execution, { frame: { ...child, sequence: 1 }, firstEventId: 3, nextEventId: 3, events: [], finished: true }));
      const consume = (child: Frame, sequence: number, first: number) =>
        commitOf(execution, { frame: aFrame({ sequence: sequence + 1 }), expectedSequence: sequence, firstEventId: first, nextEventId: first + 1, events: [anEvent(first)], consumedFrameIds: [child.id] });

      expect(await store.commitStep(consume(children[0]!, 1, 3))).toBe('committed');
      expect(await store.commitStep(consume(children[1]!, 1, 3))).toBe('conflict');
      expect(await store.commitStep(consume(children[1]!, 2, 4))).toBe('committed');
      expect((await store.history(execution.executionArn)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
    });

    it('finds a join\'s finished children and consumes several in one step', async () => {
      const execution = anExecution('many-ends');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const children = [0, 1, 2].map((i) => aFrame({ id: `root/M.0#${i}`, parentId: 'root', index: i }));
      const grandchild = aFrame({ id: 'root/M.0#2/P.0#0', parentId: 'root/M.0#2', index: 0 });
      await store.commitStep(commitOf(execution, { newFrames: children, frame: aFrame({ sequence: 1, phase: 'joining' }) }));
      await store.commitStep(commitOf(execution, { newFrames: [grandchild], frame: { ...children[2]!, sequence: 1 }, firstEventId: 3, nextEventId: 3, events: [] }));
      await store.commitStep(commitOf(execution, { frame: { ...grandchild, sequence: 1 }, firstEventId: 3, nextEventId: 3, events: [], finished: true }));
      for (const child of children.slice(0, 2)) await store.commitStep(commitOf(execution, { frame: { ...child, sequence: 1 }, firstEventId: 3, nextEventId: 3, events: [], finished: true }));

      const finished = await store.finishedChildren(execution.executionArn, 'root/M.0#');
      expect(finished.map((f) => f.frame.id).sort()).toEqual(['root/M.0#0', 'root/M.0#1']);

      const consume = (ids: string[], sequence: number) => commitOf(execution, { frame: aFrame({ sequence: sequence + 1 }), expectedSequence: sequence, firstEventId: 3, nextEventId: 4, events: [anEvent(3)], consumedFrameIds: ids });
      // Another step took one of the others first: step again (the message's own child is still there).
      expect(await store.commitStep(consume(['root/M.0#0', 'root/M.0#9'], 1))).toBe('conflict');
      expect(await store.commitStep(consume(['root/M.0#0', 'root/M.0#1'], 1))).toBe('committed');
      expect(await store.finishedChildren(execution.executionArn, 'root/M.0#')).toEqual([]);
      expect((await store.getFrame(execution.executionArn, 'root'))?.consumed).toEqual(['root/M.0#0', 'root/M.0#1']);
    });

    it('removes abandoned children with the step that abandons them', async () => {
      const execution = anExecution('cancel');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const children = [0, 1].map((i) => aFrame({ id: `root/P.0#${i}`, parentId: 'root', index: i }));
      const grandchild = aFrame({ id: 'root/P.0#1/M.0#0', parentId: 'root/P.0#1', index: 0 });
      await store.commitStep(commitOf(execution, { newFrames: children, frame: aFrame({ sequence: 1, phase: 'joining' }) }));
      await store.commitStep(commitOf(execution, { newFrames: [grandchild], frame: { ...children[1]!, sequence: 1 }, firstEventId: 3, nextEventId: 3, events: [] }));
      const ids = await store.frameIdsUnder(execution.executionArn, 'root/P.0#');
      expect([...ids].sort()).toEqual(['root/P.0#0', 'root/P.0#1', 'root/P.0#1/M.0#0']);

      await store.commitStep(commitOf(execution, { frame: { ...children[0]!, sequence: 1 }, firstEventId: 3, nextEventId: 3, events: [], finished: true }));

      // The parent consumes the child that failed and abandons the rest, that child included.
      const outcome = await store.commitStep(commitOf(execution, { frame: aFrame({ sequence: 2 }), expectedSequence: 1, firstEventId: 3, nextEventId: 4, events: [anEvent(3)], consumedFrameIds: [children[0]!.id], removedFrameIds: ids }));

      expect(outcome).toBe('committed');
      expect(await store.frameIdsUnder(execution.executionArn, 'root/')).toEqual([]);
      expect(await store.getFrame(execution.executionArn, grandchild.id)).toBeUndefined();
    });

    it('ends an execution with the step that finishes it, and refuses steps after that', async () => {
      const execution = anExecution('end');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);

      await store.commitStep(commitOf(execution, { end: { status: 'SUCCEEDED', stopDate: 5, output: '{"ok":true}' }, events: [anEvent(2, 'ExecutionSucceeded')], finished: true }));

      expect(await store.getExecution(execution.executionArn)).toMatchObject({ status: 'SUCCEEDED', stopDate: 5, output: '{"ok":true}', nextEventId: 3 });
      expect(await store.commitStep(commitOf(execution, { expectedSequence: 1, frame: aFrame({ sequence: 2 }), firstEventId: 3, nextEventId: 4, events: [anEvent(3)] }))).toBe('stale');
      expect(await store.finishExecution({ ...execution, status: 'ABORTED', nextEventId: 4 }, [anEvent(3, 'ExecutionAborted')])).toBe('stale');
      expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionSucceeded']);
    });

    it('ends an execution from outside only while its event counter is where the caller read it', async () => {
      const execution = anExecution('stop');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      await store.commitStep(commitOf(execution));

      expect(await store.finishExecution({ ...execution, status: 'ABORTED', stopDate: 9, nextEventId: 3 }, [anEvent(2, 'ExecutionAborted')])).toBe('conflict');
      expect(await store.finishExecution({ ...execution, status: 'ABORTED', stopDate: 9, nextEventId: 4 }, [anEvent(3, 'ExecutionAborted')])).toBe('committed');

      expect(await store.getExecution(execution.executionArn)).toMatchObject({ status: 'ABORTED', stopDate: 9, nextEventId: 4 });
      expect(await store.getFrame(execution.executionArn, 'root')).toBeUndefined();
      expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'ExecutionAborted']);
    });

    it('keeps history events as they were written, details and all', async () => {
      const execution = anExecution('details', { input: '{"a": [1, 2]}' });
      const started: HistoryEvent = { id: 1, previousEventId: 0, timestamp: 1764000000123, type: 'ExecutionStarted', details: { input: '{"a": [1, 2]}', inputDetails: { truncated: false }, roleArn: 'arn:aws:iam::1:role/r' } };
      await store.createExecution(execution, aFrame({ input: { a: [1, 2] } }), [started]);
      const entered: HistoryEvent = { id: 2, previousEventId: 0, timestamp: 1764000000124, type: 'PassStateEntered', details: { name: 'A', input: '{"a": [1, 2]}', inputDetails: { truncated: false } } };

      await store.commitStep(commitOf(execution, { events: [entered] }));

      expect(await store.history(execution.executionArn)).toEqual([started, entered]);
      expect(await store.getExecution(execution.executionArn)).toMatchObject({ input: '{"a": [1, 2]}', definition: execution.definition });
    });

    it('lists executions newest first, filtered by status', async () => {
      await store.createExecution(anExecution('first'), aFrame(), [anEvent(1, 'ExecutionStarted')]);
      await store.createExecution(anExecution('second', { startDate: 2 }), aFrame(), [anEvent(1, 'ExecutionStarted')]);
      await store.finishExecution({ ...anExecution('first'), status: 'ABORTED', stopDate: 2, nextEventId: 3 }, [anEvent(2, 'ExecutionAborted')]);

      expect((await store.listExecutions(SM_ARN)).map((e) => e.name)).toEqual(['second', 'first']);
      expect((await store.listExecutions(SM_ARN, 'ABORTED')).map((e) => e.name)).toEqual(['first']);
    });
  });
}
