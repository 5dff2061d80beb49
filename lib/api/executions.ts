import { awsHistoryEvent, detailsKey, type HistoryEvent } from '../asl/frame.js';
import type { JsonObject } from '../asl/json.js';
import { jsonSyntaxError } from '../asl/validate-json-syntax.js';
import { variableReferences } from '../asl/variable-references.js';
import { parseExecutionArn, stateMachineNameOf } from '../runtime/arns.js';
import type { ExecutionRecord, ExecutionStatus, StateMachineRecord } from '../runtime/ports.js';
import { ApiError, executionDoesNotExist, invalidArn } from './errors.js';
import { checkName, checkNameLength } from './names.js';
import { paginate } from './pagination.js';
import type { Request } from './request.js';
import { epochSeconds, type ApiContext } from './service.js';
import { existingStateMachine } from './state-machines.js';

const MAX_PAYLOAD_BYTES = 256 * 1024;
/** In the order AWS lists them in its ValidationException. */
const STATUSES: readonly ExecutionStatus[] = ['SUCCEEDED', 'TIMED_OUT', 'PENDING_REDRIVE', 'ABORTED', 'FAILED', 'RUNNING'];

async function startFromRequest(ctx: ApiContext, req: Request): Promise<ExecutionRecord> {
  const sm = await stateMachineToStart(ctx, req);
  const { name, input } = nameAndInput(ctx, req);
  const outcome = await ctx.engine.start(sm, name, input);
  if (outcome.kind === 'exists') {
    // AWS: the same name and input while the first is still running is the same execution.
    const same = outcome.execution.input === input && outcome.execution.status === 'RUNNING' && sm.type === 'STANDARD';
    if (!same) throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${outcome.execution.executionArn}'`);
    // The caller may be retrying because the first call failed after creating it: send again what
    // it waits for (receivers drop duplicates).
    await ctx.engine.resume(outcome.execution.executionArn);
  }
  return outcome.execution;
}

export async function startExecution(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const execution = await startFromRequest(ctx, req);
  return { executionArn: execution.executionArn, startDate: epochSeconds(execution.startDate) };
}

/**
 * StartSyncExecution: the whole execution inside this request (at most once: a run cut short is not
 * run again), answered as AWS does — outputDetails even without an output (AWS's recordings).
 */
export async function startSyncExecution(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const sm = await stateMachineToStart(ctx, req);
  if (sm.type !== 'EXPRESS') throw new ApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  const { name, input } = nameAndInput(ctx, req);
  const { execution, billingDetails } = await ctx.express.runSync(sm, name, input);
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    startDate: epochSeconds(execution.startDate),
    stopDate: epochSeconds(execution.stopDate ?? execution.startDate),
    status: execution.status,
    ...(execution.error === undefined ? {} : { error: execution.error }),
    ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === undefined ? {} : { output: execution.output }),
    outputDetails: { included: true },
    billingDetails,
  };
}

/** The state machine a start names, once the name given (if any) meets the model's length constraint, which AWS checks first. */
function stateMachineToStart(ctx: ApiContext, req: Request): Promise<StateMachineRecord> {
  const name = req.optionalString('name');
  if (name !== undefined) checkNameLength(name);
  return existingStateMachine(ctx, req.string('stateMachineArn'));
}

/** A start's name (a UUID unless given) and input (`{}` unless given), refused as AWS refuses them. */
function nameAndInput(ctx: ApiContext, req: Request): { name: string; input: string } {
  const name = req.optionalString('name') ?? ctx.ids.uuid();
  checkName(name);
  const input = req.optionalString('input') ?? '{}';
  checkInput(input);
  return { name, input };
}

export async function describeExecution(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const execution = await existingExecution(ctx, req.string('executionArn'), { express: ctx.express.keepsRuns });
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: epochSeconds(execution.startDate),
    ...(execution.stopDate === undefined ? {} : { stopDate: epochSeconds(execution.stopDate) }),
    input: execution.input,
    inputDetails: { included: true },
    ...(execution.output === undefined ? {} : { output: execution.output, outputDetails: { included: true } }),
    ...(execution.error === undefined ? {} : { error: execution.error }),
    ...(execution.cause === undefined ? {} : { cause: execution.cause }),
    redriveCount: execution.redriveCount,
    ...redrive(execution),
  };
}

/** AWS can redrive a STANDARD execution that FAILED, TIMED_OUT or was ABORTED (redrive itself comes later). */
function redrive(execution: ExecutionRecord): Record<string, string> {
  if (execution.type === 'STANDARD' && (execution.status === 'FAILED' || execution.status === 'TIMED_OUT' || execution.status === 'ABORTED')) {
    return { redriveStatus: 'REDRIVABLE' };
  }
  const reason = execution.type === 'EXPRESS' ? 'Express executions cannot be redriven' : `Execution is ${execution.status} and cannot be redriven`;
  return { redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: reason };
}

