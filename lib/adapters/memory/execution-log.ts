import { appendFileSync } from 'node:fs';
import type { HistoryEvent } from '../../asl/frame.js';
import type { PassRun } from '../../asl/pass-run.js';
import { logRecords } from '../../runtime/execution-log-format.js';
import type { Awaitable, ExecutionLog, ExecutionRecord, ExecutionStore, LoggingConfiguration } from '../../runtime/ports.js';

/** An execution's logging configuration, found from its state machine's ARN (at once when known). */
export type LoggingConfigurationOf = (stateMachineArn: string) => Awaitable<LoggingConfiguration | undefined>;

/**
 * Looks state machines' logging configurations up in the store and keeps each for `ttlMs` (an
 * UpdateStateMachine takes effect within that, as AWS's takes a moment too). A version or alias ARN
 * (`…:stateMachine:name:1`) falls back to its machine's configuration when the store has no record
 * of its own for it.
 */
export function cachedLoggingConfigurations(store: Pick<ExecutionStore, 'getStateMachine'>, options: { ttlMs?: number; now?: () => number } = {}): LoggingConfigurationOf {
  const ttlMs = options.ttlMs ?? 5000;
  const now = options.now ?? Date.now;
  // The answer once known, so that a step of the local home costs no promise; the lookup while pending.
  const cache = new Map<string, { at: number; value: Awaitable<LoggingConfiguration | undefined> }>();
  const lookUp = async (arn: string): Promise<LoggingConfiguration | undefined> => {
    const machine = await store.getStateMachine(arn);
    if (machine) return machine.loggingConfiguration;
    const unqualified = /^(arn:[^:]+:states:[^:]+:\d+:stateMachine:[^:]+):[^:]+$/.exec(arn)?.[1];
    return unqualified === undefined ? undefined : (await store.getStateMachine(unqualified))?.loggingConfiguration;
  };
  return (arn) => {
    const at = now();
    const hit = cache.get(arn);
    if (hit && at - hit.at < ttlMs) return hit.value;
    const value = lookUp(arn);
    cache.set(arn, { at, value });
    value.then(
      (known) => cache.get(arn)?.value === value && cache.set(arn, { at, value: known }),
      () => cache.delete(arn),
    );
    return value;
  };
}

/** Where the local home's log lines go. */
export type LineSink = (text: string) => void;

export const stdoutSink: LineSink = (text) => {
  process.stdout.write(text);
};

/** Appends to a file (created where missing), synchronously, so that lines stay whole and in order. */
export function fileSink(path: string): LineSink {
  return (text) => appendFileSync(path, text);
}

/**
 * The local home's execution log: each record AWS would send to CloudWatch Logs, as one JSON line,
 * for the machines whose logging level is not OFF (the log group named by the configuration is not
 * written to: there is none locally).
 */
export class LineExecutionLog implements ExecutionLog {
  constructor(
    private readonly configurationOf: LoggingConfigurationOf,
    private readonly sink: LineSink = stdoutSink,
  ) {}

  write(execution: ExecutionRecord, events: readonly HistoryEvent[], runs?: readonly PassRun[]): Awaitable<void> {
    const configuration = this.configurationOf(execution.stateMachineArn);
    if (configuration instanceof Promise) return configuration.then((known) => this.emit(execution, events, runs, known));
    this.emit(execution, events, runs, configuration);
  }

  private emit(execution: ExecutionRecord, events: readonly HistoryEvent[], runs: readonly PassRun[] | undefined, configuration: LoggingConfiguration | undefined): void {
    const records = logRecords(execution, events, configuration, runs);
    if (records.length === 0) return;
    this.sink(records.map((r) => `${JSON.stringify(r)}\n`).join(''));
  }
}
