import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { describe, expect, it } from 'vitest';
import { decodeStepBody, SqsStepQueue } from '../../../lib/adapters/aws/step-queue.js';
import type { OutboxEntry, StepMessage } from '../../../lib/runtime/ports.js';
import { emulatorClients, freshQueues } from '../../support/aws.js';

const clients = emulatorClients();
const clock = { now: () => Date.UTC(2026, 11, 4) };

const step = (frameId: string): OutboxEntry => ({ message: { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', frameId, sequence: 1, event: { kind: 'run' } } });
const express: OutboxEntry = { message: { executionArn: 'arn:aws:states:us-east-1:123456789012:express:m:e:1', frameId: 'root', sequence: -1, event: { kind: 'runExpress', stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', name: 'e', input: '{}', startDate: 0 } } };
const call = (taskId: number): OutboxEntry => ({ message: { executionArn: 'arn:aws:states:us-east-1:123456789012:execution:m:e', frameId: 'root', sequence: -1, event: { kind: 'invokeTask', taskId } } });

/** Everything a queue holds, in the order received (fauxqs hands out a standard queue's messages in order). */
async function drain(queueUrl: string): Promise<StepMessage[]> {
  const messages: StepMessage[] = [];
  for (;;) {
    const { Messages = [] } = await clients.sqs.send(new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }));
    if (Messages.length === 0) return messages;
    for (const m of Messages) {
      const decoded = decodeStepBody(m.Body!, clock.now());
      if (decoded.kind !== 'step') throw new Error(`unexpected ${decoded.kind}`);
      messages.push(decoded.message);
    }
  }
}

describe('SqsStepQueue (fauxqs)', () => {
  it("sends a Task's call and an asynchronous Express run to the task queue and every other message to the step queue, each in order, past ten a batch", async () => {
    const queues = await freshQueues(clients);
    const queue = new SqsStepQueue(clients.sqs, queues, clock);
    const steps = Array.from({ length: 12 }, (_, i) => step(`f${i}`));
    await queue.send([call(1), steps[0]!, call(2), ...steps.slice(1), express, call(3)]);

    expect((await drain(queues.taskQueueUrl)).map((m) => m.event.kind === 'invokeTask' ? m.event.taskId : m.event.kind)).toEqual([1, 2, 'runExpress', 3]);
    expect((await drain(queues.stepQueueUrl)).map((m) => m.frameId)).toEqual(steps.map((s) => s.message.frameId));
  });

  it('sends everything to the step queue when there is no task queue', async () => {
    const queues = await freshQueues(clients);
    const queue = new SqsStepQueue(clients.sqs, { stepQueueUrl: queues.stepQueueUrl }, clock);
    await queue.send([step('a'), call(7)]);

    expect((await drain(queues.stepQueueUrl)).map((m) => m.event.kind)).toEqual(['run', 'invokeTask']);
    expect(await drain(queues.taskQueueUrl)).toEqual([]);
  });
});
