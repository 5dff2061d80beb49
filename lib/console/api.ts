// The console's only way to the server: the Step Functions API (AWS JSON 1.0, POST / with
// X-Amz-Target), same origin, so the console works over either home.
import type { HistoryEvent } from './progress.js';

/** How long one call may take before the console says the server is not answering. */
const CALL_TIMEOUT_MS = 15_000;

/** A failed call, said as a sentence: an API error (its AWS name), no answer, or an unreadable one. */
export class ApiCallError extends Error {
  constructor(
    message: string,
    /** AWS's error name (`StateMachineDoesNotExist`, …), or 'NetworkError' / 'Timeout' when the server did not answer. */
    readonly errorName: string,
  ) {
    super(message);
  }
}

export interface StateMachineListItem {
  readonly stateMachineArn: string;
  readonly name: string;
  readonly type: string;
  readonly creationDate: number;
}
export interface StateMachine extends StateMachineListItem {
  readonly definition: string;
  readonly status?: string;
  readonly roleArn: string;
}
export interface ExecutionListItem {
  readonly executionArn: string;
  readonly name: string;
  readonly status: string;
  readonly startDate: number;
  readonly stopDate?: number;
}
export interface Execution extends ExecutionListItem {
  readonly stateMachineArn: string;
  readonly input?: string;
  readonly output?: string;
  readonly error?: string;
  readonly cause?: string;
}

export async function callApi<T>(action: string, body: object, signal?: AbortSignal): Promise<T> {
  const timeout = AbortSignal.timeout(CALL_TIMEOUT_MS);
  let response: Response;
  try {
    response = await fetch('/', {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': `AWSStepFunctions.${action}` },
      body: JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, timeout]) : timeout,
    });
  } catch (e) {
    if (timeout.aborted) throw new ApiCallError(`The server did not answer ${action} within ${CALL_TIMEOUT_MS / 1000} s.`, 'Timeout');
    if (signal?.aborted) throw e;
    throw new ApiCallError(`The server is not answering (${action}: ${e instanceof Error ? e.message : String(e)}). Is it still running?`, 'NetworkError');
  }
  let answer: Record<string, unknown>;
  try {
    answer = (await response.json()) as Record<string, unknown>;
  } catch {
    throw new ApiCallError(`The server answered ${action} with HTTP ${response.status} and no JSON.`, 'InvalidResponse');
  }
  if (!response.ok) {
    const type = String(answer['__type'] ?? `HTTP ${response.status}`);
    const name = type.slice(type.lastIndexOf('#') + 1);
    throw new ApiCallError(`${name}: ${String(answer['message'] ?? answer['Message'] ?? '')}`, name);
  }
  return answer as T;
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly nextToken: string | undefined;
}

export async function listStateMachines(nextToken?: string): Promise<Page<StateMachineListItem>> {
  const r = await callApi<{ stateMachines: StateMachineListItem[]; nextToken?: string }>('ListStateMachines', { maxResults: 100, ...(nextToken ? { nextToken } : {}) });
  return { items: r.stateMachines, nextToken: r.nextToken };
}

export const describeStateMachine = (stateMachineArn: string): Promise<StateMachine> => callApi('DescribeStateMachine', { stateMachineArn });
export const describeExecution = (executionArn: string): Promise<Execution> => callApi('DescribeExecution', { executionArn });
export const describeStateMachineForExecution = (executionArn: string): Promise<StateMachine> => callApi('DescribeStateMachineForExecution', { executionArn });

export async function listExecutions(stateMachineArn: string, statusFilter: string | undefined, nextToken: string | undefined, maxResults = 20): Promise<Page<ExecutionListItem>> {
  const r = await callApi<{ executions: ExecutionListItem[]; nextToken?: string }>('ListExecutions', {
    stateMachineArn,
    maxResults,
    ...(statusFilter ? { statusFilter } : {}),
    ...(nextToken ? { nextToken } : {}),
  });
  return { items: r.executions, nextToken: r.nextToken };
}

export const startExecution = (stateMachineArn: string, input: string, name?: string): Promise<{ executionArn: string }> =>
  callApi('StartExecution', { stateMachineArn, input, ...(name ? { name } : {}) });
export const stopExecution = (executionArn: string, error?: string, cause?: string): Promise<unknown> =>
  callApi('StopExecution', { executionArn, ...(error ? { error } : {}), ...(cause ? { cause } : {}) });
export const sendTaskSuccess = (taskToken: string, output: string): Promise<unknown> => callApi('SendTaskSuccess', { taskToken, output });
export const sendTaskFailure = (taskToken: string, error?: string, cause?: string): Promise<unknown> =>
  callApi('SendTaskFailure', { taskToken, ...(error ? { error } : {}), ...(cause ? { cause } : {}) });

/**
 * The whole history, oldest first, a page of 1000 at a time (GetExecutionHistory's largest);
 * `onPage` hears how far it got, so a long history shows progress instead of a frozen page.
 */
export async function getExecutionHistory(executionArn: string, onPage?: (loaded: number) => void, signal?: AbortSignal): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await callApi<{ events: HistoryEvent[]; nextToken?: string }>('GetExecutionHistory', { executionArn, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }, signal);
    for (const event of page.events) events.push(event);
    nextToken = page.nextToken;
    onPage?.(events.length);
  } while (nextToken);
  return events;
}
