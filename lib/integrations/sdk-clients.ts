// The AWS SDK clients the integrations call, made once per service, region and endpoint, and one
// call through them: the command's output plus the HTTP response it came in (the optimised
// integrations record its status and headers as `SdkHttpMetadata`), given up on at the task's timeout.
import * as dynamodb from '@aws-sdk/client-dynamodb';
import * as eventbridge from '@aws-sdk/client-eventbridge';
import * as lambda from '@aws-sdk/client-lambda';
import * as sns from '@aws-sdk/client-sns';
import * as sqs from '@aws-sdk/client-sqs';
import type { AwsService, IntegrationsConfig } from './config.js';

/** What the integrations need of a client module: its client, its commands, and the base of its modeled errors. */
export interface ServiceModule {
  readonly Client: new (config: Record<string, unknown>) => SdkClient;
  /** Every export: `<Action>Command` classes and the modeled exception classes. */
  readonly exports: Readonly<Record<string, unknown>>;
  readonly ServiceException: abstract new (...args: never[]) => Error;
}

export interface SdkClient {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
  destroy(): void;
}

/** A command instance as far as adding a middleware goes. */
interface CommandLike {
  readonly middlewareStack: { add(middleware: unknown, options: Record<string, unknown>): void };
}

export const SERVICE_MODULES: Readonly<Record<AwsService, ServiceModule>> = {
  dynamodb: { Client: dynamodb.DynamoDBClient, exports: dynamodb, ServiceException: dynamodb.DynamoDBServiceException },
  eventbridge: { Client: eventbridge.EventBridgeClient, exports: eventbridge, ServiceException: eventbridge.EventBridgeServiceException },
  lambda: { Client: lambda.LambdaClient, exports: lambda, ServiceException: lambda.LambdaServiceException },
  sns: { Client: sns.SNSClient, exports: sns, ServiceException: sns.SNSServiceException },
  sqs: { Client: sqs.SQSClient, exports: sqs, ServiceException: sqs.SQSServiceException },
};

/** The HTTP response a call's output came in: status and headers as the server sent them (names' case kept where Node has it). */
export interface HttpCapture {
  readonly statusCode: number;
  readonly headers: readonly (readonly [string, string])[];
}

export interface SdkCallResult {
  readonly output: Record<string, unknown>;
  readonly http?: HttpCapture;
  readonly requestId?: string;
}

export type Credentials = { readonly accessKeyId: string; readonly secretAccessKey: string; readonly sessionToken?: string };

export class SdkClients {
  readonly #clients = new Map<string, SdkClient>();
  constructor(private readonly config: IntegrationsConfig, private readonly credentials?: Credentials) {}

  /** The endpoint the configuration gives the service, if any (else the SDK's own resolution). */
  endpointOf(service: AwsService): string | undefined {
    return this.config.aws.endpoints[service] ?? this.config.aws.endpoint;
  }

  client(service: AwsService, region: string, endpoint = this.endpointOf(service)): SdkClient {
    const key = `${service} ${region} ${endpoint ?? ''}`;
    let client = this.#clients.get(key);
    if (!client) {
      client = new SERVICE_MODULES[service].Client({
        region,
        ...(endpoint === undefined ? {} : { endpoint }),
        ...(this.credentials === undefined ? {} : { credentials: this.credentials }),
      });
      this.#clients.set(key, client);
    }
    return client;
  }

  /** Sends the command; throws what the SDK throws (an AbortError once `timeoutMs` has passed). */
  async send(service: AwsService, region: string, command: unknown, options: { endpoint?: string; timeoutMs?: number } = {}): Promise<SdkCallResult> {
    let http: HttpCapture | undefined;
    (command as CommandLike).middlewareStack.add(
      (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
        const result = await next(args);
        http = captureHttp(result.response);
        return result;
      },
      { step: 'deserialize', name: 'stepwiseCaptureHttp', override: true },
    );
    const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const output = (await this.client(service, region, options.endpoint).send(command, signal ? { abortSignal: signal } : {})) as Record<string, unknown>;
    const requestId = (output['$metadata'] as { requestId?: string } | undefined)?.requestId;
    return { output, ...(http ? { http } : {}), ...(requestId === undefined ? {} : { requestId }) };
  }

  destroy(): void {
    for (const client of this.#clients.values()) client.destroy();
    this.#clients.clear();
  }
}

function captureHttp(response: unknown): HttpCapture | undefined {
  const r = response as { statusCode?: number; headers?: Record<string, string>; body?: { rawHeaders?: string[] } } | undefined;
  if (typeof r?.statusCode !== 'number') return undefined;
  // Node's IncomingMessage keeps the names as sent; the SDK's own copy has them lower-cased.
  const raw = r.body?.rawHeaders;
  const headers: [string, string][] = [];
  if (Array.isArray(raw)) for (let i = 0; i + 1 < raw.length; i += 2) headers.push([raw[i]!, raw[i + 1]!]);
  else for (const [name, value] of Object.entries(r.headers ?? {})) headers.push([name, value]);
  return { statusCode: r.statusCode, headers };
}
