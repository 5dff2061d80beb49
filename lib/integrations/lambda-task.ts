// Lambda, both ways a Task calls it: the legacy bare function ARN (the output is the function's
// result) and the optimised `lambda:invoke` (the output is the Invoke response as AWS records it:
// ExecutedVersion, Payload, SdkHttpMetadata, SdkResponseMetadata, StatusCode). A function error fails
// the task with the function's errorType and, as the cause, the error document it returned.
//
// Where the function runs: a registered handler in this process, a registered Lambda-compatible
// endpoint, or else the Lambda API (the configured endpoint, or AWS's).
import * as lambda from '@aws-sdk/client-lambda';
import type { Json } from '../asl/json.js';
import type { TaskOutcome } from '../runtime/ports.js';
import { describeSdkError, optimisedFailure, type CallError } from './aws-errors.js';
import type { IntegrationsConfig } from './config.js';
import { parseFunctionName } from './function-name.js';
import { invokeResponseHeaders, LambdaApiError, type InvokeInput, type LocalLambdaService } from './local-lambda-service.js';
import type { HttpCapture, SdkClients } from './sdk-clients.js';
import { withSdkMetadata } from './sdk-values.js';

type Failure = Extract<TaskOutcome, { ok: false }>;

/** One Invoke's answer, from wherever the function ran. */
interface Invoked {
  readonly statusCode: number;
  readonly payload: string;
  readonly functionError?: string;
  readonly executedVersion?: string;
  readonly logResult?: string;
  readonly requestId?: string;
  readonly http?: HttpCapture;
}

export interface LambdaTaskOptions {
  readonly config: IntegrationsConfig;
  readonly clients: SdkClients;
  readonly local: LocalLambdaService;
}

const STRING_PARAMETERS = ['FunctionName', 'InvocationType', 'Qualifier', 'ClientContext', 'LogType'] as const;

/** The legacy form: the parameters are the payload, the function's result the output. */
export async function invokeLegacyLambda(options: LambdaTaskOptions, functionArn: string, parameters: Json, region: string, timeoutMs?: number): Promise<TaskOutcome> {
  const invoked = await invoke(options, { functionName: functionArn, payload: JSON.stringify(parameters) }, region, timeoutMs);
  if ('ok' in invoked) return invoked;
  if (invoked.functionError !== undefined) return functionFailure(invoked.payload);
  return { ok: true, output: parsePayload(invoked.payload) };
}

/** `arn:aws:states:::lambda:invoke` (and the request part of `.waitForTaskToken`). */
export async function invokeLambdaIntegration(options: LambdaTaskOptions, parameters: Json, region: string, timeoutMs?: number): Promise<TaskOutcome> {
  if (parameters === null || typeof parameters !== 'object' || Array.isArray(parameters)) return { ok: false, error: 'States.Runtime', cause: 'The parameters of lambda:invoke must be an object.' };
  for (const field of STRING_PARAMETERS) {
    const value = parameters[field];
    if (value !== undefined && typeof value !== 'string') return { ok: false, error: 'States.Runtime', cause: `The lambda:invoke parameter '${field}' must be a string, not ${JSON.stringify(value)}.` };
  }
  if (typeof parameters['FunctionName'] !== 'string') return { ok: false, error: 'States.Runtime', cause: "The lambda:invoke parameter 'FunctionName' is missing." };
  const payload = payloadText(parameters['Payload']);
  const text = (field: (typeof STRING_PARAMETERS)[number]) => parameters[field] as string | undefined;
  const request: InvokeInput = {
    functionName: parameters['FunctionName'],
    ...(payload === undefined ? {} : { payload }),
    ...(text('InvocationType') === undefined ? {} : { invocationType: text('InvocationType')! }),
    ...(text('Qualifier') === undefined ? {} : { qualifier: text('Qualifier')! }),
    ...(text('ClientContext') === undefined ? {} : { clientContext: text('ClientContext')! }),
    ...(text('LogType') === undefined ? {} : { logType: text('LogType')! }),
  };
  const invoked = await invoke(options, request, region, timeoutMs);
  if ('ok' in invoked) return invoked;
  if (invoked.functionError !== undefined) return functionFailure(invoked.payload);
  const body = {
    ...(invoked.executedVersion === undefined ? {} : { ExecutedVersion: invoked.executedVersion }),
    ...(invoked.logResult === undefined ? {} : { LogResult: invoked.logResult }),
    Payload: parsePayload(invoked.payload),
    StatusCode: invoked.statusCode,
  };
  return { ok: true, output: withSdkMetadata(body, invoked.http, invoked.requestId) };
}

