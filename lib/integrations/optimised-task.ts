// The optimised integrations other than Lambda: sqs:sendMessage, sns:publish, dynamodb's item
// actions and events:putEvents (request-response, and the request of `.waitForTaskToken`). What
// Step Functions adds to the SDK call, per AWS's recordings: a MessageBody/Message/Detail that is
// not a string goes as its JSON; PutEvents names the state machine and the execution in each
// entry's Resources, and fails with `EventBridge.FailedEntry` when an entry failed; the response
// gains SdkHttpMetadata and SdkResponseMetadata (PutEvents' does not).
import { DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { PublishCommand } from '@aws-sdk/client-sns';
import { SendMessageCommand } from '@aws-sdk/client-sqs';
import { isJsonObject, type Json, type JsonObject } from '../asl/json.js';
import { stateMachineArnOf } from '../runtime/arns.js';
import type { TaskOutcome } from '../runtime/ports.js';
import { describeSdkError, optimisedFailure } from './aws-errors.js';
import type { AwsService } from './config.js';
import type { SdkClients } from './sdk-clients.js';
import { fromSdkOutput, sortKeys, stringified, toSdkInput, withSdkMetadata } from './sdk-values.js';

interface Action {
  readonly service: AwsService;
  readonly command: new (input: never) => unknown;
  /** Step Functions' own changes to the request. */
  readonly prepare?: (parameters: JsonObject, executionArn: string) => JsonObject;
  /** PutEvents' response goes as it is. */
  readonly bare?: boolean;
}

const ACTIONS: Readonly<Record<string, Action>> = {
  'sqs:sendMessage': { service: 'sqs', command: SendMessageCommand, prepare: (p) => withField(p, 'MessageBody', stringified(p['MessageBody'])) },
  'sns:publish': { service: 'sns', command: PublishCommand, prepare: (p) => withField(p, 'Message', stringified(p['Message'])) },
  'dynamodb:getItem': { service: 'dynamodb', command: GetItemCommand },
  'dynamodb:putItem': { service: 'dynamodb', command: PutItemCommand },
  'dynamodb:updateItem': { service: 'dynamodb', command: UpdateItemCommand },
  'dynamodb:deleteItem': { service: 'dynamodb', command: DeleteItemCommand },
  'events:putEvents': { service: 'eventbridge', command: PutEventsCommand, prepare: prepareEvents, bare: true },
};

export function isOptimisedAction(service: string, action: string): boolean {
  return Object.hasOwn(ACTIONS, `${service}:${action}`);
}

export async function invokeOptimised(clients: SdkClients, service: string, action: string, parameters: Json, executionArn: string, region: string, timeoutMs?: number): Promise<TaskOutcome> {
  const spec = ACTIONS[`${service}:${action}`]!;
  if (!isJsonObject(parameters)) return { ok: false, error: 'States.Runtime', cause: `The parameters of ${service}:${action} must be an object.` };
  const request = spec.prepare ? spec.prepare(parameters, executionArn) : parameters;
  let result;
  try {
    result = await clients.send(spec.service, region, new spec.command(toSdkInput(request) as never), timeoutMs === undefined ? {} : { timeoutMs });
  } catch (error) {
    return optimisedFailure(spec.service, describeSdkError(spec.service, error));
  }
  const body = sortKeys(fromSdkOutput(result.output), true);
  if (spec.bare) {
    if (typeof body['FailedEntryCount'] === 'number' && body['FailedEntryCount'] > 0) return { ok: false, error: 'EventBridge.FailedEntry', cause: JSON.stringify(body) };
    return { ok: true, output: body };
  }
  return { ok: true, output: withSdkMetadata(body, result.http, result.requestId) };
}

function withField(parameters: JsonObject, field: string, value: Json | undefined): JsonObject {
  return value === undefined ? parameters : { ...parameters, [field]: value };
}

/** Detail objects go as JSON text; each entry's Resources gain the state machine and the execution. */
function prepareEvents(parameters: JsonObject, executionArn: string): JsonObject {
  const entries = parameters['Entries'];
  if (!Array.isArray(entries)) return parameters;
  const added = [stateMachineArnOf(executionArn), executionArn];
  return {
    ...parameters,
    Entries: entries.map((entry) => {
      if (!isJsonObject(entry)) return entry;
      const resources = Array.isArray(entry['Resources']) ? entry['Resources'] : [];
      return { ...withField(entry, 'Detail', isJsonObject(entry['Detail']) ? JSON.stringify(entry['Detail']) : undefined), Resources: [...resources, ...added] };
    }),
  };
}
