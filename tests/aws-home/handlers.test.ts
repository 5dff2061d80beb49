// The AWS home's Lambda handlers (lib/aws-home) over DynamoDB Local and fauxqs: what each one does
// with what AWS hands it, good and bad, and the in-process SQS poller that stands in for Lambda's
// event source mapping.
import { randomUUID } from 'node:crypto';
import { CreateQueueCommand, GetQueueAttributesCommand, SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, EventBridgeEvent, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, describe, expect, inject, it, vi } from 'vitest';
import { handleApiRequest } from '../../lib/aws-home/api-handler.js';
import { handleDeadLetters } from '../../lib/aws-home/dead-letter-handler.js';
import { handleStartEvent } from '../../lib/aws-home/event-handler.js';
import type { AwsStepwise } from '../../lib/aws-home/runtime.js';
import { SqsPoller } from '../../lib/aws-home/sqs-poller.js';
import { handleStepMessages } from '../../lib/aws-home/step-handler.js';
import { dummyCredentials } from '../../lib/emulators/index.js';
import type { StepCommit } from '../../lib/runtime/ports.js';
import {
  callApi, createStateMachine, execution, historyTypes, PARTITION, receiveStepRecords, recordWithBody, ROLE_ARN,
  runToCompletion, sqsEvent, startExecution, testHome,
} from './harness.js';

afterEach(() => {
  vi.restoreAllMocks();
});

