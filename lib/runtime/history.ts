import { NOT_TRUNCATED, type HistoryEvent } from '../asl/frame.js';
import type { Json, JsonObject } from '../asl/json.js';
import { jsonText } from '../asl/json-text.js';

/** Execution-level history events (ExecutionStarted, …Succeeded, …Failed, …Aborted, …TimedOut). */
export function executionEvent(id: number, previousEventId: number, timestamp: number, type: ExecutionEventType, details: JsonObject): HistoryEvent {
  return { id, previousEventId, timestamp, type, details };
}

export type ExecutionEventType = 'ExecutionStarted' | 'ExecutionSucceeded' | 'ExecutionFailed' | 'ExecutionAborted' | 'ExecutionTimedOut';

export function startedDetails(input: string, roleArn: string): JsonObject {
  return { input, inputDetails: NOT_TRUNCATED, roleArn };
}

export function succeededDetails(output: Json): JsonObject {
  return { output: jsonText(output), outputDetails: NOT_TRUNCATED };
}

export function failureDetails(error: string | undefined, cause: string | undefined): JsonObject {
  const details: JsonObject = {};
  if (error !== undefined && error !== '') details['error'] = error;
  if (cause !== undefined) details['cause'] = cause;
  return details;
}
