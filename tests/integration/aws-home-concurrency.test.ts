import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand, type HistoryEvent } from '@aws-sdk/client-sfn';
import type { SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SqsPoller } from '../../lib/aws-home/sqs-poller.js';
import { handleStepMessages } from '../../lib/aws-home/step-handler.js';
import { startAwsHome } from '../support/aws.js';
import { FAULT_MACHINES } from '../support/fault-machines.js';
import { sfnClient } from '../support/sfn-client.js';
import { startLocalServer } from '../support/local-server.js';

/** Parallel branches, a Map whose iterations wait, a Wait beside them. */
const FAN_OUT = FAULT_MACHINES.fanOut;
const EXECUTIONS = 200;

async function historyOf(client: ReturnType<typeof sfnClient>, executionArn: string): Promise<HistoryEvent[]> {
  const events: HistoryEvent[] = [];
  let nextToken: string | undefined;
  do {
    const page = await client.send(new GetExecutionHistoryCommand({ executionArn, nextToken, maxResults: 1000 }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

describe(`the AWS home over the emulators: ${EXECUTIONS} concurrent executions, every message delivered twice`, () => {
  let home: Awaited<ReturnType<typeof startAwsHome>>;
  let poller: SqsPoller;
  let reference: { types: string[]; output: string | undefined };

  beforeAll(async () => {
    // What the local home records for one execution: the reference every history is checked against.
    const local = await startLocalServer();
    const client = sfnClient(local.endpoint);
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'fan', definition: JSON.stringify(FAN_OUT), roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const { executionArn } = await client.send(new StartExecutionCommand({ stateMachineArn, input: '{}' }));
    let described;
    do described = await client.send(new DescribeExecutionCommand({ executionArn }));
    while (described.status === 'RUNNING');
    reference = { types: (await historyOf(client, executionArn!)).map((e) => e.type!).sort(), output: described.output };
    await local.stop();

    home = await startAwsHome({ pollers: 0 });
    // Every message is sent twice and every batch handed to two step handlers at once: SQS's
    // at-least-once delivery at its worst, with the copies racing each other.
    const queue = home.home.stepwise.queue;
    const send = queue.send.bind(queue);
    queue.send = async (entries) => {
      await send([...entries, ...entries]);
    };
    const stepwise = home.home.stepwise;
    poller = new SqsPoller(stepwise.clients.sqs, { queueUrl: home.home.queues.stepQueueUrl, batchSize: 10, concurrency: 8, waitTimeSeconds: 1 }, async (event: SQSEvent) => {
      const [a, b] = await Promise.all([handleStepMessages(stepwise, event), handleStepMessages(stepwise, event)]);
      return { batchItemFailures: [...a.batchItemFailures, ...b.batchItemFailures] };
    });
  }, 120_000);

  afterAll(async () => {
    await poller?.stop();
    await home?.stop();
  });

  it('completes every execution with a history and output equal to the local home\'s', async () => {
    const client = sfnClient(home.endpoint);
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'fan', definition: JSON.stringify(FAN_OUT), roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const arns = await Promise.all(
      Array.from({ length: EXECUTIONS }, async (_, i) => (await client.send(new StartExecutionCommand({ stateMachineArn, name: `run-${i}`, input: '{}' }))).executionArn!),
    );

    const deadline = Date.now() + 240_000;
    const pending = new Set(arns);
    while (pending.size > 0 && Date.now() < deadline) {
      for (const arn of [...pending]) {
        const { status } = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
        if (status !== 'RUNNING') pending.delete(arn);
      }
      if (pending.size > 0) await new Promise((resolve) => setTimeout(resolve, 500));
    }
    expect(pending.size, `${pending.size} executions still RUNNING`).toBe(0);

    const checked = await Promise.all(
      arns.map(async (arn) => {
        const described = await client.send(new DescribeExecutionCommand({ executionArn: arn }));
        const history = await historyOf(client, arn);
        return { arn, status: described.status, output: described.output, history };
      }),
    );
    for (const { arn, status, output, history } of checked) {
      expect(status, arn).toBe('SUCCEEDED');
      expect(output).toBe(reference.output);
      expect(history.map((e) => e.id)).toEqual(history.map((_, i) => i + 1));
      for (const event of history) expect(event.previousEventId!).toBeLessThan(event.id!);
      expect(history.map((e) => e.type!).sort()).toEqual(reference.types);
    }
  }, 300_000);
});
