import { createActivity, deleteActivity, describeActivity, listActivities } from './activities.js';
import { ApiError } from './errors.js';
import { describeExecution, describeStateMachineForExecution, getExecutionHistory, listExecutions, startExecution, startSyncExecution, stopExecution } from './executions.js';
import { Request } from './request.js';
import type { Action, ApiContext } from './service.js';
import { createStateMachine, deleteStateMachine, describeStateMachine, listStateMachines, updateStateMachine, validateStateMachineDefinition } from './state-machines.js';
import { listTagsForResource, tagResource, untagResource } from './tags.js';
import { getActivityTask, sendTaskFailure, sendTaskHeartbeat, sendTaskSuccess } from './tasks.js';

const ACTIONS: Readonly<Record<string, Action>> = {
  CreateStateMachine: createStateMachine,
  DescribeStateMachine: describeStateMachine,
  UpdateStateMachine: updateStateMachine,
  DeleteStateMachine: deleteStateMachine,
  ListStateMachines: listStateMachines,
  ValidateStateMachineDefinition: validateStateMachineDefinition,
  StartExecution: startExecution,
  StartSyncExecution: startSyncExecution,
  DescribeExecution: describeExecution,
  StopExecution: stopExecution,
  ListExecutions: listExecutions,
  GetExecutionHistory: getExecutionHistory,
  DescribeStateMachineForExecution: describeStateMachineForExecution,
  TagResource: tagResource,
  UntagResource: untagResource,
  ListTagsForResource: listTagsForResource,
  CreateActivity: createActivity,
  DescribeActivity: describeActivity,
  DeleteActivity: deleteActivity,
  ListActivities: listActivities,
  SendTaskSuccess: sendTaskSuccess,
  SendTaskFailure: sendTaskFailure,
  SendTaskHeartbeat: sendTaskHeartbeat,
  GetActivityTask: getActivityTask,
};

export interface ApiResponse {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/**
 * One AWS JSON 1.0 request: `X-Amz-Target: AWSStepFunctions.<Action>` and a JSON body in, a JSON
 * body (or `{"__type", "message"}` with its status) out. Never throws.
 */
export async function dispatchApiRequest(ctx: ApiContext, target: string | undefined, bodyText: string, signal?: AbortSignal): Promise<ApiResponse> {
  try {
    const action = target?.startsWith('AWSStepFunctions.') ? target.slice('AWSStepFunctions.'.length) : undefined;
    const handler = action === undefined ? undefined : ACTIONS[action];
    if (!handler) throw new ApiError('UnknownOperationException', `Unknown operation: '${target ?? ''}'`);
    let body: unknown;
    try {
      body = bodyText.trim() === '' ? {} : JSON.parse(bodyText);
    } catch {
      throw new ApiError('SerializationException', 'The request body is not valid JSON');
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) throw new ApiError('SerializationException', 'The request body must be a JSON object');
    return { status: 200, body: await handler(ctx, new Request(action!, body as Record<string, unknown>), signal) };
  } catch (e) {
    if (e instanceof ApiError) return { status: e.status, body: e.toBody() };
    console.error(JSON.stringify({ level: 'ERROR', message: 'internal error answering an API request', target, error: e instanceof Error ? e.stack : String(e) }));
    return { status: 500, body: { __type: 'com.amazonaws.states#InternalFailure', message: 'An internal error occurred' } };
  }
}
