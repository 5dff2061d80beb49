// The Lambda emulator through @aws-sdk/client-lambda: the same outcomes as the functions run here,
// with Lambda's HTTP answer (status, X-Amz-Function-Error, X-Amz-Executed-Version, error JSON).
import { fileURLToPath } from 'node:url';
import { InvokeCommand, LambdaClient, ResourceNotFoundException } from '@aws-sdk/client-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { dummyCredentials } from '../../lib/emulators/credentials.js';
import { startLambdaEmulator, type LambdaEmulator } from '../../lib/emulators/lambda.js';

const handlers = fileURLToPath(new URL('./fixtures/handlers.mjs', import.meta.url));

describe('Lambda emulator', () => {
  let emulator: LambdaEmulator;
  let client: LambdaClient;
  beforeAll(async () => {
    emulator = await startLambdaEmulator({
      functions: {
        echo: { handler: `${handlers}#echo` },
        inspect: { handler: `${handlers}#inspect`, memorySize: 512 },
        fails: { handler: `${handlers}#throwsNamed` },
        empty: { handler: `${handlers}#returnsUndefined` },
        hangs: { handler: `${handlers}#hangs`, timeout: 0.2 },
        callback: { handler: `${handlers}#callbackStyle` },
        inline: { handler: async (event: unknown) => ({ inline: event }) },
      },
    });
    client = new LambdaClient({ region: 'us-east-1', credentials: dummyCredentials, endpoint: emulator.endpoint });
  });
  afterAll(async () => {
    client.destroy();
    await emulator.close();
  });

  const invoke = async (FunctionName: string, payload?: unknown, extra: Record<string, string> = {}) => {
    const out = await client.send(new InvokeCommand({ FunctionName, ...(payload === undefined ? {} : { Payload: Buffer.from(JSON.stringify(payload)) }), ...extra }));
    return { StatusCode: out.StatusCode, FunctionError: out.FunctionError, ExecutedVersion: out.ExecutedVersion, Payload: out.Payload ? Buffer.from(out.Payload).toString('utf8') : undefined };
  };

  it('invokes a function and returns its result', async () => {
    expect(await invoke('echo', { hello: 'world' })).toEqual({ StatusCode: 200, FunctionError: undefined, ExecutedVersion: '$LATEST', Payload: '{"hello":"world"}' });
    expect(await invoke('inline', 5)).toEqual({ StatusCode: 200, FunctionError: undefined, ExecutedVersion: '$LATEST', Payload: '{"inline":5}' });
  });

  it('resolves an ARN FunctionName (URL-encoded in the path) and gives the function its context', async () => {
    const out = await invoke('arn:aws:lambda:us-east-1:123456789012:function:inspect', { x: 1 });
    expect(JSON.parse(out.Payload!)).toMatchObject({ event: { x: 1 }, functionName: 'inspect', invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:inspect', memoryLimitInMB: '512' });
  });

  it('passes the client context', async () => {
    const ClientContext = Buffer.from(JSON.stringify({ custom: { k: 'v' } })).toString('base64');
    expect(JSON.parse((await invoke('inspect', {}, { ClientContext })).Payload!).clientContext).toEqual({ custom: { k: 'v' } });
  });

  it('reports a function error as Unhandled with the error document', async () => {
    const out = await invoke('fails', { id: 3 });
    expect([out.StatusCode, out.FunctionError, out.ExecutedVersion]).toEqual([200, 'Unhandled', '$LATEST']);
    expect(JSON.parse(out.Payload!)).toMatchObject({ errorType: 'OrderNotFound', errorMessage: 'no order 3' });
  });

  it('answers null for undefined, the timeout error for a hang, the callback value for callback style', async () => {
    expect((await invoke('empty', {})).Payload).toBe('null');
    const hang = await invoke('hangs', {});
    expect(hang.FunctionError).toBe('Unhandled');
    expect(JSON.parse(hang.Payload!)).toEqual({ errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 0\.20 seconds$/) });
    expect((await invoke('callback', { n: 2 })).Payload).toBe('{"doubled":4,"requestId":36}');
  });

  it('answers Event with 202 and DryRun with 204', async () => {
    expect(await invoke('echo', {}, { InvocationType: 'Event' })).toEqual({ StatusCode: 202, FunctionError: undefined, ExecutedVersion: undefined, Payload: undefined });
    expect(await invoke('echo', {}, { InvocationType: 'DryRun' })).toEqual({ StatusCode: 204, FunctionError: undefined, ExecutedVersion: undefined, Payload: undefined });
  });

  it('answers 404 ResourceNotFoundException for an unknown function', async () => {
    const error = await client.send(new InvokeCommand({ FunctionName: 'nope' })).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(ResourceNotFoundException);
    const e = error as ResourceNotFoundException;
    expect([e.name, e.message, e.$metadata.httpStatusCode]).toEqual(['ResourceNotFoundException', 'Function not found: arn:aws:lambda:us-east-1:123456789012:function:nope:$LATEST', 404]);
  });
});
