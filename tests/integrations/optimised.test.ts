// The optimised integrations against their emulators (fauxqs for SQS, DynamoDB Local, moto for SNS
// and EventBridge), checked against what AWS recorded (LocalStack's test_sqs_task_service,
// test_dynamodb_task_service, test_sns_task_service, test_events_task_service and the
// error_handling snapshots): the output's keys, the request as the service received it, error names
// and the shape of their causes.
import { createHash, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateTopicCommand, SNSClient, SubscribeCommand } from '@aws-sdk/client-sns';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient, type Message } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Json, JsonObject } from '../../lib/asl/json.js';
import { parseTaskTarget } from '../../lib/asl/task-target.js';
import { dummyCredentials } from '../../lib/emulators/credentials.js';
import { parseIntegrationsConfig } from '../../lib/integrations/config.js';
import { createTaskInvoker, type IntegrationsTaskInvoker } from '../../lib/integrations/invoker.js';
import type { TaskOutcome } from '../../lib/runtime/ports.js';

const STATE_MACHINE = 'arn:aws:states:us-east-1:123456789012:stateMachine:machine';
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:machine:run-1';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const md5 = (text: string) => createHash('md5').update(text).digest('hex');
const aws = (endpoint: string) => ({ region: 'us-east-1', credentials: dummyCredentials, endpoint });

let invoker: IntegrationsTaskInvoker;
let sqs: SQSClient;
let dynamodb: DynamoDBClient;
let motoSqs: SQSClient;
beforeAll(() => {
  invoker = createTaskInvoker({
    config: parseIntegrationsConfig({ aws: { endpoints: { sqs: inject('sqsEndpoint'), dynamodb: inject('dynamodbEndpoint'), sns: inject('motoEndpoint'), eventbridge: inject('motoEndpoint') } } }, '/'),
    region: 'us-east-1',
    credentials: dummyCredentials,
  });
  sqs = new SQSClient(aws(inject('sqsEndpoint')));
  dynamodb = new DynamoDBClient(aws(inject('dynamodbEndpoint')));
  motoSqs = new SQSClient(aws(inject('motoEndpoint')));
});
afterAll(() => {
  invoker.close();
  for (const client of [sqs, dynamodb, motoSqs]) client.destroy();
});

const run = (resource: string, parameters: Json): Promise<TaskOutcome> =>
  invoker.invoke({ target: parseTaskTarget(resource)!, parameters, executionArn: EXECUTION, roleArn: 'arn:aws:iam::123456789012:role/machine' });
const succeeded = async (resource: string, parameters: Json): Promise<JsonObject> => {
  const outcome = await run(resource, parameters);
  if (!outcome.ok) throw new Error(`${outcome.error}: ${outcome.cause}`);
  return outcome.output as JsonObject;
};
const metadataOf = (output: JsonObject) => output['SdkHttpMetadata'] as { HttpStatusCode: number; HttpHeaders: Record<string, string>; AllHttpHeaders: Record<string, string[]> };

async function receive(client: SQSClient, queueUrl: string, count = 1): Promise<Message[]> {
  const messages: Message[] = [];
  for (let i = 0; i < 10 && messages.length < count; i++) {
    const { Messages } = await client.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    messages.push(...(Messages ?? []));
  }
  return messages;
}

