import type { HistoryEvent } from '../asl/frame.js';
import { withPassRuns, type PassRun } from '../asl/pass-run.js';
import type { JsonObject } from '../asl/json.js';
import type { ExecutionRecord, LoggingConfiguration } from './ports.js';

/**
 * AWS's execution-log records (what Step Functions writes to CloudWatch Logs), pure.
 *
 * The shape is the one AWS writes, as LocalStack's validated snapshot tests record it
 * (tests/aws/services/stepfunctions/v2/logs/test_logs.snapshot.json): every value a string but
 * `details`, keys in this order, `details` the event's `…EventDetails` object as GetExecutionHistory
 * returns it (input and output as JSON text), and without `input`, `inputDetails`, `output` and
 * `outputDetails` unless the configuration includes execution data (an ExecutionSucceeded keeps
 * `details: {}` then). `event_timestamp` is the event's time in epoch milliseconds.
 */
export interface ExecutionLogRecord {
  readonly id: string;
  readonly type: string;
  readonly details?: JsonObject;
  readonly previous_event_id: string;
  readonly event_timestamp: string;
  readonly execution_arn: string;
  readonly redrive_count: string;
}

export type LogLevel = NonNullable<LoggingConfiguration['level']>;

/**
 * ERROR: the developer guide's "Log levels" table (cloudwatch-log-level), plus the Distributed Map's
 * MapRunFailed and MapRunAborted, which the table predates (LocalStack lists them too).
 */
export const ERROR_EVENT_TYPES: ReadonlySet<string> = new Set([
  'ExecutionAborted',
  'ExecutionFailed',
  'ExecutionTimedOut',
  'FailStateEntered',
  'LambdaFunctionFailed',
  'LambdaFunctionScheduleFailed',
  'LambdaFunctionStartFailed',
  'LambdaFunctionTimedOut',
  'MapIterationAborted',
  'MapIterationFailed',
  'MapRunAborted',
  'MapRunFailed',
  'MapStateAborted',
  'MapStateFailed',
  'ParallelStateAborted',
  'ParallelStateFailed',
  'TaskFailed',
  'TaskStartFailed',
  'TaskStateAborted',
  'TaskSubmitFailed',
  'TaskTimedOut',
  'WaitStateAborted',
]);

/** FATAL: the execution's own failures. */
export const FATAL_EVENT_TYPES: ReadonlySet<string> = new Set(['ExecutionAborted', 'ExecutionFailed', 'ExecutionTimedOut']);

/** Whether a level logs an event type (ALL: every one, OFF: none). */
export function levelAdmits(level: LogLevel | undefined, type: string): boolean {
  switch (level) {
    case 'ALL':
      return true;
    case 'ERROR':
      return ERROR_EVENT_TYPES.has(type);
    case 'FATAL':
      return FATAL_EVENT_TYPES.has(type);
    default:
      return false;
  }
}

/** Execution data a record leaves out unless the configuration includes it. */
const EXECUTION_DATA_KEYS = ['input', 'inputDetails', 'output', 'outputDetails'] as const;

/**
 * CloudWatch Logs takes events of up to 256 KB: AWS truncates an input or output whose escaped
 * text exceeds 248 KB, and says so in `inputDetails`/`outputDetails` (`truncated: true`).
 */
export const MAX_ESCAPED_PAYLOAD_BYTES = 248 * 1024;

/** One history event as AWS logs it. */
export function logRecord(execution: ExecutionRecord, event: HistoryEvent, includeExecutionData: boolean): ExecutionLogRecord {
  const details = event.details === undefined ? undefined : recordDetails(event.details, includeExecutionData);
  return {
    id: String(event.id),
    type: event.type,
    ...(details === undefined ? {} : { details }),
    previous_event_id: String(event.previousEventId),
    event_timestamp: String(event.timestamp),
    execution_arn: execution.executionArn,
    redrive_count: String(execution.redriveCount),
  };
}

/** The records a configuration admits of a step's events (none when logging is off or absent). */
export function logRecords(execution: ExecutionRecord, events: readonly HistoryEvent[], configuration: LoggingConfiguration | undefined, runs?: readonly PassRun[]): ExecutionLogRecord[] {
  const level = configuration?.level;
  if (level === undefined || level === 'OFF') return [];
  const include = configuration?.includeExecutionData === true;
  return withPassRuns(events, runs).filter((e) => levelAdmits(level, e.type)).map((e) => logRecord(execution, e, include));
}

