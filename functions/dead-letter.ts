import middy from '@middy/core';
import type { SQSEvent } from 'aws-lambda';
import { handleDeadLetters } from '../lib/aws-home/dead-letter-handler.js';
import { awsStepwise } from '../lib/aws-home/runtime.js';

/** The step queue's dead-letter queue: a step given up on fails its execution with States.Runtime. */
export const handler = middy<SQSEvent>().handler((event: SQSEvent) => handleDeadLetters(awsStepwise(), event));
