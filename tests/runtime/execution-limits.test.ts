// AWS's maximum execution time for Standard executions (a year), in both homes' stores, on the
// delivery harness's clock (it jumps to the next due message): an execution still running a year
// after its start times out, recorded as an execution-level TimeoutSeconds is.
import { describe, expect, it } from 'vitest';
import { DynamoDbExecutionStore } from '../../lib/adapters/aws/execution-store.js';
import { MemoryExecutionStore } from '../../lib/adapters/memory/execution-store.js';
import type { ExecutionStore } from '../../lib/runtime/ports.js';
import { emulatorClients, freshTable } from '../support/aws.js';
import { DeliveryHarness, stateMachine } from '../support/delivery-harness.js';

const YEAR_MS = 365 * 24 * 3600 * 1000;
const STORES: [string, () => Promise<ExecutionStore>][] = [
  ['memory (local home)', async () => new MemoryExecutionStore()],
  ['DynamoDB Local (AWS home)', async () => new DynamoDbExecutionStore(emulatorClients().dynamodb, await freshTable(emulatorClients()))],
];

describe.each(STORES)('Standard executions\' one-year maximum (%s)', (_name, makeStore) => {
  it('times out an execution still waiting a year after its start, and nothing it waited for runs after', async () => {
    const store = await makeStore();
    const harness = new DeliveryHarness(store);
    const waitsLonger = { StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 400 * 24 * 3600, Next: 'After' }, After: { Type: 'Pass', End: true } } };
    const { execution } = await harness.engine.start(stateMachine(waitsLonger, 'year'), 'ex', '{}');
    await harness.drain();

    const ended = await store.getExecution(execution.executionArn);
    expect(ended).toMatchObject({ status: 'TIMED_OUT', stopDate: execution.startDate + YEAR_MS });
    expect(ended?.error).toBeUndefined();
    const history = await store.history(execution.executionArn);
    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
    expect(history.at(-1)).toMatchObject({ id: 3, previousEventId: 2, timestamp: execution.startDate + YEAR_MS });
  });

  it('leaves an execution that ends within the year as it ended', async () => {
    const store = await makeStore();
    const harness = new DeliveryHarness(store);
    const { execution } = await harness.engine.start(stateMachine({ StartAt: 'Wait', States: { Wait: { Type: 'Wait', Seconds: 300 * 24 * 3600, End: true } } }, 'within'), 'ex', '{}');
    await harness.drain();
    expect((await store.getExecution(execution.executionArn))?.status).toBe('SUCCEEDED');
    expect((await store.history(execution.executionArn)).at(-1)?.type).toBe('ExecutionSucceeded');
  });
});
