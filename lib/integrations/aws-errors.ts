// How Step Functions names a failed AWS call. Two families, as AWS's recordings show them:
//
// - Lambda and the optimised integrations (sqs, sns, dynamodb, events) name errors after the AWS SDK
//   for Java v1: `<Prefix>.<modeled exception>` (`DynamoDB.ConditionalCheckFailedException`,
//   `Lambda.ResourceNotFoundException`, `SNS.NotFoundException`), an unmodeled error code the
//   service's generic exception (`SQS.AmazonSQSException`, `DynamoDB.AmazonDynamoDBException`,
//   `Lambda.AWSLambdaException`), and the cause
//   `<message> (Service: AmazonSQS; Status Code: 400; Error Code: <code>; Request ID: <id>; Proxy: null)`.
// - The SDK integrations (`aws-sdk:<service>:<action>`) after the SDK for Java v2:
//   `DynamoDb.ResourceNotFoundException`, unmodeled `DynamoDb.DynamoDbException`, cause
//   `<message> (Service: DynamoDb, Status Code: 400, Request ID: <id>)`.
//
// The call never reaching the service (DNS, connection refused, no credentials) is
// `<Prefix>.SdkClientException`, "Unable to execute HTTP request: …".
import type { TaskOutcome } from '../runtime/ports.js';
import type { AwsService } from './config.js';
import { SERVICE_MODULES } from './sdk-clients.js';

type Failure = Extract<TaskOutcome, { ok: false }>;

interface Naming {
  /** Java v1: error prefix, generic exception, service name in causes. */
  readonly prefix: string;
  readonly generic: string;
  readonly serviceName: string;
  /** Java v2 (the SDK integrations): the client's service name. */
  readonly sdkName: string;
}

const NAMING: Readonly<Record<AwsService, Naming>> = {
  lambda: { prefix: 'Lambda', generic: 'AWSLambdaException', serviceName: 'AWSLambda', sdkName: 'Lambda' },
  sqs: { prefix: 'SQS', generic: 'AmazonSQSException', serviceName: 'AmazonSQS', sdkName: 'Sqs' },
  sns: { prefix: 'SNS', generic: 'AmazonSNSException', serviceName: 'AmazonSNS', sdkName: 'Sns' },
  dynamodb: { prefix: 'DynamoDB', generic: 'AmazonDynamoDBException', serviceName: 'AmazonDynamoDBv2', sdkName: 'DynamoDb' },
  eventbridge: { prefix: 'EventBridge', generic: 'AmazonEventBridgeException', serviceName: 'AmazonEventBridge', sdkName: 'EventBridge' },
};

/** A failed call, whichever way it failed. */
export type CallError =
  | { readonly kind: 'service'; readonly modeled: boolean; readonly name: string; readonly code: string; readonly message: string; readonly status: number; readonly requestId: string; readonly extendedRequestId?: string }
  | { readonly kind: 'client'; readonly detail: string }
  | { readonly kind: 'timeout' }
  | { readonly kind: 'other'; readonly message: string };

/** What an SDK call threw. */
export function describeSdkError(service: AwsService, error: unknown): CallError {
  const e = error as { name?: string; message?: string; code?: string; Code?: string; hostname?: string; address?: string; port?: number; $metadata?: { httpStatusCode?: number; requestId?: string; extendedRequestId?: string } };
  if (e?.name === 'AbortError' || e?.name === 'TimeoutError') return { kind: 'timeout' };
  const status = e?.$metadata?.httpStatusCode;
  if (typeof status === 'number') {
    const base = SERVICE_MODULES[service].ServiceException;
    return {
      kind: 'service',
      // Modeled errors are subclasses of the client's ServiceException; unmodeled ones are the base itself.
      modeled: error instanceof base && (error as object).constructor !== base,
      name: e.name ?? 'UnknownError',
      // Query-compatible services (SQS) carry their query error code too.
      code: e.Code ?? e.name ?? 'UnknownError',
      message: e.message ?? '',
      status,
      requestId: e.$metadata?.requestId ?? '',
      ...(e.$metadata?.extendedRequestId === undefined ? {} : { extendedRequestId: e.$metadata.extendedRequestId }),
    };
  }
  if (e?.code === 'ENOTFOUND' || e?.code === 'EAI_AGAIN') return { kind: 'client', detail: `${e.hostname ?? 'host'}: Name or service not known` };
  if (e?.code === 'ECONNREFUSED') return { kind: 'client', detail: `Connect to ${e.address ?? 'host'}:${e.port ?? ''} failed: Connection refused` };
  if (typeof e?.code === 'string' || e?.name === 'CredentialsProviderError') return { kind: 'client', detail: e.message ?? String(error) };
  return { kind: 'other', message: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
}

/** Lambda and the optimised integrations. */
export function optimisedFailure(service: AwsService, error: CallError): Failure {
  const n = NAMING[service];
  switch (error.kind) {
    case 'service':
      return {
        ok: false,
        error: `${n.prefix}.${error.modeled ? withException(error.name) : n.generic}`,
        cause: `${error.message} (Service: ${n.serviceName}; Status Code: ${error.status}; Error Code: ${error.code}; Request ID: ${error.requestId}; Proxy: null)`,
      };
    case 'client':
      return { ok: false, error: `${n.prefix}.SdkClientException`, cause: `Unable to execute HTTP request: ${error.detail}` };
    default:
      return common(error);
  }
}

/** The SDK integrations (`aws-sdk:<service>:<action>`). */
export function sdkFailure(service: AwsService, error: CallError): Failure {
  const n = NAMING[service];
  switch (error.kind) {
    case 'service': {
      const details = [`Service: ${n.sdkName}`, `Status Code: ${error.status}`, `Request ID: ${error.requestId}`];
      if (error.extendedRequestId !== undefined) details.push(`Extended Request ID: ${error.extendedRequestId}`);
      return { ok: false, error: `${n.sdkName}.${error.modeled ? withException(error.name) : `${n.sdkName}Exception`}`, cause: `${error.message} (${details.join(', ')})` };
    }
    case 'client':
      return { ok: false, error: `${n.sdkName}.SdkClientException`, cause: `Unable to execute HTTP request: ${error.detail}` };
    default:
      return common(error);
  }
}

function common(error: Extract<CallError, { kind: 'timeout' | 'other' }>): Failure {
  // A call given up at the state's TimeoutSeconds: the state times out (the runtime records it so).
  if (error.kind === 'timeout') return { ok: false, error: 'States.Timeout' };
  return { ok: false, error: 'States.TaskFailed', cause: error.message };
}

/** AWS's docs: an error name gets the `Exception` suffix when the service's own name lacks it (`S3.NoSuchKeyException`). */
function withException(name: string): string {
  return name.endsWith('Exception') ? name : `${name}Exception`;
}
