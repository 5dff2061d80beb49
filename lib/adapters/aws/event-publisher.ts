import { PutEventsCommand, type EventBridgeClient } from '@aws-sdk/client-eventbridge';
import type { EventPublisher, ExecutionRecord } from '../../runtime/ports.js';

/**
 * AWS's `Step Functions Execution Status Change` event (source `aws.states`), as AWS sends it to the
 * default bus: dates in epoch ms, absent values as null, the execution ARN as the resource.
 * `inputDetails`/`outputDetails` are CloudWatchEventsExecutionDataDetails (`{included}`, whether the
 * payload fits in the event), not the history's `{truncated}`.
 */
export function statusChangeDetail(execution: ExecutionRecord): Record<string, unknown> {
  const ended = execution.status !== 'RUNNING';
  const redrivable = execution.type === 'STANDARD' && (execution.status === 'FAILED' || execution.status === 'TIMED_OUT' || execution.status === 'ABORTED');
  return {
    executionArn: execution.executionArn,
    stateMachineArn: execution.stateMachineArn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    stopDate: execution.stopDate ?? null,
    input: execution.input,
    output: execution.output ?? null,
    stateMachineVersionArn: null,
    stateMachineAliasArn: null,
    redriveCount: execution.redriveCount,
    redriveDate: null,
    redriveStatus: redrivable ? 'REDRIVABLE' : 'NOT_REDRIVABLE',
    redriveStatusReason: redrivable ? null : `Execution is ${execution.status} and cannot be redriven`,
    inputDetails: { included: true },
    outputDetails: ended && execution.output !== undefined ? { included: true } : null,
    error: execution.error ?? null,
    cause: execution.cause ?? null,
  };
}

/**
 * Publishes status changes to an EventBridge bus. `source` is AWS's `aws.states` by default; real
 * AWS reserves `aws.*` sources for itself, so a deployment names its own (STEPWISE_EVENT_SOURCE).
 */
export class EventBridgePublisher implements EventPublisher {
  constructor(
    private readonly events: EventBridgeClient,
    private readonly busName = 'default',
    private readonly source = 'aws.states',
  ) {}

  async statusChanged(execution: ExecutionRecord): Promise<void> {
    const { FailedEntryCount, Entries } = await this.events.send(
      new PutEventsCommand({
        Entries: [
          {
            EventBusName: this.busName,
            Source: this.source,
            DetailType: 'Step Functions Execution Status Change',
            Resources: [execution.executionArn],
            Detail: JSON.stringify(statusChangeDetail(execution)),
          },
        ],
      }),
    );
    if (FailedEntryCount) throw new Error(`EventBridge refused the status change of ${execution.executionArn}: ${Entries?.[0]?.ErrorCode ?? ''} ${Entries?.[0]?.ErrorMessage ?? ''}`);
  }
}
