// Runs one invocation of a Lambda handler in this process, the way the Node.js runtime does
// (aws-lambda-nodejs-runtime-interface-client): `(event, context)` for async handlers, a third
// `callback` parameter for callback-style ones, the function's timeout, and errors as the runtime
// reports them (`{errorType, errorMessage, trace}`, errorType being the error's `name`).
//
// In-process means: a timed-out handler is abandoned, not killed (it keeps running in the
// background), and the runtime does not wait for the event loop to drain
// (`callbackWaitsForEmptyEventLoop` is there, but the response goes at once).
import { randomBytes } from 'node:crypto';
import { basename, extname } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { HandlerRef } from './config.js';

export type LambdaCallback = (error?: unknown, result?: unknown) => void;
export type LambdaHandler = (event: unknown, context: LambdaContext, callback: LambdaCallback) => unknown;

export interface LambdaContext {
  functionName: string;
  functionVersion: string;
  invokedFunctionArn: string;
  /** A string, as the runtime takes it from AWS_LAMBDA_FUNCTION_MEMORY_SIZE. */
  memoryLimitInMB: string;
  awsRequestId: string;
  logGroupName: string;
  logStreamName: string;
  clientContext?: unknown;
  identity?: unknown;
  callbackWaitsForEmptyEventLoop: boolean;
  getRemainingTimeInMillis(): number;
  succeed(result?: unknown): void;
  fail(error?: unknown): void;
  done(error?: unknown, result?: unknown): void;
}

/** A function that runs here: a handler module (or, in tests, the handler itself), its timeout and memory. */
export interface LocalFunction {
  readonly name: string;
  readonly handler: HandlerRef | LambdaHandler;
  /** Seconds. */
  readonly timeout: number;
  readonly memorySize: number;
}

export interface LocalInvocation {
  /** The event, parsed from the request's payload (so the handler has its own copy). */
  readonly event: unknown;
  readonly invokedFunctionArn: string;
  readonly requestId: string;
  readonly clientContext?: unknown;
}

/** The response payload as Lambda returns it (JSON text) and whether it is a function error. */
export interface LocalResult {
  readonly payload: string;
  readonly functionError: boolean;
}

/** Lambda's limit on a synchronous response payload. */
const MAX_RESPONSE_BYTES = 6_291_556;

export async function runLocalFunction(fn: LocalFunction, invocation: LocalInvocation): Promise<LocalResult> {
  const loaded = await loadHandler(fn.handler);
  if ('error' in loaded) return { payload: JSON.stringify(loaded.error), functionError: true };
  const deadline = Date.now() + fn.timeout * 1000;
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<Outcome>((resolve) => {
    timer = setTimeout(() => resolve({ timedOut: true }), fn.timeout * 1000);
  });
  try {
    const outcome = await Promise.race([callHandler(loaded.handler, fn, invocation, deadline), timedOut]);
    if ('timedOut' in outcome) {
      const errorMessage = `RequestId: ${invocation.requestId} Error: Task timed out after ${fn.timeout.toFixed(2)} seconds`;
      return { payload: JSON.stringify({ errorType: 'Sandbox.Timedout', errorMessage }), functionError: true };
    }
    if ('error' in outcome) return { payload: JSON.stringify(formatError(outcome.error)), functionError: true };
    return serialiseResult(outcome.result);
  } finally {
    clearTimeout(timer);
  }
}

type Outcome = { result: unknown } | { error: unknown } | { timedOut: true };

function callHandler(handler: LambdaHandler, fn: LocalFunction, invocation: LocalInvocation, deadline: number): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    let settled = false;
    const settle = (outcome: Outcome) => {
      if (!settled) resolve(outcome);
      settled = true;
    };
    // The runtime's callback: an error that is not null/undefined fails the invocation.
    const callback: LambdaCallback = (error, result) => settle(error === undefined || error === null ? { result } : { error });
    const context = buildContext(fn, invocation, deadline, callback);
    try {
      const returned = handler(invocation.event, context, callback);
      if (isThenable(returned)) returned.then((result) => settle({ result }), (error: unknown) => settle({ error }));
      // An async-style handler (fewer than 3 parameters) answers with what it returns; a callback-style
      // one answers through the callback (or a promise it returns, whichever comes first).
      else if (handler.length < 3) settle({ result: returned });
    } catch (error) {
      settle({ error });
    }
  });
}

