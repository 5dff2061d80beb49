import { randomUUID } from 'node:crypto';
import { inject } from 'vitest';
import { createAwsClients, type AwsClients } from '../../lib/adapters/aws/clients.js';
import { ensureStepQueues, ensureTable, type StepQueues } from '../../lib/adapters/aws/resources.js';
import { dummyCredentials } from '../../lib/emulators/index.js';

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
