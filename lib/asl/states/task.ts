import { HeartbeatTimeoutError, States, StatesError, UnnamedTaskError } from '../errors.js';
import type { FrameEvent } from '../frame.js';
import { pathScope } from '../io/state-io.js';
import { jsonataBindings } from '../io/jsonata-io.js';
import { evaluateJsonataExpression, isJsonataExpression, jsonataExpressionText, unexpectedResultType } from '../jsonata/index.js';
import { jsonTypeName, showJson, type Json, type JsonObject } from '../json.js';
import { jsonText } from '../json-text.js';
import { readPath } from '../paths/json-path.js';
import { NOT_TRUNCATED } from '../frame.js';
import { exceedsPayloadQuota, type Step } from '../step.js';
import { hasTaskToken, parseTaskTarget, type TaskTarget } from '../task-target.js';
import { awaiting, type Op } from '../op.js';

/**
 * "A Task state represents a single unit of work performed by a state machine" (ASL spec). The work
 * itself is the runtime's; here: the request on the way out, the events AWS records while it runs
 * (three families: Task* for service integrations, LambdaFunction* for a bare function ARN,
 * Activity* for activities), its timeouts, and the result on the way in.
 */
export function* startTask(step: Step): Op<void> {
  const { state, io } = step;
  const target = targetOf(step);
  const raw = step.frame.input;
  // `$$.Task.Token` exists only where an answer may come back through it (AWS guide, "Context object").
  const token = hasTaskToken(target) ? step.env.entropy.taskToken() : undefined;
  const scope = step.scope(token === undefined ? undefined : { taskToken: token });
  const parameters = yield* io.effectiveInput(state, raw, scope);
  const parametersText = jsonText(parameters);
  if (exceedsPayloadQuota(parametersText)) {
    throw new StatesError(States.DataLimitExceeded, `The state/task '${step.frame.stateName}' has an input with a size exceeding the maximum number of bytes service limit.`);
  }
  const input = () => step.io.inputPathOnly(state, raw, scope);
  const timeoutSeconds = yield* seconds(step, 'TimeoutSeconds', input);
  const heartbeatSeconds = yield* seconds(step, 'HeartbeatSeconds', input);
  const limits: JsonObject = {};
  if (heartbeatSeconds !== undefined) limits['heartbeatInSeconds'] = heartbeatSeconds;
  if (timeoutSeconds !== undefined) limits['timeoutInSeconds'] = timeoutSeconds;

  let id: number;
  if (target.kind === 'lambda') {
    id = step.emit('LambdaFunctionScheduled', { resource: target.arn, input: parametersText, inputDetails: NOT_TRUNCATED, ...limits });
    step.emit('LambdaFunctionStarted');
  } else if (target.kind === 'activity') {
    id = step.emit('ActivityScheduled', { resource: target.arn, input: parametersText, inputDetails: NOT_TRUNCATED, ...limits });
  } else {
    const region = target.region ?? regionOfArn(step.env.execution.Id);
    id = step.emit('TaskScheduled', { resourceType: target.resourceType, resource: target.resource, region, parameters: parametersText, ...limits });
    step.emit('TaskStarted', { resourceType: target.resourceType, resource: target.resource });
  }
  step.frame.phase = 'task';
  step.frame.task = { id, parameters, token, timeoutSeconds, heartbeatSeconds };
  step.command({ kind: 'invokeTask', taskId: id });
  const now = step.env.now;
  if (timeoutSeconds !== undefined) step.command({ kind: 'timer', at: now + timeoutSeconds * 1000, event: { kind: 'taskTimedOut', taskId: id } });
  // An activity's heartbeats are due once a worker has it; any other task's from its start.
  if (heartbeatSeconds !== undefined && target.kind !== 'activity') step.command(heartbeatTimer(now, id, heartbeatSeconds));
}

