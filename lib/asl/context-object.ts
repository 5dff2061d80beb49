import type { Json, JsonObject } from './json.js';

/** What the runtime knows about the execution, for `$$` / `$states.context` (AWS guide, "Context object"). */
export interface ExecutionInfo {
  readonly Id: string;
  readonly Input: Json;
  readonly Name: string;
  readonly RoleArn: string;
  /** ISO 8601 with milliseconds, as AWS prints it. */
  readonly StartTime: string;
  readonly RedriveCount: number;
}

export interface StateMachineInfo {
  readonly Id: string;
  readonly Name: string;
}

export interface ContextInputs {
  readonly execution: ExecutionInfo;
  readonly stateMachine: StateMachineInfo;
  readonly stateName: string;
  readonly enteredAt: number;
  /** Only states that can retry (Task, Parallel, Map) carry `$$.State.RetryCount`, as AWS records. */
  readonly retryCount?: number;
  readonly mapItem?: { readonly Index: number; readonly Value: Json };
  readonly taskToken?: string;
}

export function contextObject(inputs: ContextInputs): JsonObject {
  const context: JsonObject = {
    Execution: { ...inputs.execution },
    State: {
      EnteredTime: new Date(inputs.enteredAt).toISOString(),
      Name: inputs.stateName,
      ...(inputs.retryCount === undefined ? {} : { RetryCount: inputs.retryCount }),
    },
    StateMachine: { ...inputs.stateMachine },
  };
  if (inputs.taskToken !== undefined) context['Task'] = { Token: inputs.taskToken };
  if (inputs.mapItem) context['Map'] = { Item: { Index: inputs.mapItem.Index, Value: inputs.mapItem.Value } };
  return context;
}
