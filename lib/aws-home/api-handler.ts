import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { dispatchApiRequest } from '../api/dispatch.js';
import type { AwsStepwise } from './runtime.js';

/** The `api` function: API Gateway (HTTP API) → the same Step Functions actions the local server answers. */
export async function handleApiRequest(stepwise: AwsStepwise, event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  if (event.requestContext.http.method !== 'POST') {
    return reply(404, { __type: 'com.amazonaws.states#UnknownOperationException', message: `Cannot ${event.requestContext.http.method} ${event.rawPath}` });
  }
  const body = event.body === undefined ? '' : event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  const { status, body: answer } = await dispatchApiRequest(stepwise.api, header(event, 'x-amz-target'), body);
  return reply(status, answer);
}

function header(event: APIGatewayProxyEventV2, name: string): string | undefined {
  for (const [key, value] of Object.entries(event.headers ?? {})) if (key.toLowerCase() === name) return value;
  return undefined;
}

function reply(statusCode: number, body: unknown): APIGatewayProxyStructuredResultV2 {
  return { statusCode, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: JSON.stringify(body) };
}
