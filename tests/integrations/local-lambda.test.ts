// Handlers run in-process the way the Lambda Node.js runtime runs them (results, errors, timeout,
// callbacks, context), and Lambda's Invoke API over them (status codes, error answers).
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { HandlerRef } from '../../lib/integrations/config.js';
import { runLocalFunction, type LambdaHandler } from '../../lib/integrations/local-lambda.js';
import { createLocalLambdaService, LambdaApiError } from '../../lib/integrations/local-lambda-service.js';

const module = fileURLToPath(new URL('./fixtures/handlers.mjs', import.meta.url));
const ref = (name: string): HandlerRef => ({ module, export: name });
const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
const fn = (handler: HandlerRef | LambdaHandler, timeout = 3) => ({ name: 'fn', handler, timeout, memorySize: 128 });
const run = (handler: HandlerRef | LambdaHandler, event: unknown, timeout = 3) =>
  runLocalFunction(fn(handler, timeout), { event, invokedFunctionArn: ARN, requestId: 'req-1' });

describe('runLocalFunction', () => {
  it('returns the handler result as JSON text', async () => {
    expect(await run(ref('echo'), { a: [1, 'x', null] })).toEqual({ payload: '{"a":[1,"x",null]}', functionError: false });
  });

  it('gives the handler the context Lambda gives it', async () => {
    const { payload } = await run(ref('inspect'), { k: 1 });
    const seen = JSON.parse(payload);
    expect(seen).toMatchObject({
      event: { k: 1 },
      functionName: 'fn',
      functionVersion: '$LATEST',
      invokedFunctionArn: ARN,
      memoryLimitInMB: '128',
      awsRequestId: 'req-1',
      logGroupName: '/aws/lambda/fn',
      callbackWaitsForEmptyEventLoop: true,
      clientContext: null,
    });
    expect(seen.logStreamName).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(seen.remaining).toBeGreaterThan(2500);
    expect(seen.remaining).toBeLessThanOrEqual(3000);
  });

  it('reports a thrown error as the runtime does: errorType is the error name', async () => {
    const { payload, functionError } = await run(ref('throwsNamed'), { id: 7 });
    const doc = JSON.parse(payload);
    expect(functionError).toBe(true);
    expect(Object.keys(doc)).toEqual(['errorType', 'errorMessage', 'trace']);
    expect(doc.errorType).toBe('OrderNotFound');
    expect(doc.errorMessage).toBe('no order 7');
    expect(doc.trace[0]).toBe('OrderNotFound: no order 7');
    expect(doc.trace[1]).toContain('handlers.mjs');
  });

  it('names a custom class that does not set name "Error", as the runtime does', async () => {
    const doc = JSON.parse((await run(ref('throwsUnnamed'), {})).payload);
    expect([doc.errorType, doc.errorMessage]).toEqual(['Error', 'unnamed failure']);
  });

  it('reports a thrown non-error by its type', async () => {
    expect(await run(ref('throwsString'), {})).toEqual({ payload: '{"errorType":"string","errorMessage":"just a string","trace":[]}', functionError: true });
  });

  it('answers null for a handler that returns undefined', async () => {
    expect(await run(ref('returnsUndefined'), {})).toEqual({ payload: 'null', functionError: false });
  });

  it('ends a handler that outlives its timeout with Lambda timeout error', async () => {
    const started = Date.now();
    const result = await run(ref('hangs'), {}, 0.2);
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
    expect(result).toEqual({
      payload: '{"errorType":"Sandbox.Timedout","errorMessage":"RequestId: req-1 Error: Task timed out after 0.20 seconds"}',
      functionError: true,
    });
  });

  it('runs callback-style handlers (three parameters)', async () => {
    expect(await run(ref('callbackStyle'), { n: 21 })).toEqual({ payload: '{"doubled":42,"requestId":5}', functionError: false });
    const doc = JSON.parse((await run(ref('callbackError'), {})).payload);
    expect([doc.errorType, doc.errorMessage, doc.trace[0]]).toEqual(['TypeError', 'bad input', 'TypeError: bad input']);
  });

  it('hands the handler its own copy of the event', async () => {
    const service = createLocalLambdaService({ functions: { fn: { handler: ref('mutate'), timeout: 3, memorySize: 128 } } });
    const payload = '{"a":1}';
    expect((await service.invoke({ functionName: 'fn', payload })).payload).toBe('{"a":1,"changed":true}');
    expect(payload).toBe('{"a":1}');
  });

  it('reports a missing export and a missing module as the runtime does', async () => {
    expect(JSON.parse((await run(ref('nope'), {})).payload)).toEqual({
      errorType: 'Runtime.HandlerNotFound',
      errorMessage: 'handlers.nope is undefined or not exported',
      trace: ['Runtime.HandlerNotFound: handlers.nope is undefined or not exported'],
    });
    const missing = JSON.parse((await run({ module: '/no/such/module.mjs', export: 'handler' }, {})).payload);
    expect(missing.errorType).toBe('Runtime.ImportModuleError');
    expect(missing.errorMessage).toContain("Error: Cannot find module '/no/such/module.mjs'");
  });
});

