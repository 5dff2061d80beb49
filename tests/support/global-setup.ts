// Vitest globalSetup: starts the emulators once per run on free ports and hands their endpoints to the
// tests (inject('dynamodbEndpoint') or process.env.STEPWISE_TEST_*_ENDPOINT). A missing emulator is
// a thrown error, never a silent skip. fauxqs runs in this (the main vitest) process; tests reach it
// over HTTP like the others.
import type { TestProject } from 'vitest/node';
import { startDynamoDbLocal, startMoto, startSqs } from '../../lib/emulators/index.js';

declare module 'vitest' {
  export interface ProvidedContext {
    dynamodbEndpoint: string;
    sqsEndpoint: string;
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const [dynamodb, sqs, moto] = await Promise.allSettled([startDynamoDbLocal(), startSqs(), startMoto()]);
  const running = [dynamodb, sqs, moto].flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const stopAll = async () => { await Promise.all(running.map((e) => e.stop())); };
  if (dynamodb.status === 'rejected' || sqs.status === 'rejected' || moto.status === 'rejected') {
    const reasons = [dynamodb, sqs, moto].flatMap((r) => (r.status === 'rejected' ? [r.reason instanceof Error ? r.reason.message : String(r.reason)] : []));
    await stopAll();
    throw new Error(`emulators failed to start:\n- ${reasons.join('\n- ')}`);
  }
  project.provide('dynamodbEndpoint', dynamodb.value.endpoint);
  project.provide('sqsEndpoint', sqs.value.endpoint);
  project.provide('motoEndpoint', moto.value.endpoint);
  // For code under test that reads its configuration from the environment (workers inherit it).
  process.env['STEPWISE_TEST_DYNAMODB_ENDPOINT'] = dynamodb.value.endpoint;
  process.env['STEPWISE_TEST_SQS_ENDPOINT'] = sqs.value.endpoint;
  process.env['STEPWISE_TEST_MOTO_ENDPOINT'] = moto.value.endpoint;
  return stopAll;
}
