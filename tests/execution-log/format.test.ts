// The execution-log format, pure: AWS's record shape, its level table and includeExecutionData,
// checked against the records LocalStack's AWS-validated snapshots recorded (recorded.ts).
import { describe, expect, it } from 'vitest';
import type { HistoryEvent } from '../../lib/asl/frame.js';
import { compileMachine, scopeOf } from '../../lib/asl/machine.js';
import {
  ERROR_EVENT_TYPES,
  levelAdmits,
  logRecord,
  logRecords,
  logStreamName,
  loggingConfigurationProblem,
  MAX_ESCAPED_PAYLOAD_BYTES,
  parseLogGroupArn,
} from '../../lib/runtime/execution-log-format.js';
import type { ExecutionRecord, LoggingConfiguration } from '../../lib/runtime/ports.js';
import { asRecorded, RECORDED_LOG_RECORDS } from './recorded.js';

const EXECUTION_ARN = 'arn:aws:states:us-east-1:111111111111:execution:machine:run';
const execution = { executionArn: EXECUTION_ARN, stateMachineArn: 'arn:aws:states:us-east-1:111111111111:stateMachine:machine', redriveCount: 0 } as ExecutionRecord;
const GROUP = 'arn:aws:logs:us-east-1:111111111111:log-group:log_group_name:*';
const config = (level: NonNullable<LoggingConfiguration['level']>, includeExecutionData: boolean): LoggingConfiguration => ({ level, includeExecutionData, destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: GROUP } }] });

/** BASE_PASS_RESULT's history as GetExecutionHistory recorded it (test_base[pass_result.json5_ALL_True]). */
const PASS_HISTORY: HistoryEvent[] = [
  { id: 1, previousEventId: 0, timestamp: 1718026515000, type: 'ExecutionStarted', details: { input: '{}', inputDetails: { truncated: false }, roleArn: 'snf_role_arn' } },
  { id: 2, previousEventId: 0, timestamp: 1718026515010, type: 'PassStateEntered', details: { input: '{}', inputDetails: { truncated: false }, name: 'State_1' } },
  { id: 3, previousEventId: 2, timestamp: 1718026515020, type: 'PassStateExited', details: { name: 'State_1', output: '{"Arg1":"argument1"}', outputDetails: { truncated: false } } },
  { id: 4, previousEventId: 3, timestamp: 1718026515030, type: 'ExecutionSucceeded', details: { output: '{"Arg1":"argument1"}', outputDetails: { truncated: false } } },
];
/** BASE_RAISE_FAILURE's (test_base[raise_failure.json5_ALL_True]). */
const FAIL_HISTORY: HistoryEvent[] = [
  { id: 1, previousEventId: 0, timestamp: 1718026515000, type: 'ExecutionStarted', details: { input: '{}', inputDetails: { truncated: false }, roleArn: 'snf_role_arn' } },
  { id: 2, previousEventId: 0, timestamp: 1718026515010, type: 'FailStateEntered', details: { input: '{}', inputDetails: { truncated: false }, name: 'FailState' } },
  { id: 3, previousEventId: 2, timestamp: 1718026515020, type: 'ExecutionFailed', details: { cause: "This state machines raises a 'SomeFailure' failure.", error: 'SomeFailure' } },
];

