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
  UpdateItemCommand,
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

/** A failure injected into a DynamoDB call: before it reaches DynamoDB, or once it has been applied (the reply lost, or the process gone). */
type Injected = Error | { readonly after: Error };

/**
 * A DynamoDB client mocked by aws-sdk-client-mock: some calls fail the way DynamoDB can fail them,
 * the others go through to DynamoDB Local. (The mock replaces the SDK's retries too: every failure
 * reaches the step, which must leave its message to come again.)
 */
function faultyClient(fail: (command: string, call: number) => Injected | undefined): { client: DynamoDBClient; arm(on: boolean): void } {
  const client = new DynamoDBClient({ region: 'us-east-1' });
  const mock = mockClient(client);
  let armed = false;
  let call = 0;
  const commands = { GetItemCommand, BatchGetItemCommand, PutItemCommand, UpdateItemCommand, DeleteItemCommand, QueryCommand, TransactWriteItemsCommand, BatchWriteItemCommand };
  for (const [name, Command] of Object.entries(commands)) {
    const Make = Command as unknown as new (input: unknown) => Parameters<DynamoDBClient['send']>[0];
    mock.on(Command as never).callsFake(async (input: unknown) => {
      const injected = armed ? fail(name, ++call) : undefined;
      if (injected instanceof Error) throw injected;
      const reply = await clients.dynamodb.send(new Make(input));
      if (injected) throw injected.after;
      return reply;
    });
  }
  return { client, arm: (on) => (armed = on) };
}

const WRITES = new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']);

/** Runs the definition on DynamoDB Local with the n-th write of its steps failing (n = 0: none); returns the history and how many writes the steps made. */
async function runFailingWrite(definition: object, n: number, after: boolean, chainSteps: number) {
  let writes = 0;
  const crash = new Error('injected: the process died here');
  const faulty = faultyClient((command) => (WRITES.has(command) && ++writes === n ? (after ? { after: crash } : crash) : undefined));
  const store = new DynamoDbExecutionStore(faulty.client, await freshTable(clients));
  const harness = new DeliveryHarness(store, { chainSteps });
  const { execution } = await harness.engine.start(stateMachine(definition), 'ex', '{"in":true}');
  faulty.arm(true);
  await harness.drain();
  faulty.arm(false);
  return { history: await store.history(execution.executionArn), execution: await store.getExecution(execution.executionArn), writes };
}

// Each case with one state transition per message (the AWS home's default) and with chains of a frame's states.
describe.each([1, 100])('exactly-once steps on DynamoDB (DynamoDB Local), chainSteps %i', (chainSteps) => {
  const go = (store: ExecutionStore, definition: object, faults: Faults = {}) => run(store, definition, { ...faults, chainSteps });
  for (const [name, definition] of Object.entries(FAULT_MACHINES)) {
    describe(name, () => {
      it('records exactly the history of the memory store, also when every message comes twice, racing', async () => {
        const reference = await go(new MemoryExecutionStore(), definition);
        const plain = await go(await dynamo(), definition);
        const racing = await go(await dynamo(), definition, { duplicate: 'racing' });
        expect(plain.history).toEqual(reference.history);
        expect(racing.history).toEqual(reference.history);
        expect(racing.execution?.output).toBe(reference.execution?.output);
      });

      it('loses nothing to a crash between commit and send', async () => {
        const reference = await go(new MemoryExecutionStore(), definition);
        for (let n = 1; n <= reference.harness.deliveries; n += 3) {
          const crashed = await go(await dynamo(), definition, { crashAfterCommit: n });
          expect(crashed.history, `crash after commit #${n}`).toEqual(reference.history);
        }
      });

      it('keeps ids dense when branches commit concurrently (the losers of the counter race step again)', async () => {
        const reference = await go(new MemoryExecutionStore(), definition);
        const concurrent = await go(await dynamo(), definition, { concurrent: true, duplicate: true });
        checkHistoryShape(concurrent.history);
        expect(concurrent.history.map((e) => e.type).sort()).toEqual(reference.history.map((e) => e.type).sort());
        expect(concurrent.execution?.output).toBe(reference.execution?.output);
      });
    });
  }

  // A root frame's step is two writes, no transaction: the previous step's events put in their own
  // item, then the conditional update of the META item (the commit). The writes of a run fail one
  // at a time, before one is applied or after (its reply lost), and the message comes again: the
  // history is that of the memory store. (The store object lives on, with what it remembers of the
  // counter; a new process would read it again, which the reads after a refused commit do too.)
  for (const name of ['linearLoop', 'fanOut'] as const) {
    it(`loses nothing to a crash before or after any one write of a step (${name})`, async () => {
      const definition = FAULT_MACHINES[name];
      const reference = await go(new MemoryExecutionStore(), definition);
      const { writes } = await runFailingWrite(definition, 0, false, chainSteps);
      expect(writes).toBeGreaterThan(10);
      // Every write of the linear loop's first steps (its start, chain and first timer), then every
      // third (a put and an update alternate, so both kinds), and every third of the fan-out's.
      for (let n = 1; n <= writes; n += name === 'linearLoop' && n < 16 ? 1 : 3) {
        for (const after of [false, true]) {
          const crashed = await runFailingWrite(definition, n, after, chainSteps);
          expect(crashed.history, `write #${n} failed ${after ? 'after' : 'before'} it applied`).toEqual(reference.history);
          expect(crashed.execution?.output).toBe(reference.execution?.output);
        }
      }
    }, 300_000);
  }

  it('rides out throttling and transaction conflicts (aws-sdk-client-mock) with the undisturbed history', async () => {
    const definition = FAULT_MACHINES.fanOut;
    const reference = await go(new MemoryExecutionStore(), definition);
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
    const harness = new DeliveryHarness(store, { chainSteps });
    const { execution } = await harness.engine.start(stateMachine(definition), 'ex', '{"in":true}');
    throttled.arm(true);
    await harness.drain();
    throttled.arm(false);
    expect(await store.history(execution.executionArn)).toEqual(reference.history);
    expect(harness.deliveries).toBeGreaterThan(reference.harness.deliveries);
  });
});
