import { DeleteMessageBatchCommand, ReceiveMessageCommand, type Message, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { decodeStepBody } from '../adapters/aws/step-queue.js';
import { errorText, logger } from './log.js';

export interface PollerOptions {
  readonly queueUrl: string;
  readonly queueArn?: string;
  /** Like the event source mapping's BatchSize. */
  readonly batchSize?: number;
  /** Concurrent pollers, like the mapping's concurrency. */
  readonly concurrency?: number;
  readonly waitTimeSeconds?: number;
}

/**
 * Lambda's SQS event source mapping, in-process: long-polls the queue, hands each batch to the
 * handler as an SQSEvent, deletes what succeeded and leaves the `batchItemFailures` (or the whole
 * batch, if the handler throws) to come back after the visibility timeout, as Lambda does.
 */
export class SqsPoller {
  private running = true;
  private readonly loops: Promise<void>[] = [];
  private readonly aborts = new Set<AbortController>();

  constructor(
    private readonly sqs: SQSClient,
    private readonly options: PollerOptions,
    private readonly handler: (event: SQSEvent) => Promise<SQSBatchResponse | void>,
  ) {
    for (let i = 0; i < (options.concurrency ?? 1); i++) this.loops.push(this.loop());
  }

  async stop(): Promise<void> {
    this.running = false;
    for (const abort of this.aborts) abort.abort();
    await Promise.all(this.loops);
  }

  private async loop(): Promise<void> {
    while (this.running) {
      const abort = new AbortController();
      this.aborts.add(abort);
      let messages: Message[] = [];
      try {
        const received = await this.sqs.send(
          new ReceiveMessageCommand({
            QueueUrl: this.options.queueUrl,
            MaxNumberOfMessages: this.options.batchSize ?? 10,
            WaitTimeSeconds: this.options.waitTimeSeconds ?? 20,
            MessageSystemAttributeNames: ['All'],
            AttributeNames: ['All'],
          }),
          { abortSignal: abort.signal },
        );
        messages = received.Messages ?? [];
      } catch (e) {
        if (!this.running) break;
        logger.warn('receiving from SQS failed; polling again', { queueUrl: this.options.queueUrl, error: e instanceof Error ? e.message : String(e) });
        await new Promise((resolve) => setTimeout(resolve, 500));
        continue;
      } finally {
        this.aborts.delete(abort);
      }
      if (messages.length > 0) await this.deliver(messages);
    }
  }

  private async deliver(messages: Message[]): Promise<void> {
    let failed: Set<string>;
    try {
      const response = await this.handler({ Records: messages.map((m) => sqsRecord(m, this.options.queueArn ?? this.options.queueUrl)) });
      failed = new Set((response?.batchItemFailures ?? []).map((f) => f.itemIdentifier));
    } catch (e) {
      logger.error('step handler threw; the whole batch comes back', { queueUrl: this.options.queueUrl, executionArns: executionArnsOf(messages), messageIds: messages.map((m) => m.MessageId), error: errorText(e) });
      return;
    }
    const done = messages.filter((m) => !failed.has(m.MessageId!));
    if (done.length === 0) return;
    await this.sqs.send(new DeleteMessageBatchCommand({ QueueUrl: this.options.queueUrl, Entries: done.map((m, i) => ({ Id: String(i), ReceiptHandle: m.ReceiptHandle! })) }));
  }
}

/** The executions a batch of step messages is about (a line about a whole batch names them all). */
function executionArnsOf(messages: Message[]): string[] {
  const arns = new Set<string>();
  for (const m of messages) {
    const decoded = decodeStepBody(m.Body ?? '', Number.POSITIVE_INFINITY);
    if (decoded.kind !== 'malformed') arns.add(decoded.message.executionArn);
  }
  return [...arns];
}

/** An SQS message as Lambda's event source mapping hands it to a function. */
export function sqsRecord(m: Message, eventSourceARN: string, awsRegion = process.env['AWS_REGION'] ?? 'us-east-1'): SQSRecord {
  const attributes = m.Attributes ?? {};
  return {
    messageId: m.MessageId!,
    receiptHandle: m.ReceiptHandle!,
    body: m.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'stepwise',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: {},
    md5OfBody: m.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
}