function recordDetails(details: JsonObject, includeExecutionData: boolean): JsonObject {
  const out: Record<string, JsonObject[string]> = { ...details };
  if (!includeExecutionData) {
    for (const key of EXECUTION_DATA_KEYS) delete out[key];
    return out;
  }
  for (const key of ['input', 'output'] as const) {
    const text = out[key];
    if (typeof text !== 'string') continue;
    const cut = truncated(text);
    if (cut !== text) {
      out[key] = cut;
      out[`${key}Details`] = { truncated: true };
    }
  }
  return out;
}

/** The longest prefix of `text` whose escaped form fits CloudWatch's limit (the text itself when it fits). */
function truncated(text: string): string {
  const escapedBytes = (s: string) => Buffer.byteLength(JSON.stringify(s));
  if (escapedBytes(text) <= MAX_ESCAPED_PAYLOAD_BYTES) return text;
  let lo = 0;
  let hi = text.length;
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (escapedBytes(text.slice(0, mid)) <= MAX_ESCAPED_PAYLOAD_BYTES) lo = mid;
    else hi = mid - 1;
  }
  return text.slice(0, lo);
}

/** A CloudWatch Logs log group as a logging destination names it: `arn:aws:logs:<region>:<account>:log-group:<name>:*`. */
export interface LogGroupDestination {
  readonly arn: string;
  readonly partition: string;
  readonly region: string;
  readonly accountId: string;
  readonly name: string;
}

const LOG_GROUP_ARN = /^arn:(aws[a-z-]*):logs:([a-z0-9-]+):(\d{12}):log-group:([\w./#-]{1,512}):\*$/;

export function parseLogGroupArn(arn: string): LogGroupDestination | undefined {
  const m = LOG_GROUP_ARN.exec(arn);
  if (!m) return undefined;
  return { arn, partition: m[1]!, region: m[2]!, accountId: m[3]!, name: m[4]! };
}

/** The configuration's (single) log group, if it names a well-formed one. */
export function logGroupOf(configuration: LoggingConfiguration | undefined): LogGroupDestination | undefined {
  const arn = configuration?.destinations?.[0]?.cloudWatchLogsLogGroup?.logGroupArn;
  return arn === undefined ? undefined : parseLogGroupArn(arn);
}

/**
 * AWS's InvalidLoggingConfiguration messages for a configuration it refuses, or undefined when it is
 * acceptable. "Must specify exactly one Log Destination." (a level other than OFF without a
 * destination, or several destinations) is recorded in LocalStack's validated snapshots
 * (test_sfn_api_logs.snapshot.json); "Log Group ARN must be provided with '*' qualifier." is AWS's
 * answer to a log group ARN without `:*` (as users report it, e.g. hashicorp/terraform-provider-aws
 * #17682). An ARN that ends in `:*` but names no log group is one AWS cannot find: "Log Destination
 * not found." (its message for a deleted log group, recorded in the same snapshots).
 */
export function loggingConfigurationProblem(configuration: LoggingConfiguration): string | undefined {
  const destinations = configuration.destinations ?? [];
  const level = configuration.level ?? 'OFF';
  if (destinations.length > 1 || (level !== 'OFF' && destinations.length === 0)) return 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
  const destination = destinations[0];
  if (destination === undefined) return undefined;
  const arn = destination.cloudWatchLogsLogGroup?.logGroupArn;
  if (typeof arn !== 'string' || arn === '') return 'Invalid Logging Configuration: Must specify exactly one Log Destination.';
  if (!arn.endsWith(':*')) return "Invalid Logging Configuration: Log Group ARN must be provided with '*' qualifier.";
  if (!parseLogGroupArn(arn)) return 'Invalid Logging Configuration: Log Destination not found.';
  return undefined;
}

/**
 * AWS's log stream name for a state machine's records: `states/<machine name>/<yyyy-MM-dd-HH>/<writer>`
 * (as the console links to them, e.g. `states/my-machine/2022-08-24-16/7a175237`); one stream holds
 * every execution's records of that hour from one writer.
 */
export function logStreamName(stateMachineName: string, timestamp: number, writer: string): string {
  const hour = new Date(timestamp).toISOString().slice(0, 13).replace('T', '-');
  return `states/${stateMachineName}/${hour}/${writer}`;
}
