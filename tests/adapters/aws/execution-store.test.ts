import { GetItemCommand, type AttributeValue } from '@aws-sdk/client-dynamodb';
import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { DynamoDbExecutionStore } from '../../../lib/adapters/aws/execution-store.js';
import { executionPk, itemSize, META } from '../../../lib/adapters/aws/table.js';
import type { CommitOutcome, ExecutionRecord, StepCommit } from '../../../lib/runtime/ports.js';
import type { Frame, HistoryEvent } from '../../../lib/asl/frame.js';
import { emulatorClients, freshTable } from '../../support/aws.js';
import { DeliveryHarness, stateMachine } from '../../support/delivery-harness.js';
import { executionStoreContract } from '../contracts/execution-store.contract.js';

const clients = emulatorClients();
executionStoreContract('DynamoDB Local', async () => new DynamoDbExecutionStore(clients.dynamodb, await freshTable(clients)));

/** The DynamoDB store, reading its META item back (raw) after the start and after each committed step. */
class MeasuredStore extends DynamoDbExecutionStore {
  readonly metas: Record<string, AttributeValue>[] = [];

  constructor(private readonly tableName: string) {
    super(clients.dynamodb, tableName);
  }

  override async createExecution(record: ExecutionRecord, root: Frame, events: readonly HistoryEvent[]): Promise<boolean> {
    const created = await super.createExecution(record, root, events);
    await this.measure(record.executionArn);
    return created;
  }

  override async commitStep(commit: StepCommit): Promise<CommitOutcome> {
    const outcome = await super.commitStep(commit);
    if (outcome === 'committed') await this.measure(commit.executionArn);
    return outcome;
  }

  private async measure(executionArn: string): Promise<void> {
    const { Item } = await clients.dynamodb.send(new GetItemCommand({ TableName: this.tableName, Key: { pk: { S: executionPk(executionArn) }, sk: { S: META } }, ConsistentRead: true }));
    this.metas.push(Item!);
  }
}

describe('the META item (DynamoDB Local)', () => {
  // A step of the root frame rewrites META: under 1 KB before and after, it bills 1 write unit, not 2.
  it('stays under 1 KB through every step of a small execution, and reads back whole', async () => {
    const store = new MeasuredStore(await freshTable(clients));
    const harness = new DeliveryHarness(store);
    const definition = {
      StartAt: 'Receive',
      States: {
        Receive: { Type: 'Pass', Next: 'Price' },
        Price: { Type: 'Pass', Parameters: { 'orderId.$': '$.orderId', 'total.$': 'States.MathAdd($.lines[0].qty, $.lines[1].qty)' }, ResultPath: '$.priced', Next: 'Ship' },
        Ship: { Type: 'Pass', Result: { carrier: 'ups' }, ResultPath: '$.shipping', Next: 'Done' },
        Done: { Type: 'Pass', End: true },
      },
    };
    const input = '{"orderId":"o-1","lines":[{"sku":"sku-1","qty":2},{"sku":"sku-2","qty":1}],"note":"pass-through"}';
    const { execution } = await harness.engine.start(stateMachine(definition, 'order-pipeline'), '5f0c8a2e-6d1b-4a8e-9c3f-2b7d4e1a9c60', input);
    await harness.drain();

    const done = await store.getExecution(execution.executionArn);
    expect(done?.status).toBe('SUCCEEDED');
    expect(JSON.parse(done!.output!)).toEqual({ ...JSON.parse(input), priced: { orderId: 'o-1', total: 3 }, shipping: { carrier: 'ups' } });
    // The start, the four states' steps and the end, each read back as DynamoDB holds it.
    const withRoot = store.metas.filter((item) => item['seq'] !== undefined);
    expect(withRoot.length).toBeGreaterThanOrEqual(4);
    for (const item of store.metas) expect(itemSize(item)).toBeLessThan(1024);
    // Nothing lost: the record and the history as the memory store would give them (the contract above checks the rest).
    expect(done).toMatchObject({ executionArn: execution.executionArn, stateMachineArn: execution.stateMachineArn, name: execution.name, startDate: execution.startDate, type: 'STANDARD', revisionId: 'r1' });
    const history = await store.history(execution.executionArn);
    expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
    expect(history.find((e) => e.type === 'PassStateExited' && e.details?.['name'] === 'Price')?.details?.['output']).toBe(JSON.stringify({ ...JSON.parse(input), priced: { orderId: 'o-1', total: 3 } }));
  });

  // Steps add their events to META's pending ones while it stays under 1 KB; a step whose events do
  // not fit puts the pending ones in their own item first. A process that read META before others
  // added to it (its commit will be refused) must not put fewer events over that item.
  it('never lets a late put of the pending events take events from their item', async () => {
    const table = await freshTable(clients);
    const [a, c] = [new DynamoDbExecutionStore(clients.dynamodb, table), new DynamoDbExecutionStore(clients.dynamodb, table)];
    const executionArn = 'arn:aws:states:us-east-1:123456789012:execution:late:put';
    const record: ExecutionRecord = { executionArn, stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:late', name: 'put', type: 'STANDARD', status: 'RUNNING', input: '{}', startDate: 1, definition: '{}', roleArn: 'arn:aws:iam::123456789012:role/r', revisionId: 'r1', redriveCount: 0, nextEventId: 2 };
    const frame = (sequence: number): Frame => ({ id: 'root', scopeKey: '', sequence, stateName: 'A', input: {}, phase: 'enter', enteredEventId: 0, enteredAt: 1, lastEventId: 0, attempts: [], variables: {} });
    // Random text does not compress: a step with this event does not fit in META beside others.
    const event = (id: number, large = false): HistoryEvent => ({ id, previousEventId: id - 1, timestamp: 1, type: 'PassStateEntered', details: large ? { name: randomBytes(800).toString('hex') } : undefined });
    const step = (sequence: number, first: number, events: HistoryEvent[]): StepCommit => ({ executionArn, firstEventId: first, nextEventId: first + events.length, frame: frame(sequence + 1), expectedSequence: sequence, events, outbox: [] });

    await a.createExecution(record, frame(0), [event(1)]);
    expect(await a.commitStep(step(0, 2, [event(2)]))).toBe('committed');
    await c.getFrame(executionArn, 'root'); // c reads META: events 1-2 pending, counter at 3
    expect(await a.commitStep(step(1, 3, [event(3)]))).toBe('committed'); // added: 1-3 pending
    expect(await a.commitStep(step(2, 4, [event(4, true)]))).toBe('committed'); // 1-3 to their item, 4 pending
    // c steps from what it read: it puts 1-2 (as it knows them) before its commit, which is refused.
    expect(await c.commitStep(step(1, 3, [event(3, true)]))).toBe('stale');

    expect((await a.history(executionArn)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
    expect((await c.history(executionArn)).map((e) => e.id)).toEqual([1, 2, 3, 4]);
  });
});
