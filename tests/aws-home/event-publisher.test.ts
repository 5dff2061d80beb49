// Status change events through a real EventBridge (moto): an execution run by the step handler over
// DynamoDB Local and fauxqs publishes to moto's default bus; a rule with AWS's documented pattern
// sends them to a queue on moto, where they are read back as a target would receive them.
//
// The expected shape is AWS's documented one: the Step Functions developer guide, "EventBridge
// (CloudWatch Events) for Step Functions execution status changes" (cw-events), whose examples carry
// `inputDetails: {"included": true}`, `outputDetails: {"included": true}` once there is an output
// and null before, dates in epoch milliseconds and absent values as null; the API reference's
// CloudWatchEventsExecutionDataDetails ({ included: Boolean }); DescribeExecution for redriveCount,
// redriveStatus and redriveStatusReason ("Execution is RUNNING and cannot be redriven").
import { randomUUID } from 'node:crypto';
import { EventBridgeClient, PutRuleCommand, PutTargetsCommand } from '@aws-sdk/client-eventbridge';
import { CreateQueueCommand, GetQueueAttributesCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { AwsStepwise } from '../../lib/aws-home/runtime.js';
import { dummyCredentials } from '../../lib/emulators/index.js';
import { createStateMachine, runToCompletion, startExecution, testHome } from './harness.js';

const moto = { region: 'us-east-1', credentials: dummyCredentials, endpoint: inject('motoEndpoint') };
const events = new EventBridgeClient(moto);
const motoSqs = new SQSClient(moto);
afterAll(() => {
  events.destroy();
  motoSqs.destroy();
});

interface StatusChangeEvent {
  source: string;
  'detail-type': string;
  resources: string[];
  detail: Record<string, unknown>;
}

/** A queue on moto that a rule on the default bus fills with every Step Functions status change. */
async function statusChangeListener(): Promise<string> {
  const { QueueUrl } = await motoSqs.send(new CreateQueueCommand({ QueueName: `status-changes-${randomUUID()}` }));
  const { Attributes } = await motoSqs.send(new GetQueueAttributesCommand({ QueueUrl, AttributeNames: ['QueueArn'] }));
  const Name = `status-changes-${randomUUID().slice(0, 8)}`;
  await events.send(new PutRuleCommand({ Name, EventBusName: 'default', EventPattern: JSON.stringify({ source: ['aws.states'], 'detail-type': ['Step Functions Execution Status Change'] }) }));
  await events.send(new PutTargetsCommand({ Rule: Name, EventBusName: 'default', Targets: [{ Id: 'queue', Arn: Attributes?.['QueueArn'] }] }));
  return QueueUrl!;
}

/** The status changes of one execution that reached the queue, in the order they were sent. */
async function statusChangesOf(queueUrl: string, executionArn: string, expected: number): Promise<StatusChangeEvent[]> {
  const received: StatusChangeEvent[] = [];
  for (let i = 0; i < 10 && received.length < expected; i++) {
    const { Messages } = await motoSqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 1 }));
    const events = (Messages ?? []).map((m) => JSON.parse(m.Body ?? '{}') as StatusChangeEvent);
    received.push(...events.filter((e) => e.resources?.includes(executionArn)));
  }
  return received;
}

describe('EventBridge status change events (moto)', () => {
  let stepwise: AwsStepwise;
  let queueUrl: string;
  beforeAll(async () => {
    ({ stepwise } = await testHome({ eventBus: 'default', eventbridge: inject('motoEndpoint') }));
    queueUrl = await statusChangeListener();
  });

  it('sends RUNNING then SUCCEEDED, shaped as AWS documents them, to a rule matching source aws.states', async () => {
    const stateMachineArn = await createStateMachine(stepwise);
    const executionArn = await startExecution(stepwise, stateMachineArn, { n: 1 });
    const done = await runToCompletion(stepwise, executionArn);
    expect(done.status).toBe('SUCCEEDED');

    const [running, succeeded, ...more] = await statusChangesOf(queueUrl, executionArn, 2);
    expect(more).toEqual([]);
    for (const event of [running, succeeded]) {
      expect(event).toMatchObject({ source: 'aws.states', 'detail-type': 'Step Functions Execution Status Change', resources: [executionArn] });
    }
    const common = { executionArn, stateMachineArn, name: executionArn.split(':').at(-1), startDate: done.startDate, input: '{"n":1}', inputDetails: { included: true }, redriveCount: 0, error: null, cause: null };
    expect(running!.detail).toMatchObject({
      ...common,
      status: 'RUNNING',
      stopDate: null,
      output: null,
      outputDetails: null,
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is RUNNING and cannot be redriven',
    });
    expect(succeeded!.detail).toMatchObject({
      ...common,
      status: 'SUCCEEDED',
      stopDate: done.stopDate,
      output: '{"n":1,"said":{"greeting":"hello"}}',
      outputDetails: { included: true },
      redriveStatus: 'NOT_REDRIVABLE',
      redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven',
    });
    expect(typeof succeeded!.detail['startDate']).toBe('number');
    expect(succeeded!.detail['stopDate']).toBeGreaterThanOrEqual(done.startDate);
  });

  it('sends FAILED with the error and cause, no output, and the execution redrivable', async () => {
    const stateMachineArn = await createStateMachine(stepwise, { StartAt: 'Boom', States: { Boom: { Type: 'Fail', Error: 'Order.Rejected', Cause: 'out of stock' } } });
    const executionArn = await startExecution(stepwise, stateMachineArn, {});
    const done = await runToCompletion(stepwise, executionArn);
    expect(done.status).toBe('FAILED');

    const changes = await statusChangesOf(queueUrl, executionArn, 2);
    expect(changes.map((e) => e.detail['status'])).toEqual(['RUNNING', 'FAILED']);
    expect(changes[1]!.detail).toMatchObject({
      status: 'FAILED',
      startDate: done.startDate,
      stopDate: done.stopDate,
      input: '{}',
      inputDetails: { included: true },
      output: null,
      outputDetails: null,
      error: 'Order.Rejected',
      cause: 'out of stock',
      redriveCount: 0,
      redriveStatus: 'REDRIVABLE',
      redriveStatusReason: null,
    });
  });
});
