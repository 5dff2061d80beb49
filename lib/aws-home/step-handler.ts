import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { decodeStepBody } from '../adapters/aws/step-queue.js';
import { log } from './log.js';
import type { AwsStepwise } from './runtime.js';

/**
 * The `step` function: one step per SQS message. A message that fails is reported in
 * `batchItemFailures` (only it comes back); a malformed one is logged and dropped, never retried
 * into a crash loop; one that arrived before it was due goes back for the rest of its delay.
 */
export async function handleStepMessages(stepwise: AwsStepwise, event: SQSEvent): Promise<SQSBatchResponse> {
  const failures: SQSBatchResponse['batchItemFailures'] = [];
  const now = stepwise.api.clock.now();
  await Promise.all(
    event.Records.map(async (record) => {
      const decoded = decodeStepBody(record.body, now);
      try {
        if (decoded.kind === 'malformed') {
          log('WARN', 'dropped a step message that is not one', { messageId: record.messageId, reason: decoded.reason, body: record.body.slice(0, 256) });
        } else if (decoded.kind === 'early') {
          await stepwise.queue.resend(decoded.message, decoded.remainingMs);
        } else {
          await stepwise.engine.process(decoded.message, { redelivered: Number(record.attributes.ApproximateReceiveCount ?? '1') > 1 });
        }
      } catch (e) {
        const executionArn = decoded.kind === 'malformed' ? undefined : decoded.message.executionArn;
        log('ERROR', 'step failed; SQS will deliver it again', { messageId: record.messageId, executionArn, receiveCount: record.attributes.ApproximateReceiveCount, error: e instanceof Error ? e.stack : String(e) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}
