import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { logger } from '../lib/aws-home/log.js';
import { awsStepwise } from '../lib/aws-home/runtime.js';
import { handleStepMessages } from '../lib/aws-home/step-handler.js';

/** SQS-triggered (ReportBatchItemFailures): one step per message. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler((event: SQSEvent) => handleStepMessages(awsStepwise(), event));
