// The integrations configuration (`stepwise.config.json`, or the file `STEPWISE_CONFIG` names): which
// Lambda functions run here (a handler module, in-process) or at a Lambda-compatible endpoint, and
// where the AWS services the Task states call are. Functions not listed go to the real Lambda API.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseFunctionName } from './function-name.js';

export const DEFAULT_CONFIG_FILE = 'stepwise.config.json';
/** Lambda's defaults for a function created without them. */
export const DEFAULT_TIMEOUT_SECONDS = 3;
export const DEFAULT_MEMORY_MB = 128;

/** A handler module and the export Lambda calls (`./fn.mjs#handler`: the module resolved to an absolute path). */
export interface HandlerRef {
  readonly module: string;
  readonly export: string;
}

/** One registered function: run here (`handler`) or invoked at a Lambda-compatible `endpoint`. */
export type FunctionConfig =
  | { readonly handler: HandlerRef; readonly timeout: number; readonly memorySize: number }
  | { readonly endpoint: string };

export type AwsService = 'lambda' | 'sqs' | 'sns' | 'dynamodb' | 'eventbridge';
const SERVICES: readonly AwsService[] = ['lambda', 'sqs', 'sns', 'dynamodb', 'eventbridge'];

export interface IntegrationsConfig {
  /** By function name (a key written as an ARN is filed under its name). */
  readonly functions: Readonly<Record<string, FunctionConfig>>;
  readonly aws: {
    readonly region?: string;
    /** Every service's endpoint (LocalStack), unless `endpoints` names one for the service. */
    readonly endpoint?: string;
    readonly endpoints: Readonly<Partial<Record<AwsService, string>>>;
  };
}

export const EMPTY_CONFIG: IntegrationsConfig = { functions: {}, aws: { endpoints: {} } };

export class IntegrationsConfigError extends Error {
  override readonly name = 'IntegrationsConfigError';
}

/**
 * Reads the configuration: `path`, else `STEPWISE_CONFIG`, else `stepwise.config.json` in the working
 * directory. A default file that does not exist is the empty configuration; a named one must exist.
 */
export function loadIntegrationsConfig(path?: string, env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): IntegrationsConfig {
  const named = path ?? env['STEPWISE_CONFIG'];
  const file = resolve(cwd, named ?? DEFAULT_CONFIG_FILE);
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (named === undefined && (error as NodeJS.ErrnoException).code === 'ENOENT') return EMPTY_CONFIG;
    throw new IntegrationsConfigError(`cannot read the integrations config ${file}: ${(error as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new IntegrationsConfigError(`${file} is not valid JSON: ${(error as Error).message}`);
  }
  return parseIntegrationsConfig(json, dirname(file), file);
}

/** Validates a parsed configuration; handler paths resolve against `baseDir`. */
export function parseIntegrationsConfig(json: unknown, baseDir: string, source = 'the integrations config'): IntegrationsConfig {
  const fail = (field: string, problem: string): never => {
    throw new IntegrationsConfigError(`${source}: ${field} ${problem}`);
  };
  const root = object(json, 'the top level', fail);
  onlyKeys(root, ['functions', 'aws'], '', fail);

  const functions: Record<string, FunctionConfig> = {};
  for (const [key, value] of Object.entries(object(root['functions'] ?? {}, 'functions', fail))) {
    const field = `functions[${JSON.stringify(key)}]`;
    const parsed = parseFunctionName(key);
    if (!parsed) fail(field, 'is not a function name or ARN');
    if (parsed!.qualifier !== undefined) fail(field, 'names a qualified function: register the function itself');
    if (Object.hasOwn(functions, parsed!.name)) fail(field, `registers ${parsed!.name} a second time`);
    functions[parsed!.name] = parseFunction(object(value, field, fail), field, baseDir, fail);
  }

  const aws = object(root['aws'] ?? {}, 'aws', fail);
  onlyKeys(aws, ['region', 'endpoint', 'endpoints'], 'aws.', fail);
  const endpoints: Partial<Record<AwsService, string>> = {};
  for (const [service, value] of Object.entries(object(aws['endpoints'] ?? {}, 'aws.endpoints', fail))) {
    if (!(SERVICES as readonly string[]).includes(service)) fail(`aws.endpoints.${service}`, `is not one of ${SERVICES.join(', ')}`);
    endpoints[service as AwsService] = url(value, `aws.endpoints.${service}`, fail);
  }
  const region = aws['region'];
  if (region !== undefined && (typeof region !== 'string' || !/^[a-z]{2}(-[a-z]+)+-\d+$/.test(region))) fail('aws.region', 'must be a region name such as "us-east-1"');
  return {
    functions,
    aws: {
      ...(region === undefined ? {} : { region: region as string }),
      ...(aws['endpoint'] === undefined ? {} : { endpoint: url(aws['endpoint'], 'aws.endpoint', fail) }),
      endpoints,
    },
  };
}

type Fail = (field: string, problem: string) => never;

function parseFunction(entry: Record<string, unknown>, field: string, baseDir: string, fail: Fail): FunctionConfig {
  onlyKeys(entry, ['handler', 'endpoint', 'timeout', 'memorySize'], `${field}.`, fail);
  const { handler, endpoint, timeout, memorySize } = entry;
  if ((handler === undefined) === (endpoint === undefined)) fail(field, 'must have either "handler" or "endpoint"');
  if (endpoint !== undefined) {
    if (timeout !== undefined || memorySize !== undefined) fail(field, 'sets "timeout"/"memorySize", which only a local "handler" takes');
    return { endpoint: url(endpoint, `${field}.endpoint`, fail) };
  }
  if (typeof handler !== 'string' || handler === '' || handler.startsWith('#')) fail(`${field}.handler`, 'must be "<module path>#<export>" (the export defaults to "handler")');
  const hash = (handler as string).lastIndexOf('#');
  const module = hash < 0 ? (handler as string) : (handler as string).slice(0, hash);
  const exportName = hash < 0 ? 'handler' : (handler as string).slice(hash + 1);
  if (!/^[A-Za-z_$][\w$]*$/.test(exportName)) fail(`${field}.handler`, `names the export "${exportName}", which is not an identifier`);
  if (timeout !== undefined && (typeof timeout !== 'number' || !(timeout > 0 && timeout <= 900))) fail(`${field}.timeout`, 'must be a number of seconds, more than 0 and at most 900');
  if (memorySize !== undefined && (!Number.isInteger(memorySize) || (memorySize as number) < 128 || (memorySize as number) > 10240)) fail(`${field}.memorySize`, 'must be a whole number of MB from 128 to 10240');
  return {
    handler: { module: resolve(baseDir, module), export: exportName },
    timeout: (timeout as number | undefined) ?? DEFAULT_TIMEOUT_SECONDS,
    memorySize: (memorySize as number | undefined) ?? DEFAULT_MEMORY_MB,
  };
}

function object(value: unknown, field: string, fail: Fail): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(field, 'must be an object');
  return value as Record<string, unknown>;
}

function onlyKeys(value: Record<string, unknown>, allowed: readonly string[], prefix: string, fail: Fail): void {
  for (const key of Object.keys(value)) if (!allowed.includes(key)) fail(`${prefix}${key}`, `is not a known field (known: ${allowed.join(', ')})`);
}

function url(value: unknown, field: string, fail: Fail): string {
  if (typeof value !== 'string' || !URL.canParse(value) || !/^https?:$/.test(new URL(value).protocol)) fail(field, 'must be an http(s) URL');
  return value as string;
}
