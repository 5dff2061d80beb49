// Lambda Task states through the task invoker: the legacy ARN form and lambda:invoke, against a
// function run here, a registered Lambda-compatible endpoint and the "Lambda API" (the emulator as
// the configured lambda endpoint). Shapes and error names as AWS recorded them (LocalStack's
// test_lambda_task / test_lambda_task_service and error_handling snapshots).
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Json } from '../../lib/asl/json.js';
import { parseTaskTarget } from '../../lib/asl/task-target.js';
import { dummyCredentials } from '../../lib/emulators/credentials.js';
import { startLambdaEmulator, type LambdaEmulator } from '../../lib/emulators/lambda.js';
import { parseIntegrationsConfig } from '../../lib/integrations/config.js';
import { createTaskInvoker, type IntegrationsTaskInvoker } from '../../lib/integrations/invoker.js';
import type { TaskOutcome } from '../../lib/runtime/ports.js';

const fixtures = fileURLToPath(new URL('./fixtures/', import.meta.url));
const handlers = `${fixtures}handlers.mjs`;
const EXECUTION = 'arn:aws:states:us-east-1:123456789012:execution:machine:run';
const fnArn = (name: string) => `arn:aws:lambda:us-east-1:123456789012:function:${name}`;
const INVOKE = 'arn:aws:states:::lambda:invoke';
const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

let lambdaApi: LambdaEmulator; // stands for the Lambda API: functions not registered in the config go there
let registered: LambdaEmulator; // a registered endpoint
let noErrorType: Server; // a Lambda answering a function error without an errorType
let invoker: IntegrationsTaskInvoker;

beforeAll(async () => {
  lambdaApi = await startLambdaEmulator({ functions: { remote: { handler: `${handlers}#echo` }, remoteHangs: { handler: `${handlers}#hangs`, timeout: 5 } } });
  registered = await startLambdaEmulator({ functions: { viaEndpoint: { handler: `${handlers}#throwsNamed` }, echoAtEndpoint: { handler: `${handlers}#echo` } } });
  noErrorType = createServer((req, res) => {
    req.resume();
    res.setHeader('X-Amz-Function-Error', 'Unhandled');
    res.setHeader('X-Amz-Executed-Version', '$LATEST');
    res.setHeader('Content-Type', 'application/json');
    res.end('{"errorMessage":"2024-01-01T00:00:00.000Z 1234 Process exited before completing request"}');
  });
  await new Promise<void>((resolve) => noErrorType.listen(0, '127.0.0.1', resolve));
  const config = parseIntegrationsConfig({
    functions: {
      local: { handler: './handlers.mjs#echo' },
      [fnArn('fails')]: { handler: './handlers.mjs#throwsNamed' },
      unnamed: { handler: './handlers.mjs#throwsUnnamed' },
      hangs: { handler: './handlers.mjs#hangs', timeout: 0.2 },
      slow: { handler: './handlers.mjs#hangs', timeout: 5 },
      empty: { handler: './handlers.mjs#returnsUndefined' },
      callback: { handler: './handlers.mjs#callbackStyle' },
      notJson: { handler: './handlers.mjs#notJson' },
      viaEndpoint: { endpoint: registered.endpoint },
      echoAtEndpoint: { endpoint: registered.endpoint },
      crashes: { endpoint: `http://127.0.0.1:${(noErrorType.address() as AddressInfo).port}` },
    },
    aws: { endpoints: { lambda: lambdaApi.endpoint } },
  }, fixtures);
  invoker = createTaskInvoker({ config, region: 'us-east-1', credentials: dummyCredentials });
});

afterAll(async () => {
  invoker.close();
  noErrorType.close();
  await Promise.all([lambdaApi.close(), registered.close()]);
});

const run = (resource: string, parameters: Json, timeoutMs?: number): Promise<TaskOutcome> =>
  invoker.invoke({ target: parseTaskTarget(resource)!, parameters, executionArn: EXECUTION, roleArn: 'arn:aws:iam::123456789012:role/machine', ...(timeoutMs === undefined ? {} : { timeoutMs }) });

/** A failure's cause parsed (a function error's cause is the error document). */
const failure = (outcome: TaskOutcome) => {
  if (outcome.ok) throw new Error(`expected a failure, got ${JSON.stringify(outcome.output)}`);
  return { error: outcome.error, cause: outcome.cause };
};

