import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * Where the AWS clients go: nothing set means the SDK's own resolution (region and credentials from
 * the environment, `AWS_ENDPOINT_URL_<SERVICE>` overrides); `endpoints` points one service elsewhere
 * (an emulator, LocalStack).
 */
export interface AwsClientOptions {
  readonly region?: string;
  readonly endpoints?: { readonly dynamodb?: string; readonly sqs?: string; readonly eventbridge?: string; readonly logs?: string };
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export interface AwsClients {
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly eventbridge: EventBridgeClient;
  /** Execution-log records (state machines' loggingConfiguration). */
  readonly logs: CloudWatchLogsClient;
}

export function createAwsClients(options: AwsClientOptions = {}): AwsClients {
  const common = {
    ...(options.region === undefined ? {} : { region: options.region }),
    ...(options.credentials === undefined ? {} : { credentials: options.credentials }),
    // Throttling and 5xx are retried by the SDK with backoff before a step gives up.
    maxAttempts: 8,
  };
  const at = (endpoint: string | undefined) => (endpoint === undefined ? {} : { endpoint });
  return {
    dynamodb: new DynamoDBClient({ ...common, ...at(options.endpoints?.dynamodb) }),
    sqs: new SQSClient({ ...common, ...at(options.endpoints?.sqs) }),
    eventbridge: new EventBridgeClient({ ...common, ...at(options.endpoints?.eventbridge) }),
    logs: new CloudWatchLogsClient({ ...common, ...at(options.endpoints?.logs) }),
  };
}
