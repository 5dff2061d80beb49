import type { Json } from '../asl/json.js';
import { parseJsonText } from '../asl/json-text.js';
import { exceedsPayloadQuota } from '../asl/step.js';
import { parseActivityArn } from '../runtime/arns.js';
import type { TokenOutcome } from '../runtime/tasks.js';
import { activityDoesNotExist } from './activities.js';
import { ApiError, invalidArn } from './errors.js';
import type { Request } from './request.js';
import type { ApiContext } from './service.js';

/**
 * The worker's side of Task states: answering a task token (SendTaskSuccess, SendTaskFailure),
 * keeping it alive (SendTaskHeartbeat), and taking an activity's work (GetActivityTask).
 */

export async function sendTaskSuccess(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const token = taskToken(req);
  const text = req.string('output');
  if (exceedsPayloadQuota(text)) throw tooLong('output', MAX_OUTPUT_BYTES);
  let output: Json;
  try {
    output = parseJsonText(text);
  } catch {
    throw new ApiError('InvalidOutput', 'Invalid Output: \'The provided output is not valid JSON\'');
  }
  check(await ctx.engine.tasks.answer(token, { ok: true, output }));
  return {};
}

export async function sendTaskFailure(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const token = taskToken(req);
  const error = req.optionalString('error');
  const cause = req.optionalString('cause');
  if (error !== undefined && error.length > 256) throw tooLong('error', 256);
  if (cause !== undefined && cause.length > 32768) throw tooLong('cause', 32768);
  // A failure without an error name is recorded with an empty one, as AWS records it.
  check(await ctx.engine.tasks.answer(token, { ok: false, error: error ?? '', ...(cause === undefined ? {} : { cause }) }));
  return {};
}

export async function sendTaskHeartbeat(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  check(await ctx.engine.tasks.heartbeat(taskToken(req)));
  return {};
}

/** How long GetActivityTask waits for work (AWS: up to 60 seconds); a deployment behind API Gateway sets less. */
export const ACTIVITY_POLL_MS = 60_000;

export async function getActivityTask(ctx: ApiContext, req: Request, signal?: AbortSignal): Promise<Record<string, unknown>> {
  const arn = req.string('activityArn');
  if (!parseActivityArn(arn)) throw invalidArn(arn);
  const workerName = req.optionalString('workerName');
  if (workerName !== undefined && (workerName.length < 1 || workerName.length > 80)) throw tooLong('workerName', 80);
  if (!(await ctx.activities.getActivity(arn))) throw activityDoesNotExist(arn);
  const task = await ctx.engine.tasks.claimActivityTask(arn, workerName, ctx.activityPollMs ?? ACTIVITY_POLL_MS, signal);
  // Nothing came: AWS answers with neither a token nor an input.
  return task ? { taskToken: task.token, input: task.input } : {};
}

/** The length AWS's validation message names for `output` (the payload quota, as exceedsPayloadQuota checks it). */
const MAX_OUTPUT_BYTES = 256 * 1024;

function taskToken(req: Request): string {
  const token = req.string('taskToken');
  if (token.length < 1 || token.length > 2048) throw tooLong('taskToken', 2048);
  return token;
}

function check(outcome: TokenOutcome): void {
  if (outcome === 'invalid') throw new ApiError('InvalidToken', "Invalid Token: 'Invalid token'");
  if (outcome === 'unknown') throw new ApiError('TaskDoesNotExist', "Task Does Not Exist: 'Provided task does not exist'");
  if (outcome === 'timedOut') throw new ApiError('TaskTimedOut', "Task Timed Out: 'Provided task does not exist anymore'");
}

function tooLong(field: string, max: number): ApiError {
  return new ApiError('ValidationException', `1 validation error detected: Value at '${field}' failed to satisfy constraint: Member must have length less than or equal to ${max}`);
}
