import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { awsStepwise } from '../lib/aws-home/runtime.js';
import { handleStepMessages } from '../lib/aws-home/step-handler.js';

/** SQS-triggered (ReportBatchItemFailures): one step per message. */
export const handler = middy<SQSEvent>().handler((event: SQSEvent) => handleStepMessages(awsStepwise(), event));
