import { randomBytes } from 'node:crypto';
import { CreateLogStreamCommand, PutLogEventsCommand, type CloudWatchLogsClient, type InputLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import type { HistoryEvent } from '../../asl/frame.js';
import type { PassRun } from '../../asl/pass-run.js';
import { stateMachineNameOf } from '../../runtime/arns.js';
import { logGroupOf, logRecords, logStreamName } from '../../runtime/execution-log-format.js';
import type { ExecutionLog, ExecutionRecord } from '../../runtime/ports.js';
import type { LoggingConfigurationOf } from '../memory/execution-log.js';

/** PutLogEvents' limits: 10,000 events and 1,048,576 bytes (each event's UTF-8 message plus 26). */
const MAX_BATCH_EVENTS = 10_000;
const MAX_BATCH_BYTES = 1_048_576;
const EVENT_OVERHEAD_BYTES = 26;

/**
 * Execution-log records to CloudWatch Logs, as AWS writes them: to the log group of the machine's
 * `loggingConfiguration` (`destinations[0].cloudWatchLogsLogGroup.logGroupArn`), in a stream named
 * as AWS names them (`states/<machine>/<yyyy-MM-dd-HH>/<writer>`, one writer per adapter: a Lambda
 * container), created on first use. A write's records go in as few PutLogEvents calls as the limits
 * allow. Failures (a log group that is gone, no permission) are thrown: the engine reports them.
 */
export class CloudWatchExecutionLog implements ExecutionLog {
  /** Streams created (or being created), by `group\nstream`. */
  private readonly streams = new Map<string, Promise<void>>();
  private readonly writer: string;

  constructor(
    private readonly logs: CloudWatchLogsClient,
    private readonly configurationOf: LoggingConfigurationOf,
    options: { writer?: string } = {},
  ) {
    this.writer = options.writer ?? randomBytes(4).toString('hex');
  }

  async write(execution: ExecutionRecord, events: readonly HistoryEvent[], runs?: readonly PassRun[]): Promise<void> {
    if (events.length === 0 && (runs === undefined || runs.length === 0)) return;
    const configuration = await this.configurationOf(execution.stateMachineArn);
    const records = logRecords(execution, events, configuration, runs);
    if (records.length === 0) return;
    const group = logGroupOf(configuration);
    if (!group) throw new Error(`no CloudWatch Logs log group in the logging configuration of ${execution.stateMachineArn}`);
    const stream = logStreamName(stateMachineNameOf(execution.stateMachineArn), Number(records[0]!.event_timestamp), this.writer);
    const logEvents: InputLogEvent[] = records.map((r) => ({ timestamp: Number(r.event_timestamp), message: JSON.stringify(r) }));
    for (const batch of batches(logEvents)) await this.put(group.name, stream, batch);
  }

  private async put(group: string, stream: string, logEvents: InputLogEvent[]): Promise<void> {
    await this.ensureStream(group, stream);
    try {
      await this.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
    } catch (e) {
      // The stream went away (deleted, or the group recreated): create it again, once.
      if (!isNamed(e, 'ResourceNotFoundException')) throw e;
      this.streams.delete(`${group}\n${stream}`);
      await this.ensureStream(group, stream);
      await this.logs.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents }));
    }
  }

  private ensureStream(group: string, stream: string): Promise<void> {
    const key = `${group}\n${stream}`;
    let created = this.streams.get(key);
    if (!created) {
      created = this.logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream })).then(
        () => undefined,
        (e: unknown) => {
          if (isNamed(e, 'ResourceAlreadyExistsException')) return;
          this.streams.delete(key);
          throw e;
        },
      );
      this.streams.set(key, created);
    }
    return created;
  }
}

function isNamed(e: unknown, name: string): boolean {
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === name;
}

function* batches(events: InputLogEvent[]): Generator<InputLogEvent[]> {
  let batch: InputLogEvent[] = [];
  let bytes = 0;
  for (const event of events) {
    const size = Buffer.byteLength(event.message ?? '') + EVENT_OVERHEAD_BYTES;
    if (batch.length > 0 && (batch.length >= MAX_BATCH_EVENTS || bytes + size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(event);
    bytes += size;
  }
  if (batch.length > 0) yield batch;
}
