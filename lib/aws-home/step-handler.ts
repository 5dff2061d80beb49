import type { SQSBatchResponse, SQSEvent } from 'aws-lambda';
import { decodeStepBody } from '../adapters/aws/step-queue.js';
import { errorText, logger } from './log.js';
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
          logger.warn('dropped a step message that is not one', { messageId: record.messageId, reason: decoded.reason, body: record.body.slice(0, 256) });
        } else if (decoded.kind === 'early') {
          // A timer still hopping (SQS delays 15 minutes at most) stops once its execution has ended:
          // every execution has one, its one-year maximum at the latest.
          if ((await stepwise.api.store.getExecution(decoded.message.executionArn))?.status === 'RUNNING') await stepwise.queue.resend(decoded.message, decoded.remainingMs);
        } else if (decoded.message.event.kind === 'runExpress') {
          // An asynchronous Express execution, run whole in this invocation; delivered again (this
          // invocation died), it runs again from the start: at least once, as AWS documents it.
          await stepwise.express.handle({ ...decoded.message, event: decoded.message.event });
        } else {
          await stepwise.engine.process(decoded.message, { redelivered: Number(record.attributes.ApproximateReceiveCount ?? '1') > 1 });
        }
      } catch (e) {
        const { executionArn, frameId } = decoded.kind === 'malformed' ? { executionArn: undefined, frameId: undefined } : decoded.message;
        logger.error('step failed; SQS will deliver it again', { executionArn, frameId, messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount, error: errorText(e) });
        failures.push({ itemIdentifier: record.messageId });
      }
    }),
  );
  return { batchItemFailures: failures };
}
