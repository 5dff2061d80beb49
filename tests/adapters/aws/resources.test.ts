import { randomUUID } from 'node:crypto';
import { CreateTableCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { ensureTable } from '../../../lib/adapters/aws/resources.js';
import { tableDefinition } from '../../../lib/adapters/aws/table.js';
import { emulatorClients } from '../../support/aws.js';

const clients = emulatorClients();

describe('ensureTable (DynamoDB Local)', () => {
  it('takes a table it made before as it is', async () => {
    const name = `t-${randomUUID()}`;
    await ensureTable(clients.dynamodb, name);
    await expect(ensureTable(clients.dynamodb, name)).resolves.toBeUndefined();
  });

  // The local AWS home keeps its table across restarts: one from before the indexes changed holds items this code does not read.
  it('refuses a table whose indexes an earlier Stepwise keyed otherwise', async () => {
    const name = `t-${randomUUID()}`;
    const current = tableDefinition(name);
    const sortKeys = { byStateMachine: 'gsi1sk', byStatus: 'gsi2sk' } as Record<string, string>;
    await clients.dynamodb.send(
      new CreateTableCommand({
        ...current,
        AttributeDefinitions: ['pk', 'sk', 'gsi1pk', 'gsi1sk', 'gsi2pk', 'gsi2sk'].map((AttributeName) => ({ AttributeName, AttributeType: 'S' })),
        GlobalSecondaryIndexes: current.GlobalSecondaryIndexes!.map((index) => ({ ...index, KeySchema: [index.KeySchema![0]!, { AttributeName: sortKeys[index.IndexName!]!, KeyType: 'RANGE' }] })),
      }),
    );
    await expect(ensureTable(clients.dynamodb, name)).rejects.toThrow(/made by an earlier Stepwise/);
  });
});