describe('legacy Lambda resource', () => {
  it('passes the parameters as the event and outputs the result', async () => {
    expect(await run(fnArn('local'), { order: { id: 7 } })).toEqual({ ok: true, output: { order: { id: 7 } } });
    // AWS: an input of null reaches the function as null, and its null comes back (test_invoke_json_values[None]).
    expect(await run(fnArn('local'), null)).toEqual({ ok: true, output: null });
    expect(await run(fnArn('local'), 'HelloWorld')).toEqual({ ok: true, output: 'HelloWorld' });
    expect(await run(fnArn('empty'), {})).toEqual({ ok: true, output: null });
    expect(await run(fnArn('callback'), { n: 4 })).toEqual({ ok: true, output: { doubled: 8, requestId: 36 } });
    expect(await run(fnArn('notJson'), {})).toEqual({ ok: true, output: 'HelloWorld!' });
  });

  it('runs unregistered functions on the Lambda API and registered endpoints there', async () => {
    expect(await run(fnArn('remote'), { a: 1 })).toEqual({ ok: true, output: { a: 1 } });
    expect(await run(fnArn('echoAtEndpoint'), [1, 2])).toEqual({ ok: true, output: [1, 2] });
  });

  it('fails with the errorType, the cause being the error document as the function returned it', async () => {
    const { error, cause } = failure(await run(fnArn('fails'), { id: 7 }));
    expect(error).toBe('OrderNotFound');
    expect(cause!.startsWith('{"errorType":"OrderNotFound","errorMessage":"no order 7","trace":["OrderNotFound: no order 7","    at ')).toBe(true);
    expect(failure(await run(fnArn('unnamed'), {})).error).toBe('Error');
    const remote = failure(await run(fnArn('viaEndpoint'), { id: 8 }));
    expect([remote.error, JSON.parse(remote.cause!).errorMessage]).toEqual(['OrderNotFound', 'no order 8']);
  });

  it('fails a timed-out function with Sandbox.Timedout', async () => {
    const { error, cause } = failure(await run(fnArn('hangs'), {}));
    expect(error).toBe('Sandbox.Timedout');
    expect(cause).toMatch(new RegExp(`^\\{"errorType":"Sandbox\\.Timedout","errorMessage":"RequestId: ${UUID} Error: Task timed out after 0\\.20 seconds"\\}$`));
  });

  it('names a function error without an errorType Lambda.Unknown', async () => {
    expect(await run(fnArn('crashes'), {})).toEqual({
      ok: false,
      error: 'Lambda.Unknown',
      cause: 'The cause could not be determined because Lambda did not return an error type. Returned payload: {"errorMessage":"2024-01-01T00:00:00.000Z 1234 Process exited before completing request"}',
    });
  });

  it('fails a function the Lambda API does not have with Lambda.ResourceNotFoundException', async () => {
    const { error, cause } = failure(await run(fnArn('ghost'), {}));
    expect(error).toBe('Lambda.ResourceNotFoundException');
    expect(cause).toMatch(new RegExp(`^Function not found: arn:aws:lambda:us-east-1:123456789012:function:ghost:\\$LATEST \\(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${UUID}; Proxy: null\\)$`));
  });

  it('gives up at the task timeout', async () => {
    expect(await run(fnArn('slow'), {}, 100)).toEqual({ ok: false, error: 'States.Timeout' });
    expect(await run(fnArn('remoteHangs'), {}, 100)).toEqual({ ok: false, error: 'States.Timeout' });
  });
});