/** The operational log lines (lib/aws-home/log.ts) written while `run` runs, parsed. */
async function loggedDuring<T>(run: () => Promise<T>): Promise<{ result: T; lines: Record<string, unknown>[] }> {
  const lines: Record<string, unknown>[] = [];
  // The Powertools Logger writes through its own Console on process.stdout/stderr, not the global console.
  const keep = (chunk: unknown) => {
    for (const line of String(chunk).split('\n')) {
      try {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      } catch {
        // not one of ours
      }
    }
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(keep as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(keep as typeof process.stderr.write);
  try {
    return { result: await run(), lines };
  } finally {
    vi.mocked(process.stdout.write).mockRestore();
    vi.mocked(process.stderr.write).mockRestore();
  }
}

/** The first step message of a freshly started execution, as the step queue delivers it. */
async function startedWithFirstMessage(stepwise: AwsStepwise): Promise<{ executionArn: string; first: SQSRecord }> {
  const executionArn = await startExecution(stepwise, await createStateMachine(stepwise));
  const [first, ...more] = await receiveStepRecords(stepwise);
  expect(more).toEqual([]);
  return { executionArn, first: first! };
}

/** What the first step message of PASS_THEN_SUCCEED records: one state transition (the AWS home's default, no chains). */
const FIRST_STEP = ['ExecutionStarted', 'PassStateEntered', 'PassStateExited'];

describe('step handler', () => {
  it('acknowledges a malformed body, a JSON body that is no step message and a step of an unknown execution, and runs the real step', async () => {
    const { stepwise } = await testHome();
    const { executionArn, first } = await startedWithFirstMessage(stepwise);
    expect(await historyTypes(stepwise, executionArn)).toEqual(['ExecutionStarted']);

    const notJson = recordWithBody('{"step": not json');
    const notAStep = recordWithBody(JSON.stringify({ hello: 'world' }));
    const unknownArn = `${executionArn}-never-started`;
    const unknownExecution = recordWithBody(JSON.stringify({ step: { executionArn: unknownArn, frameId: 'root', sequence: 0, event: { kind: 'run' } } }));

    const { result, lines } = await loggedDuring(() => handleStepMessages(stepwise, sqsEvent(notJson, notAStep, unknownExecution, first)));

    expect(result.batchItemFailures).toEqual([]);
    expect(await historyTypes(stepwise, executionArn)).toEqual(FIRST_STEP);
    expect(await execution(stepwise, unknownArn)).toBeUndefined();
    const dropped = lines.filter((l) => l['level'] === 'WARN' && l['message'] === 'dropped a step message that is not one');
    expect(dropped.map((l) => [l['messageId'], l['reason']])).toEqual([
      [notJson.messageId, 'the body is not JSON'],
      [notAStep.messageId, 'the body is not a step message'],
    ]);
  });

  it('reports only the message whose step throws in batchItemFailures, and that message runs once delivered again', async () => {
    const { stepwise } = await testHome();
    const stateMachineArn = await createStateMachine(stepwise);
    const failing = await startExecution(stepwise, stateMachineArn);
    const healthy = await startExecution(stepwise, stateMachineArn);
    const records = [...(await receiveStepRecords(stepwise)), ...(await receiveStepRecords(stepwise, { waitSeconds: 0 }))];
    const recordOf = (arn: string) => records.find((r) => r.body.includes(arn))!;
    expect(records).toHaveLength(2);

    // DynamoDB fails this execution's commit (the store is the engine's: the same object).
    const store = stepwise.api.store;
    const commit = store.commitStep.bind(store);
    const spy = vi.spyOn(store, 'commitStep').mockImplementation((c: StepCommit) => (c.executionArn === failing ? Promise.reject(new Error('DynamoDB is unreachable')) : commit(c)));

    const { result, lines } = await loggedDuring(() => handleStepMessages(stepwise, sqsEvent(recordOf(failing), recordOf(healthy))));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: recordOf(failing).messageId }]);
    expect(await historyTypes(stepwise, failing)).toEqual(['ExecutionStarted']);
    expect(await historyTypes(stepwise, healthy)).toEqual(FIRST_STEP);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', messageId: recordOf(failing).messageId, executionArn: failing, error: expect.stringContaining('DynamoDB is unreachable') }));

    spy.mockRestore();
    const again = await handleStepMessages(stepwise, sqsEvent(recordOf(failing)));
    expect(again.batchItemFailures).toEqual([]);
    expect(await historyTypes(stepwise, failing)).toEqual(FIRST_STEP);
  });

  it('sends a message that arrives before it is due back to the queue for the rest of its delay, without running it', async () => {
    const { stepwise } = await testHome();
    const { executionArn, first } = await startedWithFirstMessage(stepwise);
    const { step } = JSON.parse(first.body) as { step: unknown };
    const dueAt = Date.now() + 5000;

    const result = await handleStepMessages(stepwise, sqsEvent(recordWithBody(JSON.stringify({ step, dueAt }))));
    const resentAt = Date.now();

    expect(result.batchItemFailures).toEqual([]);
    expect(await historyTypes(stepwise, executionArn)).toEqual(['ExecutionStarted']);
    const { Attributes } = await stepwise.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: stepwise.config.stepQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    // It, and the execution's deadline timer (its one-year maximum) sent at its start.
    expect(Attributes?.['ApproximateNumberOfMessagesDelayed']).toBe('2');
    expect(await receiveStepRecords(stepwise, { waitSeconds: 0 })).toEqual([]);

    // It comes back when it is due (SQS delays in whole seconds, rounded up), still carrying its due time.
    const [back, ...more] = await receiveStepRecords(stepwise, { waitSeconds: 8 });
    expect(more).toEqual([]);
    expect(Date.now() - resentAt).toBeGreaterThanOrEqual(4000);
    const body = JSON.parse(back!.body) as { step: unknown; dueAt: number };
    expect(body.step).toEqual(step);
    expect(body.dueAt).toBeGreaterThanOrEqual(dueAt);
    expect(body.dueAt - dueAt).toBeLessThan(200);

    expect((await handleStepMessages(stepwise, sqsEvent(back!))).batchItemFailures).toEqual([]);
    expect(await historyTypes(stepwise, executionArn)).toEqual(FIRST_STEP);
  });

  it('stops a timer hopping towards its due time once its execution has ended', async () => {
    const { stepwise } = await testHome();
    const executionArn = await startExecution(stepwise, await createStateMachine(stepwise));
    const deadline = { step: { executionArn, frameId: 'root', sequence: -1, event: { kind: 'executionTimeout' } }, dueAt: Date.now() + 3600_000 };
    await runToCompletion(stepwise, executionArn);

    expect((await handleStepMessages(stepwise, sqsEvent(recordWithBody(JSON.stringify(deadline))))).batchItemFailures).toEqual([]);
    const { Attributes } = await stepwise.clients.sqs.send(new GetQueueAttributesCommand({ QueueUrl: stepwise.config.stepQueueUrl, AttributeNames: ['ApproximateNumberOfMessagesDelayed'] }));
    // Only the deadline timer the start sent (it too stops at its next hop): the ended execution's was not sent on.
    expect(Attributes?.['ApproximateNumberOfMessagesDelayed']).toBe('1');
  });
});