describe('execution-log records (AWS format)', () => {
  for (const [template, history] of [['pass_result', PASS_HISTORY], ['raise_failure', FAIL_HISTORY]] as const) {
    for (const level of ['ALL', 'ERROR', 'FATAL', 'OFF'] as const) {
      for (const include of [false, true]) {
        const key = `${template}_${level}_${include ? 'True' : 'False'}`;
        it(`match AWS's recorded records field by field: ${key}`, () => {
          const records = logRecords(execution, history, config(level, include)).map((r) => asRecorded({ ...r }, EXECUTION_ARN));
          const recorded = RECORDED_LOG_RECORDS[key]!;
          expect(records.length).toBe(recorded.length);
          records.forEach((record, i) => {
            // Same keys in the same order (AWS's), then the same values.
            expect(Object.keys(record)).toEqual(Object.keys(recorded[i]!));
            for (const field of Object.keys(record)) expect(record[field], `${key} #${i} ${field}`).toEqual(recorded[i]![field]);
          });
        });
      }
    }
  }

  it('writes every value as a string but details, timestamps in epoch milliseconds', () => {
    const record = logRecord({ ...execution, redriveCount: 2 }, PASS_HISTORY[2]!, true);
    expect(record).toEqual({
      id: '3',
      type: 'PassStateExited',
      details: { name: 'State_1', output: '{"Arg1":"argument1"}', outputDetails: { truncated: false } },
      previous_event_id: '2',
      event_timestamp: '1718026515020',
      execution_arn: EXECUTION_ARN,
      redrive_count: '2',
    });
    expect(JSON.stringify(record)).toBe(
      `{"id":"3","type":"PassStateExited","details":{"name":"State_1","output":"{\\"Arg1\\":\\"argument1\\"}","outputDetails":{"truncated":false}},"previous_event_id":"2","event_timestamp":"1718026515020","execution_arn":"${EXECUTION_ARN}","redrive_count":"2"}`,
    );
  });

  it('leaves input, output and their details out without includeExecutionData, keeping the rest (and {} when nothing is left)', () => {
    const scheduled: HistoryEvent = { id: 5, previousEventId: 4, timestamp: 1, type: 'TaskScheduled', details: { resource: 'invoke', resourceType: 'lambda', region: 'us-east-1', parameters: '{"FunctionName":"f"}' } };
    expect(logRecord(execution, scheduled, false).details).toEqual(scheduled.details);
    expect(logRecord(execution, PASS_HISTORY[3]!, false).details).toEqual({});
    expect(logRecord(execution, PASS_HISTORY[0]!, false).details).toEqual({ roleArn: 'snf_role_arn' });
    const started: HistoryEvent = { id: 3, previousEventId: 2, timestamp: 1, type: 'MapStateStarted', details: undefined };
    expect(logRecord(execution, started, true)).not.toHaveProperty('details');
  });

  it('truncates an input whose escaped text exceeds 248 KB, and says so', () => {
    const big = JSON.stringify({ s: 'x'.repeat(300 * 1024) });
    const record = logRecord(execution, { id: 1, previousEventId: 0, timestamp: 1, type: 'ExecutionStarted', details: { input: big, inputDetails: { truncated: false }, roleArn: 'r' } }, true);
    const input = record.details!['input'] as string;
    expect(big.startsWith(input)).toBe(true);
    expect(Buffer.byteLength(JSON.stringify(input))).toBeLessThanOrEqual(MAX_ESCAPED_PAYLOAD_BYTES);
    expect(Buffer.byteLength(JSON.stringify(input))).toBeGreaterThan(MAX_ESCAPED_PAYLOAD_BYTES - 8);
    expect(record.details!['inputDetails']).toEqual({ truncated: true });
  });
});

