import {
  CreateActivityCommand,
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetActivityTaskCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
  type DescribeExecutionCommandOutput,
  type HistoryEvent,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { randomUUID } from 'node:crypto';
import { resolve } from 'node:path';
import { CreateTableCommand, DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { dummyCredentials } from '../../lib/emulators/index.js';
import { startLambdaEmulator, type LambdaEmulator } from '../../lib/emulators/lambda.js';
import { parseIntegrationsConfig } from '../../lib/integrations/config.js';
import { createTaskInvoker } from '../../lib/integrations/invoker.js';
import { startAwsHome } from '../support/aws.js';
import { errorOf } from '../support/homes.js';
import { startLocalServer } from '../support/local-server.js';
import { ROLE_ARN, sfnClient, until } from '../support/sfn-client.js';

/**
 * Task states end to end, through @aws-sdk/client-sfn, in both homes. Lambda functions are the
 * fixture handlers: run in-process by the local home (as `stepwise.config.json` registers them), and
 * behind a Lambda emulator that the AWS home calls with @aws-sdk/client-lambda. Tokens reach the test
 * through a child execution's input (`states:startExecution.waitForTaskToken`), activity work
 * through GetActivityTask.
 */
const FIXTURES = resolve('tests/integrations/fixtures');
const FUNCTIONS = {
  MyFunction: { handler: './handlers.mjs#echo' },
  Throws: { handler: './handlers.mjs#throwsNamed' },
  ReturnsNothing: { handler: './handlers.mjs#returnsUndefined' },
  Hangs: { handler: './handlers.mjs#hangs', timeout: 1 },
};

type Home = { endpoint: string; stop(): Promise<void> };
/** The emulators the global setup started, as the services Task states call. */
const services = () => ({ sqs: inject('sqsEndpoint'), dynamodb: inject('dynamodbEndpoint') });
const awsClient = (endpoint: string) => ({ region: 'us-east-1', credentials: dummyCredentials, endpoint });
const HOMES: [string, (lambda: LambdaEmulator) => Promise<Home>][] = [
  [
    'local home',
    async (lambda) => {
      // Functions run in-process; any other name goes to "Lambda" (the emulator), which has no such function.
      const config = parseIntegrationsConfig({ functions: FUNCTIONS, aws: { endpoints: { ...services(), lambda: lambda.endpoint } } }, FIXTURES);
      const tasks = createTaskInvoker({ config, region: 'us-east-1', credentials: dummyCredentials });
      const server = await startLocalServer({ activityPollMs: 300, tasks });
      return { endpoint: server.endpoint, stop: () => server.stop().finally(() => tasks.close()) };
    },
  ],
  [
    'AWS home over DynamoDB Local and fauxqs',
    async (lambda) => {
      const config = parseIntegrationsConfig({ aws: { endpoints: { ...services(), lambda: lambda.endpoint } } }, FIXTURES);
      const tasks = createTaskInvoker({ config, region: 'us-east-1', credentials: dummyCredentials });
      const home = await startAwsHome({ activityPollMs: 300, tasks });
      return { endpoint: home.endpoint, stop: () => home.stop().finally(() => tasks.close()) };
    },
  ],
];

describe.each(HOMES)('Task states through the API (%s)', (_home, start) => {
  let lambda: LambdaEmulator;
  let server: Home;
  let sfn: SFNClient;
  let counter = 0;

  beforeAll(async () => {
    lambda = await startLambdaEmulator({ functions: Object.fromEntries(Object.entries(FUNCTIONS).map(([name, fn]) => [name, { ...fn, handler: `${FIXTURES}/${fn.handler.slice(2)}` }])) });
    server = await start(lambda);
    sfn = sfnClient(server.endpoint);
  });
  afterAll(async () => {
    sfn.destroy();
    await server.stop();
    await lambda.close();
  });

  it('runs the Lambda task of the seed example (lambda:invoke with a function ARN) and records its result as AWS does', async () => {
    const arn = await machine({
      StartAt: 'Invoke',
      States: {
        Invoke: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Parameters: { FunctionName: 'arn:aws:lambda:us-east-1:123456789012:function:MyFunction', 'Payload.$': '$' },
          OutputPath: '$.Payload',
          End: true,
        },
      },
    });
    const execution = await startExecution(arn, { order: 42 });
    const done = await finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ order: 42 });
    const succeeded = (await history(execution)).find((e) => e.type === 'TaskSucceeded')!.taskSucceededEventDetails!;
    expect(succeeded.resource).toBe('invoke');
    expect(JSON.parse(succeeded.output!)).toMatchObject({ ExecutedVersion: '$LATEST', Payload: { order: 42 }, StatusCode: 200, SdkHttpMetadata: { HttpStatusCode: 200 } });
  });

  it('writes and reads DynamoDB items, then waits on an SQS message carrying the task token for its answer', async () => {
    const dynamodb = new DynamoDBClient(awsClient(inject('dynamodbEndpoint')));
    const sqs = new SQSClient(awsClient(inject('sqsEndpoint')));
    const table = `orders-${randomUUID()}`;
    await dynamodb.send(new CreateTableCommand({ TableName: table, AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    const queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: `approvals-${randomUUID()}` }))).QueueUrl!;
    const arn = await machine({
      StartAt: 'Put',
      States: {
        Put: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:putItem', Parameters: { TableName: table, Item: { id: { 'S.$': '$.id' }, state: { S: 'new' } } }, ResultPath: null, Next: 'Get' },
        Get: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:getItem', Parameters: { TableName: table, Key: { id: { 'S.$': '$.id' } } }, ResultSelector: { 'state.$': '$.Item.state.S' }, ResultPath: '$.stored', Next: 'Ask' },
        Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: queueUrl, MessageBody: { 'id.$': '$.id', 'token.$': '$$.Task.Token' } }, ResultPath: '$.answer', End: true },
      },
    });
    const execution = await startExecution(arn, { id: 'o-1' });
    const received = await until(() => sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, WaitTimeSeconds: 1 })), (r) => (r.Messages?.length ?? 0) > 0);
    const body = JSON.parse(received.Messages![0]!.Body!) as { id: string; token: string };
    expect(body.id).toBe('o-1');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: body.token, output: '{"approved":true}' }));
    const done = await finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ id: 'o-1', stored: { state: 'new' }, answer: { approved: true } });
    expect((await dynamodb.send(new GetItemCommand({ TableName: table, Key: { id: { S: 'o-1' } } }))).Item?.['state']?.S).toBe('new');
    const submitted = (await history(execution)).find((e) => e.type === 'TaskSubmitted')!.taskSubmittedEventDetails!;
    expect(JSON.parse(submitted.output!)).toHaveProperty('MessageId');
    dynamodb.destroy();
    sqs.destroy();
  });

  it('maps a function error to its errorType for Retry and Catch, a missing function to Lambda.ResourceNotFoundException, a hanging one to Sandbox.Timedout', async () => {
    const arn = await machine({
      StartAt: 'Throws',
      States: {
        Throws: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Throws', Retry: [{ ErrorEquals: ['OrderNotFound'], IntervalSeconds: 1, MaxAttempts: 1 }], Catch: [{ ErrorEquals: ['OrderNotFound'], ResultPath: '$.thrown', Next: 'Missing' }], End: true },
        Missing: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'NoSuchFunction' }, Catch: [{ ErrorEquals: ['Lambda.ResourceNotFoundException'], ResultPath: '$.missing', Next: 'Nothing' }], End: true },
        Nothing: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'ReturnsNothing' }, ResultSelector: { 'payload.$': '$.Payload' }, ResultPath: '$.nothing', Next: 'Hangs' },
        Hangs: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'Hangs' }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.hung', Next: 'Done' }], End: true },
        Done: { Type: 'Pass', End: true },
      },
    });
    const execution = await startExecution(arn, { id: 7 });
    const done = await finished(execution, 20_000);
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as Record<string, { Error: string; Cause: string } | { payload: unknown }>;
    expect(output['thrown']).toMatchObject({ Error: 'OrderNotFound' });
    expect(JSON.parse((output['thrown'] as { Cause: string }).Cause)).toMatchObject({ errorType: 'OrderNotFound', errorMessage: 'no order 7' });
    expect(output['missing']).toMatchObject({ Error: 'Lambda.ResourceNotFoundException' });
    expect(output['nothing']).toEqual({ payload: null });
    expect(output['hung']).toMatchObject({ Error: 'Sandbox.Timedout' });
    const events = await history(execution);
    expect(events.filter((e) => e.type === 'LambdaFunctionFailed')).toHaveLength(2);
  }, 30_000);

  const machine = async (definition: object, name = `m-${++counter}`) =>
    (await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN }))).stateMachineArn!;
  const activity = async (name = `a-${++counter}`) => (await sfn.send(new CreateActivityCommand({ name }))).activityArn!;
  const startExecution = async (stateMachineArn: string, input: object = {}) => (await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }))).executionArn!;
  const finished = (executionArn: string, timeoutMs = 30_000): Promise<DescribeExecutionCommandOutput> =>
    until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', timeoutMs);
  const history = async (executionArn: string): Promise<HistoryEvent[]> => (await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }))).events!;

  /** A parent waiting on a child execution that carries its task token in its input. */
  async function tokenFromChild(catcher?: object): Promise<{ parent: string; token: string }> {
    const child = await machine({ StartAt: 'Idle', States: { Idle: { Type: 'Pass', End: true } } });
    const parentMachine = await machine({
      StartAt: 'Ask',
      States: {
        Ask: {
          Type: 'Task',
          Resource: 'arn:aws:states:::states:startExecution.waitForTaskToken',
          Parameters: { StateMachineArn: child, Input: { 'token.$': '$$.Task.Token' } },
          ...(catcher ? { Catch: [catcher] } : {}),
          End: true,
        },
        ...(catcher ? { Caught: { Type: 'Pass', End: true } } : {}),
      },
    });
    const parent = await startExecution(parentMachine);
    const executions = await until(() => sfn.send(new ListExecutionsCommand({ stateMachineArn: child })), (l) => (l.executions?.length ?? 0) > 0);
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn: executions.executions![0]!.executionArn! }));
    return { parent, token: (JSON.parse(described.input!) as { token: string }).token };
  }

  it('answers a .waitForTaskToken task once: a second answer is TaskTimedOut, a made-up token InvalidToken', async () => {
    const { parent, token } = await tokenFromChild();
    expect(token).toMatch(/^AQ[A-Za-z0-9_-]{64}$/);
    await until(() => history(parent), (events) => events.some((e) => e.type === 'TaskSubmitted'));
    await sfn.send(new SendTaskHeartbeatCommand({ taskToken: token }));
    await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{"approved":true}' }));
    expect((await errorOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: '{}' })))).name).toBe('TaskTimedOut');
    expect((await errorOf(sfn.send(new SendTaskFailureCommand({ taskToken: `${token}x`, error: 'E' })))).name).toBe('InvalidToken');
    expect((await errorOf(sfn.send(new SendTaskHeartbeatCommand({ taskToken: 'not a token' })))).name).toBe('InvalidToken');
    // A token of the right shape that no task holds.
    expect((await errorOf(sfn.send(new SendTaskSuccessCommand({ taskToken: `AQ${'A'.repeat(64)}`, output: '{}' })))).name).toBe('TaskDoesNotExist');
    expect((await errorOf(sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: 'not json' })))).name).toBe('InvalidOutput');
    const done = await finished(parent);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('{"approved":true}');
  });

  it('ends a task with SendTaskFailure, which Catch takes with the error and cause given', async () => {
    const { parent, token } = await tokenFromChild({ ErrorEquals: ['Rejected'], Next: 'Caught' });
    await until(() => history(parent), (events) => events.some((e) => e.type === 'TaskSubmitted'));
    await sfn.send(new SendTaskFailureCommand({ taskToken: token, error: 'Rejected', cause: 'not today' }));
    const done = await finished(parent);
    expect(done.status).toBe('SUCCEEDED');
    expect(JSON.parse(done.output!)).toEqual({ Error: 'Rejected', Cause: 'not today' });
    const failed = (await history(parent)).find((e) => e.type === 'TaskFailed');
    expect(failed?.taskFailedEventDetails).toMatchObject({ error: 'Rejected', cause: 'not today', resource: 'startExecution.waitForTaskToken', resourceType: 'states' });
  });

  it('answers GetActivityTask with no token when no work comes, and refuses an unknown activity', async () => {
    const arn = await activity();
    const answer = await sfn.send(new GetActivityTaskCommand({ activityArn: arn, workerName: 'idle' }));
    expect(answer.taskToken).toBeUndefined();
    expect(answer.input).toBeUndefined();
    expect((await errorOf(sfn.send(new GetActivityTaskCommand({ activityArn: `${arn}-gone` })))).name).toBe('ActivityDoesNotExist');
  });

  it('times out a worker that died mid-task (HeartbeatSeconds) and retries the task with another', async () => {
    const arn = await activity();
    const machineArn = await machine({
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: arn, HeartbeatSeconds: 1, Retry: [{ ErrorEquals: ['States.HeartbeatTimeout'], IntervalSeconds: 1, MaxAttempts: 1 }], End: true } },
    });
    const execution = await startExecution(machineArn, { job: 1 });
    const first = await until(() => sfn.send(new GetActivityTaskCommand({ activityArn: arn, workerName: 'dies' })), (t) => t.taskToken !== undefined);
    expect(first.input).toBe('{"job":1}');
    // The first worker never answers; after the heartbeat timeout and the back-off the task comes again.
    const second = await until(() => sfn.send(new GetActivityTaskCommand({ activityArn: arn, workerName: 'lives' })), (t) => t.taskToken !== undefined, 15_000);
    expect(second.taskToken).not.toBe(first.taskToken);
    expect((await errorOf(sfn.send(new SendTaskSuccessCommand({ taskToken: first.taskToken!, output: '"late"' })))).name).toBe('TaskTimedOut');
    await sfn.send(new SendTaskSuccessCommand({ taskToken: second.taskToken!, output: '"done"' }));
    const done = await finished(execution);
    expect(done.status).toBe('SUCCEEDED');
    expect(done.output).toBe('"done"');
    const events = await history(execution);
    expect(events.filter((e) => e.type!.startsWith('Activity')).map((e) => e.type)).toEqual(['ActivityScheduled', 'ActivityStarted', 'ActivityTimedOut', 'ActivityScheduled', 'ActivityStarted', 'ActivitySucceeded']);
    expect(events.find((e) => e.type === 'ActivityStarted')?.activityStartedEventDetails?.workerName).toBe('dies');
    expect(events.find((e) => e.type === 'ActivityTimedOut')?.activityTimedOutEventDetails?.error).toBe('States.Timeout');
  }, 30_000);

  it('gives each of 500 activity tasks to exactly one of 20 workers polling side by side', async () => {
    const arn = await activity();
    const machineArn = await machine({
      StartAt: 'Each',
      States: {
        Each: {
          Type: 'Map',
          ItemsPath: '$.items',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Work', States: { Work: { Type: 'Task', Resource: arn, End: true } } },
          End: true,
        },
      },
    });
    const executions = await Promise.all(Array.from({ length: 10 }, (_, e) => startExecution(machineArn, { items: Array.from({ length: 50 }, (_, i) => e * 50 + i) })));
    const received = new Map<string, string>();
    const duplicates: string[] = [];
    let answered = 0;
    const stop = new AbortController();
    const worker = async (name: string) => {
      const client = sfnClient(server.endpoint);
      try {
        while (answered < 500 && !stop.signal.aborted) {
          let task;
          try {
            task = await client.send(new GetActivityTaskCommand({ activityArn: arn, workerName: name }), { abortSignal: stop.signal });
          } catch (e) {
            if (stop.signal.aborted) return;
            throw e;
          }
          if (!task.taskToken) continue;
          if (received.has(task.taskToken)) duplicates.push(task.taskToken);
          received.set(task.taskToken, name);
          await client.send(new SendTaskSuccessCommand({ taskToken: task.taskToken, output: JSON.stringify({ doubled: Number(task.input) * 2 }) }));
          if (++answered === 500) stop.abort();
        }
      } finally {
        client.destroy();
      }
    };
    await Promise.all(Array.from({ length: 20 }, (_, i) => worker(`worker-${i}`)));
    expect(duplicates).toEqual([]);
    expect(received.size).toBe(500);
    expect(new Set(received.values()).size).toBeGreaterThan(1);
    for (const [e, executionArn] of executions.entries()) {
      const done = await finished(executionArn, 60_000);
      expect(done.status).toBe('SUCCEEDED');
      expect(JSON.parse(done.output!)).toEqual(Array.from({ length: 50 }, (_, i) => ({ doubled: (e * 50 + i) * 2 })));
    }
  }, 180_000);

  it('runs a child execution to its end for .sync:2 and fails the task with States.TaskFailed for a failed child', async () => {
    const ok = await machine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'twice.$': 'States.MathAdd($.n, $.n)' }, End: true } } });
    const bad = await machine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'ChildError', Cause: 'went wrong' } } });
    const parentArn = await machine({
      StartAt: 'Run',
      States: {
        Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: ok, Input: { n: 21 } }, OutputPath: '$.Output', Next: 'Fail' },
        Fail: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: bad }, Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.failure', Next: 'Done' }], End: true },
        Done: { Type: 'Pass', End: true },
      },
    });
    const done = await finished(await startExecution(parentArn));
    expect(done.status).toBe('SUCCEEDED');
    const output = JSON.parse(done.output!) as { twice: number; failure: { Error: string; Cause: string } };
    expect(output.twice).toBe(42);
    expect(output.failure.Error).toBe('States.TaskFailed');
    expect(JSON.parse(output.failure.Cause)).toMatchObject({ Error: 'ChildError', Cause: 'went wrong', Status: 'FAILED' });
  });
});