describe('api handler (API Gateway HTTP API, payload format 2.0)', () => {
  function httpApiEvent(request: { method?: string; target?: string; targetHeader?: string; body?: string; base64?: boolean }): APIGatewayProxyEventV2 {
    const method = request.method ?? 'POST';
    const now = new Date();
    const headers: Record<string, string> = { 'content-type': 'application/x-amz-json-1.0', host: 'abc123.execute-api.us-east-1.amazonaws.com', 'user-agent': 'aws-sdk-js/3' };
    if (request.target !== undefined) headers[request.targetHeader ?? 'x-amz-target'] = request.target;
    const text = request.body ?? '';
    return {
      version: '2.0',
      routeKey: '$default',
      rawPath: '/',
      rawQueryString: '',
      headers,
      requestContext: {
        accountId: PARTITION.accountId,
        apiId: 'abc123',
        domainName: 'abc123.execute-api.us-east-1.amazonaws.com',
        domainPrefix: 'abc123',
        http: { method, path: '/', protocol: 'HTTP/1.1', sourceIp: '203.0.113.7', userAgent: 'aws-sdk-js/3' },
        requestId: randomUUID(),
        routeKey: '$default',
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
      },
      ...(method === 'GET' ? {} : { body: request.base64 ? Buffer.from(text).toString('base64') : text }),
      isBase64Encoded: request.base64 ?? false,
    };
  }

  /** The reply as a client reads it; every reply is AWS JSON 1.0. */
  function read(reply: APIGatewayProxyStructuredResultV2): { status: number | undefined; body: Record<string, unknown> } {
    expect(reply.headers?.['content-type']).toBe('application/x-amz-json-1.0');
    return { status: reply.statusCode, body: JSON.parse(reply.body ?? '') as Record<string, unknown> };
  }

  const call = async (stepwise: AwsStepwise, request: Parameters<typeof httpApiEvent>[0]) => read(await handleApiRequest(stepwise, httpApiEvent(request)));

  it('creates a state machine, starts and describes an execution, whatever the case of X-Amz-Target, from base64 and plain bodies', async () => {
    const { stepwise } = await testHome();
    const definition = JSON.stringify({ StartAt: 'P', States: { P: { Type: 'Pass', End: true } } });

    const created = await call(stepwise, { targetHeader: 'X-Amz-Target', target: 'AWSStepFunctions.CreateStateMachine', body: JSON.stringify({ name: 'api-round-trip', definition, roleArn: ROLE_ARN }), base64: true });
    expect(created.status).toBe(200);
    expect(created.body['stateMachineArn']).toBe(`arn:aws:states:us-east-1:${PARTITION.accountId}:stateMachine:api-round-trip`);

    const started = await call(stepwise, { targetHeader: 'x-amz-target', target: 'AWSStepFunctions.StartExecution', body: JSON.stringify({ stateMachineArn: created.body['stateMachineArn'], name: 'first', input: '{"a":1}' }) });
    expect(started.status).toBe(200);
    expect(started.body['executionArn']).toBe(`arn:aws:states:us-east-1:${PARTITION.accountId}:execution:api-round-trip:first`);
    expect(typeof started.body['startDate']).toBe('number');

    const described = await call(stepwise, { targetHeader: 'X-AMZ-TARGET', target: 'AWSStepFunctions.DescribeExecution', body: JSON.stringify({ executionArn: started.body['executionArn'] }), base64: true });
    expect(described.status).toBe(200);
    expect(described.body).toMatchObject({ executionArn: started.body['executionArn'], stateMachineArn: created.body['stateMachineArn'], name: 'first', status: 'RUNNING', input: '{"a":1}', startDate: started.body['startDate'] });
  });

  it('answers an unknown or missing X-Amz-Target with 400 UnknownOperationException', async () => {
    const { stepwise } = await testHome();
    for (const target of ['AWSStepFunctions.LaunchRocket', 'DynamoDB_20120810.GetItem', undefined]) {
      const reply = await call(stepwise, { ...(target === undefined ? {} : { target }), body: '{}' });
      expect(reply.status, String(target)).toBe(400);
      expect(reply.body).toEqual({ __type: 'com.amazonaws.states#UnknownOperationException', message: expect.any(String) });
    }
  });

  it('answers a body that is not JSON with 400 SerializationException', async () => {
    const { stepwise } = await testHome();
    const reply = await call(stepwise, { target: 'AWSStepFunctions.ListStateMachines', body: '{"maxResults": 1' });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ __type: 'com.amazonaws.states#SerializationException', message: expect.any(String) });
  });

  it('answers anything but POST with 404', async () => {
    const { stepwise } = await testHome();
    const reply = await call(stepwise, { method: 'GET', target: 'AWSStepFunctions.ListStateMachines' });
    expect(reply.status).toBe(404);
    expect(reply.body['__type']).toBe('com.amazonaws.states#UnknownOperationException');
  });

  it('answers DescribeExecution of an execution that does not exist with ExecutionDoesNotExist', async () => {
    const { stepwise } = await testHome();
    const executionArn = `arn:aws:states:us-east-1:${PARTITION.accountId}:execution:nowhere:nobody`;
    const reply = await call(stepwise, { target: 'AWSStepFunctions.DescribeExecution', body: JSON.stringify({ executionArn }) });
    expect(reply.status).toBe(400);
    expect(reply.body).toEqual({ __type: 'com.amazonaws.states#ExecutionDoesNotExist', message: `Execution Does Not Exist: '${executionArn}'` });
  });
});

