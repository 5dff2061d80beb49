import { SendTaskSuccessCommand, type SFNClient } from '@aws-sdk/client-sfn';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main as activityWorker } from '../../examples/activity-worker/run.mjs';
import { approvalCommands } from '../../examples/human-approval/request-approval.mjs';
import { main as humanApproval, SAMPLE_REQUEST } from '../../examples/human-approval/run.mjs';
import { main as lambdaTask } from '../../examples/lambda-task/run.mjs';
import { loadIntegrationsConfig } from '../../lib/integrations/config.js';
import { createTaskInvoker, type IntegrationsTaskInvoker } from '../../lib/integrations/invoker.js';
import { startLocalServer } from '../support/local-server.js';
import { sfnClient } from '../support/sfn-client.js';

/**
 * The examples in examples/, each run through its `main` against the local server as `npm start`
 * runs it: the root stepwise.config.json's functions (MyFunction, RequestApproval) run in-process.
 */
describe('examples against the local server', () => {
  let server: { endpoint: string; stop(): Promise<void> };
  let tasks: IntegrationsTaskInvoker;
  let sfn: SFNClient;

  beforeAll(async () => {
    const config = loadIntegrationsConfig(resolve('stepwise.config.json'));
    tasks = createTaskInvoker({ config, region: 'us-east-1' });
    server = await startLocalServer({ tasks, activityPollMs: 1000 });
    sfn = sfnClient(server.endpoint);
  });
  afterAll(async () => {
    sfn?.destroy();
    await server?.stop();
    tasks?.close();
  });

  /** Collects what an example prints. */
  function recorder() {
    const lines: Record<string, unknown>[] = [];
    return { lines, log: (line: Record<string, unknown>) => void lines.push(line) };
  }

  describe('lambda-task', () => {
    it('prices the sample order with MyFunction and keeps the fields the ResultSelector picks', async () => {
      const { lines, log } = recorder();
      const result = await lambdaTask({ endpoint: server.endpoint, log });
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toEqual({
        orderId: 'order-1001',
        message: 'Hello Ada, your order order-1001 of 5 items comes to 28.60 USD.',
        itemCount: 5,
        total: 28.6,
        currency: 'USD',
        pricedBy: 'MyFunction',
      });
      expect(lines.map((l) => l['event'])).toEqual(['started', 'finished']);
      expect(lines[1]).toMatchObject({ status: 'SUCCEEDED', output: result.output });
    });

    it('reuses its state machine (same name, same definition) and prices another order', async () => {
      const { log } = recorder();
      const first = await lambdaTask({ endpoint: server.endpoint, log });
      const order = { orderId: 'order-7', customer: 'Grace', currency: 'EUR', items: [{ sku: 'tea', quantity: 3, unitPrice: 0.1 }] };
      const second = await lambdaTask({ endpoint: server.endpoint, input: order, log });
      expect(second.stateMachineArn).toBe(first.stateMachineArn);
      expect(second.output).toEqual({
        orderId: 'order-7',
        message: 'Hello Grace, your order order-7 of 3 items comes to 0.30 EUR.',
        itemCount: 3,
        total: 0.3,
        currency: 'EUR',
        pricedBy: 'MyFunction',
      });
    });

    it("fails with the function's error for an order it refuses", async () => {
      const { log } = recorder();
      const result = await lambdaTask({ endpoint: server.endpoint, input: { orderId: 'order-0', customer: 'Nobody', items: [] }, log });
      expect(result.status).toBe('FAILED');
      expect(result.error).toBe('InvalidOrder');
      expect(JSON.parse(result.cause ?? '{}')).toMatchObject({ errorType: 'InvalidOrder', errorMessage: 'an order needs an orderId and at least one item' });
    });
  });

  describe('human-approval', () => {
    it('--approve: SendTaskSuccess {"approved": true} ends in Approved', async () => {
      const { lines, log } = recorder();
      const result = await humanApproval({ endpoint: server.endpoint, approve: true, log });
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toEqual({
        decision: 'APPROVED',
        request: SAMPLE_REQUEST,
        answer: { approved: true, approver: 'run.mjs --approve', comment: 'Looks good.' },
      });
      // The token it printed is the one the approver's command carries.
      const waiting = lines.find((l) => l['event'] === 'waiting for approval');
      const token = result.taskToken ?? '';
      expect(token).toMatch(/^AQ[\w-]{64}$/);
      expect(waiting?.['taskToken']).toBe(token);
      const tokenArgument = `--task-token ${token}`;
      expect(waiting?.['approve']).toBe(`aws stepfunctions send-task-success --endpoint-url ${server.endpoint} ${tokenArgument} --task-output '{"approved":true}'`);
      expect(waiting?.['reject']).toBe(`aws stepfunctions send-task-failure --endpoint-url ${server.endpoint} ${tokenArgument} --error Rejected --cause 'Not approved'`);
      expect(lines.map((l) => l['event'])).toEqual(['started', 'waiting for approval', 'answered', 'finished']);
    });

    it("prints commands the aws CLI parses, whatever the token's characters", () => {
      const endpoint = 'http://127.0.0.1:8083';
      expect(approvalCommands(endpoint, 'AQCEAAAAKgAAAAMAAAAA+/=').approve).toBe(
        `aws stepfunctions send-task-success --endpoint-url ${endpoint} --task-token AQCEAAAAKgAAAAMAAAAA+/= --task-output '{"approved":true}'`,
      );
      expect(approvalCommands(endpoint, "it's").approve).toContain(`--task-token 'it'\\''s'`);
    });

    it('--reject: SendTaskFailure (error Rejected) is caught and ends in Rejected with the cause', async () => {
      const { log } = recorder();
      const input = { requestId: 'expense-43', requester: 'Linus', description: 'A second monitor', amount: 300, currency: 'USD' };
      const result = await humanApproval({ endpoint: server.endpoint, input, reject: true, comment: 'Not this month.', log });
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toEqual({ decision: 'REJECTED', request: input, answer: { approved: false, comment: 'Not this month.' } });
    });

    it('a person answering {"approved": false} with the printed token: the Choice sends it to Rejected', async () => {
      const answers: Promise<unknown>[] = [];
      const log = (line: Record<string, unknown>) => {
        if (line['event'] !== 'waiting for approval') return;
        const taskToken = String(line['taskToken']);
        answers.push(sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify({ approved: false, comment: 'Too expensive.' }) })));
      };
      const result = await humanApproval({ endpoint: server.endpoint, log });
      await Promise.all(answers);
      expect(answers).toHaveLength(1);
      expect(result.status).toBe('SUCCEEDED');
      expect(result.output).toEqual({ decision: 'REJECTED', request: SAMPLE_REQUEST, answer: { approved: false, comment: 'Too expensive.' } });
    });

    it('nobody answering: States.Timeout is caught and the execution fails with ApprovalTimedOut', async () => {
      const { log } = recorder();
      const result = await humanApproval({ endpoint: server.endpoint, timeoutSeconds: 1, log });
      expect(result).toMatchObject({ status: 'FAILED', error: 'ApprovalTimedOut', cause: 'Nobody answered the approval request in time.' });
      // human-approval-example exists (the tests above) with TimeoutSeconds 3600: this definition, which
      // differs, gets a state machine of its own under a suffixed name rather than StateMachineAlreadyExists.
      expect(result.stateMachineArn).toMatch(/:stateMachine:human-approval-example-\d+$/);
    });
  });

  describe('activity-worker', () => {
    it('two workers take the three jobs: two results and one SendTaskFailure, with heartbeats on the slow one', async () => {
      const { lines, log } = recorder();
      const result = await activityWorker({ endpoint: server.endpoint, heartbeatMs: 250, log });
      expect(result.activityArn).toBe('arn:aws:states:us-east-1:123456789012:activity:word-count-example');
      const [job1, job2, job3] = result.executions;
      expect(job1).toMatchObject({ status: 'SUCCEEDED' });
      expect(job1?.output).toEqual({
        jobId: 'job-1',
        words: 9,
        distinctWords: 8,
        characters: 43,
        longestWord: 'quick',
        mostFrequent: { word: 'the', count: 2 },
        worker: expect.stringMatching(/^worker-[12]$/),
      });
      expect(job2).toMatchObject({ status: 'SUCCEEDED' });
      expect(job2?.output).toEqual({
        jobId: 'job-2',
        words: 10,
        distinctWords: 8,
        characters: 41,
        longestWord: 'question',
        mostFrequent: { word: 'to', count: 2 },
        worker: expect.stringMatching(/^worker-[12]$/),
      });
      expect(job3).toMatchObject({ status: 'FAILED', error: 'InvalidJob', cause: 'job-3: "text" must be a string' });
      expect(result.executions).toHaveLength(3);

      // Every job handed out once, and the workers stopped when the executions had ended.
      expect(result.workers.map((w) => w.workerName)).toEqual(['worker-1', 'worker-2']);
      expect(result.workers.reduce((n, w) => n + w.tasks, 0)).toBe(3);
      expect(result.workers.reduce((n, w) => n + w.succeeded, 0)).toBe(2);
      expect(result.workers.reduce((n, w) => n + w.failed, 0)).toBe(1);
      expect(lines.filter((l) => l['event'] === 'worker stopped')).toHaveLength(2);
      // job-2 works for 1.5 s: heartbeats every 250 ms went out and were accepted.
      const heartbeats = lines.filter((l) => l['event'] === 'heartbeat' && l['jobId'] === 'job-2');
      expect(heartbeats.length).toBeGreaterThanOrEqual(3);
      expect(lines.filter((l) => l['event'] === 'heartbeat failed')).toEqual([]);
    });

    it('runs again on the same activity and state machine (CreateActivity and CreateStateMachine are idempotent)', async () => {
      const { log } = recorder();
      const jobs = [{ jobId: 'again', text: 'hello hello world' }];
      const first = await activityWorker({ endpoint: server.endpoint, jobs, workers: 1, log });
      const second = await activityWorker({ endpoint: server.endpoint, jobs, workers: 1, log });
      expect(second.activityArn).toBe(first.activityArn);
      expect(second.stateMachineArn).toBe(first.stateMachineArn);
      expect(second.executions.map((e) => e.output)).toEqual([
        { jobId: 'again', words: 3, distinctWords: 2, characters: 17, longestWord: 'hello', mostFrequent: { word: 'hello', count: 2 }, worker: 'worker-1' },
      ]);
    });
  });
});
