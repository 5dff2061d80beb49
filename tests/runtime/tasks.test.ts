import { describe, expect, it } from 'vitest';
import { MemoryActivityStore } from '../../lib/adapters/memory/activity-store.js';
import { MemoryExecutionStore } from '../../lib/adapters/memory/execution-store.js';
import { MemoryTaskTokenStore } from '../../lib/adapters/memory/task-token-store.js';
import type { Json } from '../../lib/asl/json.js';
import { Engine } from '../../lib/runtime/engine.js';
import type { OutboxEntry, StateMachineRecord, StepMessage, StepQueue, TaskInvocation, TaskOutcome } from '../../lib/runtime/ports.js';

/** A queue the test drains by hand; delayed messages wait until the test's clock reaches them. */
class ManualQueue implements StepQueue {
  readonly messages: { message: StepMessage; dueAt: number }[] = [];
  constructor(private readonly now: () => number) {}
  send(entries: readonly OutboxEntry[]): void {
    for (const { message, delayMs } of entries) this.messages.push({ message, dueAt: this.now() + (delayMs ?? 0) });
  }
}

const LAMBDA = 'arn:aws:lambda:us-east-1:123456789012:function:fn';
const ACTIVITY = 'arn:aws:states:us-east-1:123456789012:activity:work';

