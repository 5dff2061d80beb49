import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { handleStartEvent } from '../lib/aws-home/event-handler.js';
import { logger } from '../lib/aws-home/log.js';
import { awsStepwise } from '../lib/aws-home/runtime.js';

/** An EventBridge rule's target: starts an execution with the event as its input. */
export const handler = middy<EventBridgeEvent<string, unknown>>()
  .use(injectLambdaContext(logger))
  .handler((event: EventBridgeEvent<string, unknown>) => handleStartEvent(awsStepwise(), event));
