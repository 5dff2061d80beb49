import middy from '@middy/core';
import type { EventBridgeEvent } from 'aws-lambda';
import { handleStartEvent } from '../lib/aws-home/event-handler.js';
import { awsStepwise } from '../lib/aws-home/runtime.js';

/** An EventBridge rule's target: starts an execution with the event as its input. */
export const handler = middy<EventBridgeEvent<string, unknown>>().handler((event: EventBridgeEvent<string, unknown>) => handleStartEvent(awsStepwise(), event));