describe('start-from-event handler', () => {
  function eventBridgeEvent(detail: Record<string, unknown> = { orderId: 'o-1' }): EventBridgeEvent<string, unknown> {
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Order Placed',
      source: 'com.example.orders',
      account: PARTITION.accountId,
      time: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
      region: 'us-east-1',
      resources: [],
      detail,
    };
  }

  async function executionsOf(stepwise: AwsStepwise, stateMachineArn: string): Promise<{ executionArn: string; name: string }[]> {
    return (await callApi(stepwise, 'ListExecutions', { stateMachineArn }))['executions'] as { executionArn: string; name: string }[];
  }

  it('starts one execution, named by the event id, whose input is the event, for STEPWISE_TARGET_STATE_MACHINE_ARN; a redelivery starts nothing more', async () => {
    const { stepwise } = await testHome();
    const stateMachineArn = await createStateMachine(stepwise);
    const env = { STEPWISE_TARGET_STATE_MACHINE_ARN: stateMachineArn };
    const event = eventBridgeEvent();

    const { result: first, lines } = await loggedDuring(() => handleStartEvent(stepwise, event, env));
    const second = await handleStartEvent(stepwise, structuredClone(event), env);

    expect(first.executionArn).toMatch(new RegExp(`:execution:[^:]+:${event.id}$`));
    expect(second).toEqual(first);
    expect(lines).toContainEqual(expect.objectContaining({ level: 'INFO', message: 'started an execution for an event', executionArn: first.executionArn, eventId: event.id }));
    expect(await executionsOf(stepwise, stateMachineArn)).toEqual([expect.objectContaining({ executionArn: first.executionArn, name: event.id })]);
    expect(JSON.parse((await execution(stepwise, first.executionArn!))!.input)).toEqual(event);
  });

  it('starts the state machine a {stateMachineArn, input} target input names, with that input, over the environment', async () => {
    const { stepwise } = await testHome();
    const stateMachineArn = await createStateMachine(stepwise);
    const other = await createStateMachine(stepwise);
    const event = eventBridgeEvent({ orderId: 'o-2' });

    const { result } = await loggedDuring(() => handleStartEvent(stepwise, { stateMachineArn, input: event }, { STEPWISE_TARGET_STATE_MACHINE_ARN: other }));

    expect(result.error).toBeUndefined();
    expect(await executionsOf(stepwise, stateMachineArn)).toEqual([expect.objectContaining({ executionArn: result.executionArn, name: event.id })]);
    expect(await executionsOf(stepwise, other)).toEqual([]);
    expect(JSON.parse((await execution(stepwise, result.executionArn!))!.input)).toEqual(event);
  });

  it('logs and drops an event that names no state machine, starting nothing', async () => {
    const { stepwise } = await testHome();
    const stateMachineArn = await createStateMachine(stepwise);
    const event = eventBridgeEvent();

    const { result, lines } = await loggedDuring(() => handleStartEvent(stepwise, event, {}));

    expect(result).toEqual({ error: 'NoTargetStateMachine' });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'dropped an event that names no state machine to start', eventId: event.id }));
    expect(await executionsOf(stepwise, stateMachineArn)).toEqual([]);
    expect(await receiveStepRecords(stepwise, { waitSeconds: 0 })).toEqual([]);
  });

  it('returns StateMachineDoesNotExist for a state machine that does not exist, without throwing (a retry would be refused too)', async () => {
    const { stepwise } = await testHome();
    const missing = `arn:aws:states:us-east-1:${PARTITION.accountId}:stateMachine:not-there`;

    const { result, lines } = await loggedDuring(() => handleStartEvent(stepwise, eventBridgeEvent(), { STEPWISE_TARGET_STATE_MACHINE_ARN: missing }));

    expect(result).toEqual({ error: 'StateMachineDoesNotExist' });
    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', stateMachineArn: missing, error: 'StateMachineDoesNotExist' }));
    expect(await receiveStepRecords(stepwise, { waitSeconds: 0 })).toEqual([]);
  });
});

