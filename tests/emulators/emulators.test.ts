// Smoke test of the emulator plumbing: each emulator answers the SDK v3 clients with the behaviour the
// adapters depend on (not just "a port is open").
import {
  ConditionalCheckFailedException, CreateTableCommand, DynamoDBClient, PutItemCommand,
  TransactionCanceledException, TransactWriteItemsCommand,
} from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutEventsCommand, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { dummyCredentials } from '../../lib/emulators/index.js';

const clientConfig = (endpoint: string) => ({ endpoint, region: 'us-east-1', credentials: dummyCredentials });
const unique = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

it('exports the endpoints to the environment as well', () => {
  expect(process.env['STEPWISE_TEST_DYNAMODB_ENDPOINT']).toBe(inject('dynamodbEndpoint'));
  expect(process.env['STEPWISE_TEST_SQS_ENDPOINT']).toBe(inject('sqsEndpoint'));
  expect(process.env['STEPWISE_TEST_MOTO_ENDPOINT']).toBe(inject('motoEndpoint'));
});

describe('DynamoDB Local', () => {
  const ddb = new DynamoDBClient(clientConfig(inject('dynamodbEndpoint')));
  afterAll(() => ddb.destroy());

  it('enforces conditions on PutItem and in transactions', async () => {
    const TableName = unique('emulator-smoke');
    await ddb.send(new CreateTableCommand({
      TableName, BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }],
      KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }],
    }));
    const absent = { ConditionExpression: 'attribute_not_exists(pk)' };
    await ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' } }, ...absent }));
    await expect(ddb.send(new PutItemCommand({ TableName, Item: { pk: { S: 'a' } }, ...absent })))
      .rejects.toBeInstanceOf(ConditionalCheckFailedException);

    const cancelled = await ddb.send(new TransactWriteItemsCommand({
      TransactItems: [
        { Put: { TableName, Item: { pk: { S: 'b' } }, ...absent } },
        { Put: { TableName, Item: { pk: { S: 'a' } }, ...absent } },
      ],
    })).catch((err: unknown) => err);
    expect(cancelled).toBeInstanceOf(TransactionCanceledException);
    expect((cancelled as TransactionCanceledException).CancellationReasons?.map((r) => r.Code))
      .toEqual(['None', 'ConditionalCheckFailed']);
  });
});

describe('SQS (fauxqs)', () => {
  const sqs = new SQSClient(clientConfig(inject('sqsEndpoint')));
  afterAll(() => sqs.destroy());

  it('holds a delayed message back until its delay has passed', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('emulator-smoke') }));
    await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: 'later', DelaySeconds: 1 }));
    const early = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 0 }));
    expect(early.Messages ?? []).toHaveLength(0);
    const late = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 3 }));
    expect(late.Messages?.map((m) => m.Body)).toEqual(['later']);
  });
});

describe('EventBridge (moto)', () => {
  const motoEndpoint = inject('motoEndpoint');
  const events = new EventBridgeClient(clientConfig(motoEndpoint));
  const sqs = new SQSClient(clientConfig(motoEndpoint)); // moto's own SQS: the rule's target
  afterAll(() => { events.destroy(); sqs.destroy(); });

  it('delivers a matching event to an SQS target', async () => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: unique('emulator-smoke') }));
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const Name = unique('emulator-smoke');
    await events.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify({ source: ['stepwise.test'] }) }));
    await events.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 'queue', Arn: Attributes?.['QueueArn'] }] }));

    const put = await events.send(new PutEventsCommand({
      Entries: [{ Source: 'stepwise.test', DetailType: 'Smoke', Detail: JSON.stringify({ n: 1 }) }],
    }));
    expect(put.FailedEntryCount).toBe(0);
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, WaitTimeSeconds: 2 }));
    const event = JSON.parse(received.Messages?.[0]?.Body ?? '{}') as { source?: string; detail?: unknown };
    expect(event).toMatchObject({ source: 'stepwise.test', detail: { n: 1 } });
  });
});
