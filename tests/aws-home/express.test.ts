// Express executions in the AWS home: StartExecution sends one step message, the step handler runs
// the execution whole from it, and the table holds nothing of it (no per-step persistence: its
// history goes only to the execution log); a message delivered again runs the execution again from
// the start (at least once); StartSyncExecution writes nothing either.
import { ScanCommand } from '@aws-sdk/client-dynamodb';
import { describe, expect, it } from 'vitest';
import { LineExecutionLog } from '../../lib/adapters/memory/execution-log.js';
import { handleStepMessages } from '../../lib/aws-home/step-handler.js';
import type { AwsStepwise } from '../../lib/aws-home/runtime.js';
import { callApi, receiveStepRecords, recordWithBody, sqsEvent, testHome } from './harness.js';

const LOGGED = { level: 'ALL' as const, includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:express:*' } }] };
const DEFINITION = {
  StartAt: 'Fan',
  States: {
    Fan: { Type: 'Map', ItemsPath: '$.items', ItemProcessor: { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($, $)' }, End: true } } }, Next: 'Wait' },
    Wait: { Type: 'Wait', Seconds: 1, End: true },
  },
};

async function expressHome(): Promise<{ stepwise: AwsStepwise; records: Record<string, unknown>[]; items(): Promise<string[]> }> {
  const records: Record<string, unknown>[] = [];
  const log = new LineExecutionLog(
    () => LOGGED,
    (text) => records.push(...text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)),
  );
  const { stepwise } = await testHome({ log });
  const items = async () => {
    const { Items } = await stepwise.clients.dynamodb.send(new ScanCommand({ TableName: stepwise.config.table, ConsistentRead: true }));
    return (Items ?? []).map((item) => JSON.stringify(item)).sort();
  };
  return { stepwise, records, items };
}

async function expressMachine(stepwise: AwsStepwise): Promise<string> {
  const { stateMachineArn } = await callApi(stepwise, 'CreateStateMachine', { name: `express-${Date.now()}`, definition: JSON.stringify(DEFINITION), roleArn: 'arn:aws:iam::123456789012:role/r', type: 'EXPRESS' });
  return String(stateMachineArn);
}

describe('Express executions in the AWS home', () => {
  it('StartExecution sends one message; the step handler runs the whole execution from it and the table is left as it was', async () => {
    const { stepwise, records, items } = await expressHome();
    const stateMachineArn = await expressMachine(stepwise);
    const before = await items();
    const { executionArn } = await callApi(stepwise, 'StartExecution', { stateMachineArn, input: JSON.stringify({ items: [1, 2, 3] }) });

    const messages = await receiveStepRecords(stepwise);
    expect(messages).toHaveLength(1);
    expect(JSON.parse(messages[0]!.body)).toMatchObject({ step: { executionArn, event: { kind: 'runExpress', stateMachineArn, input: '{"items":[1,2,3]}' } } });
    expect(await handleStepMessages(stepwise, sqsEvent(messages[0]!))).toEqual({ batchItemFailures: [] });

    const types = records.filter((r) => r['execution_arn'] === executionArn).map((r) => r['type']);
    expect(types[0]).toBe('ExecutionStarted');
    expect(types.filter((t) => t === 'MapIterationSucceeded')).toHaveLength(3);
    expect(types.at(-1)).toBe('ExecutionSucceeded');
    // Nothing of the execution was written: no record, no frame, no history, no timer left on the queue.
    expect(await items()).toEqual(before);
    expect(await receiveStepRecords(stepwise, { waitSeconds: 0 })).toEqual([]);
  });

  it('a message delivered again runs the execution again, from the start (at least once)', async () => {
    const { stepwise, records } = await expressHome();
    const stateMachineArn = await expressMachine(stepwise);
    const { executionArn } = await callApi(stepwise, 'StartExecution', { stateMachineArn, input: JSON.stringify({ items: [5] }) });
    const [message] = await receiveStepRecords(stepwise);
    await handleStepMessages(stepwise, sqsEvent(message!));
    await handleStepMessages(stepwise, sqsEvent(recordWithBody(message!.body, 2)));
    const runs = records.filter((r) => r['execution_arn'] === executionArn && (r['type'] === 'ExecutionStarted' || r['type'] === 'ExecutionSucceeded')).map((r) => r['type']);
    expect(runs).toEqual(['ExecutionStarted', 'ExecutionSucceeded', 'ExecutionStarted', 'ExecutionSucceeded']);
  });

  it('StartSyncExecution runs inside the API call and writes nothing to the table or the queue', async () => {
    const { stepwise, items } = await expressHome();
    const stateMachineArn = await expressMachine(stepwise);
    const before = await items();
    const answer = await callApi(stepwise, 'StartSyncExecution', { stateMachineArn, input: JSON.stringify({ items: [1, 2] }) });
    expect(answer).toMatchObject({ status: 'SUCCEEDED', output: '[{"twice":2},{"twice":4}]' });
    expect(await items()).toEqual(before);
    expect(await receiveStepRecords(stepwise, { waitSeconds: 0 })).toEqual([]);
  });

  it('a message for a state machine deleted meanwhile starts nothing', async () => {
    const { stepwise, records } = await expressHome();
    const stateMachineArn = await expressMachine(stepwise);
    await callApi(stepwise, 'StartExecution', { stateMachineArn });
    await callApi(stepwise, 'DeleteStateMachine', { stateMachineArn });
    const [message] = await receiveStepRecords(stepwise);
    expect(await handleStepMessages(stepwise, sqsEvent(message!))).toEqual({ batchItemFailures: [] });
    expect(records).toEqual([]);
  });
});
