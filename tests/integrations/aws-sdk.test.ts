// The SDK integrations (aws-sdk:<service>:<action>) against the emulators: the SDK's response
// without its metadata, errors named the SDK for Java v2 way as AWS recorded them (LocalStack's
// test_aws_sdk_task_service and error_handling/test_aws_sdk snapshots), and what is not ours to run.
import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Json, JsonObject } from '../../lib/asl/json.js';
import { parseTaskTarget } from '../../lib/asl/task-target.js';
import { dummyCredentials } from '../../lib/emulators/credentials.js';
import { startLambdaEmulator, type LambdaEmulator } from '../../lib/emulators/lambda.js';
import { parseIntegrationsConfig } from '../../lib/integrations/config.js';
import { createTaskInvoker, type IntegrationsTaskInvoker } from '../../lib/integrations/invoker.js';
import type { TaskOutcome } from '../../lib/runtime/ports.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
let invoker: IntegrationsTaskInvoker;
let lambda: LambdaEmulator;
let table: string;

beforeAll(async () => {
  lambda = await startLambdaEmulator({ functions: { echo: { handler: `${fileURLToPath(new URL('./fixtures/handlers.mjs', import.meta.url))}#echo` } } });
  invoker = createTaskInvoker({
    config: parseIntegrationsConfig({ aws: { endpoints: { sqs: inject('sqsEndpoint'), dynamodb: inject('dynamodbEndpoint'), lambda: lambda.endpoint } } }, '/'),
    region: 'us-east-1',
    credentials: dummyCredentials,
  });
  table = `sdk-${randomUUID()}`;
  const dynamodb = new DynamoDBClient({ region: 'us-east-1', credentials: dummyCredentials, endpoint: inject('dynamodbEndpoint') });
  await dynamodb.send(new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
  dynamodb.destroy();
});
afterAll(async () => {
  invoker.close();
  await lambda.close();
});

const run = (resource: string, parameters: Json): Promise<TaskOutcome> =>
  invoker.invoke({ target: parseTaskTarget(resource)!, parameters, executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:r', roleArn: 'arn:aws:iam::123456789012:role/m' });
const succeeded = async (resource: string, parameters: Json): Promise<JsonObject> => {
  const outcome = await run(resource, parameters);
  if (!outcome.ok) throw new Error(`${outcome.error}: ${outcome.cause}`);
  return outcome.output as JsonObject;
};
const failed = async (resource: string, parameters: Json) => {
  const outcome = await run(resource, parameters);
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.output)}`);
  return [outcome.error, outcome.cause];
};

describe('aws-sdk:dynamodb', () => {
  it('describeTable: the response without metadata, timestamps as ISO instants', async () => {
    const output = await succeeded('arn:aws:states:::aws-sdk:dynamodb:describeTable', { TableName: table });
    expect(Object.keys(output)).toEqual(['Table']);
    const described = output['Table'] as JsonObject;
    expect([described['TableName'], described['KeySchema'], described['TableStatus']]).toEqual([table, [{ AttributeName: 'id', KeyType: 'HASH' }], 'ACTIVE']);
    expect(described['CreationDateTime']).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{3})?Z$/);
  });

  it('putItem and getItem output what the SDK returns, no SDK metadata (test_dynamodb_put_get_item)', async () => {
    expect(await succeeded('arn:aws:states:::aws-sdk:dynamodb:putItem', { TableName: table, Item: { data: { S: 'HelloWorld' }, id: { S: 'id1' } } })).toEqual({});
    expect(await succeeded('arn:aws:states:::aws-sdk:dynamodb:getItem', { TableName: table, Key: { id: { S: 'id1' } } })).toEqual({ Item: { data: { S: 'HelloWorld' }, id: { S: 'id1' } } });
  });

  it('names errors <Service>.<Exception> and unmodeled ones <Service>.<Service>Exception (test_dynamodb_put_item_no_such_table, test_dynamodb_invalid_param)', async () => {
    const [error, cause] = await failed('arn:aws:states:::aws-sdk:dynamodb:putItem', { TableName: 'no-such-table', Item: { id: { S: 'x' } } });
    expect(error).toBe('DynamoDb.ResourceNotFoundException');
    expect(cause).toMatch(new RegExp(`^Cannot do operations on a non-existent table \\(Service: DynamoDb, Status Code: 400, Request ID: ${UUID}\\)$`));
    const [invalid, invalidCause] = await failed('arn:aws:states:::aws-sdk:dynamodb:putItem', { TableName: '/bad', Item: { id: { S: 'x' } } });
    expect(invalid).toBe('DynamoDb.DynamoDbException');
    expect(invalidCause).toMatch(new RegExp(`^Invalid table/index name\\..* \\(Service: DynamoDb, Status Code: 400, Request ID: ${UUID}\\)$`));
  });
});

describe('aws-sdk:sqs', () => {
  it('getQueueAttributes', async () => {
    const name = `sdk-${randomUUID()}`;
    const { QueueUrl } = await succeeded('arn:aws:states:::aws-sdk:sqs:createQueue', { QueueName: name });
    const output = await succeeded('arn:aws:states:::aws-sdk:sqs:getQueueAttributes', { QueueUrl: QueueUrl!, AttributeNames: ['QueueArn', 'VisibilityTimeout'] });
    expect(output).toEqual({ Attributes: { QueueArn: `arn:aws:sqs:us-east-1:000000000000:${name}`, VisibilityTimeout: '30' } });
  });

  it('sendMessage sends a JSON body as its text', async () => {
    const { QueueUrl } = await succeeded('arn:aws:states:::aws-sdk:sqs:createQueue', { QueueName: `sdk-${randomUUID()}` });
    const sent = await succeeded('arn:aws:states:::aws-sdk:sqs:sendMessage', { QueueUrl: QueueUrl!, MessageBody: { a: 1 } });
    expect(Object.keys(sent)).toEqual(['MD5OfMessageBody', 'MessageId']);
    const received = await succeeded('arn:aws:states:::aws-sdk:sqs:receiveMessage', { QueueUrl: QueueUrl!, WaitTimeSeconds: 1 });
    expect((received['Messages'] as JsonObject[]).map((m) => [m['MessageId'], m['Body']])).toEqual([[sent['MessageId'], '{"a":1}']]);
  });

  it('names a missing queue Sqs.QueueDoesNotExistException', async () => {
    const [error, cause] = await failed('arn:aws:states:::aws-sdk:sqs:getQueueAttributes', { QueueUrl: `${inject('sqsEndpoint')}/000000000000/no-such-queue`, AttributeNames: ['All'] });
    expect(error).toBe('Sqs.QueueDoesNotExistException');
    expect(cause).toMatch(/^The specified queue does not exist\. \(Service: Sqs, Status Code: 400, Request ID: \w+(, Extended Request ID: \w+)?\)$/);
  });
});

describe('aws-sdk:lambda', () => {
  it('invoke outputs the Payload as text', async () => {
    expect(await succeeded('arn:aws:states:::aws-sdk:lambda:invoke', { FunctionName: 'echo', Payload: { a: 1 } })).toEqual({ ExecutedVersion: '$LATEST', Payload: '{"a":1}', StatusCode: 200 });
  });

  it('names a missing function Lambda.ResourceNotFoundException', async () => {
    const [error, cause] = await failed('arn:aws:states:::aws-sdk:lambda:invoke', { FunctionName: 'ghost' });
    expect(error).toBe('Lambda.ResourceNotFoundException');
    expect(cause).toMatch(new RegExp(`^Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:\\$LATEST \\(Service: Lambda, Status Code: 404, Request ID: ${UUID}\\)$`));
  });
});

describe('resources the integrations do not run', () => {
  it('fails an unknown SDK service or action with States.Runtime', async () => {
    expect(await run('arn:aws:states:::aws-sdk:dynamodb:fooBar', {})).toEqual({
      ok: false, error: 'States.Runtime',
      cause: 'The resource provided arn:aws:states:::aws-sdk:dynamodb:fooBar not recognized. The value is not a valid resource ARN, or the resource is not available in this region.',
    });
    expect(await run('arn:aws:states:::aws-sdk:s3:listBuckets', {})).toEqual({
      ok: false, error: 'States.Runtime',
      cause: 'The resource provided arn:aws:states:::aws-sdk:s3:listBuckets not recognized. The value is not a valid resource ARN, or the resource is not available in this region.',
    });
  });

  it('leaves states:* and activities to the runtime', async () => {
    expect(await run('arn:aws:states:::states:startExecution.sync:2', {})).toEqual({ ok: false, error: 'States.Runtime', cause: 'The resource arn:aws:states:::states:startExecution.sync:2 is run by the Step Functions runtime, not by the integrations.' });
    expect(await run('arn:aws:states:us-east-1:123456789012:activity:work', {})).toEqual({ ok: false, error: 'States.Runtime', cause: 'The resource arn:aws:states:us-east-1:123456789012:activity:work is run by the Step Functions runtime, not by the integrations.' });
  });

  it('has no .sync integrations', async () => {
    expect(await run('arn:aws:states:::aws-sdk:dynamodb:describeTable.sync', { TableName: table })).toEqual({ ok: false, error: 'States.Runtime', cause: 'The resource arn:aws:states:::aws-sdk:dynamodb:describeTable.sync is not supported: aws-sdk:dynamodb has no .sync integration here.' });
  });
});