describe('the Invoke API over local functions', () => {
  const service = createLocalLambdaService({
    functions: {
      echo: { handler: ref('echo'), timeout: 3, memorySize: 256 },
      'arn:aws:lambda:us-east-1:123456789012:function:fails': { handler: ref('throwsNamed'), timeout: 3, memorySize: 128 },
    },
    region: 'eu-west-1',
    accountId: '111111111111',
  });
  const apiError = async (promise: Promise<unknown>) => {
    const error = await promise.then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(LambdaApiError);
    const e = error as LambdaApiError;
    return { status: e.status, code: e.code, message: e.message };
  };

  it('resolves names, partial and full ARNs, qualified with $LATEST', async () => {
    for (const functionName of ['echo', 'echo:$LATEST', '111111111111:function:echo', 'arn:aws:lambda:eu-west-1:111111111111:function:echo:$LATEST']) {
      const out = await service.invoke({ functionName, payload: '[1]' });
      expect({ ...out, requestId: typeof out.requestId }).toEqual({ statusCode: 200, payload: '[1]', executedVersion: '$LATEST', requestId: 'string' });
    }
  });

  it('marks a function error Unhandled', async () => {
    const out = await service.invoke({ functionName: 'fails', payload: '{"id":1}' });
    expect([out.statusCode, out.functionError, JSON.parse(out.payload).errorType]).toEqual([200, 'Unhandled', 'OrderNotFound']);
  });

  it('gives {} to a function invoked without a payload', async () => {
    expect((await service.invoke({ functionName: 'echo' })).payload).toBe('{}');
  });

  it('answers Event with 202 and DryRun with 204, without a payload', async () => {
    expect(await service.invoke({ functionName: 'echo', invocationType: 'Event', payload: '{}' })).toMatchObject({ statusCode: 202, payload: '' });
    expect(await service.invoke({ functionName: 'echo', invocationType: 'DryRun' })).toMatchObject({ statusCode: 204, payload: '' });
  });

  it('refuses what Lambda refuses', async () => {
    expect(await apiError(service.invoke({ functionName: 'nope' }))).toEqual({ status: 404, code: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:eu-west-1:111111111111:function:nope:$LATEST' });
    expect(await apiError(service.invoke({ functionName: 'echo', qualifier: '7' }))).toEqual({ status: 404, code: 'ResourceNotFoundException', message: 'Function not found: arn:aws:lambda:eu-west-1:111111111111:function:echo:7' });
    expect(await apiError(service.invoke({ functionName: 'echo:1', qualifier: '2' }))).toEqual({ status: 400, code: 'InvalidParameterValueException', message: 'The derived qualifier from the function name does not match the specified qualifier.' });
    expect((await apiError(service.invoke({ functionName: 'echo', payload: '{not json' }))).code).toBe('InvalidRequestContentException');
    expect((await apiError(service.invoke({ functionName: 'echo', invocationType: 'Later' }))).message).toBe("1 validation error detected: Value 'Later' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: [Event, RequestResponse, DryRun]");
  });

  it('returns the log tail for LogType Tail', async () => {
    const out = await service.invoke({ functionName: 'echo', payload: '{}', logType: 'Tail' });
    const log = Buffer.from(out.logResult!, 'base64').toString('utf8');
    expect(log).toMatch(new RegExp(`^START RequestId: ${out.requestId} Version: \\$LATEST\\nEND RequestId: ${out.requestId}\\nREPORT RequestId: ${out.requestId}\\tDuration: [\\d.]+ ms\\tBilled Duration: \\d+ ms\\tMemory Size: 256 MB\\tMax Memory Used: \\d+ MB\\t\\n$`));
  });
});
