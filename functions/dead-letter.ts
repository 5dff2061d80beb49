import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { handleDeadLetters } from '../lib/aws-home/dead-letter-handler.js';
import { logger } from '../lib/aws-home/log.js';
import { awsStepwise } from '../lib/aws-home/runtime.js';

/** The step queue's dead-letter queue: a step given up on fails its execution with States.Runtime. */
export const handler = middy<SQSEvent>()
  .use(injectLambdaContext(logger))
  .handler((event: SQSEvent) => handleDeadLetters(awsStepwise(), event));
