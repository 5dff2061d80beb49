import { startAwsHome } from './aws.js';
import { startLocalServer } from './local-server.js';

export type Home = { endpoint: string; stop(): Promise<void> };

/** The same API, the same answers, in both homes: `describe.each(BOTH_HOMES)`. */
export const BOTH_HOMES: [string, () => Promise<Home>][] = [
  ['local home', () => startLocalServer()],
  ['AWS home over DynamoDB Local and fauxqs', () => startAwsHome()],
];

/** The error an API call fails with, as the SDK reports it; fails the test when the call succeeds. */
export async function errorOf(promise: Promise<unknown>): Promise<{ name: string; message: string }> {
  try {
    await promise;
  } catch (e) {
    const error = e as { name: string; message: string };
    return { name: error.name, message: error.message };
  }
  throw new Error('expected the call to fail');
}
