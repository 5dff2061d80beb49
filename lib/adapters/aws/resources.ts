import {
  CreateTableCommand,
  DescribeTableCommand,
  DescribeTimeToLiveCommand,
  ResourceInUseException,
  UpdateTimeToLiveCommand,
  type DynamoDBClient,
  type KeySchemaElement,
  type TableDescription,
} from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { tableDefinition, TTL_ATTRIBUTE } from './table.js';

/**
 * Creates the AWS home's table and queues where they are missing: the local AWS home over emulators
 * or LocalStack (a deployment gets them from CloudFormation, infra/).
 */
export async function ensureTable(db: DynamoDBClient, table: string): Promise<void> {
  try {
    await db.send(new CreateTableCommand(tableDefinition(table)));
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  for (let i = 0; ; i++) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') {
      checkIndexes(table, Table);
      break;
    }
    if (i === 99) throw new Error(`table ${table} did not become ACTIVE`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  await ensureTimeToLive(db, table);
}

/**
 * A table kept from an earlier Stepwise (say, the local AWS home's STEPWISE_DATA_DIR) whose indexes
 * are keyed otherwise holds items of an earlier shape too, which this one does not read: say so,
 * rather than list executions wrong.
 */
function checkIndexes(table: string, described: TableDescription): void {
  const keys = (indexes: readonly { IndexName?: string | undefined; KeySchema?: readonly KeySchemaElement[] | undefined }[] | undefined) =>
    JSON.stringify((indexes ?? []).map((i) => [i.IndexName, (i.KeySchema ?? []).map((k) => [k.AttributeName, k.KeyType])]).sort());
  const expected = keys(tableDefinition(table).GlobalSecondaryIndexes);
  const found = keys(described.GlobalSecondaryIndexes);
  if (found !== expected) throw new Error(`table ${table} was made by an earlier Stepwise (indexes ${found}, expected ${expected}); its items are not readable by this one: delete it (locally: the STEPWISE_DATA_DIR directory) and start again`);
}

/** Task tokens carry `expiresAt`, which DynamoDB's TTL sweeps once it is past. */
async function ensureTimeToLive(db: DynamoDBClient, table: string): Promise<void> {
  const { TimeToLiveDescription: ttl } = await db.send(new DescribeTimeToLiveCommand({ TableName: table }));
  if ((ttl?.TimeToLiveStatus === 'ENABLED' || ttl?.TimeToLiveStatus === 'ENABLING') && ttl.AttributeName === TTL_ATTRIBUTE) return;
  try {
    await db.send(new UpdateTimeToLiveCommand({ TableName: table, TimeToLiveSpecification: { Enabled: true, AttributeName: TTL_ATTRIBUTE } }));
  } catch (e) {
    // Another process enabling it at the same moment: DynamoDB answers "TimeToLive is already enabled".
    if (!(e instanceof Error && e.name === 'ValidationException' && /already enabled/i.test(e.message))) throw e;
  }
}

export interface StepQueues {
  readonly stepQueueUrl: string;
  readonly stepQueueArn: string;
  /** Task calls (`<name>-tasks`): consumed by a handler that may run as long as a call. */
  readonly taskQueueUrl: string;
  readonly taskQueueArn: string;
  /** Both queues' dead letters. */
  readonly deadLetterQueueUrl: string;
}

/** How often SQS delivers a step before it moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/** Longer than a step handler's timeout (a step is milliseconds; its Lambda timeout is 30 s). */
export const VISIBILITY_TIMEOUT_SECONDS = 60;
/** Longer than the task handler's timeout (900 s, Lambda's most: a call may take as long as a Lambda function may run). */
export const TASK_VISIBILITY_TIMEOUT_SECONDS = 960;

export async function ensureStepQueues(sqs: SQSClient, name: string): Promise<StepQueues> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: '1209600' } }));
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? url;
  const redrivePolicy = JSON.stringify({ deadLetterTargetArn: await arnOf(deadLetterQueueUrl), maxReceiveCount: MAX_RECEIVE_COUNT });
  const queue = async (queueName: string, visibilityTimeout: number) => {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: queueName, Attributes: { VisibilityTimeout: String(visibilityTimeout), RedrivePolicy: redrivePolicy } }));
    return { url: QueueUrl!, arn: await arnOf(QueueUrl!) };
  };
  const step = await queue(name, VISIBILITY_TIMEOUT_SECONDS);
  const task = await queue(`${name}-tasks`, TASK_VISIBILITY_TIMEOUT_SECONDS);
  return { stepQueueUrl: step.url, stepQueueArn: step.arn, taskQueueUrl: task.url, taskQueueArn: task.arn, deadLetterQueueUrl };
}
