// The SDK integrations, `arn:aws:states:::aws-sdk:<service>:<action>`, for the services whose
// clients the project has (dynamodb, sqs, sns, eventbridge, lambda): the action `getQueueAttributes`
// is the client's `GetQueueAttributesCommand`, the parameters its input (PascalCase, as the SDK's
// members are for these services), the output its response without `$metadata`. Errors are named the
// Java v2 way (`DynamoDb.ResourceNotFoundException`; see aws-errors.ts).
import { isJsonObject, type Json, type JsonObject } from '../asl/json.js';
import type { TaskOutcome } from '../runtime/ports.js';
import { describeSdkError, sdkFailure } from './aws-errors.js';
import type { AwsService } from './config.js';
import { payloadText } from './lambda-task.js';
import { SERVICE_MODULES, type SdkClients } from './sdk-clients.js';
import { fromSdkOutput, sortKeys, stringified, toSdkInput } from './sdk-values.js';

const SERVICES: Readonly<Record<string, AwsService>> = { dynamodb: 'dynamodb', sqs: 'sqs', sns: 'sns', eventbridge: 'eventbridge', lambda: 'lambda' };

/** The SDK's command class for `aws-sdk:<service>:<action>`, if this project can make that call. */
export function sdkCommand(service: string, action: string): { service: AwsService; Command: new (input: unknown) => unknown } | undefined {
  const known = Object.hasOwn(SERVICES, service) ? SERVICES[service]! : undefined;
  if (known === undefined || !/^[a-z][A-Za-z0-9]*$/.test(action)) return undefined;
  const Command = SERVICE_MODULES[known].exports[`${action[0]!.toUpperCase()}${action.slice(1)}Command`];
  return typeof Command === 'function' ? { service: known, Command: Command as new (input: unknown) => unknown } : undefined;
}

export async function invokeSdkIntegration(clients: SdkClients, resource: string, service: string, action: string, parameters: Json, region: string, timeoutMs?: number): Promise<TaskOutcome> {
  const found = sdkCommand(service, action);
  if (!found) return { ok: false, error: 'States.Runtime', cause: `The resource provided ${resource} not recognized. The value is not a valid resource ARN, or the resource is not available in this region.` };
  if (!isJsonObject(parameters)) return { ok: false, error: 'States.Runtime', cause: `The parameters of aws-sdk:${service}:${action} must be an object.` };
  let result;
  try {
    result = await clients.send(found.service, region, new found.Command(sdkInput(service, action, parameters)), timeoutMs === undefined ? {} : { timeoutMs });
  } catch (error) {
    return sdkFailure(found.service, describeSdkError(found.service, error));
  }
  return { ok: true, output: sortKeys(fromSdkOutput(result.output)) };
}

/** The SDK's input: a JSON value given to a string field goes as its text, Lambda's Payload as bytes, base64 blobs decoded. */
function sdkInput(service: string, action: string, p: JsonObject): unknown {
  const each = (list: Json | undefined, field: string) =>
    Array.isArray(list) ? list.map((entry) => (isJsonObject(entry) && entry[field] !== undefined ? { ...entry, [field]: stringified(entry[field])! } : entry)) : list;
  const withField = (field: string, value: Json | undefined): JsonObject => (value === undefined ? p : { ...p, [field]: value });
  switch (`${service}:${action}`) {
    case 'sqs:sendMessage':
      return toSdkInput(withField('MessageBody', stringified(p['MessageBody'])));
    case 'sqs:sendMessageBatch':
      return toSdkInput(withField('Entries', each(p['Entries'], 'MessageBody')));
    case 'sns:publish':
      return toSdkInput(withField('Message', stringified(p['Message'])));
    case 'sns:publishBatch':
      return toSdkInput(withField('PublishBatchRequestEntries', each(p['PublishBatchRequestEntries'], 'Message')));
    case 'eventbridge:putEvents':
      return toSdkInput(withField('Entries', each(p['Entries'], 'Detail')));
    case 'lambda:invoke': {
      const { Payload, ...rest } = p;
      const text = payloadText(Payload);
      return { ...(toSdkInput(rest) as object), ...(text === undefined ? {} : { Payload: Buffer.from(text) }) };
    }
    default:
      return toSdkInput(p);
  }
}
