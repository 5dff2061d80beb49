import { SFNClient } from '@aws-sdk/client-sfn';

/** The AWS SDK's own Step Functions client, pointed at a local endpoint. */
export function sfnClient(endpoint: string): SFNClient {
  // disableHostPrefix: StartSyncExecution otherwise goes to 'sync-<host>', which only resolves on AWS.
  return new SFNClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId: 'test', secretAccessKey: 'test' }, maxAttempts: 1, disableHostPrefix: true });
}

export const ROLE_ARN = 'arn:aws:iam::123456789012:role/stepwise-test';

export async function until<T>(probe: () => Promise<T>, done: (value: T) => boolean, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}
