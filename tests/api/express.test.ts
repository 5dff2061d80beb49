// Express workflows through the SDK, in both homes: StartSyncExecution's answers (success, failure,
// AWS's five-minute maximum and TimeoutSeconds, on a clock the runs skip forward instead of
// waiting), StartExecution of an EXPRESS machine (every start its own execution, its records in the
// execution log), and the API restrictions AWS applies to Express ARNs — which the local home relaxes
// for DescribeExecution and GetExecutionHistory.
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  type SFNClient,
  type StartSyncExecutionCommandOutput,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LineExecutionLog } from '../../lib/adapters/memory/execution-log.js';
import type { Sleep } from '../../lib/runtime/express.js';
import type { Clock, ExecutionLog } from '../../lib/runtime/ports.js';
import { startAwsHome } from '../support/aws.js';
import { errorOf } from '../support/homes.js';
import { startLocalServer } from '../support/local-server.js';
import { ROLE_ARN, sfnClient, until } from '../support/sfn-client.js';

/** Real time, plus whatever the runs skipped: an Express run's Wait of minutes passes at once. */
function skippingClock(): { clock: Clock; sleep: Sleep } {
  let skipped = 0;
  return {
    clock: { now: () => Date.now() + skipped },
    sleep: async (ms) => {
      skipped += ms;
    },
  };
}

/** Every execution-log record either home writes, whatever the machine (level ALL, with data). */
function capturingLog(records: Record<string, unknown>[]): ExecutionLog {
  const configuration = { level: 'ALL' as const, includeExecutionData: true, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:123456789012:log-group:express:*' } }] };
  return new LineExecutionLog(
    () => configuration,
    (text) => records.push(...text.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>)),
  );
}

type Options = { clock: Clock; sleep: Sleep; log: ExecutionLog };
const HOMES: [string, (options: Options) => Promise<{ endpoint: string; stop(): Promise<void> }>][] = [
  ['local home', (options) => startLocalServer(options)],
  ['AWS home over DynamoDB Local and fauxqs', (options) => startAwsHome(options)],
];

const EXPRESS_ARN = /^arn:aws:states:us-east-1:123456789012:express:[^:]+:[^:]+:[0-9a-f-]{36}$/;
const ONLY_STANDARD = "Invalid Arn: 'Resource type not valid in this context: express'";

