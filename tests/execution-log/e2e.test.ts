// Execution-log records end to end: CreateStateMachine with a loggingConfiguration, an execution,
// and the records it leaves — as lines (the local home's stdout or file) and in a CloudWatch Logs log
// group on moto (the CloudWatch adapter, in the local home and in the AWS home) — compared field by
// field with the records AWS wrote for the same machines (recorded.ts: LocalStack's validated
// snapshots), and the InvalidLoggingConfiguration errors AWS answers.
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogStreamsCommand, GetLogEventsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateStateMachineCommand, DescribeExecutionCommand, StartExecutionCommand, UpdateStateMachineCommand, type LoggingConfiguration, type SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { CloudWatchExecutionLog } from '../../lib/adapters/aws/execution-log.js';
import { cachedLoggingConfigurations, fileSink, LineExecutionLog } from '../../lib/adapters/memory/execution-log.js';
import { dummyCredentials } from '../../lib/emulators/index.js';
import { startAwsHomeServer } from '../../lib/server/aws-home-server.js';
import { errorOf } from '../support/homes.js';
import { startLocalServer } from '../support/local-server.js';
import { ROLE_ARN, sfnClient, until } from '../support/sfn-client.js';
import { asRecorded, RECORDED_LOG_RECORDS } from './recorded.js';
import type { AddressInfo } from 'node:net';

const TEMPLATES = {
  pass_result: { Comment: 'BASE_PASS_RESULT', StartAt: 'State_1', States: { State_1: { Type: 'Pass', Result: { Arg1: 'argument1' }, End: true } } },
  raise_failure: { Comment: 'BASE_RAISE_FAILURE', StartAt: 'FailState', States: { FailState: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." } } },
  wait_seconds_path: { Comment: 'WAIT_SECONDS_PATH', StartAt: 'WaitState', States: { WaitState: { Type: 'Wait', SecondsPath: '$.input.waitSeconds', End: true } } },
};
const LEVELS = ['ALL', 'ERROR', 'FATAL', 'OFF'] as const;
const GROUP_ARN = (name: string) => `arn:aws:logs:us-east-1:123456789012:log-group:${name}:*`;
const logging = (level: string, include: boolean, group = 'log_group_name'): LoggingConfiguration => ({ level: level as LoggingConfiguration['level'], includeExecutionData: include, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN(group) } }] });

let counter = 0;
async function run(sfn: SFNClient, definition: object, loggingConfiguration: LoggingConfiguration): Promise<string> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `logged-${++counter}-${randomUUID().slice(0, 8)}`, definition: JSON.stringify(definition), roleArn: ROLE_ARN, loggingConfiguration }));
  const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
  await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
  return executionArn!;
}

/** Compares records with AWS's, field by field, the role ARN standing for the snapshot's placeholder. */
function expectRecorded(records: Record<string, unknown>[], executionArn: string, key: string): void {
  const recorded = RECORDED_LOG_RECORDS[key]!;
  const ours = records.map((r) => asRecorded(JSON.parse(JSON.stringify(r).replaceAll(ROLE_ARN, 'snf_role_arn')) as Record<string, unknown>, executionArn));
  expect(ours.map((r) => r['type']), key).toEqual(recorded.map((r) => r['type']));
  ours.forEach((record, i) => {
    expect(Object.keys(record), `${key} #${i}`).toEqual(Object.keys(recorded[i]!));
    for (const field of Object.keys(record)) expect(record[field], `${key} #${i} ${field}`).toEqual(recorded[i]![field]);
  });
}

