import { describe, expect, it } from 'vitest';
import { DynamoDbExecutionStore } from '../../lib/adapters/aws/execution-store.js';
import { checkHistoryShape, DeliveryHarness, stateMachine } from '../support/delivery-harness.js';
import { emulatorClients, freshTable } from '../support/aws.js';

const clients = emulatorClients();
const mapOf = (maxConcurrency: number, mode: 'INLINE' | 'DISTRIBUTED' = 'INLINE') => ({
  StartAt: 'Each',
  States: { Each: { Type: 'Map', MaxConcurrency: maxConcurrency, ItemProcessor: { ProcessorConfig: mode === 'INLINE' ? { Mode: mode } : { Mode: mode, ExecutionType: 'STANDARD' }, StartAt: 'Square', States: { Square: { Type: 'Pass', Parameters: { 'v.$': 'States.MathAdd($, $)' }, End: true } } }, End: true } },
});
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

describe('large Maps on DynamoDB (DynamoDB Local)', () => {
  // An INLINE Map runs at most 40 iterations at once (AWS); a DISTRIBUTED one may start all of them.
  it('starts 10,000 iterations at once within DynamoDB\'s item and transaction limits', async () => {
    const store = new DynamoDbExecutionStore(clients.dynamodb, await freshTable(clients));
    const harness = new DeliveryHarness(store);
    const { execution } = await harness.engine.start(stateMachine(mapOf(0, 'DISTRIBUTED')), 'big', JSON.stringify(range(10_000)));

    // The first delivery runs the Map state's start: one step that starts every iteration.
    await harness.drain(100_000, 1);

    const children = await store.frameIdsUnder(execution.executionArn, 'root/Each.');
    expect(children).toHaveLength(10_000);
    const parent = await store.getFrame(execution.executionArn, 'root');
    expect(parent?.frame.join?.total).toBe(10_000);
    expect(parent?.outbox).toHaveLength(10_000);
    expect((await store.history(execution.executionArn)).map((e) => e.type)).toEqual(['ExecutionStarted', 'MapStateEntered', 'MapStateStarted', 'MapRunStarted']);
  }, 120_000);

  it('joins 1,000 iterations, 40 at a time ending side by side, many ends to a step, into one ordered result', async () => {
    const store = new DynamoDbExecutionStore(clients.dynamodb, await freshTable(clients));
    // Every message due at once is delivered at once: the iterations end together and their ends race.
    const harness = new DeliveryHarness(store, { concurrent: true });
    const { execution } = await harness.engine.start(stateMachine(mapOf(0)), 'wide', JSON.stringify(range(1_000)));

    await harness.drain();

    const done = await store.getExecution(execution.executionArn);
    expect(done?.status).toBe('SUCCEEDED');
    expect(JSON.parse(done!.output!)).toEqual(range(1_000).map((i) => ({ v: 2 * i })));
    const history = await store.history(execution.executionArn);
    checkHistoryShape(history);
    expect(history.filter((e) => e.type === 'MapIterationSucceeded')).toHaveLength(1_000);
    // The finished execution keeps its history, not its frames (nor the iterations' tombstones).
    expect(await store.frameIdsUnder(execution.executionArn, '')).toEqual([]);
  }, 240_000);
});