describe.each(HOMES)('Express workflows (%s)', (home, start) => {
  const generous = home === 'local home';
  const records: Record<string, unknown>[] = [];
  let server: { endpoint: string; stop(): Promise<void> };
  let sfn: SFNClient;
  let counter = 0;

  beforeAll(async () => {
    server = await start({ ...skippingClock(), log: capturingLog(records) });
    sfn = sfnClient(server.endpoint);
  });
  afterAll(async () => {
    sfn.destroy();
    await server.stop();
  });

  async function expressMachine(definition: object): Promise<string> {
    const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name: `express-${++counter}`, definition: JSON.stringify(definition), roleArn: ROLE_ARN, type: 'EXPRESS' }));
    return stateMachineArn!;
  }

  function body(output: StartSyncExecutionCommandOutput): Record<string, unknown> {
    const { $metadata: _metadata, ...rest } = output;
    return rest;
  }

  const durationMs = (output: StartSyncExecutionCommandOutput) => output.stopDate!.getTime() - output.startDate!.getTime();

  it('StartSyncExecution: a success, in AWS\'s response shape', async () => {
    const stateMachineArn = await expressMachine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } } });
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn, name: 'adds', input: '{"a":2,"b":3}' }));
    expect(body(result)).toEqual({
      executionArn: expect.stringMatching(EXPRESS_ARN),
      stateMachineArn,
      name: 'adds',
      startDate: expect.any(Date),
      stopDate: expect.any(Date),
      status: 'SUCCEEDED',
      input: '{"a":2,"b":3}',
      inputDetails: { included: true },
      output: '{"sum":5}',
      outputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(durationMs(result) / 100) * 100) },
    });
    expect(result.executionArn).toContain(':express:express-');
  });

  it('StartSyncExecution: a failure carries error and cause, and outputDetails without an output, as AWS answers', async () => {
    const stateMachineArn = await expressMachine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'SomeFailure', Cause: "This state machines raises a 'SomeFailure' failure." } } });
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn }));
    expect(body(result)).toEqual({
      executionArn: expect.stringMatching(EXPRESS_ARN),
      stateMachineArn,
      name: expect.stringMatching(/^[0-9a-f-]{36}$/),
      startDate: expect.any(Date),
      stopDate: expect.any(Date),
      status: 'FAILED',
      error: 'SomeFailure',
      cause: "This state machines raises a 'SomeFailure' failure.",
      input: '{}',
      inputDetails: { included: true },
      outputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: expect.any(Number) },
    });
  });

  it('an Express execution times out at AWS\'s five-minute maximum, or sooner at its TimeoutSeconds', async () => {
    const long = await expressMachine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 600, End: true } } });
    const overrun = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: long }));
    expect(overrun.status).toBe('TIMED_OUT');
    // At the deadline, give or take the real milliseconds the run took besides the skipped wait.
    expect(durationMs(overrun)).toBeGreaterThanOrEqual(300_000);
    expect(durationMs(overrun)).toBeLessThan(301_000);
    expect(overrun.billingDetails).toEqual({ billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.ceil(durationMs(overrun) / 100) * 100 });
    expect(overrun.output).toBeUndefined();

    const bounded = await expressMachine({ TimeoutSeconds: 10, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
    const timedOut = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: bounded }));
    expect(timedOut.status).toBe('TIMED_OUT');
    expect(durationMs(timedOut)).toBeGreaterThanOrEqual(10_000);
    expect(durationMs(timedOut)).toBeLessThan(11_000);

    const within = await expressMachine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 240, Next: 'Done' }, Done: { Type: 'Succeed' } } });
    const waited = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: within, input: '{"kept":true}' }));
    expect(waited).toMatchObject({ status: 'SUCCEEDED', output: '{"kept":true}' });
    expect(durationMs(waited)).toBeGreaterThanOrEqual(240_000);
  });

  it('an Express execution has no history quota: 30,000 events and more run to their end', async () => {
    const loop = {
      StartAt: 'Check',
      States: {
        Check: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericGreaterThanEquals: 10_000, Next: 'Done' }], Default: 'Add' },
        Add: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, 1)' }, Next: 'Check' },
        Done: { Type: 'Succeed' },
      },
    };
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: await expressMachine(loop), input: '{"n":0}' }));
    expect(result).toMatchObject({ status: 'SUCCEEDED', output: '{"n":10000}' });
  });

  it('StartExecution: each start is an execution of its own, even under the same name, and its history goes to the execution log', async () => {
    const stateMachineArn = await expressMachine({ StartAt: 'P', States: { P: { Type: 'Pass', Result: { Arg1: 'argument1' }, End: true } } });
    const first = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'same' }));
    const second = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: 'same' }));
    expect(first.executionArn).toMatch(EXPRESS_ARN);
    expect(second.executionArn).toMatch(EXPRESS_ARN);
    expect(second.executionArn).not.toBe(first.executionArn);
    const of = (arn: string | undefined) => records.filter((r) => r['execution_arn'] === arn);
    for (const arn of [first.executionArn, second.executionArn]) {
      await until(async () => of(arn), (logged) => logged.some((r) => r['type'] === 'ExecutionSucceeded'));
      expect(of(arn).map((r) => r['type'])).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      expect(of(arn).at(-1)).toMatchObject({ id: '4', previous_event_id: '3', details: { output: '{"Arg1":"argument1"}' } });
    }
  });

  it(`StopExecution refuses an Express ARN as AWS does; DescribeExecution and GetExecutionHistory ${generous ? 'answer (the local home is more generous)' : 'refuse it too'}`, async () => {
    const stateMachineArn = await expressMachine({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });
    const { executionArn } = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn }));
    expect(await errorOf(sfn.send(new StopExecutionCommand({ executionArn })))).toEqual({ name: 'InvalidArn', message: ONLY_STANDARD });
    if (generous) {
      expect(await sfn.send(new DescribeExecutionCommand({ executionArn }))).toMatchObject({ executionArn, status: 'SUCCEEDED', redriveStatus: 'NOT_REDRIVABLE' });
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
    } else {
      expect(await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn })))).toEqual({ name: 'InvalidArn', message: ONLY_STANDARD });
      expect(await errorOf(sfn.send(new GetExecutionHistoryCommand({ executionArn })))).toEqual({ name: 'InvalidArn', message: ONLY_STANDARD });
    }
  });
});
