// The AWS home's handlers over the emulators: an engine on a table and queues of its own, the API
// called the way the handlers call it, and step messages received from SQS as Lambda hands them over.
import { randomUUID } from 'node:crypto';
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message } from '@aws-sdk/client-sqs';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { inject } from 'vitest';
import { dispatchApiRequest } from '../../lib/api/dispatch.js';
import { createAwsStepwise, type AwsStepwise } from '../../lib/aws-home/runtime.js';
import { sqsRecord as lambdaRecord } from '../../lib/aws-home/sqs-poller.js';
import { handleStepMessages } from '../../lib/aws-home/step-handler.js';
import { dummyCredentials } from '../../lib/emulators/index.js';
import type { ExecutionLog, ExecutionRecord } from '../../lib/runtime/ports.js';
import { emulatorClients, freshQueues, freshTable } from '../support/aws.js';

export const PARTITION = { region: 'us-east-1', accountId: '123456789012' } as const;
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/stepwise-tests';

/** Pass → Succeed: two steps, an output that shows the Pass state ran. */
export const PASS_THEN_SUCCEED = {
  StartAt: 'Greet',
  States: {
    Greet: { Type: 'Pass', Result: { greeting: 'hello' }, ResultPath: '$.said', Next: 'Done' },
    Done: { Type: 'Succeed' },
  },
};

const setupClients = emulatorClients();

export interface TestHome {
  readonly stepwise: AwsStepwise;
  readonly deadLetterQueueUrl: string;
}

/**
 * `createAwsStepwise` over DynamoDB Local and fauxqs with a fresh table and step queue (and its
 * dead-letter queue); `eventBus` and `eventbridge` send status events to an EventBridge (moto).
 */
export async function testHome(options: { eventBus?: string; eventbridge?: string; log?: ExecutionLog } = {}): Promise<TestHome> {
  const [table, queues] = await Promise.all([freshTable(setupClients), freshQueues(setupClients)]);
  const stepwise = createAwsStepwise({
    config: { partition: PARTITION, table, stepQueueUrl: queues.stepQueueUrl, eventSource: 'aws.states', ...(options.eventBus === undefined ? {} : { eventBus: options.eventBus }) },
    clients: {
      region: 'us-east-1',
      credentials: dummyCredentials,
      endpoints: { dynamodb: inject('dynamodbEndpoint'), sqs: inject('sqsEndpoint'), ...(options.eventbridge === undefined ? {} : { eventbridge: options.eventbridge }) },
    },
    ...(options.log ? { log: options.log } : {}),
  });
  return { stepwise, deadLetterQueueUrl: queues.deadLetterQueueUrl };
}

/** One Step Functions API action, as the api handler dispatches it; anything but 200 throws. */
export async function callApi(stepwise: AwsStepwise, action: string, body: object): Promise<Record<string, unknown>> {
  const { status, body: answer } = await dispatchApiRequest(stepwise.api, `AWSStepFunctions.${action}`, JSON.stringify(body));
  if (status !== 200) throw new Error(`${action} answered ${status}: ${JSON.stringify(answer)}`);
  return answer;
}

export async function createStateMachine(stepwise: AwsStepwise, definition: object = PASS_THEN_SUCCEED): Promise<string> {
  const { stateMachineArn } = await callApi(stepwise, 'CreateStateMachine', { name: `sm-${randomUUID().slice(0, 8)}`, definition: JSON.stringify(definition), roleArn: ROLE_ARN });
  return String(stateMachineArn);
}

export async function startExecution(stepwise: AwsStepwise, stateMachineArn: string, input: unknown = { n: 1 }): Promise<string> {
  const { executionArn } = await callApi(stepwise, 'StartExecution', { stateMachineArn, input: JSON.stringify(input) });
  return String(executionArn);
}

export async function execution(stepwise: AwsStepwise, executionArn: string): Promise<ExecutionRecord | undefined> {
  return stepwise.api.store.getExecution(executionArn);
}

export async function historyTypes(stepwise: AwsStepwise, executionArn: string): Promise<string[]> {
  return (await stepwise.api.store.history(executionArn)).map((e) => e.type);
}

/** What is on the step queue now, as Lambda's event source mapping hands it to the function. */
export async function receiveStepRecords(stepwise: AwsStepwise, options: { max?: number; waitSeconds?: number } = {}): Promise<SQSRecord[]> {
  const { Messages } = await stepwise.clients.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: stepwise.config.stepQueueUrl, MaxNumberOfMessages: options.max ?? 10, WaitTimeSeconds: options.waitSeconds ?? 1, MessageSystemAttributeNames: ['All'] }),
  );
  return (Messages ?? []).map(sqsRecord);
}

/** An SQS message as Lambda hands it over (messages made up by a test get an id of their own). */
export function sqsRecord(m: Message): SQSRecord {
  return lambdaRecord({ ...m, MessageId: m.MessageId ?? randomUUID(), ReceiptHandle: m.ReceiptHandle ?? '' }, 'arn:aws:sqs:us-east-1:123456789012:stepwise-steps');
}

/** A record SQS never held: for bodies the handlers must cope with. */
export function recordWithBody(body: string, receiveCount = 1): SQSRecord {
  return sqsRecord({ MessageId: randomUUID(), ReceiptHandle: randomUUID(), Body: body, Attributes: { ApproximateReceiveCount: String(receiveCount) } });
}

export const sqsEvent = (...records: SQSRecord[]): SQSEvent => ({ Records: records });

/**
 * The step function's event source mapping, by hand: receive, handle, delete what succeeded, until
 * the execution is no longer RUNNING.
 */
export async function runToCompletion(stepwise: AwsStepwise, executionArn: string, maxBatches = 50): Promise<ExecutionRecord> {
  for (let i = 0; i < maxBatches; i++) {
    const current = await execution(stepwise, executionArn);
    if (current && current.status !== 'RUNNING') return current;
    const records = await receiveStepRecords(stepwise);
    if (records.length === 0) continue;
    const { batchItemFailures } = await handleStepMessages(stepwise, sqsEvent(...records));
    const failed = new Set(batchItemFailures.map((f) => f.itemIdentifier));
    const done = records.filter((r) => !failed.has(r.messageId));
    if (done.length > 0) {
      await stepwise.clients.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: stepwise.config.stepQueueUrl, Entries: done.map((r, j) => ({ Id: String(j), ReceiptHandle: r.receiptHandle })) }));
    }
  }
  throw new Error(`${executionArn} still RUNNING after ${maxBatches} batches`);
}
