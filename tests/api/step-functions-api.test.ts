import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  DescribeStateMachineCommand,
  DescribeStateMachineForExecutionCommand,
  GetExecutionHistoryCommand,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  ListTagsForResourceCommand,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StopExecutionCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStateMachineCommand,
  ValidateStateMachineDefinitionCommand,
  type DescribeExecutionCommandOutput,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOTH_HOMES, errorOf } from '../support/homes.js';
import { ROLE_ARN, sfnClient, until } from '../support/sfn-client.js';

let server: { endpoint: string; stop(): Promise<void> };
let sfn: SFNClient;
let counter = 0;

const passMachine = { StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { greeting: 'hi' }, ResultPath: '$.out', End: true } } };

async function createMachine(definition: object, type: 'STANDARD' | 'EXPRESS' = 'STANDARD', name = `machine-${++counter}`): Promise<string> {
  const { stateMachineArn } = await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: ROLE_ARN, type }));
  return stateMachineArn!;
}

async function finished(executionArn: string): Promise<DescribeExecutionCommandOutput> {
  return until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING');
}


describe.each(BOTH_HOMES)('the Step Functions API (%s)', (_home, start) => {
  beforeAll(async () => {
    server = await start();
    sfn = sfnClient(server.endpoint);
  });

  afterAll(async () => {
    sfn.destroy();
    await server.stop();
  });

  describe('state machines', () => {
    it('creates, describes, lists, updates and deletes a state machine', async () => {
      const arn = await createMachine(passMachine, 'STANDARD', 'lifecycle');
      expect(arn).toBe('arn:aws:states:us-east-1:123456789012:stateMachine:lifecycle');

      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }));
      expect(described).toMatchObject({ name: 'lifecycle', status: 'ACTIVE', type: 'STANDARD', roleArn: ROLE_ARN, definition: JSON.stringify(passMachine) });
      expect(described.creationDate).toBeInstanceOf(Date);

      const listed = await sfn.send(new ListStateMachinesCommand({}));
      expect(listed.stateMachines?.map((m) => m.name)).toContain('lifecycle');

      const newDefinition = JSON.stringify({ StartAt: 'Done', States: { Done: { Type: 'Succeed' } } });
      const updated = await sfn.send(new UpdateStateMachineCommand({ stateMachineArn: arn, definition: newDefinition }));
      expect(updated.revisionId).not.toBe(described.revisionId);
      expect((await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn }))).definition).toBe(newDefinition);

      await sfn.send(new DeleteStateMachineCommand({ stateMachineArn: arn }));
      expect((await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: arn })))).name).toBe('StateMachineDoesNotExist');
    });

    it('returns the existing machine for an identical create and refuses a different one of the same name', async () => {
      const first = await createMachine(passMachine, 'STANDARD', 'twice');
      expect(await createMachine(passMachine, 'STANDARD', 'twice')).toBe(first);
      const error = await errorOf(createMachine({ StartAt: 'X', States: { X: { Type: 'Succeed' } } }, 'STANDARD', 'twice'));
      expect(error.name).toBe('StateMachineAlreadyExists');
    });

    it('rejects a definition AWS rejects with InvalidDefinition, and a bad name with InvalidName', async () => {
      const invalid = await errorOf(createMachine({ StartAt: 'Missing', States: { A: { Type: 'Pass', End: true } } }));
      expect(invalid.name).toBe('InvalidDefinition');
      expect(invalid.message).toMatch(/Missing/);
      const badName = await errorOf(createMachine(passMachine, 'STANDARD', 'has space'));
      expect(badName.name).toBe('InvalidName');
    });

    it('validates a definition without creating anything', async () => {
      const ok = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: JSON.stringify(passMachine) }));
      expect(ok.result).toBe('OK');
      const fail = await sfn.send(new ValidateStateMachineDefinitionCommand({ definition: '{"StartAt": "A", "States": {}}' }));
      expect(fail.result).toBe('FAIL');
      expect(fail.diagnostics?.length).toBeGreaterThan(0);
    });

    it('lists the variables each state references, and leaves the field out when there are none', async () => {
      const withVariables = await createMachine({
        StartAt: 'A',
        States: { A: { Type: 'Pass', Assign: { x: 1 }, Next: 'B' }, B: { Type: 'Pass', Parameters: { 'v.$': '$x' }, End: true } },
      });
      const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: withVariables }));
      expect(described.variableReferences).toEqual({ B: ['x'] });
      const plain = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: await createMachine(passMachine) }));
      expect(plain.variableReferences).toBeUndefined();
    });

    it('tags, lists and untags a state machine', async () => {
      const arn = await createMachine(passMachine);
      await sfn.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key: 'team', value: 'core' }, { key: 'env', value: 'dev' }] }));
      await sfn.send(new UntagResourceCommand({ resourceArn: arn, tagKeys: ['env'] }));
      const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: arn }));
      expect(tags).toEqual([{ key: 'team', value: 'core' }]);
    });
  });

  describe('executions', () => {
    it('runs an execution to completion and reports it as AWS does', async () => {
      const smArn = await createMachine(passMachine);
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'first', input: '{"a":1}' }));
      expect(executionArn).toBe(`${smArn.replace(':stateMachine:', ':execution:')}:first`);

      const done = await finished(executionArn!);
      expect(done).toMatchObject({ status: 'SUCCEEDED', name: 'first', input: '{"a":1}', stateMachineArn: smArn });
      expect(JSON.parse(done.output!)).toEqual({ a: 1, out: { greeting: 'hi' } });

      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded']);
      expect(events?.map((e) => e.id)).toEqual([1, 2, 3, 4]);
      expect(events?.[2]?.previousEventId).toBe(2);
      expect(events?.[1]?.stateEnteredEventDetails).toMatchObject({ name: 'Hello', input: '{"a":1}' });

      const forExecution = await sfn.send(new DescribeStateMachineForExecutionCommand({ executionArn }));
      expect(forExecution.definition).toBe(JSON.stringify(passMachine));
    });

    it('pages history, reverses it and leaves data out on request', async () => {
      const smArn = await createMachine({
        StartAt: 'A',
        States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'C' }, C: { Type: 'Pass', End: true } },
      });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, input: '{"secret":true}' }));
      await finished(executionArn!);

      const first = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3 }));
      expect(first.events?.map((e) => e.id)).toEqual([1, 2, 3]);
      const second = await sfn.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 3, nextToken: first.nextToken }));
      expect(second.events?.map((e) => e.id)).toEqual([4, 5, 6]);

      const reversed = await sfn.send(new GetExecutionHistoryCommand({ executionArn, reverseOrder: true, includeExecutionData: false }));
      expect(reversed.events?.[0]?.type).toBe('ExecutionSucceeded');
      expect(reversed.events?.at(-1)?.executionStartedEventDetails?.input).toBeUndefined();
    });

    it('treats the same name and input as the same running execution, and anything else as ExecutionAlreadyExists', async () => {
      const smArn = await createMachine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, End: true } } });
      const a = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'same', input: '{}' }));
      const b = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'same', input: '{}' }));
      expect(b.executionArn).toBe(a.executionArn);
      const other = await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'same', input: '{"x":1}' })));
      expect(other.name).toBe('ExecutionAlreadyExists');
      await sfn.send(new StopExecutionCommand({ executionArn: a.executionArn }));
    });

    it('stops a running execution with the given error and cause', async () => {
      const smArn = await createMachine({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 60, End: true } } });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn }));
      await until(() => sfn.send(new GetExecutionHistoryCommand({ executionArn })), (h) => (h.events?.length ?? 0) >= 2);
      await sfn.send(new StopExecutionCommand({ executionArn, error: 'Operator', cause: 'no longer needed' }));

      const stopped = await sfn.send(new DescribeExecutionCommand({ executionArn }));
      expect(stopped).toMatchObject({ status: 'ABORTED', error: 'Operator', cause: 'no longer needed' });
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.at(-1)).toMatchObject({ type: 'ExecutionAborted', executionAbortedEventDetails: { error: 'Operator', cause: 'no longer needed' } });
    });

    it('times the execution out after the definition-level TimeoutSeconds', async () => {
      const smArn = await createMachine({ TimeoutSeconds: 1, StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 30, End: true } } });
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn }));
      const done = await until(() => sfn.send(new DescribeExecutionCommand({ executionArn })), (d) => d.status !== 'RUNNING', 5000);
      expect(done.status).toBe('TIMED_OUT');
      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.map((e) => e.type)).toEqual(['ExecutionStarted', 'WaitStateEntered', 'ExecutionTimedOut']);
    });

    it('lists executions newest first, filtered by status and paged', async () => {
      const smArn = await createMachine(passMachine);
      for (let i = 0; i < 3; i++) await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: `run-${i}` }));
      await until(() => sfn.send(new ListExecutionsCommand({ stateMachineArn: smArn, statusFilter: 'SUCCEEDED' })), (l) => l.executions?.length === 3);

      const page1 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: smArn, maxResults: 2 }));
      expect(page1.executions?.map((e) => e.name)).toEqual(['run-2', 'run-1']);
      const page2 = await sfn.send(new ListExecutionsCommand({ stateMachineArn: smArn, maxResults: 2, nextToken: page1.nextToken }));
      expect(page2.executions?.map((e) => e.name)).toEqual(['run-0']);
      expect(page2.nextToken).toBeUndefined();
      const running = await sfn.send(new ListExecutionsCommand({ stateMachineArn: smArn, statusFilter: 'RUNNING' }));
      expect(running.executions).toEqual([]);
    });

    it('runs an EXPRESS machine synchronously and returns AWS response shape', async () => {
      const smArn = await createMachine({ StartAt: 'P', States: { P: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.a, $.b)' }, End: true } } }, 'EXPRESS');
      const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: smArn, input: '{"a":2,"b":3}' }));
      expect(result.status).toBe('SUCCEEDED');
      expect(JSON.parse(result.output!)).toEqual({ sum: 5 });
      expect(result.executionArn).toMatch(/:express:/);
      expect(result.billingDetails?.billedDurationInMilliseconds).toBeGreaterThanOrEqual(100);
    });
  });

  describe('bad input', () => {
    it('answers unknown ARNs, executions and inputs with AWS error types', async () => {
      expect((await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'not-an-arn' })))).name).toBe('InvalidArn');
      expect((await errorOf(sfn.send(new DescribeExecutionCommand({ executionArn: 'arn:aws:states:us-east-1:123456789012:execution:nope:nope' })))).name).toBe('ExecutionDoesNotExist');
      expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope' })))).name).toBe('StateMachineDoesNotExist');
      const smArn = await createMachine(passMachine);
      expect(await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, input: "{'not': 'json'" })))).toEqual({
        name: 'InvalidExecutionInput',
        message: "Invalid State Machine Execution Input: 'Unexpected character (''' (code 39)): was expecting double-quote to start field name'",
      });
      expect((await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'bad/name' })))).name).toBe('InvalidName');
      // The model's length constraint comes before anything else, even a state machine that does not exist.
      const long = 'n'.repeat(81);
      expect(await errorOf(sfn.send(new StartExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:nope', name: long })))).toEqual({
        name: 'ValidationException',
        message: `1 validation error detected: Value '${long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`,
      });
      expect((await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, name: 'n'.repeat(80) }))).executionArn).toMatch(/:n{80}$/);
      expect((await errorOf(sfn.send(new StartSyncExecutionCommand({ stateMachineArn: smArn })))).name).toBe('StateMachineTypeNotSupported');
    });

    it('answers malformed requests and unknown actions without crashing', async () => {
      const post = (target: string, body: string) =>
        fetch(server.endpoint, { method: 'POST', headers: { 'Content-Type': 'application/x-amz-json-1.0', 'X-Amz-Target': target }, body }).then(async (r) => ({ status: r.status, body: (await r.json()) as { __type: string } }));
      expect(await post('AWSStepFunctions.DescribeExecution', '{oops')).toMatchObject({ status: 400, body: { __type: expect.stringMatching(/SerializationException$/) } });
      expect(await post('AWSStepFunctions.Nope', '{}')).toMatchObject({ status: 400, body: { __type: expect.stringMatching(/UnknownOperationException$/) } });
      expect(await post('AWSStepFunctions.CreateStateMachine', '{}')).toMatchObject({ status: 400, body: { __type: expect.stringMatching(/ValidationException$/) } });
      expect(await post('AWSStepFunctions.ListStateMachines', '{"maxResults": "ten"}')).toMatchObject({ status: 400 });
      expect((await post('AWSStepFunctions.ListStateMachines', '{}')).status).toBe(200);
    });

    it('applies the restrictions AWS puts on EXPRESS machines and long page tokens', async () => {
      const express = await createMachine(passMachine, 'EXPRESS');
      expect((await errorOf(sfn.send(new ListExecutionsCommand({ stateMachineArn: express })))).name).toBe('StateMachineTypeNotSupported');
      const { executionArn } = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: express }));
      const stop = await errorOf(sfn.send(new StopExecutionCommand({ executionArn })));
      expect(stop).toEqual({ name: 'InvalidArn', message: "Invalid Arn: 'Resource type not valid in this context: express'" });
      const tooLong = await errorOf(sfn.send(new ListStateMachinesCommand({ nextToken: 'x'.repeat(1025) })));
      expect(tooLong.name).toBe('ValidationException');
      expect((await errorOf(sfn.send(new DescribeStateMachineCommand({ stateMachineArn: 'nope' })))).message).toBe("Invalid Arn: 'Invalid ARN prefix: nope'");
    });

    it('reports whether an execution could be redriven, as AWS does', async () => {
      const failing = await createMachine({ StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E' } } });
      const failed = await finished((await sfn.send(new StartExecutionCommand({ stateMachineArn: failing }))).executionArn!);
      expect(failed).toMatchObject({ status: 'FAILED', error: 'E', redriveStatus: 'REDRIVABLE' });
      const passing = await createMachine(passMachine);
      const succeeded = await finished((await sfn.send(new StartExecutionCommand({ stateMachineArn: passing }))).executionArn!);
      expect(succeeded).toMatchObject({ redriveStatus: 'NOT_REDRIVABLE', redriveStatusReason: 'Execution is SUCCEEDED and cannot be redriven' });
    });

    it('hands an unchanged input on with the text it arrived in, as AWS does', async () => {
      const smArn = await createMachine({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', End: true } } });
      const input = '{ "spaced" : [1, 2] }';
      const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn: smArn, input }));
      const done = await finished(executionArn!);

      const { events } = await sfn.send(new GetExecutionHistoryCommand({ executionArn }));
      expect(events?.[1]?.stateEnteredEventDetails?.input).toBe(input);
      expect(events?.[4]?.stateExitedEventDetails?.output).toBe(input);
      expect(done.output).toBe(input);
    });
  });
});