describe('log levels (the developer guide\'s table)', () => {
  it('ALL logs every event, OFF none', () => {
    for (const type of ['ExecutionStarted', 'PassStateEntered', 'TaskSucceeded', 'MapIterationStarted', 'ExecutionFailed']) {
      expect(levelAdmits('ALL', type)).toBe(true);
      expect(levelAdmits('OFF', type)).toBe(false);
      expect(levelAdmits(undefined, type)).toBe(false);
    }
  });

  it("logs a step's pass-through runs as the events they stand for, in id order among the step's other events", () => {
    const first = scopeOf(compileMachine({ StartAt: 'State_1', States: { State_1: { Type: 'Pass', End: true } } }), '').passThrough.get('State_1')!;
    const run = { firstId: 2, previousEventId: 0, timestamp: 1718026515010, first, states: 1, text: '{}' };
    const others = [PASS_HISTORY[0]!, { ...PASS_HISTORY[3]!, previousEventId: 3, details: { output: '{}', outputDetails: { truncated: false } } }];

    const records = logRecords(execution, others, config('ALL', true), [run]);

    expect(records.map((r) => [r.id, r.type])).toEqual([['1', 'ExecutionStarted'], ['2', 'PassStateEntered'], ['3', 'PassStateExited'], ['4', 'ExecutionSucceeded']]);
    expect(records[1]!.details).toEqual({ name: 'State_1', input: '{}', inputDetails: { truncated: false } });
    expect(logRecords(execution, others, config('OFF', true), [run])).toEqual([]);
  });

  it('ERROR logs the failures of the table, FATAL only the execution\'s', () => {
    const error = ['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut', 'FailStateEntered', 'LambdaFunctionFailed', 'LambdaFunctionScheduleFailed', 'LambdaFunctionStartFailed', 'LambdaFunctionTimedOut', 'MapIterationAborted', 'MapIterationFailed', 'MapStateAborted', 'MapStateFailed', 'ParallelStateAborted', 'ParallelStateFailed', 'TaskFailed', 'TaskStartFailed', 'TaskStateAborted', 'TaskSubmitFailed', 'TaskTimedOut', 'WaitStateAborted'];
    const notError = ['ChoiceStateEntered', 'ChoiceStateExited', 'ExecutionStarted', 'ExecutionSucceeded', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'MapIterationStarted', 'MapIterationSucceeded', 'MapStateEntered', 'MapStateExited', 'MapStateStarted', 'MapStateSucceeded', 'ParallelStateEntered', 'ParallelStateExited', 'ParallelStateStarted', 'ParallelStateSucceeded', 'PassStateEntered', 'PassStateExited', 'SucceedStateEntered', 'SucceedStateExited', 'TaskScheduled', 'TaskStarted', 'TaskStateEntered', 'TaskStateExited', 'TaskSubmitted', 'TaskSucceeded', 'WaitStateEntered', 'WaitStateExited'];
    for (const type of error) expect(levelAdmits('ERROR', type), type).toBe(true);
    for (const type of notError) expect(levelAdmits('ERROR', type), type).toBe(false);
    expect(ERROR_EVENT_TYPES.has('MapRunFailed')).toBe(true);
    for (const type of [...error, ...notError]) expect(levelAdmits('FATAL', type), type).toBe(['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut'].includes(type));
  });
});

describe('logging configurations AWS refuses', () => {
  it('a level other than OFF without a destination, or several destinations (recorded messages)', () => {
    const one = 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
    for (const level of ['ALL', 'ERROR', 'FATAL'] as const) {
      expect(loggingConfigurationProblem({ level })).toBe(one);
      expect(loggingConfigurationProblem({ level, destinations: [] })).toBe(one);
    }
    const two = { cloudWatchLogsLogGroup: { logGroupArn: GROUP } };
    expect(loggingConfigurationProblem({ level: 'ALL', destinations: [two, two] })).toBe(one);
    expect(loggingConfigurationProblem({ level: 'OFF', destinations: [two, two] })).toBe(one);
  });

  it('accepts OFF without destinations, and any level with one log group', () => {
    expect(loggingConfigurationProblem({})).toBeUndefined();
    expect(loggingConfigurationProblem({ destinations: [] })).toBeUndefined();
    expect(loggingConfigurationProblem({ level: 'OFF' })).toBeUndefined();
    for (const level of ['ALL', 'ERROR', 'FATAL', 'OFF'] as const) expect(loggingConfigurationProblem(config(level, true))).toBeUndefined();
  });

  it('a log group ARN without the :* qualifier, or not a log group', () => {
    expect(loggingConfigurationProblem({ level: 'ALL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:logs:us-east-1:111111111111:log-group:g' } }] })).toBe(
      "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.",
    );
    expect(loggingConfigurationProblem({ level: 'ALL', destinations: [{ cloudWatchLogsLogGroup: { logGroupArn: 'arn:aws:sqs:us-east-1:111111111111:q:*' } }] })).toBe('Invalid Logging Configuration: Log Destination not found.');
  });

  it('parses log group ARNs', () => {
    expect(parseLogGroupArn('arn:aws:logs:eu-west-1:111111111111:log-group:/aws/vendedlogs/states/my-machine:*')).toEqual({
      arn: 'arn:aws:logs:eu-west-1:111111111111:log-group:/aws/vendedlogs/states/my-machine:*',
      partition: 'aws',
      region: 'eu-west-1',
      accountId: '111111111111',
      name: '/aws/vendedlogs/states/my-machine',
    });
  });

  it('names streams as AWS does: states/<machine>/<yyyy-MM-dd-HH>/<writer>', () => {
    expect(logStreamName('my-machine', Date.UTC(2022, 7, 24, 16, 5), '7a175237')).toBe('states/my-machine/2022-08-24-16/7a175237');
  });
});
