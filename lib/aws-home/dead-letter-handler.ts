import type { SQSEvent } from 'aws-lambda';
import { States } from '../asl/errors.js';
import { decodeStepBody } from '../adapters/aws/step-queue.js';
import { logger } from './log.js';
import type { AwsStepwise } from './runtime.js';

/**
 * The dead-letter queue's consumer: a step SQS gave up on fails its execution with States.Runtime,
 * so that it ends visibly (DescribeExecution, history, status event) instead of hanging in RUNNING.
 */
export async function handleDeadLetters(stepwise: AwsStepwise, event: SQSEvent): Promise<void> {
  for (const record of event.Records) {
    const decoded = decodeStepBody(record.body, Number.POSITIVE_INFINITY);
    if (decoded.kind === 'malformed') {
      logger.warn('dropped a dead letter that is not a step message', { messageId: record.messageId, reason: decoded.reason });
      continue;
    }
    const { executionArn, frameId } = decoded.message;
    if (decoded.message.event.kind === 'runExpress') {
      // Nothing of an Express execution is stored, so there is nothing to fail: say so, and drop it.
      logger.error('asynchronous Express execution moved to the dead-letter queue; it is not run again', { executionArn, messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount });
      continue;
    }
    logger.error('step message moved to the dead-letter queue; failing its execution', { executionArn, frameId, messageId: record.messageId, receiveCount: record.attributes.ApproximateReceiveCount });
    await stepwise.engine.fail(executionArn, States.Runtime, `Stepwise could not run a step of this execution (frame '${frameId}'): its message failed ${record.attributes.ApproximateReceiveCount ?? 'too many'} times and was moved to the dead-letter queue.`);
  }
}