describe('execution-log lines in the local home', () => {
  const lines: string[] = [];
  let server: { endpoint: string; stop(): Promise<void> };
  let sfn: SFNClient;
  beforeAll(async () => {
    server = await startLocalServer({ log: (store) => new LineExecutionLog(cachedLoggingConfigurations(store, { ttlMs: 0 }), (text) => lines.push(...text.split('\n').filter(Boolean))) });
    sfn = sfnClient(server.endpoint);
  });
  afterAll(async () => {
    sfn.destroy();
    await server.stop();
  });
  const linesOf = (executionArn: string) => lines.map((l) => JSON.parse(l) as Record<string, unknown>).filter((r) => r['execution_arn'] === executionArn);

  for (const [template, definition] of Object.entries(TEMPLATES)) {
    for (const level of LEVELS) {
      for (const include of [false, true]) {
        const key = `${template}_${level}_${include ? 'True' : 'False'}`;
        it(`writes what AWS logged: ${key}`, async () => {
          const executionArn = await run(sfn, definition, logging(level, include));
          expectRecorded(linesOf(executionArn), executionArn, key);
        });
      }
    }
  }

  it('writes nothing for machines without logging, and follows UpdateStateMachine once the cached configuration expires', async () => {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `unlogged-${randomUUID().slice(0, 8)}`, definition: JSON.stringify(TEMPLATES.pass_result), roleArn: ROLE_ARN }));
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
    expect(linesOf(executionArn!)).toEqual([]);
    await sfn.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: logging('ALL', true) }));
    const { executionArn: logged } = await sfn.send(new StartExecutionCommand({ stateMachineArn }));
    await until(() => sfn.send(new DescribeExecutionCommand({ executionArn: logged })), (d) => d.status !== 'RUNNING');
    expect(linesOf(logged!).map((r) => r['type'])).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
  });

  it('appends lines to a file', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'stepwise-log-')), 'executions.log');
    const local = await startLocalServer({ log: (store) => new LineExecutionLog(cachedLoggingConfigurations(store), fileSink(file)) });
    const client = sfnClient(local.endpoint);
    try {
      const first = await run(client, TEMPLATES.raise_failure, logging('ALL', false));
      const second = await run(client, TEMPLATES.raise_failure, logging('FATAL', false));
      const records = readFileSync(file, 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
      expectRecorded(records.filter((r) => r['execution_arn'] === first), first, 'raise_failure_ALL_False');
      expectRecorded(records.filter((r) => r['execution_arn'] === second), second, 'raise_failure_FATAL_False');
    } finally {
      client.destroy();
      await local.stop();
    }
  });
});

describe('InvalidLoggingConfiguration (as AWS answers)', () => {
  let server: { endpoint: string; stop(): Promise<void> };
  let sfn: SFNClient;
  beforeAll(async () => {
    server = await startLocalServer();
    sfn = sfnClient(server.endpoint);
  });
  afterAll(async () => {
    sfn.destroy();
    await server.stop();
  });
  const create = (loggingConfiguration: object) =>
    sfn.send(new CreateStateMachineCommand({ name: `bad-${randomUUID().slice(0, 8)}`, definition: JSON.stringify(TEMPLATES.pass_result), roleArn: ROLE_ARN, loggingConfiguration: loggingConfiguration as LoggingConfiguration }));
  const one = 'Invalid Logging Configuration: Must specify exactly one Log Destination.';

  it('a level other than OFF without a destination (test_invalid_logging_configuration)', async () => {
    for (const level of ['ALL', 'FATAL', 'ERROR']) expect(await errorOf(create({ level }))).toEqual({ name: 'InvalidLoggingConfiguration', message: one });
  });

  it('two destinations (test_multiple_destinations), in UpdateStateMachine too', async () => {
    const two = [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN('a') } }, { cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN('b') } }];
    expect(await errorOf(create({ level: 'ALL', destinations: two }))).toEqual({ name: 'InvalidLoggingConfiguration', message: one });
    const { stateMachineArn } = await create({});
    expect(await errorOf(sfn.send(new UpdateStateMachineCommand({ stateMachineArn, loggingConfiguration: { level: 'ALL', destinations: two } })))).toEqual({ name: 'InvalidLoggingConfiguration', message: one });
  });

  it('a log group ARN without :*', async () => {
    expect(await errorOf(create({ level: 'ALL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:g' } }] }))).toEqual({
      name: 'InvalidLoggingConfiguration',
      message: "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
    });
  });

  it('a level that is not one of AWS\'s', async () => {
    expect((await errorOf(create({ level: 'DEBUG', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN('g') } }] }))).name).toBe('ValidationException');
  });

  it('accepts what AWS accepts: no configuration, destinations [] (test_incomplete_logging_configuration)', async () => {
    await expect(create({})).resolves.toBeDefined();
    await expect(create({ destinations: [] })).resolves.toBeDefined();
  });
});