describe('sqs:sendMessage', () => {
  let queueUrl: string;
  beforeAll(async () => {
    queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `tasks-${randomUUID()}` }))).QueueUrl!;
  });

  it('sends the message (an object body as its JSON) and outputs SendMessage response with SDK metadata', async () => {
    const output = await succeeded('arn:aws:states:::sqs:sendMessage', { QueueUrl: queueUrl, MessageBody: { order: 1, items: ['a'] } });
    expect(Object.keys(output)).toEqual(['MD5OfMessageBody', 'MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(output['MD5OfMessageBody']).toBe(md5('{"order":1,"items":["a"]}'));
    const http = metadataOf(output);
    expect(http.HttpStatusCode).toBe(200);
    expect(http.HttpHeaders['content-type']).toBe('application/x-amz-json-1.0; charset=utf-8');
    expect(output['SdkResponseMetadata']).toEqual({ RequestId: http.HttpHeaders['x-amz-request-id'] });
    const [message] = await receive(sqs, queueUrl);
    expect([message?.MessageId, message?.Body]).toEqual([output['MessageId'], '{"order":1,"items":["a"]}']);
  });

  it('sends message attributes and a string body as it is (test_send_message_attributes)', async () => {
    const output = await succeeded('arn:aws:states:::sqs:sendMessage.waitForTaskToken', {
      QueueUrl: queueUrl,
      MessageBody: 'test_message_body',
      MessageAttributes: { my_attribute_no_1: { DataType: 'String', StringValue: 'Hello' }, bin: { DataType: 'Binary', BinaryValue: Buffer.from('bytes').toString('base64') } },
    });
    expect(Object.keys(output)).toEqual(['MD5OfMessageAttributes', 'MD5OfMessageBody', 'MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(output['MD5OfMessageBody']).toBe(md5('test_message_body'));
    const { Messages } = await sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MessageAttributeNames: ['All'], WaitTimeSeconds: 1 }));
    expect(Messages?.[0]?.Body).toBe('test_message_body');
    expect(Messages?.[0]?.MessageAttributes?.['my_attribute_no_1']?.StringValue).toBe('Hello');
    expect(Buffer.from(Messages?.[0]?.MessageAttributes?.['bin']?.BinaryValue ?? []).toString()).toBe('bytes');
  });

  it('names a missing queue SQS.QueueDoesNotExistException, the cause in the SDK for Java v1 form', async () => {
    const outcome = await run('arn:aws:states:::sqs:sendMessage', { QueueUrl: `${inject('sqsEndpoint')}/000000000000/no-such-queue`, MessageBody: 'x' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBe('SQS.QueueDoesNotExistException');
    expect(outcome.cause).toMatch(/^The specified queue does not exist\. \(Service: AmazonSQS; Status Code: 400; Error Code: AWS\.SimpleQueueService\.NonExistentQueue; Request ID: \w+; Proxy: null\)$/);
  });

  it('names an unmodeled SQS error SQS.AmazonSQSException (test_send_message_empty_body)', async () => {
    const outcome = await run('arn:aws:states:::sqs:sendMessage', { QueueUrl: queueUrl, MessageBody: null });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBe('SQS.AmazonSQSException');
    expect(outcome.cause).toMatch(/^The request must contain the parameter MessageBody\. \(Service: AmazonSQS; Status Code: 400; Error Code: AWS\.SimpleQueueService\.MissingParameter; Request ID: \w+; Proxy: null\)$/);
  });
});

describe('dynamodb item actions (test_base_integrations)', () => {
  let table: string;
  beforeAll(async () => {
    table = `items-${randomUUID()}`;
    await dynamodb.send(new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  });

  it('puts, updates, gets and deletes an item, outputs as AWS recorded them', async () => {
    const put = await succeeded('arn:aws:states:::dynamodb:putItem', { TableName: table, Item: { data: { S: 'HelloWorld' }, id: { S: 'id1' } } });
    expect(Object.keys(put)).toEqual(['SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(metadataOf(put).HttpStatusCode).toBe(200);
    expect(put['SdkResponseMetadata']).toEqual({ RequestId: metadataOf(put).HttpHeaders['x-amzn-RequestId'] });

    const update = await succeeded('arn:aws:states:::dynamodb:updateItem', {
      TableName: table, Key: { id: { S: 'id1' } }, UpdateExpression: 'set S=:r', ExpressionAttributeValues: { ':r': { S: 'HelloWorldUpdated' } }, ReturnValues: 'UPDATED_NEW',
    });
    expect(Object.keys(update)).toEqual(['Attributes', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(update['Attributes']).toEqual({ S: { S: 'HelloWorldUpdated' } });

    const get = await succeeded('arn:aws:states:::dynamodb:getItem', { TableName: table, Key: { id: { S: 'id1' } } });
    expect(Object.keys(get)).toEqual(['Item', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(JSON.stringify(get['Item'])).toBe('{"S":{"S":"HelloWorldUpdated"},"data":{"S":"HelloWorld"},"id":{"S":"id1"}}');

    const deleted = await succeeded('arn:aws:states:::dynamodb:deleteItem', { TableName: table, Key: { id: { S: 'id1' } }, ReturnValues: 'ALL_OLD' });
    expect(deleted['Attributes']).toEqual({ S: { S: 'HelloWorldUpdated' }, data: { S: 'HelloWorld' }, id: { S: 'id1' } });
    expect(Object.keys(await succeeded('arn:aws:states:::dynamodb:getItem', { TableName: table, Key: { id: { S: 'id1' } } }))).toEqual(['SdkHttpMetadata', 'SdkResponseMetadata']);
  });

  it('takes and gives binary attributes as base64', async () => {
    const bytes = Buffer.from([0, 1, 2, 250]).toString('base64');
    await succeeded('arn:aws:states:::dynamodb:putItem', { TableName: table, Item: { id: { S: 'bin' }, blob: { B: bytes }, set: { BS: [bytes] } } });
    const get = await succeeded('arn:aws:states:::dynamodb:getItem', { TableName: table, Key: { id: { S: 'bin' } } });
    expect(get['Item']).toEqual({ blob: { B: bytes }, id: { S: 'bin' }, set: { BS: [bytes] } });
  });

  it('names a failed condition DynamoDB.ConditionalCheckFailedException', async () => {
    await succeeded('arn:aws:states:::dynamodb:putItem', { TableName: table, Item: { id: { S: 'once' } } });
    const outcome = await run('arn:aws:states:::dynamodb:putItem', { TableName: table, Item: { id: { S: 'once' } }, ConditionExpression: 'attribute_not_exists(id)' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBe('DynamoDB.ConditionalCheckFailedException');
    expect(outcome.cause).toMatch(new RegExp(`^The conditional request failed \\(Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ConditionalCheckFailedException; Request ID: ${UUID}; Proxy: null\\)$`));
  });

  it('names a missing table DynamoDB.ResourceNotFoundException and a validation error DynamoDB.AmazonDynamoDBException', async () => {
    const missing = await run('arn:aws:states:::dynamodb:putItem', { TableName: 'no-such-table', Item: { id: { S: 'x' } } });
    expect(missing.ok ? undefined : [missing.error, missing.cause?.replace(/Request ID: [\w-]+/, 'Request ID: <id>')]).toEqual([
      'DynamoDB.ResourceNotFoundException', 'Cannot do operations on a non-existent table (Service: AmazonDynamoDBv2; Status Code: 400; Error Code: ResourceNotFoundException; Request ID: <id>; Proxy: null)',
    ]);
    const invalid = await run('arn:aws:states:::dynamodb:putItem', { TableName: '/bad', Item: { id: { S: 'x' } } });
    expect(invalid.ok ? undefined : [invalid.error, invalid.cause?.match(/\(Service: .*Error Code: (\w+);/)?.[1]]).toEqual(['DynamoDB.AmazonDynamoDBException', 'ValidationException']);
  });
});

describe('sns:publish (moto)', () => {
  const sns = () => new SNSClient(aws(inject('motoEndpoint')));

  it('publishes (an object message as its JSON) and outputs MessageId with SDK metadata', async () => {
    const client = sns();
    const { TopicArn } = await client.send(new CreateTopicCommand({ Name: `topic-${randomUUID()}` }));
    const { QueueUrl } = await motoSqs.send(new CreateQueueCommand({ QueueName: `sub-${randomUUID()}` }));
    const { Attributes } = await motoSqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    await client.send(new SubscribeCommand({ TopicArn, Protocol: 'sqs', Endpoint: Attributes!['QueueArn'], Attributes: { RawMessageDelivery: 'true' } }));
    client.destroy();

    const output = await succeeded('arn:aws:states:::sns:publish', { TopicArn: TopicArn!, Message: { Message: 'HelloWorld!' } });
    expect(Object.keys(output)).toEqual(['MessageId', 'SdkHttpMetadata', 'SdkResponseMetadata']);
    expect(output['MessageId']).toMatch(new RegExp(`^${UUID}$`));
    expect(metadataOf(output).HttpStatusCode).toBe(200);
    const [message] = await receive(motoSqs, QueueUrl!);
    expect(message?.Body).toBe('{"Message":"HelloWorld!"}');
  });

  it('names a missing topic SNS.NotFoundException (test_publish_base_error_topic_arn)', async () => {
    const outcome = await run('arn:aws:states:::sns:publish', { TopicArn: 'arn:aws:sns:us-east-1:123456789012:no-such-topic', Message: 'x' });
    expect(outcome.ok).toBe(false);
    if (outcome.ok) return;
    expect(outcome.error).toBe('SNS.NotFoundException');
    expect(outcome.cause).toMatch(/^.+ \(Service: AmazonSNS; Status Code: 404; Error Code: NotFound; Request ID: \w+; Proxy: null\)$/);
  });
});

describe('events:putEvents (moto)', () => {
  it('puts the events (Detail objects as JSON, Resources naming the state machine and execution), outputs Entries as AWS does', async () => {
    const source = `stepwise.test.${randomUUID().slice(0, 8)}`;
    const { QueueUrl } = await motoSqs.send(new CreateQueueCommand({ QueueName: `events-${randomUUID()}` }));
    const { Attributes } = await motoSqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
    const events = new EventBridgeClient(aws(inject('motoEndpoint')));
    const Name = `rule-${randomUUID().slice(0, 8)}`;
    await events.send(new PutRuleCommand({ Name, EventPattern: JSON.stringify({ source: [source] }) }));
    await events.send(new PutTargetsCommand({ Rule: Name, Targets: [{ Id: 'queue', Arn: Attributes!['QueueArn'] }] }));
    events.destroy();

    const output = await succeeded('arn:aws:states:::events:putEvents', {
      Entries: [
        { Source: source, DetailType: 'first', Detail: { Message: 'HelloWorld1' } },
        { Source: source, DetailType: 'second', Detail: '{"Message": "HelloWorld2"}', Resources: ['arn:aws:sqs:us-east-1:123456789012:mine'] },
      ],
    });
    expect(Object.keys(output)).toEqual(['Entries', 'FailedEntryCount']);
    expect(output['FailedEntryCount']).toBe(0);
    expect((output['Entries'] as JsonObject[]).map((e) => Object.keys(e))).toEqual([['EventId'], ['EventId']]);

    const received = (await receive(motoSqs, QueueUrl!, 2)).map((m) => JSON.parse(m.Body!) as { 'detail-type': string; detail: unknown; resources: string[] });
    received.sort((a, b) => a['detail-type'].localeCompare(b['detail-type']));
    expect(received.map((e) => [e['detail-type'], e.detail, e.resources])).toEqual([
      ['first', { Message: 'HelloWorld1' }, [STATE_MACHINE, EXECUTION]],
      ['second', { Message: 'HelloWorld2' }, ['arn:aws:sqs:us-east-1:123456789012:mine', STATE_MACHINE, EXECUTION]],
    ]);
  });

  it('fails with EventBridge.FailedEntry, the cause being the response (test_put_events_no_source)', async () => {
    const outcome = await run('arn:aws:states:::events:putEvents', { Entries: [{ DetailType: 'x', Detail: { Message: 'HelloWorld' } }] });
    expect(outcome).toEqual({
      ok: false,
      error: 'EventBridge.FailedEntry',
      cause: '{"Entries":[{"ErrorCode":"InvalidArgument","ErrorMessage":"Parameter Source is not valid. Reason: Source is a required argument."}],"FailedEntryCount":1}',
    });
  });
});

describe('calls that do not reach a service', () => {
  it('names an unreachable endpoint <Prefix>.SdkClientException and gives up at the task timeout', async () => {
    const silent = createServer(() => undefined); // accepts, never answers
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    const unreachable = createTaskInvoker({
      config: parseIntegrationsConfig({ aws: { endpoints: { sqs: 'http://127.0.0.1:1', dynamodb: `http://127.0.0.1:${port}` } } }, '/'),
      region: 'us-east-1',
      credentials: dummyCredentials,
    });
    const task = (resource: string, parameters: Json, timeoutMs?: number) =>
      unreachable.invoke({ target: parseTaskTarget(resource)!, parameters, executionArn: EXECUTION, roleArn: 'r', ...(timeoutMs === undefined ? {} : { timeoutMs }) });
    try {
      expect(await task('arn:aws:states:::sqs:sendMessage', { QueueUrl: 'http://127.0.0.1:1/000000000000/q', MessageBody: 'x' })).toEqual({
        ok: false, error: 'SQS.SdkClientException', cause: 'Unable to execute HTTP request: Connect to 127.0.0.1:1 failed: Connection refused',
      });
      expect(await task('arn:aws:states:::aws-sdk:sqs:listQueues', {})).toEqual({
        ok: false, error: 'Sqs.SdkClientException', cause: 'Unable to execute HTTP request: Connect to 127.0.0.1:1 failed: Connection refused',
      });
      const started = Date.now();
      expect(await task('arn:aws:states:::dynamodb:getItem', { TableName: 'tbl', Key: { id: { S: 'x' } } }, 150)).toEqual({ ok: false, error: 'States.Timeout' });
      expect(Date.now() - started).toBeLessThan(2000);
    } finally {
      unreachable.close();
      silent.closeAllConnections();
      silent.close();
    }
  });
});