function buildContext(fn: LocalFunction, invocation: LocalInvocation, deadline: number, callback: LambdaCallback): LambdaContext {
  const now = new Date();
  const day = `${now.getUTCFullYear()}/${String(now.getUTCMonth() + 1).padStart(2, '0')}/${String(now.getUTCDate()).padStart(2, '0')}`;
  return {
    functionName: fn.name,
    functionVersion: '$LATEST',
    invokedFunctionArn: invocation.invokedFunctionArn,
    memoryLimitInMB: String(fn.memorySize),
    awsRequestId: invocation.requestId,
    logGroupName: `/aws/lambda/${fn.name}`,
    logStreamName: `${day}/[$LATEST]${randomBytes(16).toString('hex')}`,
    ...(invocation.clientContext === undefined ? {} : { clientContext: invocation.clientContext }),
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    succeed: (result) => callback(null, result),
    fail: (error) => callback(error ?? 'handled'),
    done: (error, result) => callback(error, result),
  };
}

/** The runtime's JSON.stringify of the result (`undefined` is `null`), within Lambda's response size limit. */
function serialiseResult(result: unknown): LocalResult {
  let payload: string | undefined;
  try {
    payload = JSON.stringify(result === undefined ? null : result);
  } catch {
    return { payload: JSON.stringify(formatError(new Error('Unable to stringify response body'))), functionError: true };
  }
  payload ??= 'null'; // a function or symbol: nothing to send
  if (Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
    const errorMessage = `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
    return { payload: JSON.stringify({ errorMessage, errorType: 'Function.ResponseSizeTooLarge' }), functionError: true };
  }
  return { payload, functionError: false };
}

/** The runtime's error document (its `formatError`). */
export function formatError(error: unknown): { errorType: string; errorMessage: string; trace: string[] } {
  if (error instanceof Error) return { errorType: error.name, errorMessage: error.message, trace: error.stack?.split('\n') ?? [] };
  return { errorType: typeof error, errorMessage: String(error), trace: [] };
}

const loading = new Map<string, Promise<LambdaHandler | { error: object }>>();

/** The handler of a module, loaded once per module and export (a warm execution environment). */
async function loadHandler(handler: HandlerRef | LambdaHandler): Promise<{ handler: LambdaHandler } | { error: object }> {
  if (typeof handler === 'function') return { handler };
  const key = `${handler.module}#${handler.export}`;
  let pending = loading.get(key);
  if (!pending) {
    pending = importHandler(handler);
    loading.set(key, pending);
  }
  const loaded = await pending;
  return typeof loaded === 'function' ? { handler: loaded } : loaded;
}

async function importHandler(ref: HandlerRef): Promise<LambdaHandler | { error: object }> {
  let module: Record<string, unknown>;
  try {
    module = (await import(pathToFileURL(ref.module).href)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const errorType = error instanceof SyntaxError ? 'Runtime.UserCodeSyntaxError' : code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' ? 'Runtime.ImportModuleError' : undefined;
    if (errorType === undefined) return { error: formatError(error) };
    return { error: { errorType, errorMessage: `${(error as Error).name}: ${(error as Error).message}`, trace: (error as Error).stack?.split('\n') ?? [] } };
  }
  // A CommonJS module's exports arrive as `default` too.
  const fromDefault = module['default'] as Record<string, unknown> | undefined;
  const found = module[ref.export] ?? (typeof fromDefault === 'object' && fromDefault !== null ? fromDefault[ref.export] : undefined);
  if (typeof found !== 'function') {
    const errorMessage = `${basename(ref.module, extname(ref.module))}.${ref.export} is undefined or not exported`;
    return { error: { errorType: 'Runtime.HandlerNotFound', errorMessage, trace: [`Runtime.HandlerNotFound: ${errorMessage}`] } };
  }
  return found as LambdaHandler;
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return (typeof value === 'object' || typeof value === 'function') && value !== null && typeof (value as { then?: unknown }).then === 'function';
}