function setup(options: { answer?: (call: TaskInvocation) => TaskOutcome } = {}) {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const store = new MemoryExecutionStore();
  const queue = new ManualQueue(clock.now);
  const tokens = new MemoryTaskTokenStore(clock.now);
  const activities = new MemoryActivityStore();
  const calls: TaskInvocation[] = [];
  let n = 0;
  const engine = new Engine({
    store,
    queue,
    clock,
    ids: { uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`, random: () => 0.5, taskToken: () => `token-${++n}` },
    tasks: {
      invoke: async (call) => {
        calls.push(call);
        return options.answer ? options.answer(call) : { ok: true, output: { echoed: call.parameters } };
      },
    },
    tokens,
    activities,
    partition: { region: 'us-east-1', accountId: '123456789012' },
  });
  const machineOf = (name: string, definition: object): StateMachineRecord => ({
    stateMachineArn: `arn:aws:states:us-east-1:123456789012:stateMachine:${name}`,
    name,
    type: 'STANDARD',
    definition: JSON.stringify(definition),
    roleArn: 'arn:aws:iam::123456789012:role/r',
    creationDate: now,
    revisionId: 'r1',
    loggingConfiguration: { level: 'OFF' },
    tracingConfiguration: { enabled: false },
    tags: {},
  });
  /** Runs every message due by now, until none is left. */
  const drain = async () => {
    for (;;) {
      const i = queue.messages.findIndex((m) => m.dueAt <= now);
      if (i < 0) return;
      const [next] = queue.messages.splice(i, 1);
      await engine.process(next!.message);
    }
  };
  const run = async (definition: object, input: Json = {}, name = 'ex') => {
    const machine = machineOf('sm', definition);
    await store.putStateMachine(machine);
    const { execution } = await engine.start(machine, name, JSON.stringify(input));
    await drain();
    return execution.executionArn;
  };
  const history = async (arn: string) => store.history(arn);
  const types = async (arn: string) => (await history(arn)).map((e) => e.type);
  const details = async (arn: string, type: string) => (await history(arn)).find((e) => e.type === type)?.details;
  const execution = async (arn: string) => (await store.getExecution(arn))!;
  const tokenOf = async (arn: string) => {
    const scheduled = (await history(arn)).find((e) => e.type === 'TaskScheduled' || e.type === 'ActivityScheduled')!;
    const text = (scheduled.details!['parameters'] ?? scheduled.details!['input']) as string;
    return (JSON.parse(text) as { token: string }).token;
  };
  return { engine, store, queue, tokens, activities, calls, drain, run, history, types, details, execution, tokenOf, machineOf, advance: (ms: number) => (now += ms) };
}

describe('Task states', () => {
  it('calls an optimised integration and records what AWS records', async () => {
    const t = setup();
    const arn = await t.run({
      StartAt: 'Call',
      States: { Call: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Parameters: { FunctionName: 'fn', 'Payload.$': '$' }, ResultSelector: { 'got.$': '$.echoed.Payload' }, ResultPath: '$.result', End: true } },
    }, { a: 1 });
    expect(await t.types(arn)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(await t.details(arn, 'TaskScheduled')).toEqual({ resourceType: 'lambda', resource: 'invoke', region: 'us-east-1', parameters: '{"FunctionName":"fn","Payload":{"a":1}}' });
    expect(await t.details(arn, 'TaskStarted')).toEqual({ resourceType: 'lambda', resource: 'invoke' });
    expect(JSON.parse((await t.execution(arn)).output!)).toEqual({ a: 1, result: { got: { a: 1 } } });
    expect(t.calls.map((c) => [c.target.service, c.target.action, c.target.pattern])).toEqual([['lambda', 'invoke', 'requestResponse']]);
  });

  it('runs a JSONata Task: Arguments, TimeoutSeconds and Output as expressions, the token as $states.context.Task.Token', async () => {
    const t = setup({ answer: (call) => ({ ok: true, output: call.target.service === 'lambda' ? { Payload: { doubled: (call.parameters as { Payload: { n: number } }).Payload.n * 2 } } : { MessageId: 'm' } }) });
    const arn = await t.run({
      QueryLanguage: 'JSONata',
      StartAt: 'Call',
      States: {
        Call: {
          Type: 'Task',
          Resource: 'arn:aws:states:::lambda:invoke',
          Arguments: { FunctionName: 'fn', Payload: { n: '{% $states.input.n %}' } },
          TimeoutSeconds: '{% $states.input.limit %}',
          Output: '{% $states.result.Payload.doubled + 1 %}',
          Next: 'Ask',
        },
        Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Arguments: { QueueUrl: 'q', MessageBody: '{% $states.context.Task.Token %}' }, End: true },
      },
    }, { n: 20, limit: 9 });
    expect(await t.details(arn, 'TaskScheduled')).toMatchObject({ parameters: '{"FunctionName":"fn","Payload":{"n":20}}', timeoutInSeconds: 9 });
    const token = (t.calls[1]!.parameters as { MessageBody: string }).MessageBody;
    expect(token).toMatch(/^token-/);
    expect(await t.engine.tasks.answer(token, { ok: true, output: 'yes' })).toBe('ok');
    await t.drain();
    expect((await t.history(arn)).find((e) => e.type === 'TaskStateExited')?.details?.['output']).toBe('41');
    expect((await t.execution(arn)).output).toBe('"yes"');
  });

  it('records the LambdaFunction* events for a bare function ARN', async () => {
    const t = setup({ answer: () => ({ ok: true, output: 'done' }) });
    const arn = await t.run({ StartAt: 'Fn', States: { Fn: { Type: 'Task', Resource: LAMBDA, TimeoutSeconds: 30, End: true } } }, { x: true });
    expect(await t.types(arn)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    expect(await t.details(arn, 'LambdaFunctionScheduled')).toEqual({ resource: LAMBDA, input: '{"x":true}', inputDetails: { truncated: false }, timeoutInSeconds: 30 });
    expect(await t.details(arn, 'LambdaFunctionSucceeded')).toEqual({ output: '"done"', outputDetails: { truncated: false } });
  });

  it('retries a failed task, then catches it, with the error the call reported', async () => {
    const t = setup({ answer: () => ({ ok: false, error: 'CustomError', cause: 'it broke' }) });
    const arn = await t.run({
      StartAt: 'Call',
      States: {
        Call: { Type: 'Task', Resource: LAMBDA, Retry: [{ ErrorEquals: ['CustomError'], MaxAttempts: 1, IntervalSeconds: 2 }], Catch: [{ ErrorEquals: ['States.TaskFailed'], ResultPath: '$.error', Next: 'Handled' }], End: true },
        Handled: { Type: 'Pass', End: true },
      },
    });
    // The back-off is a timer: nothing happens until it is due.
    expect(t.calls).toHaveLength(1);
    t.advance(2000);
    await t.drain();
    expect(t.calls).toHaveLength(2);
    expect((await t.types(arn)).filter((type) => type === 'LambdaFunctionFailed')).toHaveLength(2);
    expect(await t.details(arn, 'LambdaFunctionFailed')).toEqual({ error: 'CustomError', cause: 'it broke' });
    expect(JSON.parse((await t.execution(arn)).output!)).toEqual({ error: { Error: 'CustomError', Cause: 'it broke' } });
  });

  it('waits for a task token, takes the first answer and tells a second one the task is over', async () => {
    const t = setup({ answer: () => ({ ok: true, output: { MessageId: 'm-1' } }) });
    const arn = await t.run({
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true } },
    });
    const token = ((t.calls[0]!.parameters as { MessageBody: { token: string } }).MessageBody).token;
    expect(token).toMatch(/^token-/);
    expect(await t.types(arn)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted']);
    expect(await t.details(arn, 'TaskSubmitted')).toEqual({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken', output: '{"MessageId":"m-1"}', outputDetails: { truncated: false } });

    expect(await t.engine.tasks.answer('no-such-token', { ok: true, output: 1 })).toBe('invalid');
    expect(await t.engine.tasks.answer(token, { ok: true, output: { approved: true } })).toBe('ok');
    expect(await t.engine.tasks.answer(token, { ok: false, error: 'Late' })).toBe('timedOut');
    await t.drain();
    expect((await t.execution(arn)).status).toBe('SUCCEEDED');
    expect((await t.execution(arn)).output).toBe('{"approved":true}');
    expect((await t.types(arn)).slice(-3)).toEqual(['TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    // The execution is over: a heartbeat for its token is too late as well.
    expect(await t.engine.tasks.heartbeat(token)).toBe('timedOut');
  });

  it('records a SendTaskFailure without error or cause as AWS does: no fields, and null for Catch', async () => {
    const t = setup();
    const arn = await t.run({
      StartAt: 'Wait',
      States: {
        Wait: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }], End: true },
        Caught: { Type: 'Pass', End: true },
      },
    });
    const token = (t.calls[0]!.parameters as { MessageBody: string }).MessageBody;
    expect(await t.engine.tasks.answer(token, { ok: false, error: '' })).toBe('ok');
    await t.drain();
    expect(await t.details(arn, 'TaskFailed')).toEqual({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken' });
    expect(JSON.parse((await t.execution(arn)).output!)).toEqual({ error: { Error: null, Cause: null } });
  });

  it('times a task out after TimeoutSeconds with States.Timeout, and refuses a late answer', async () => {
    const t = setup();
    const arn = await t.run({
      StartAt: 'Wait',
      States: { Wait: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', TimeoutSeconds: 10, Parameters: { TopicArn: 't', 'Message.$': '$$.Task.Token' }, End: true } },
    });
    const token = (t.calls[0]!.parameters as { Message: string }).Message;
    t.advance(9_999);
    await t.drain();
    expect((await t.execution(arn)).status).toBe('RUNNING');
    t.advance(1);
    await t.drain();
    expect(await t.details(arn, 'TaskTimedOut')).toEqual({ resourceType: 'sns', resource: 'publish.waitForTaskToken', error: 'States.Timeout' });
    expect((await t.execution(arn)).status).toBe('FAILED');
    expect((await t.execution(arn)).error).toBe('States.Timeout');
    expect(await t.engine.tasks.answer(token, { ok: true, output: {} })).toBe('timedOut');
  });

  it('keeps a task alive while heartbeats come, and times it out when they stop (caught as States.HeartbeatTimeout)', async () => {
    const t = setup();
    const arn = await t.run({
      StartAt: 'Wait',
      States: {
        Wait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          HeartbeatSecondsPath: '$.beat',
          Parameters: { QueueUrl: 'q', 'MessageBody.$': '$$.Task.Token' },
          Catch: [{ ErrorEquals: ['States.HeartbeatTimeout'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    }, { beat: 5 });
    expect(await t.details(arn, 'TaskScheduled')).toMatchObject({ heartbeatInSeconds: 5 });
    const token = (t.calls[0]!.parameters as { MessageBody: string }).MessageBody;
    t.advance(4_000);
    expect(await t.engine.tasks.heartbeat(token)).toBe('ok');
    t.advance(1_000); // the first deadline: a heartbeat moved it, so the timer waits again
    await t.drain();
    expect((await t.execution(arn)).status).toBe('RUNNING');
    t.advance(4_000);
    await t.drain();
    expect((await t.execution(arn)).status).toBe('SUCCEEDED');
    expect(await t.details(arn, 'TaskTimedOut')).toEqual({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken', error: 'States.Timeout' });
    expect(JSON.parse((await t.execution(arn)).output!)).toEqual({ Error: 'States.Timeout', Cause: '' });
  });

  it('hands an activity task to one worker and records its name', async () => {
    const t = setup();
    await t.activities.putActivity({ activityArn: ACTIVITY, name: 'work', creationDate: 0, tags: {} });
    const arn = await t.run({ StartAt: 'Act', States: { Act: { Type: 'Task', Resource: ACTIVITY, HeartbeatSeconds: 60, End: true } } }, { job: 7 });
    expect(await t.types(arn)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'ActivityScheduled']);
    const task = await t.engine.tasks.claimActivityTask(ACTIVITY, 'worker-1', 0);
    expect(task?.input).toBe('{"job":7}');
    expect(await t.engine.tasks.claimActivityTask(ACTIVITY, 'worker-2', 0)).toBeUndefined();
    await t.drain();
    expect(await t.details(arn, 'ActivityStarted')).toEqual({ workerName: 'worker-1' });
    expect(await t.engine.tasks.answer(task!.token, { ok: false, error: 'Bad', cause: 'input' })).toBe('ok');
    await t.drain();
    expect((await t.types(arn)).slice(-2)).toEqual(['ActivityFailed', 'ExecutionFailed']);
    expect(await t.details(arn, 'ActivityFailed')).toEqual({ error: 'Bad', cause: 'input' });
  });

  it('fails with States.Runtime when the activity does not exist', async () => {
    const t = setup();
    const arn = await t.run({ StartAt: 'Act', States: { Act: { Type: 'Task', Resource: ACTIVITY, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Never' }], End: true }, Never: { Type: 'Pass', End: true } } });
    expect((await t.types(arn)).slice(-2)).toEqual(['ActivityScheduleFailed', 'ExecutionFailed']);
    expect((await t.execution(arn)).error).toBe('States.Runtime');
  });

  it('skips an activity task whose state timed out before a worker came', async () => {
    const t = setup();
    await t.activities.putActivity({ activityArn: ACTIVITY, name: 'work', creationDate: 0, tags: {} });
    const arn = await t.run({ StartAt: 'Act', States: { Act: { Type: 'Task', Resource: ACTIVITY, TimeoutSeconds: 1, End: true } } });
    t.advance(1_000);
    await t.drain();
    expect((await t.types(arn)).slice(-2)).toEqual(['ActivityTimedOut', 'ExecutionFailed']);
    expect(await t.engine.tasks.claimActivityTask(ACTIVITY, 'late', 0)).toBeUndefined();
  });

  it('runs a child execution for states:startExecution.sync and reports it as DescribeExecution does', async () => {
    const t = setup();
    const child = t.machineOf('child', { StartAt: 'P', States: { P: { Type: 'Pass', Result: { r: 1 }, End: true } } });
    const failing = t.machineOf('failing', { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'Nope', Cause: 'child failed' } } });
    await t.store.putStateMachine(child);
    await t.store.putStateMachine(failing);
    const arn = await t.run({
      StartAt: 'Sync2',
      States: {
        Sync2: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: child.stateMachineArn, Input: { in: 1 }, Name: 'c1' }, ResultSelector: { 'out.$': '$.Output', 'status.$': '$.Status' }, Next: 'Sync' },
        Sync: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: failing.stateMachineArn }, Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Done' }], End: true },
        Done: { Type: 'Pass', End: true },
      },
    });
    const history = await t.history(arn);
    expect(history.filter((e) => e.type.startsWith('Task') && !e.type.includes('State')).map((e) => e.type)).toEqual([
      'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskFailed',
    ]);
    const succeeded = history.find((e) => e.type === 'TaskSucceeded')!.details!;
    expect(succeeded['resource']).toBe('startExecution.sync:2');
    expect(JSON.parse(succeeded['output'] as string)).toMatchObject({ ExecutionArn: 'arn:aws:states:us-east-1:123456789012:execution:child:c1', Input: { in: 1 }, Output: { r: 1 }, Status: 'SUCCEEDED', InputDetails: { Included: true } });
    const failed = history.find((e) => e.type === 'TaskFailed')!.details!;
    expect(failed['error']).toBe('States.TaskFailed');
    expect(JSON.parse(failed['cause'] as string)).toMatchObject({ Error: 'Nope', Cause: 'child failed', Status: 'FAILED', Input: '{}' });
    expect((await t.execution(arn)).status).toBe('SUCCEEDED');
  });

  it("answers a .sync parent even when the child's last step died between its commit and its send", async () => {
    const t = setup();
    const child = t.machineOf('child', { StartAt: 'P', States: { P: { Type: 'Pass', Result: 'child done', End: true } } });
    await t.store.putStateMachine(child);
    const parentMachine = t.machineOf('parent', { StartAt: 'Run', States: { Run: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync', Parameters: { StateMachineArn: child.stateMachineArn, Name: 'c' }, OutputPath: '$.Output', End: true } } });
    await t.store.putStateMachine(parentMachine);
    const { execution } = await t.engine.start(parentMachine, 'p', '{}');
    // The queue refuses the child's answer to its parent once: the step that sent it fails after its commit.
    const send = t.queue.send.bind(t.queue);
    let refused = 0;
    t.queue.send = (entries) => {
      if (refused === 0 && entries.some((e) => e.message.executionArn === execution.executionArn && e.message.event.kind === 'taskSucceeded')) {
        refused++;
        throw new Error('SQS unavailable');
      }
      send(entries);
    };
    let failed: StepMessage | undefined;
    while (t.queue.messages.length > 0) {
      const { message } = t.queue.messages.shift()!;
      try {
        await t.engine.process(message);
      } catch {
        failed = message;
      }
    }
    expect(refused).toBe(1);
    expect((await t.execution(execution.executionArn)).status).toBe('RUNNING');
    // SQS delivers the failed message again.
    await t.engine.process(failed!, { redelivered: true });
    await t.drain();
    expect((await t.execution(execution.executionArn)).status).toBe('SUCCEEDED');
    expect((await t.execution(execution.executionArn)).output).toBe('"\\"child done\\""');
  });

  it('hands a task out once even when its dispatch message arrives twice', async () => {
    const t = setup();
    const machine = t.machineOf('sm', { StartAt: 'Call', States: { Call: { Type: 'Task', Resource: LAMBDA, End: true } } });
    const { execution } = await t.engine.start(machine, 'ex', '{}');
    // The first step (the execution's deadline timer, sent with it, is not due).
    await t.engine.process(t.queue.messages.find((m) => m.message.event.kind === 'run')!.message);
    const dispatch = t.queue.messages.find((m) => m.message.event.kind === 'invokeTask')!.message;
    await t.drain();
    await t.engine.process(dispatch);
    expect(t.calls).toHaveLength(1);
    expect((await t.execution(execution.executionArn)).status).toBe('SUCCEEDED');
  });

  it('fails with States.DataLimitExceeded past every Catch when a result exceeds 256 KiB', async () => {
    const t = setup({ answer: () => ({ ok: true, output: 'x'.repeat(256 * 1024) }) });
    const arn = await t.run({ StartAt: 'Big', States: { Big: { Type: 'Task', Resource: LAMBDA, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Never' }], End: true }, Never: { Type: 'Pass', End: true } } });
    expect((await t.execution(arn)).error).toBe('States.DataLimitExceeded');
    expect((await t.types(arn)).at(-1)).toBe('ExecutionFailed');
  });
});

