import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  DeleteItemCommand,
  DynamoDBClient,
  GetItemCommand,
  ProvisionedThroughputExceededException,
  PutItemCommand,
  QueryCommand,
  TransactionCanceledException,
  TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { describe, expect, it } from 'vitest';
import { DynamoDbExecutionStore } from '../../../lib/adapters/aws/execution-store.js';
import { MemoryExecutionStore } from '../../../lib/adapters/memory/execution-store.js';
import type { ExecutionStore } from '../../../lib/runtime/ports.js';
import { checkHistoryShape, DeliveryHarness, stateMachine, type Faults } from '../../support/delivery-harness.js';
import { emulatorClients, freshTable } from '../../support/aws.js';
import { FAULT_MACHINES } from '../../support/fault-machines.js';

const clients = emulatorClients();

async function run(store: ExecutionStore, definition: object, faults: Faults = {}) {
  const harness = new DeliveryHarness(store, faults);
  const { execution } = await harness.engine.start(stateMachine(definition), 'ex', '{"in":true}');
  await harness.drain();
  return { harness, history: await store.history(execution.executionArn), execution: await store.getExecution(execution.executionArn) };
}

const dynamo = async () => new DynamoDbExecutionStore(clients.dynamodb, await freshTable(clients));

/**
 * A DynamoDB client mocked by aws-sdk-client-mock: some calls fail the way DynamoDB can fail them,
 * the others go through to DynamoDB Local. (The mock replaces the SDK's retries too: every failure
 * reaches the step, which must leave its message to come again.)
 */
function faultyClient(fail: (command: string, call: number) => Error | undefined): { client: DynamoDBClient; arm(on: boolean): void } {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  let armed = false;
  let call = 0;
  const commands = { GetItemCommand, BatchGetItemCommand, PutItemCommand, DeleteItemCommand, QueryCommand, TransactWriteItemsCommand, BatchWriteItemCommand };
  for (const [name, Command] of Object.entries(commands)) {
    const Make = Command as unknown as new (input: unknown) => Parameters<DynamoDBClient['send']>[0];
    mock.on(Command as never).callsFake(async (input: unknown) => {
      const error = armed ? fail(name, ++call) : undefined;
      if (error) throw error;
      return clients.dynamodb.send(new Make(input));
    });
  }
  return { client, arm: (on) => (armed = on) };
}

describe('exactly-once steps on DynamoDB (DynamoDB Local)', () => {
  for (const [name, definition] of Object.entries(FAULT_MACHINES)) {
    describe(name, () => {
      it('records exactly the history of the memory store, also when every message comes twice, racing', async () => {
        const reference = await run(new MemoryExecutionStore(), definition);
        const plain = await run(await dynamo(), definition);
        const racing = await run(await dynamo(), definition, { duplicate: 'racing' });
        expect(plain.history).toEqual(reference.history);
        expect(racing.history).toEqual(reference.history);
        expect(racing.execution?.output).toBe(reference.execution?.output);
      });

      it('loses nothing to a crash between commit and send', async () => {
        const reference = await run(new MemoryExecutionStore(), definition);
        for (let n = 1; n <= reference.harness.deliveries; n += 3) {
          const crashed = await run(await dynamo(), definition, { crashAfterCommit: n });
          expect(crashed.history, `crash after commit #${n}`).toEqual(reference.history);
        }
      });

      it('keeps ids dense when branches commit concurrently (the losers of the counter race step again)', async () => {
        const reference = await run(new MemoryExecutionStore(), definition);
        const concurrent = await run(await dynamo(), definition, { concurrent: true, duplicate: true });
        checkHistoryShape(concurrent.history);
        expect(concurrent.history.map((e) => e.type).sort()).toEqual(reference.history.map((e) => e.type).sort());
        expect(concurrent.execution?.output).toBe(reference.execution?.output);
      });
    });
  }

  it('rides out throttling and transaction conflicts (aws-sdk-client-mock) with the undisturbed history', async () => {
    const definition = FAULT_MACHINES.fanOut;
    const reference = await run(new MemoryExecutionStore(), definition);
    // A fixed pseudo-random sequence (not a period a step's calls could fall into step with).
    let seed = 42;
    const chance = (p: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31) < p;
    const throttled = faultyClient((command) => {
      if (chance(0.1)) return new ProvisionedThroughputExceededException({ message: 'Rate exceeded', $metadata: {} });
      if (command === 'TransactWriteItemsCommand' && chance(0.2)) {
        return new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] });
      }
      return undefined;
    });
    const table = await freshTable(clients);
    const store = new DynamoDbExecutionStore(throttled.client, table);
    const harness = new DeliveryHarness(store);
    const { execution } = await harness.engine.start(stateMachine(definition), 'ex', '{"in":true}');
    throttled.arm(true);
    await harness.drain();
    throttled.arm(false);
    expect(await store.history(execution.executionArn)).toEqual(reference.history);
    expect(harness.deliveries).toBeGreaterThan(reference.harness.deliveries);
  });
});
