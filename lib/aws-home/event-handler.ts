import type { EventBridgeEvent } from 'aws-lambda';
import { dispatchApiRequest } from '../api/dispatch.js';
import { logger } from './log.js';
import type { AwsStepwise } from './runtime.js';

/**
 * What the `start-from-event` function receives: the EventBridge event itself (the state machine
 * then comes from STEPWISE_TARGET_STATE_MACHINE_ARN), or, through the rule target's input
 * transformer, `{"stateMachineArn": "…", "input": <aws.events.event>}`.
 */
type StartEvent = EventBridgeEvent<string, unknown> | { stateMachineArn: string; input: unknown };

/**
 * Starts one execution per event, named by the event's id: EventBridge delivers at least once, and
 * StartExecution with the same name and input is the same execution, so a redelivery starts nothing.
 * An event no state machine is named for is logged and dropped (a throw would only be retried).
 */
export async function handleStartEvent(stepwise: AwsStepwise, event: StartEvent, env: NodeJS.ProcessEnv = process.env): Promise<{ executionArn?: string; error?: string }> {
  const explicit = 'stateMachineArn' in event && typeof event.stateMachineArn === 'string';
  const stateMachineArn = explicit ? event.stateMachineArn : env['STEPWISE_TARGET_STATE_MACHINE_ARN'];
  const input = explicit ? event.input : event;
  if (!stateMachineArn) {
    logger.error('dropped an event that names no state machine to start', { eventId: (event as { id?: string }).id, hint: 'set STEPWISE_TARGET_STATE_MACHINE_ARN or give the rule target {"stateMachineArn", "input"}' });
    return { error: 'NoTargetStateMachine' };
  }
  const id = (input as { id?: unknown } | null)?.id;
  const name = typeof id === 'string' && /^[A-Za-z0-9_-]{1,80}$/.test(id) ? id : undefined;
  const { status, body } = await dispatchApiRequest(stepwise.api, 'AWSStepFunctions.StartExecution', JSON.stringify({ stateMachineArn, input: JSON.stringify(input), ...(name ? { name } : {}) }));
  if (status !== 200) {
    // AWS's error name, without the `com.amazonaws.states#` namespace of the wire format.
    const error = String(body['__type']).split('#').pop()!;
    logger.error('could not start an execution for an event', { stateMachineArn, eventId: id, error, reason: body['message'] });
    // A fault of ours (5xx) is thrown so that Lambda retries it; a refusal (4xx) would only be refused again.
    if (status >= 500) throw new Error(String(body['message']));
    return { error };
  }
  logger.info('started an execution for an event', { stateMachineArn, executionArn: body['executionArn'], eventId: id });
  return { executionArn: String(body['executionArn']) };
}
