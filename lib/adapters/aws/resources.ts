import { CreateTableCommand, DescribeTableCommand, ResourceInUseException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { tableDefinition } from './table.js';

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
  for (let i = 0; i < 100; i++) {
    const { Table } = await db.send(new DescribeTableCommand({ TableName: table }));
    if (Table?.TableStatus === 'ACTIVE') return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`table ${table} did not become ACTIVE`);
}

export interface StepQueues {
  readonly stepQueueUrl: string;
  readonly stepQueueArn: string;
  readonly deadLetterQueueUrl: string;
}

/** How often SQS delivers a step before it moves to the dead-letter queue. */
export const MAX_RECEIVE_COUNT = 5;
/** Longer than a step handler's timeout (a step is milliseconds; its Lambda timeout is 30 s). */
export const VISIBILITY_TIMEOUT_SECONDS = 60;

export async function ensureStepQueues(sqs: SQSClient, name: string): Promise<StepQueues> {
  const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${name}-dlq`, Attributes: { MessageRetentionPeriod: '1209600' } }));
  const deadLetterQueueUrl = dlq.QueueUrl!;
  const arnOf = async (url: string) => (await sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ['QueueArn'] }))).Attributes?.['QueueArn'] ?? url;
  const step = await sqs.send(
    new CreateQueueCommand({
      QueueName: name,
      Attributes: {
        VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS),
        RedrivePolicy: JSON.stringify({ deadLetterTargetArn: await arnOf(deadLetterQueueUrl), maxReceiveCount: MAX_RECEIVE_COUNT }),
      },
    }),
  );
  return { stepQueueUrl: step.QueueUrl!, stepQueueArn: await arnOf(step.QueueUrl!), deadLetterQueueUrl };
}
