import type { JsonObject } from '../asl/json.js';
import { invalidDefinitionMessage, validateDefinition } from '../asl/validate.js';
import { variableReferences } from '../asl/variable-references.js';
import { parseStateMachineArn, stateMachineArn } from '../runtime/arns.js';
import { loggingConfigurationProblem } from '../runtime/execution-log-format.js';
import type { LoggingConfiguration, StateMachineRecord, StateMachineType } from '../runtime/ports.js';
import { ApiError, invalidArn, stateMachineDoesNotExist } from './errors.js';
import { checkName } from './names.js';
import { paginate } from './pagination.js';
import type { Request } from './request.js';
import { epochSeconds, type ApiContext } from './service.js';
import { tagsFrom } from './tags.js';

export async function createStateMachine(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const name = req.string('name');
  const definition = req.string('definition');
  const roleArn = req.string('roleArn');
  const type = stateMachineType(req.optionalString('type'));
  checkName(name);
  checkDefinition(definition, type);
  const loggingConfiguration = logging(req.optionalObject('loggingConfiguration'));
  const arn = stateMachineArn(ctx.partition, name);
  const existing = await ctx.store.getStateMachine(arn);
  if (existing) {
    // AWS: the same name with the same settings returns the existing machine; anything else conflicts.
    if (existing.definition === definition && existing.roleArn === roleArn && existing.type === type) {
      return { stateMachineArn: arn, creationDate: epochSeconds(existing.creationDate) };
    }
    throw new ApiError('StateMachineAlreadyExists', `State Machine Already Exists: '${arn}'`);
  }
  const now = ctx.clock.now();
  const description = req.optionalString('description');
  const record: StateMachineRecord = {
    stateMachineArn: arn,
    name,
    type,
    definition,
    roleArn,
    creationDate: now,
    revisionId: ctx.ids.uuid(),
    loggingConfiguration,
    tracingConfiguration: { enabled: req.optionalObject('tracingConfiguration')?.['enabled'] === true },
    tags: tagsFrom(req.optionalArray('tags')),
    ...(description === undefined ? {} : { description }),
  };
  await ctx.store.putStateMachine(record);
  return { stateMachineArn: arn, creationDate: epochSeconds(now) };
}

export async function describeStateMachine(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const sm = await existingStateMachine(ctx, req.string('stateMachineArn'));
  return describe(sm);
}

export function describe(sm: StateMachineRecord): Record<string, unknown> {
  const references = variableReferences(JSON.parse(sm.definition) as JsonObject);
  return {
    stateMachineArn: sm.stateMachineArn,
    name: sm.name,
    status: 'ACTIVE',
    definition: sm.definition,
    roleArn: sm.roleArn,
    type: sm.type,
    creationDate: epochSeconds(sm.creationDate),
    loggingConfiguration: sm.loggingConfiguration,
    tracingConfiguration: sm.tracingConfiguration,
    revisionId: sm.revisionId,
    ...(sm.description === undefined ? {} : { description: sm.description }),
    ...(references === undefined ? {} : { variableReferences: references }),
  };
}

export async function updateStateMachine(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const sm = await existingStateMachine(ctx, req.string('stateMachineArn'));
  const definition = req.optionalString('definition');
  const roleArn = req.optionalString('roleArn');
  const loggingConfiguration = req.optionalObject('loggingConfiguration');
  if (definition === undefined && roleArn === undefined && loggingConfiguration === undefined && !req.has('tracingConfiguration')) {
    throw new ApiError('MissingRequiredParameter', 'Either the definition, the role ARN, the LoggingConfiguration, or the TracingConfiguration must be specified');
  }
  if (definition !== undefined) checkDefinition(definition, sm.type);
  const now = ctx.clock.now();
  const updated: StateMachineRecord = {
    ...sm,
    ...(definition === undefined ? {} : { definition }),
    ...(roleArn === undefined ? {} : { roleArn }),
    ...(loggingConfiguration === undefined ? {} : { loggingConfiguration: logging(loggingConfiguration) }),
    updateDate: now,
    revisionId: ctx.ids.uuid(),
  };
  await ctx.store.putStateMachine(updated);
  return { updateDate: epochSeconds(now), revisionId: updated.revisionId };
}

export async function deleteStateMachine(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const arn = req.string('stateMachineArn');
  if (!parseStateMachineArn(arn)) throw invalidArn(arn);
  await ctx.store.deleteStateMachine(arn);
  return {};
}

export async function listStateMachines(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const all = (await ctx.store.listStateMachines()).sort((a, b) => a.name.localeCompare(b.name));
  const { page, nextToken } = paginate(all, req.optionalNumber('maxResults'), req.optionalString('nextToken'));
  return {
    stateMachines: page.map((sm) => ({ stateMachineArn: sm.stateMachineArn, name: sm.name, type: sm.type, creationDate: epochSeconds(sm.creationDate) })),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

export async function validateStateMachineDefinition(_ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const definition = req.string('definition');
  const type = stateMachineType(req.optionalString('type'));
  const { diagnostics } = validateDefinition(definition, { type });
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  return { result: errors.length > 0 ? 'FAIL' : 'OK', diagnostics, truncated: false };
}

export async function existingStateMachine(ctx: ApiContext, arn: string): Promise<StateMachineRecord> {
  if (!parseStateMachineArn(arn)) throw invalidArn(arn);
  const sm = await ctx.store.getStateMachine(arn);
  if (!sm) throw stateMachineDoesNotExist(arn);
  return sm;
}

function checkDefinition(definition: string, type: StateMachineType): void {
  const { diagnostics } = validateDefinition(definition, { type });
  if (diagnostics.some((d) => d.severity === 'ERROR')) throw new ApiError('InvalidDefinition', invalidDefinitionMessage(diagnostics));
}

function stateMachineType(value: string | undefined): StateMachineType {
  if (value === undefined || value === 'STANDARD' || value === 'EXPRESS') return value ?? 'STANDARD';
  throw new ApiError('ValidationException', `1 validation error detected: Value '${value}' at 'type' failed to satisfy constraint: Member must satisfy enum value set: [STANDARD, EXPRESS]`);
}

function logging(value: Record<string, unknown> | undefined): LoggingConfiguration {
  if (!value) return { level: 'OFF', includeExecutionData: false };
  const level = value['level'];
  if (level !== undefined && level !== 'ALL' && level !== 'ERROR' && level !== 'FATAL' && level !== 'OFF') {
    // AWS's model check of an enum member (its order here is the API model's).
    throw new ApiError('ValidationException', `1 validation error detected: Value '${String(level)}' at 'loggingConfiguration.level' failed to satisfy constraint: Member must satisfy enum value set: [ALL, ERROR, FATAL, OFF]`);
  }
  const configuration: LoggingConfiguration = {
    level: (level as LoggingConfiguration['level']) ?? 'OFF',
    includeExecutionData: value['includeExecutionData'] === true,
    ...(Array.isArray(value['destinations']) ? { destinations: value['destinations'] as NonNullable<LoggingConfiguration['destinations']> } : {}),
  };
  const problem = loggingConfigurationProblem(configuration);
  if (problem !== undefined) throw new ApiError('InvalidLoggingConfiguration', problem);
  return configuration;
}
