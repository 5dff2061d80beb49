import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { inject } from 'vitest';
import { createAwsClients, type AwsClients } from '../../lib/adapters/aws/clients.js';
import { ensureStepQueues, ensureTable, type StepQueues } from '../../lib/adapters/aws/resources.js';
import { dummyCredentials } from '../../lib/emulators/index.js';
import { startAwsHomeServer, type AwsHomeServer, type AwsHomeServerOptions } from '../../lib/server/aws-home-server.js';
import type { TaskInvoker } from '../../lib/runtime/ports.js';

/** SDK clients for the emulators the global setup started (DynamoDB Local, fauxqs). */
export function emulatorClients(): AwsClients {
  return createAwsClients({ region: 'us-east-1', credentials: dummyCredentials, endpoints: { dynamodb: inject('dynamodbEndpoint'), sqs: inject('sqsEndpoint') } });
}

/** A table of its own for one test (tests isolate themselves by name). */
export async function freshTable(clients: AwsClients): Promise<string> {
  const name = `t-${randomUUID()}`;
  await ensureTable(clients.dynamodb, name);
  return name;
}

export async function freshQueues(clients: AwsClients): Promise<StepQueues & { name: string }> {
  const name = `q-${randomUUID()}`;
  return { name, ...(await ensureStepQueues(clients.sqs, name)) };
}

/**
 * The AWS home as `npm run start:aws` runs it (API + step pollers over DynamoDB and SQS), on the
 * emulators the global setup started, with a table and queues of its own.
 */
export async function startAwsHome(
  options: { pollers?: number; activityPollMs?: number; tasks?: TaskInvoker } & Pick<AwsHomeServerOptions, 'clock' | 'sleep' | 'log' | 'consoleDir'> = {},
): Promise<{ endpoint: string; home: AwsHomeServer; stop(): Promise<void> }> {
  const id = randomUUID();
  const home = await startAwsHomeServer(
    {
      clients: { region: 'us-east-1', credentials: dummyCredentials, endpoints: { dynamodb: inject('dynamodbEndpoint'), sqs: inject('sqsEndpoint') } },
      table: `home-${id}`,
      queueName: `home-${id}`,
      partition: { region: 'us-east-1', accountId: '123456789012' },
      pollers: options.pollers ?? 4,
      waitTimeSeconds: 1,
      ...(options.activityPollMs === undefined ? {} : { activityPollMs: options.activityPollMs }),
      ...(options.tasks ? { tasks: options.tasks } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.sleep ? { sleep: options.sleep } : {}),
      ...(options.log === undefined ? {} : { log: options.log }),
      ...(options.consoleDir === undefined ? {} : { consoleDir: options.consoleDir }),
    },
    { port: 0, host: '127.0.0.1' },
  );
  const { port } = home.server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${port}`, home, stop: () => home.close() };
}
