import { SendMessageBatchCommand, type SendMessageBatchRequestEntry, type SQSClient } from '@aws-sdk/client-sqs';
import type { Clock, OutboxEntry, StepMessage, StepQueue } from '../../runtime/ports.js';

/** SQS delays a message by at most 15 minutes: longer waits hop, carrying when they are due. */
export const MAX_SQS_DELAY_SECONDS = 900;

/** A step message on the wire: the message, and when it is due (epoch ms) if it was sent delayed. */
interface StepBody {
  readonly step: StepMessage;
  readonly dueAt?: number;
}

export type DecodedStepBody = { kind: 'step'; message: StepMessage } | { kind: 'early'; message: StepMessage; remainingMs: number } | { kind: 'malformed'; reason: string };

/** Where step messages go: every message to `stepQueueUrl`, but a Task's call to `taskQueueUrl` where there is one. */
export interface StepQueueUrls {
  readonly stepQueueUrl: string;
  /**
   * The queue of messages that may take minutes to handle (a Task's Lambda function or service request,
   * an asynchronous Express execution run whole): its consumer may run as long as a Lambda function
   * (15 minutes), where the step queue's consumer is short.
   */
  readonly taskQueueUrl?: string;
}

/**
 * The StepQueue on SQS. Sends in order, ten to a batch (a run of messages to one queue at a time), and
 * throws unless SQS accepted every entry (the engine then leaves the message it was working on to be
 * delivered again, and re-sends).
 */
export class SqsStepQueue implements StepQueue {
  constructor(
    private readonly sqs: SQSClient,
    private readonly urls: StepQueueUrls,
    private readonly clock: Clock,
  ) {}

  async send(entries: readonly OutboxEntry[]): Promise<void> {
    const now = this.clock.now();
    let batch: SendMessageBatchRequestEntry[] = [];
    let batchUrl = '';
    for (const entry of entries) {
      const url = this.queueUrlOf(entry.message);
      if (batch.length === 10 || (batch.length > 0 && url !== batchUrl)) {
        await this.sendBatch(batchUrl, batch);
        batch = [];
      }
      batchUrl = url;
      batch.push(encode(`${batch.length}`, entry.message, entry.delayMs ?? 0, now));
    }
    if (batch.length > 0) await this.sendBatch(batchUrl, batch);
  }

  /** A Task's call and an asynchronous Express execution (run whole) may take minutes: the task queue's. */
  private queueUrlOf(message: StepMessage): string {
    const long = message.event.kind === 'invokeTask' || message.event.kind === 'runExpress';
    return long && this.urls.taskQueueUrl !== undefined ? this.urls.taskQueueUrl : this.urls.stepQueueUrl;
  }

  private async sendBatch(queueUrl: string, batch: SendMessageBatchRequestEntry[]): Promise<void> {
    const result = await this.sqs.send(new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: batch }));
    const failed = result.Failed ?? [];
    if (failed.length > 0) throw new Error(`SQS refused ${failed.length} step message(s): ${failed.map((f) => `${f.Code}: ${f.Message ?? ''}`).join('; ')}`);
  }

  /** Sends a message that arrived before it was due back for the rest of its delay. */
  async resend(message: StepMessage, remainingMs: number): Promise<void> {
    await this.send([{ message, delayMs: remainingMs }]);
  }
}

function encode(id: string, message: StepMessage, delayMs: number, now: number): SendMessageBatchRequestEntry {
  if (delayMs <= 0) return { Id: id, MessageBody: JSON.stringify({ step: message } satisfies StepBody) };
  // Rounded up: a timer fires at most a second late, never early.
  const delaySeconds = Math.min(MAX_SQS_DELAY_SECONDS, Math.ceil(delayMs / 1000));
  return { Id: id, MessageBody: JSON.stringify({ step: message, dueAt: now + delayMs } satisfies StepBody), DelaySeconds: delaySeconds };
}

/** Reads an SQS body; what is not a step message is reported, never thrown. */
export function decodeStepBody(body: string, now: number): DecodedStepBody {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'malformed', reason: 'the body is not JSON' };
  }
  const step = (parsed as { step?: unknown } | null)?.step as Partial<StepMessage> | undefined;
  if (typeof step !== 'object' || step === null || typeof step.executionArn !== 'string' || typeof step.frameId !== 'string' || typeof step.sequence !== 'number' || typeof step.event?.kind !== 'string') {
    return { kind: 'malformed', reason: 'the body is not a step message' };
  }
  const message = step as StepMessage;
  const dueAt = (parsed as StepBody).dueAt;
  // Within 50 ms counts as due: SQS's own clock and ours differ by that much.
  if (typeof dueAt === 'number' && dueAt - now > 50) return { kind: 'early', message, remainingMs: dueAt - now };
  return { kind: 'step', message };
}
