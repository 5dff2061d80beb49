import { Logger } from '@aws-lambda-powertools/logger';

/**
 * Stepwise's operational log (step handler errors, dead-letter arrivals, dropped events): Powertools
 * for AWS Lambda's structured JSON, one object per line on stdout/stderr, each with `level`,
 * `message`, `service` ("stepwise"), `timestamp` and, inside a function wrapped with
 * `injectLambdaContext(logger)`, the invocation's request id and cold start. The level comes from
 * POWERTOOLS_LOG_LEVEL (or LOG_LEVEL; Lambda's own log level, if set, caps it), INFO by default.
 *
 * A line about an execution names it: `logger.error(message, { executionArn, ... })`. The key goes
 * on each call, not through `appendKeys`: the step handler runs its batch's records concurrently,
 * and keys appended to the shared logger would leak from one record's lines into another's.
 */
export const logger = new Logger({ serviceName: 'stepwise' });

/** What a line carries about an error: its stack (or its text), as a string CloudWatch Logs Insights can search. */
export function errorText(e: unknown): string {
  return e instanceof Error ? (e.stack ?? `${e.name}: ${e.message}`) : String(e);
}