describe('dead-letter handler', () => {
  it('fails a RUNNING execution whose step was given up on with States.Runtime, a cause naming the dead-letter queue, and ExecutionFailed last in its history', async () => {
    const { stepwise } = await testHome();
    const { executionArn, first } = await startedWithFirstMessage(stepwise);
    const deadLetter = { ...first, attributes: { ...first.attributes, ApproximateReceiveCount: '5' } };

    const { lines } = await loggedDuring(() => handleDeadLetters(stepwise, sqsEvent(deadLetter)));

    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', executionArn, frameId: 'root', receiveCount: '5' }));
    const failed = await execution(stepwise, executionArn);
    expect(failed).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(failed?.cause).toMatch(/failed 5 times and was moved to the dead-letter queue/);
    expect(failed?.stopDate).toBeGreaterThanOrEqual(failed!.startDate);
    const history = await stepwise.api.store.history(executionArn);
    expect(history.map((e) => e.type)).toEqual(['ExecutionStarted', 'ExecutionFailed']);
    expect(history.at(-1)?.details).toEqual({ error: 'States.Runtime', cause: failed?.cause });
    const described = await callApi(stepwise, 'DescribeExecution', { executionArn });
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: failed?.cause });
  });

  it('logs an asynchronous Express execution given up on, with nothing to fail (nothing of it is stored)', async () => {
    const { stepwise } = await testHome();
    const executionArn = 'arn:aws:states:us-east-1:123456789012:express:m:e:00000000-0000-4000-8000-000000000001';
    const event = { kind: 'runExpress', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', name: 'e', input: '{}', startDate: Date.now() };
    const deadLetter = recordWithBody(JSON.stringify({ step: { executionArn, frameId: 'root', sequence: 0, event } }), 5);
    const { lines } = await loggedDuring(() => handleDeadLetters(stepwise, sqsEvent(deadLetter)));
    expect(lines).toContainEqual(expect.objectContaining({ level: 'ERROR', message: 'asynchronous Express execution moved to the dead-letter queue; it is not run again', executionArn, receiveCount: '5' }));
  });

  it('drops a malformed dead letter (logged) and goes on with the rest of the batch', async () => {
    const { stepwise } = await testHome();
    const { executionArn, first } = await startedWithFirstMessage(stepwise);
    const malformed = recordWithBody('<html>not a step</html>', 5);

    const { lines } = await loggedDuring(() => handleDeadLetters(stepwise, sqsEvent(malformed, first)));

    expect(lines).toContainEqual(expect.objectContaining({ level: 'WARN', message: 'dropped a dead letter that is not a step message', messageId: malformed.messageId }));
    expect((await execution(stepwise, executionArn))?.status).toBe('FAILED');
  });

  it('leaves an execution that has already ended as it ended', async () => {
    const { stepwise } = await testHome();
    const executionArn = await startExecution(stepwise, await createStateMachine(stepwise));
    const body = JSON.stringify({ step: { executionArn, frameId: 'root', sequence: 0, event: { kind: 'run' } } });
    const succeeded = await runToCompletion(stepwise, executionArn);
    const before = await historyTypes(stepwise, executionArn);

    await loggedDuring(() => handleDeadLetters(stepwise, sqsEvent(recordWithBody(body, 5))));

    expect(succeeded.status).toBe('SUCCEEDED');
    expect(await execution(stepwise, executionArn)).toEqual(succeeded);
    expect(await historyTypes(stepwise, executionArn)).toEqual(before);
  });
});

