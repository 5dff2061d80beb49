import { beforeEach, describe, expect, it } from 'vitest';
import type { Frame, HistoryEvent } from '../../../lib/asl/frame.js';
import type { ExecutionRecord, ExecutionStore, StateMachineRecord, StepCommit } from '../../../lib/runtime/ports.js';

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
  return { executionArn: execution.executionArn, nextEventId: 3, frame: aFrame({ sequence: 1 }), expectedSequence: 0, events: [anEvent(2)], ...overrides };
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

    it('lets exactly one of two racing deliveries commit the same step', async () => {
      const execution = anExecution('race');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);

      const won = await Promise.all([store.commitStep(commitOf(execution)), store.commitStep(commitOf(execution, { frame: aFrame({ sequence: 1, stateName: 'B' }) }))]);

      expect(won.filter(Boolean)).toHaveLength(1);
      expect((await store.getFrame(execution.executionArn, 'root'))?.sequence).toBe(1);
      expect((await store.history(execution.executionArn)).map((e) => e.id)).toEqual([1, 2]);
      expect((await store.getExecution(execution.executionArn))?.nextEventId).toBe(3);
    });

    it('ends an execution with the step that finishes it, and refuses steps after that', async () => {
      const execution = anExecution('end');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);

      await store.commitStep(commitOf(execution, { end: { status: 'SUCCEEDED', stopDate: 5, output: '{"ok":true}' }, events: [anEvent(2, 'ExecutionSucceeded')] }));

      expect(await store.getExecution(execution.executionArn)).toMatchObject({ status: 'SUCCEEDED', stopDate: 5, output: '{"ok":true}', nextEventId: 3 });
      expect(await store.commitStep(commitOf(execution, { expectedSequence: 1, frame: aFrame({ sequence: 2 }) }))).toBe(false);
      expect(await store.finishExecution({ ...execution, status: 'ABORTED' }, [anEvent(3, 'ExecutionAborted')])).toBe(false);
    });

    it('adds and removes child frames with the step that starts or ends them', async () => {
      const execution = anExecution('children');
      await store.createExecution(execution, aFrame(), [anEvent(1, 'ExecutionStarted')]);
      const child = aFrame({ id: 'root/P.1#0', parentId: 'root', index: 0 });

      await store.commitStep(commitOf(execution, { newFrames: [child] }));
      expect(await store.childFrameIds(execution.executionArn, 'root')).toEqual([child.id]);

      await store.commitStep(commitOf(execution, { frame: { ...child, sequence: 1 }, expectedSequence: 0, nextEventId: 4, events: [anEvent(3)], removedFrameIds: [child.id] }));
      expect(await store.childFrameIds(execution.executionArn, 'root')).toEqual([]);
      expect(await store.getFrame(execution.executionArn, child.id)).toBeUndefined();
    });

    it('lists executions newest first, filtered by status', async () => {
      await store.createExecution(anExecution('first'), aFrame(), []);
      await store.createExecution(anExecution('second', { status: 'RUNNING' }), aFrame(), []);
      await store.finishExecution({ ...anExecution('first'), status: 'ABORTED', stopDate: 2 }, [anEvent(2, 'ExecutionAborted')]);

      expect((await store.listExecutions(SM_ARN)).map((e) => e.name)).toEqual(['second', 'first']);
      expect((await store.listExecutions(SM_ARN, 'ABORTED')).map((e) => e.name)).toEqual(['first']);
    });
  });
}