/** An event about the frame's pending task; one about another attempt (or none) changes nothing. */
export function* onTaskEvent(step: Step, event: FrameEvent & { taskId: number }): Op<void> {
  const task = step.frame.task;
  if (task === undefined || task.id !== event.taskId) return;
  const target = targetOf(step);
  const names = eventNames(target);
  const fields = target.kind === 'integration' ? { resourceType: target.resourceType, resource: target.resource } : {};
  switch (event.kind) {
    case 'taskStarted': {
      if (target.kind !== 'activity' || task.started) return;
      step.emit('ActivityStarted', event.workerName === undefined ? {} : { workerName: event.workerName });
      step.frame.task = { ...task, started: true };
      if (task.heartbeatSeconds !== undefined) step.command(heartbeatTimer(step.env.now, task.id, task.heartbeatSeconds));
      return;
    }
    case 'taskSubmitted':
      if (task.submitted || target.kind !== 'integration') return;
      step.emit('TaskSubmitted', { ...fields, output: jsonText(event.output), outputDetails: NOT_TRUNCATED });
      step.frame.task = { ...task, submitted: true };
      return;
    case 'taskSucceeded': {
      const output = jsonText(event.output);
      if (exceedsPayloadQuota(output)) {
        step.frame.task = undefined;
        throw new StatesError(States.DataLimitExceeded, `The state/task '${step.frame.stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`);
      }
      step.emit(names.succeeded, { ...fields, output, outputDetails: NOT_TRUNCATED });
      step.frame.task = undefined;
      return yield* step.exitWithResult(event.output);
    }
    case 'taskFailed': {
      const error = event.error === '' ? {} : { error: event.error };
      const cause = event.cause === undefined ? {} : { cause: event.cause };
      step.emit(event.scheduleFailed ? names.scheduleFailed : names.failed, { ...fields, ...error, ...cause });
      step.frame.task = undefined;
      return yield* step.fail(event.error === '' ? new UnnamedTaskError(event.cause) : new StatesError(event.error, event.cause), 'task');
    }
    case 'taskTimedOut': {
      // AWS records both timeouts as States.Timeout, without a cause.
      step.emit(names.timedOut, { ...fields, error: States.Timeout });
      step.frame.task = undefined;
      return yield* step.fail(event.heartbeat ? new HeartbeatTimeoutError() : new StatesError(States.Timeout), 'task');
    }
  }
}

/** The state's target; validation refused any Resource that does not parse. */
export function targetOf(step: Step): TaskTarget {
  const resource = step.state.Resource ?? '';
  const target = parseTaskTarget(resource);
  if (target === undefined) throw StatesError.runtime(`The resource provided ${resource} is not recognized.`);
  return target;
}

function heartbeatTimer(now: number, taskId: number, heartbeatSeconds: number) {
  return { kind: 'timer', at: now + heartbeatSeconds * 1000, event: { kind: 'taskTimedOut', taskId, heartbeat: true } } as const;
}

const EVENT_NAMES = {
  lambda: { succeeded: 'LambdaFunctionSucceeded', failed: 'LambdaFunctionFailed', scheduleFailed: 'LambdaFunctionScheduleFailed', timedOut: 'LambdaFunctionTimedOut' },
  activity: { succeeded: 'ActivitySucceeded', failed: 'ActivityFailed', scheduleFailed: 'ActivityScheduleFailed', timedOut: 'ActivityTimedOut' },
  integration: { succeeded: 'TaskSucceeded', failed: 'TaskFailed', scheduleFailed: 'TaskFailed', timedOut: 'TaskTimedOut' },
} as const;

function eventNames(target: TaskTarget) {
  return EVENT_NAMES[target.kind];
}

/**
 * TimeoutSeconds / HeartbeatSeconds as a number, a JSONata expression, or `…Path` into the state's
 * input (after InputPath); absent, the task waits as long as the execution lets it.
 */
function* seconds(step: Step, field: 'TimeoutSeconds' | 'HeartbeatSeconds', input: () => Op<Json>): Op<number | undefined> {
  const { state } = step;
  const literal = state[field];
  if (typeof literal === 'number') return literal;
  if (typeof literal === 'string' && isJsonataExpression(literal)) {
    const value = yield* awaiting(evaluateJsonataExpression(literal, field, jsonataBindings(step.scope(), { input: step.frame.input })));
    if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) throw unexpectedResultType(jsonataExpressionText(literal), field, 'integer', jsonTypeName(value), value);
    return value;
  }
  const path = state[`${field}Path`];
  if (path === undefined) return undefined;
  const value = readPath(path, pathScope(yield* input(), step.scope()));
  if (value === undefined) throw StatesError.runtime(`Invalid path '${path}' : No results for path: ${path}`);
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw StatesError.runtime(`The ${field}Path parameter does not reference a positive integer value: ${path} == ${showJson(value)}`);
  }
  return value;
}

function regionOfArn(arn: string): string {
  return arn.split(':')[3] || 'us-east-1';
}
