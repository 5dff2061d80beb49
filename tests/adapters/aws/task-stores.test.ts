import { DescribeTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { DynamoDbActivityStore } from '../../../lib/adapters/aws/activity-store.js';
import { ensureTable } from '../../../lib/adapters/aws/resources.js';
import { DynamoDbTaskTokenStore } from '../../../lib/adapters/aws/task-token-store.js';
import { emulatorClients, freshTable } from '../../support/aws.js';
import { taskStoresContract } from '../contracts/task-stores.contract.js';

const clients = emulatorClients();

taskStoresContract(
  'DynamoDB Local',
  async (clock) => {
    const table = await freshTable(clients);
    return { tokens: new DynamoDbTaskTokenStore(clients.dynamodb, table, () => clock.now), activities: new DynamoDbActivityStore(clients.dynamodb, table) };
  },
  { wakesOnEnqueue: false },
);

describe('the table (DynamoDB Local)', () => {
  it('sweeps task tokens by their expiresAt (TTL), and a second ensureTable leaves that as it is', async () => {
    const table = await freshTable(clients);

    await ensureTable(clients.dynamodb, table);

    const { TimeToLiveDescription } = await clients.dynamodb.send(new DescribeTimeToLiveCommand({ TableName: table }));
    expect(TimeToLiveDescription).toEqual({ TimeToLiveStatus: 'ENABLED', AttributeName: 'expiresAt' });
  });
});