describe('execution-log records in CloudWatch Logs (moto)', () => {
  const logs = new CloudWatchLogsClient({ region: 'us-east-1', credentials: dummyCredentials, endpoint: inject('motoEndpoint') });
  afterAll(() => logs.destroy());

  async function freshGroup(): Promise<string> {
    const name = `/aws/vendedlogs/states/test-${randomUUID().slice(0, 8)}`;
    await logs.send(new CreateLogGroupCommand({ logGroupName: name }));
    return name;
  }

  /** Every record in the group, stream by stream, as GetLogEvents returns them. */
  async function recordsIn(group: string, expected: number): Promise<{ stream: string; records: Record<string, unknown>[] }[]> {
    return until(
      async () => {
        const { logStreams } = await logs.send(new DescribeLogStreamsCommand({ logGroupName: group }));
        return Promise.all(
          (logStreams ?? []).map(async (s) => {
            const { events } = await logs.send(new GetLogEventsCommand({ logGroupName: group, logStreamName: s.logStreamName!, startFromHead: true }));
            return { stream: s.logStreamName!, records: (events ?? []).map((e) => JSON.parse(e.message!) as Record<string, unknown>) };
          }),
        );
      },
      (streams) => streams.reduce((n, s) => n + s.records.length, 0) >= expected,
    );
  }

  it('the local home with the CloudWatch adapter: one stream per machine and hour, AWS\'s records', async () => {
    const local = await startLocalServer({ log: (store) => new CloudWatchExecutionLog(logs, cachedLoggingConfigurations(store), { writer: 'abcd1234' }) });
    const client = sfnClient(local.endpoint);
    try {
      const group = await freshGroup();
      const passed = await run(client, TEMPLATES.pass_result, logging('ALL', true, group));
      const streams = await recordsIn(group, 4);
      expect(streams).toHaveLength(1);
      expect(streams[0]!.stream).toMatch(/^states\/logged-\d+-[0-9a-f]{8}\/\d{4}-\d{2}-\d{2}-\d{2}\/abcd1234$/);
      expectRecorded(streams[0]!.records, passed, 'pass_result_ALL_True');
    } finally {
      client.destroy();
      await local.stop();
    }
  });

  it('the AWS home (DynamoDB Local, fauxqs, CloudWatch Logs on moto)', async () => {
    const id = randomUUID();
    const home = await startAwsHomeServer(
      {
        clients: { region: 'us-east-1', credentials: dummyCredentials, endpoints: { dynamodb: inject('dynamodbEndpoint'), sqs: inject('sqsEndpoint'), logs: inject('motoEndpoint') } },
        table: `logs-${id}`,
        queueName: `logs-${id}`,
        partition: { region: 'us-east-1', accountId: '123456789012' },
        pollers: 2,
        waitTimeSeconds: 1,
      },
      { port: 0, host: '127.0.0.1' },
    );
    const client = sfnClient(`http://127.0.0.1:${(home.server.address() as AddressInfo).port}`);
    try {
      const group = await freshGroup();
      const failed = await run(client, TEMPLATES.raise_failure, logging('ERROR', true, group));
      const streams = await recordsIn(group, 2);
      expectRecorded(streams.flatMap((s) => s.records), failed, 'raise_failure_ERROR_True');
    } finally {
      client.destroy();
      await home.close();
    }
  });

  it('a log group that does not exist: the write fails (reported by the engine), the execution does not', async () => {
    const adapter = new CloudWatchExecutionLog(logs, async () => ({ level: 'ALL', includeExecutionData: false, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP_ARN(`missing-${randomUUID()}`) } }] }));
    const execution = { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', redriveCount: 0 } as Parameters<typeof adapter.write>[0];
    await expect(adapter.write(execution, [{ id: 1, previousEventId: 0, timestamp: Date.now(), type: 'ExecutionStarted', details: { input: '{}', roleArn: 'r' } }])).rejects.toMatchObject({ name: 'ResourceNotFoundException' });
  });
});