describe('lambda:invoke', () => {
  it('outputs the Invoke response as AWS records it', async () => {
    const outcome = await run(INVOKE, { FunctionName: 'local', Payload: { hello: 'world' } });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    const output = outcome.output as Record<string, any>;
    expect(Object.keys(output)).toEqual(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect([output['ExecutedVersion'], output['Payload'], output['StatusCode']]).toEqual(['$LATEST', { hello: 'world' }, 200]);
    const http = output['SdkHttpMetadata'];
    expect(Object.keys(http)).toEqual(['AllHttpHeaders', 'HttpHeaders', 'HttpStatusCode']);
    expect(http.HttpStatusCode).toBe(200);
    expect(Object.keys(http.HttpHeaders)).toEqual(['Connection', 'Content-Length', 'Content-Type', 'Date', 'X-Amz-Executed-Version', 'x-amzn-Remapped-Content-Length', 'x-amzn-RequestId', 'X-Amzn-Trace-Id']);
    expect(http.HttpHeaders).toMatchObject({ Connection: 'keep-alive', 'Content-Length': '17', 'Content-Type': 'application/json', 'X-Amz-Executed-Version': '$LATEST', 'x-amzn-Remapped-Content-Length': '0' });
    expect(http.AllHttpHeaders['X-Amz-Executed-Version']).toEqual(['$LATEST']);
    expect(output['SdkResponseMetadata']).toEqual({ RequestId: http.HttpHeaders['x-amzn-RequestId'] });
    expect(http.HttpHeaders['x-amzn-RequestId']).toMatch(new RegExp(`^${UUID}$`));
  });

  it('has the same shape when the function runs at an endpoint', async () => {
    const outcome = await run(INVOKE, { FunctionName: fnArn('remote'), Payload: { n: 1 } });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    const output = outcome.output as Record<string, any>;
    expect(Object.keys(output)).toEqual(['ExecutedVersion', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect([output['Payload'], output['StatusCode'], output['SdkHttpMetadata'].HttpStatusCode]).toEqual([{ n: 1 }, 200, 200]);
    // The names as the server sent them, and the request id the SDK read.
    expect(output['SdkHttpMetadata'].AllHttpHeaders).toMatchObject({ 'X-Amz-Executed-Version': ['$LATEST'], 'Content-Type': ['application/json'], 'Content-Length': ['7'] });
    expect(output['SdkResponseMetadata'].RequestId).toBe(output['SdkHttpMetadata'].HttpHeaders['x-amzn-RequestId']);
  });

  it('sends the Payload as AWS does (test_invoke_json_values, test_invoke)', async () => {
    const payloadOf = async (parameters: Record<string, Json>) => {
      const outcome = await run(INVOKE, { FunctionName: 'local', ...parameters });
      if (!outcome.ok) throw new Error(JSON.stringify(outcome));
      return (outcome.output as Record<string, Json>)['Payload'];
    };
    expect(await payloadOf({ Payload: null })).toEqual({}); // no payload: the function gets {}
    expect(await payloadOf({})).toEqual({});
    expect(await payloadOf({ Payload: '"HelloWorld"' })).toBe('HelloWorld'); // JSON text goes as it is
    expect(await payloadOf({ Payload: 'null' })).toBe(null);
    expect(await payloadOf({ Payload: '0' })).toBe(0);
    expect(await payloadOf({ Payload: 'not json' })).toBe('not json'); // other text as a JSON string
    expect(await payloadOf({ Payload: [] })).toEqual([]);
    expect(await payloadOf({ Payload: true })).toBe(true);
  });

  it('adds LogResult for LogType Tail', async () => {
    const outcome = await run(INVOKE, { FunctionName: 'local', Payload: {}, LogType: 'Tail' });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    const output = outcome.output as Record<string, any>;
    expect(Object.keys(output)).toEqual(['ExecutedVersion', 'LogResult', 'Payload', 'SdkHttpMetadata', 'SdkResponseMetadata', 'StatusCode']);
    expect(Buffer.from(output['LogResult'], 'base64').toString('utf8')).toMatch(/^START RequestId: /);
    expect(output['SdkHttpMetadata'].HttpHeaders['X-Amz-Log-Result']).toBe(output['LogResult']);
  });

  it('fails with the function errorType and its error document (test_raise_exception)', async () => {
    const local = failure(await run(INVOKE, { FunctionName: fnArn('fails'), Payload: { id: 1 } }));
    expect([local.error, JSON.parse(local.cause!).errorMessage]).toEqual(['OrderNotFound', 'no order 1']);
    const remote = failure(await run(INVOKE, { FunctionName: 'viaEndpoint', Payload: { id: 2 } }));
    expect([remote.error, JSON.parse(remote.cause!).errorMessage]).toEqual(['OrderNotFound', 'no order 2']);
    expect(failure(await run(INVOKE, { FunctionName: 'hangs' })).error).toBe('Sandbox.Timedout');
  });

  it('fails an unknown function or version with Lambda.ResourceNotFoundException (test_no_such_function)', async () => {
    const cause = (arn: string) => new RegExp(`^Function not found: ${arn.replaceAll('$', '\\$')} \\(Service: AWSLambda; Status Code: 404; Error Code: ResourceNotFoundException; Request ID: ${UUID}; Proxy: null\\)$`);
    const ghost = failure(await run(INVOKE, { FunctionName: 'no_such_function' }));
    expect(ghost.error).toBe('Lambda.ResourceNotFoundException');
    expect(ghost.cause).toMatch(cause(`${fnArn('no_such_function')}:$LATEST`));
    // A registered local function without that version answers the same way.
    const version = failure(await run(INVOKE, { FunctionName: 'local', Qualifier: '3' }));
    expect(version.error).toBe('Lambda.ResourceNotFoundException');
    expect(version.cause).toMatch(cause(`${fnArn('local')}:3`));
  });

  it('names an unmodeled Lambda error Lambda.AWSLambdaException', async () => {
    const { error, cause } = failure(await run(INVOKE, { FunctionName: 'local', InvocationType: 'Sometime' }));
    expect(error).toBe('Lambda.AWSLambdaException');
    expect(cause).toMatch(new RegExp(`^1 validation error detected: Value 'Sometime' at 'invocationType' failed to satisfy constraint: Member must satisfy enum value set: \\[Event, RequestResponse, DryRun\\] \\(Service: AWSLambda; Status Code: 400; Error Code: ValidationException; Request ID: ${UUID}; Proxy: null\\)$`));
  });

  it('answers an Event invocation with 202 and an empty payload', async () => {
    const outcome = await run(INVOKE, { FunctionName: 'local', InvocationType: 'Event', Payload: {} });
    if (!outcome.ok) throw new Error(JSON.stringify(outcome));
    expect([(outcome.output as Record<string, Json>)['StatusCode'], (outcome.output as Record<string, Json>)['Payload']]).toEqual([202, '']);
  });

  it('fails with States.Runtime on parameters it cannot send', async () => {
    expect(await run(INVOKE, { Payload: {} })).toEqual({ ok: false, error: 'States.Runtime', cause: "The lambda:invoke parameter 'FunctionName' is missing." });
    expect(await run(INVOKE, { FunctionName: 'local', Qualifier: 1 })).toEqual({ ok: false, error: 'States.Runtime', cause: "The lambda:invoke parameter 'Qualifier' must be a string, not 1." });
  });
});