describe('SQS poller (the event source mapping, in-process) on fauxqs', () => {
  const sqs = new SQSClient({ region: 'us-east-1', credentials: dummyCredentials, endpoint: inject('sqsEndpoint') });
  afterAll(() => sqs.destroy());

  interface Delivery {
    readonly body: string;
    readonly receiveCount: string;
    readonly at: number;
  }

  /** A queue whose in-flight messages come back after one second, holding `bodies`. */
  async function queueHolding(bodies: string[]): Promise<string> {
    const { QueueUrl } = await sqs.send(new CreateQueueCommand({ QueueName: `poller-${randomUUID()}`, Attributes: { VisibilityTimeout: '1' } }));
    for (const MessageBody of bodies) await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody }));
    return QueueUrl!;
  }

  async function until(condition: () => boolean, timeoutMs: number): Promise<void> {
    for (const deadline = Date.now() + timeoutMs; !condition(); ) {
      if (Date.now() > deadline) throw new Error('timed out waiting');
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  async function messagesLeft(queueUrl: string): Promise<number> {
    const names = ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible', 'ApproximateNumberOfMessagesDelayed'] as const;
    const { Attributes } = await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: [...names] }));
    return names.reduce((sum, name) => sum + Number(Attributes?.[name] ?? 'NaN'), 0);
  }

  /** Runs a poller with `handler` until `done` holds, then a little past one more visibility timeout. */
  async function poll(queueUrl: string, handler: (event: SQSEvent, deliveries: Delivery[]) => ReturnType<ConstructorParameters<typeof SqsPoller>[2]>, done: (deliveries: Delivery[]) => boolean): Promise<Delivery[]> {
    const deliveries: Delivery[] = [];
    const poller = new SqsPoller(sqs, { queueUrl, waitTimeSeconds: 1 }, (event) => {
      for (const r of event.Records) deliveries.push({ body: r.body, receiveCount: r.attributes.ApproximateReceiveCount, at: Date.now() });
      return handler(event, deliveries);
    });
    try {
      await until(() => done(deliveries), 10_000);
      await new Promise((resolve) => setTimeout(resolve, 1500));
    } finally {
      await poller.stop();
    }
    return deliveries;
  }

  const countsOf = (deliveries: Delivery[], body: string) => deliveries.filter((d) => d.body === body).map((d) => d.receiveCount);

  it('deletes what the handler handled; a batch item failure comes back after the visibility timeout with ApproximateReceiveCount 2', async () => {
    const queueUrl = await queueHolding(['a', 'b', 'c']);

    const deliveries = await poll(
      queueUrl,
      async (event) => ({ batchItemFailures: event.Records.filter((r) => r.body === 'b' && r.attributes.ApproximateReceiveCount === '1').map((r) => ({ itemIdentifier: r.messageId })) }),
      (d) => countsOf(d, 'b').length === 2,
    );

    expect(countsOf(deliveries, 'a')).toEqual(['1']);
    expect(countsOf(deliveries, 'c')).toEqual(['1']);
    expect(countsOf(deliveries, 'b')).toEqual(['1', '2']);
    const [firstB, secondB] = deliveries.filter((d) => d.body === 'b');
    expect(secondB!.at - firstB!.at).toBeGreaterThanOrEqual(900);
    expect(await messagesLeft(queueUrl)).toBe(0);
  });

  it('leaves the whole batch to come back when the handler throws', async () => {
    const queueUrl = await queueHolding(['a', 'b', 'c']);
    vi.spyOn(process.stderr, 'write').mockImplementation(() => true);

    const deliveries = await poll(
      queueUrl,
      async (event) => {
        if (event.Records.some((r) => r.attributes.ApproximateReceiveCount === '1')) throw new Error('the function crashed');
        return { batchItemFailures: [] };
      },
      (d) => ['a', 'b', 'c'].every((body) => countsOf(d, body).includes('2')),
    );

    for (const body of ['a', 'b', 'c']) expect(countsOf(deliveries, body), body).toEqual(['1', '2']);
    expect(await messagesLeft(queueUrl)).toBe(0);
  });
});
