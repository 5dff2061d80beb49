// Lambda's Invoke API over the functions that run in this process: what the Lambda emulator serves
// over HTTP and what the task invoker calls directly. Request checks, status codes, headers and
// error messages are Lambda's (as LocalStack's AWS recordings of Invoke show them).
import { randomBytes, randomUUID } from 'node:crypto';
import { functionArn, parseFunctionName } from './function-name.js';
import { runLocalFunction, type LocalFunction } from './local-lambda.js';

export interface InvokeInput {
  readonly functionName: string;
  /** The request body as text; absent or empty: the event is `{}`. */
  readonly payload?: string;
  readonly invocationType?: string;
  readonly qualifier?: string;
  /** Base64 of a JSON object (the context's `clientContext`). */
  readonly clientContext?: string;
  readonly logType?: string;
}

export interface InvokeOutput {
  readonly statusCode: 200 | 202 | 204;
  readonly payload: string;
  readonly functionError?: 'Unhandled';
  readonly executedVersion?: string;
  readonly logResult?: string;
  readonly requestId: string;
}

/** An Invoke that Lambda refuses (the function is not invoked): its HTTP status, error code and message. */
export class LambdaApiError extends Error {
  constructor(readonly status: number, readonly code: string, message: string, readonly requestId: string = randomUUID()) {
    super(message);
  }
  override get name(): string {
    return this.code;
  }
}

export interface LocalLambdaService {
  /** Whether a function of this name runs here. */
  has(functionName: string): boolean;
  /** Throws LambdaApiError where Lambda answers with an error status. */
  invoke(input: InvokeInput): Promise<InvokeOutput>;
}

export interface LocalLambdaOptions {
  /** By function name or ARN. */
  readonly functions: Readonly<Record<string, Omit<LocalFunction, 'name'>>>;
  readonly region?: string;
  readonly accountId?: string;
}

const INVOCATION_TYPES = ['Event', 'RequestResponse', 'DryRun'];

export function createLocalLambdaService(options: LocalLambdaOptions): LocalLambdaService {
  const defaults = { region: options.region ?? 'us-east-1', accountId: options.accountId ?? '123456789012' };
  const functions = new Map<string, LocalFunction>();
  for (const [key, fn] of Object.entries(options.functions)) {
    const name = parseFunctionName(key)?.name;
    if (name === undefined) throw new Error(`not a function name or ARN: ${key}`);
    functions.set(name, { ...fn, name });
  }

  return {
    has: (functionName) => functions.has(parseFunctionName(functionName)?.name ?? ''),
    async invoke(input) {
      const requestId = randomUUID();
      const parsed = parseFunctionName(input.functionName);
      if (!parsed) {
        throw new LambdaApiError(400, 'ValidationException', `1 validation error detected: Value '${input.functionName}' at 'functionName' failed to satisfy constraint: Member must satisfy regular expression pattern: (arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\\d{1}:)?(\\d{12}:)?(function:)?([a-zA-Z0-9-_\\.]+)(:(\\$LATEST|[a-zA-Z0-9-_]+))?`, requestId);
      }
      if (input.qualifier !== undefined && parsed.qualifier !== undefined && input.qualifier !== parsed.qualifier) {
        throw new LambdaApiError(400, 'InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.', requestId);
      }
      const invocationType = input.invocationType ?? 'RequestResponse';
      if (!INVOCATION_TYPES.includes(invocationType)) {
        throw new LambdaApiError(400, 'ValidationException', `1 validation error detected: Value '${invocationType}' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]`, requestId);
      }
      const qualifier = input.qualifier ?? parsed.qualifier;
      const fn = functions.get(parsed.name);
      // Only $LATEST exists here: no published versions or aliases.
      if (!fn || (qualifier !== undefined && qualifier !== '$LATEST')) {
        throw new LambdaApiError(404, 'ResourceNotFoundException', `Function not found: ${functionArn(parsed, defaults)}:${qualifier ?? '$LATEST'}`, requestId);
      }
      let event: unknown = {};
      if (input.payload !== undefined && input.payload !== '') {
        try {
          event = JSON.parse(input.payload);
        } catch (error) {
          throw new LambdaApiError(400, 'InvalidRequestContentException', `Could not parse request body into json: Could not parse payload into json: ${(error as Error).message}`, requestId);
        }
      }
      let clientContext: unknown;
      if (input.clientContext !== undefined) {
        try {
          clientContext = JSON.parse(Buffer.from(input.clientContext, 'base64').toString('utf8'));
        } catch {
          throw new LambdaApiError(400, 'InvalidRequestContentException', 'Client context must be a valid Base64-encoded JSON object.', requestId);
        }
      }
      if (invocationType === 'DryRun') return { statusCode: 204, payload: '', requestId };
      const invocation = {
        event,
        invokedFunctionArn: `${functionArn(parsed, defaults)}${qualifier === undefined ? '' : `:${qualifier}`}`,
        requestId,
        ...(clientContext === undefined ? {} : { clientContext }),
      };
      const started = performance.now();
      if (invocationType === 'Event') {
        // Lambda queues it and answers at once; what the function answers goes nowhere.
        void runLocalFunction(fn, invocation).catch(() => undefined);
        return { statusCode: 202, payload: '', requestId };
      }
      const result = await runLocalFunction(fn, invocation);
      return {
        statusCode: 200,
        payload: result.payload,
        ...(result.functionError ? { functionError: 'Unhandled' as const } : {}),
        executedVersion: '$LATEST',
        ...(input.logType === 'Tail' ? { logResult: tailLog(fn, requestId, performance.now() - started) } : {}),
        requestId,
      };
    },
  };
}

