import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { handleApiRequest } from '../lib/aws-home/api-handler.js';
import { awsStepwise } from '../lib/aws-home/runtime.js';

/** API Gateway HTTP API: the Step Functions API (AWS JSON 1.0, `X-Amz-Target: AWSStepFunctions.*`). */
export const handler = middy<APIGatewayProxyEventV2>().handler((event: APIGatewayProxyEventV2) => handleApiRequest(awsStepwise(), event));