/**
 * The Payload parameter as the request body: text that is JSON goes as it is, other text as a JSON
 * string, any other value as its JSON; absent or null sends none (the function gets `{}`).
 */
export function payloadText(payload: Json | undefined): string | undefined {
  if (payload === undefined || payload === null) return undefined;
  if (typeof payload !== 'string') return JSON.stringify(payload);
  try {
    JSON.parse(payload);
    return payload;
  } catch {
    return JSON.stringify(payload);
  }
}

/** A response payload: its JSON value, or the text itself when it is not JSON. */
function parsePayload(text: string): Json {
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/** A function error: its errorType and, as the cause, the error document as the function returned it. */
function functionFailure(payload: string): Failure {
  let errorType: unknown;
  try {
    errorType = (JSON.parse(payload) as { errorType?: unknown } | null)?.errorType;
  } catch {
    errorType = undefined;
  }
  if (typeof errorType === 'string' && errorType !== '') return { ok: false, error: errorType, cause: payload };
  return { ok: false, error: 'Lambda.Unknown', cause: `The cause could not be determined because Lambda did not return an error type. Returned payload: ${payload}` };
}

async function invoke(options: LambdaTaskOptions, request: InvokeInput, region: string, timeoutMs?: number): Promise<Invoked | Failure> {
  const name = parseFunctionName(request.functionName)?.name;
  const registered = name === undefined || !Object.hasOwn(options.config.functions, name) ? undefined : options.config.functions[name];
  if (registered !== undefined && 'handler' in registered) return invokeHere(options.local, request, timeoutMs);
  const endpoint = registered !== undefined && 'endpoint' in registered ? registered.endpoint : options.clients.endpointOf('lambda');
  const command = new lambda.InvokeCommand({
    FunctionName: request.functionName,
    ...(request.payload === undefined ? {} : { Payload: Buffer.from(request.payload) }),
    ...(request.invocationType === undefined ? {} : { InvocationType: request.invocationType as lambda.InvocationType }),
    ...(request.qualifier === undefined ? {} : { Qualifier: request.qualifier }),
    ...(request.clientContext === undefined ? {} : { ClientContext: request.clientContext }),
    ...(request.logType === undefined ? {} : { LogType: request.logType as lambda.LogType }),
  });
  try {
    const { output, http, requestId } = await options.clients.send('lambda', region, command, {
      ...(endpoint === undefined ? {} : { endpoint }),
      ...(timeoutMs === undefined ? {} : { timeoutMs }),
    });
    const o = output as Partial<lambda.InvocationResponse>;
    return {
      statusCode: o.StatusCode ?? 200,
      payload: o.Payload === undefined ? '' : Buffer.from(o.Payload).toString('utf8'),
      ...(o.FunctionError === undefined ? {} : { functionError: o.FunctionError }),
      ...(o.ExecutedVersion === undefined ? {} : { executedVersion: o.ExecutedVersion }),
      ...(o.LogResult === undefined ? {} : { logResult: o.LogResult }),
      ...(requestId === undefined ? {} : { requestId }),
      ...(http === undefined ? {} : { http }),
    };
  } catch (error) {
    return optimisedFailure('lambda', describeSdkError('lambda', error));
  }
}

/** A function registered with a handler: called in this process, its answer shaped as Lambda's HTTP response. */
async function invokeHere(local: LocalLambdaService, request: InvokeInput, timeoutMs?: number): Promise<Invoked | Failure> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<'timeout'>((resolve) => {
    if (timeoutMs !== undefined) timer = setTimeout(() => resolve('timeout'), timeoutMs);
  });
  try {
    const output = await Promise.race([local.invoke(request), gaveUp]);
    if (output === 'timeout') return optimisedFailure('lambda', { kind: 'timeout' });
    return { ...output, http: { statusCode: output.statusCode, headers: invokeResponseHeaders(output) } };
  } catch (error) {
    return optimisedFailure('lambda', localError(error));
  } finally {
    clearTimeout(timer);
  }
}

function localError(error: unknown): CallError {
  if (!(error instanceof LambdaApiError)) return { kind: 'other', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  // Modeled: the Lambda client has a class of that name (what the SDK would have thrown over HTTP).
  const cls = (lambda as Record<string, unknown>)[error.code];
  const modeled = typeof cls === 'function' && cls.prototype instanceof lambda.LambdaServiceException;
  return { kind: 'service', modeled, name: error.code, code: error.code, message: error.message, status: error.status, requestId: error.requestId };
}
