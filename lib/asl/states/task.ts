import type { StatesError } from '../errors.js';
import type { Json, JsonObject } from '../json.js';
import { jsonText } from '../json-text.js';
import type { Step } from '../step.js';
import type { Op } from '../op.js';

/**
 * "A Task state represents a single unit of work performed by a state machine" (ASL spec). The work
 * itself is the runtime's (a TaskInvoker); here: the request on the way out, the result on the way in.
 */
export function* startTask(step: Step): Op<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const parameters = yield* io.effectiveInput(state, raw, step.scope());
  const resource = state.Resource ?? '';
  step.emit('TaskScheduled', { ...resourceFields(resource), region: regionOf(resource), parameters: jsonText(parameters) });
  step.frame.phase = 'task';
  const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : undefined;
  const heartbeatSeconds = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
  step.commands.push({
    kind: 'invokeTask',
    task: {
      resource,
      parameters,
      ...(timeoutSeconds === undefined ? {} : { timeoutSeconds }),
      ...(heartbeatSeconds === undefined ? {} : { heartbeatSeconds }),
    },
  });
}

export function* onTaskSucceeded(step: Step, output: Json): Op<void> {
  step.emit('TaskSucceeded', { ...resourceFields(step.state.Resource ?? ''), output: jsonText(output), outputDetails: { truncated: false } });
  yield* step.exitWithResult(output);
}

export function* onTaskFailed(step: Step, error: StatesError): Op<void> {
  step.emit('TaskFailed', { ...resourceFields(step.state.Resource ?? ''), error: error.error, cause: error.causeText ?? '' });
  yield* step.fail(error, 'task');
}

/** AWS splits `arn:aws:states:::lambda:invoke` into resourceType `lambda` and resource `invoke`. */
function resourceFields(resource: string): JsonObject {
  const integration = /^arn:[^:]+:states:[^:]*:[^:]*:([^:]+):(.+)$/.exec(resource);
  if (integration) return { resourceType: integration[1]!, resource: integration[2]! };
  const service = /^arn:[^:]+:([^:]+):/.exec(resource);
  return { resourceType: service?.[1] ?? 'unknown', resource };
}

function regionOf(resource: string): string {
  return /^arn:[^:]+:[^:]+:([^:]+):/.exec(resource)?.[1] || 'us-east-1';
}