/**
 * `LogType: Tail`: the base64 of the invocation's log. Handler output is not captured in-process (it
 * goes to this process's console), so only the lines the Lambda service itself writes are there.
 */
function tailLog(fn: LocalFunction, requestId: string, ms: number): string {
  const log = `START RequestId: ${requestId} Version: $LATEST\nEND RequestId: ${requestId}\n` +
    `REPORT RequestId: ${requestId}\tDuration: ${ms.toFixed(2)} ms\tBilled Duration: ${Math.max(1, Math.ceil(ms))} ms\tMemory Size: ${fn.memorySize} MB\tMax Memory Used: ${Math.round(process.memoryUsage().rss / 1048576)} MB\t\n`;
  return Buffer.from(log).toString('base64');
}

/** The headers Lambda sends with an Invoke response, in the order it sends them. */
export function invokeResponseHeaders(output: InvokeOutput, date = new Date()): [string, string][] {
  const headers: [string, string][] = [
    ['Date', date.toUTCString()],
    ['Content-Type', 'application/json'],
    ['Content-Length', String(Buffer.byteLength(output.payload))],
    ['Connection', 'keep-alive'],
    ['x-amzn-RequestId', output.requestId],
    ['x-amzn-Remapped-Content-Length', '0'],
  ];
  if (output.functionError !== undefined) headers.push(['X-Amz-Function-Error', output.functionError]);
  if (output.logResult !== undefined) headers.push(['X-Amz-Log-Result', output.logResult]);
  if (output.executedVersion !== undefined) headers.push(['X-Amz-Executed-Version', output.executedVersion]);
  headers.push(['X-Amzn-Trace-Id', `Root=1-${Math.floor(date.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')};Sampled=0`]);
  return headers;
}

/** The headers and JSON body of an error answer (REST-JSON: the code in `x-amzn-ErrorType`). */
export function errorResponse(error: LambdaApiError, date = new Date()): { headers: [string, string][]; body: string } {
  const body = JSON.stringify({ Type: 'User', Message: error.message });
  return {
    headers: [
      ['Date', date.toUTCString()],
      ['Content-Type', 'application/json'],
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Connection', 'keep-alive'],
      ['x-amzn-RequestId', error.requestId],
      ['x-amzn-ErrorType', error.code],
    ],
    body,
  };
}