export async function stopExecution(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const arn = req.string('executionArn');
  await existingExecution(ctx, arn, { express: false });
  const stopped = await ctx.engine.stop(arn, req.optionalString('error'), req.optionalString('cause'));
  return { stopDate: epochSeconds(stopped?.stopDate ?? ctx.clock.now()) };
}

export async function listExecutions(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const sm = await existingStateMachine(ctx, req.string('stateMachineArn'));
  const statusFilter = req.optionalString('statusFilter');
  if (statusFilter !== undefined && !STATUSES.includes(statusFilter as ExecutionStatus)) {
    throw new ApiError('ValidationException', `1 validation error detected: Value '${statusFilter}' at 'statusFilter' failed to satisfy constraint: Member must satisfy enum value set: [${STATUSES.join(', ')}]`);
  }
  if (sm.type === 'EXPRESS') throw new ApiError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
  const all = await ctx.store.listExecutions(sm.stateMachineArn, statusFilter as ExecutionStatus | undefined);
  const { page, nextToken } = paginate(all, req.optionalNumber('maxResults'), req.optionalString('nextToken'), 1000, 3096);
  return {
    executions: page.map((e) => ({
      executionArn: e.executionArn,
      stateMachineArn: e.stateMachineArn,
      name: e.name,
      status: e.status,
      startDate: epochSeconds(e.startDate),
      ...(e.stopDate === undefined ? {} : { stopDate: epochSeconds(e.stopDate) }),
      redriveCount: e.redriveCount,
    })),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

export async function getExecutionHistory(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const arn = req.string('executionArn');
  await existingExecution(ctx, arn, { express: ctx.express.keepsRuns });
  const includeExecutionData = req.optionalBoolean('includeExecutionData') ?? true;
  const history = await ctx.store.history(arn);
  const ordered = req.optionalBoolean('reverseOrder') ? [...history].reverse() : history;
  const { page, nextToken } = paginate(ordered, req.optionalNumber('maxResults'), req.optionalString('nextToken'), 1000, 3096);
  return { events: page.map((e) => apiEvent(e, includeExecutionData)), ...(nextToken === undefined ? {} : { nextToken }) };
}

export async function describeStateMachineForExecution(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const execution = await existingExecution(ctx, req.string('executionArn'));
  const sm = await ctx.store.getStateMachine(execution.stateMachineArn);
  return {
    stateMachineArn: execution.stateMachineArn,
    name: stateMachineNameOf(execution.stateMachineArn),
    definition: execution.definition,
    roleArn: execution.roleArn,
    updateDate: epochSeconds(sm?.updateDate ?? sm?.creationDate ?? execution.startDate),
    loggingConfiguration: sm?.loggingConfiguration ?? { level: 'OFF', includeExecutionData: false },
    tracingConfiguration: sm?.tracingConfiguration ?? { enabled: false },
    revisionId: execution.revisionId,
    ...optionalReferences(execution.definition),
  };
}

function optionalReferences(definition: string): { variableReferences?: Record<string, string[]> } {
  const references = variableReferences(JSON.parse(definition) as JsonObject);
  return references === undefined ? {} : { variableReferences: references };
}

/**
 * The execution an ARN names. `express: false`: an Express execution's ARN is refused as AWS refuses
 * it in StopExecution, DescribeExecution and GetExecutionHistory (its recordings); the local home,
 * which keeps Express runs, answers the last two.
 */
async function existingExecution(ctx: ApiContext, arn: string, accepts: { express: boolean } = { express: true }): Promise<ExecutionRecord> {
  const parsed = parseExecutionArn(arn);
  if (!parsed) throw invalidArn(arn);
  if (parsed.express && !accepts.express) throw new ApiError('InvalidArn', "Invalid Arn: 'Resource type not valid in this context: express'");
  const execution = await ctx.store.getExecution(arn);
  if (!execution) throw executionDoesNotExist(arn);
  return execution;
}

function checkInput(input: string): void {
  if (input.trim() === '') throw new ApiError('InvalidExecutionInput', "Invalid State Machine Execution Input: 'Invalid execution input.'");
  const syntax = jsonSyntaxError(input);
  if (syntax) throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${syntax.problem}'`);
  if (Buffer.byteLength(input) > MAX_PAYLOAD_BYTES) {
    throw new ApiError('InvalidExecutionInput', `The input exceeds the maximum allowed size of ${MAX_PAYLOAD_BYTES} bytes`);
  }
}

/** History events leave with AWS's shape: epoch-second timestamps, data stripped on request. */
function apiEvent(event: HistoryEvent, includeExecutionData: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = { ...awsHistoryEvent(event), timestamp: epochSeconds(event.timestamp) };
  if (!includeExecutionData && event.details !== undefined) {
    const { input: _i, output: _o, parameters: _p, ...rest } = event.details;
    out[detailsKey(event.type)] = rest;
  }
  return out;
}
