// What the examples share: a Step Functions client for the local server, creating a state machine
// that may already exist, waiting for an execution to end, and printing JSON lines.
import { readFile } from 'node:fs/promises';
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  SFNClient,
  StateMachineAlreadyExists,
} from '@aws-sdk/client-sfn';

/** Where `npm start` listens unless told otherwise. */
export const DEFAULT_ENDPOINT = process.env.STEPWISE_ENDPOINT ?? 'http://127.0.0.1:8083';

/** Any role ARN will do locally; AWS would need one that may invoke the state's resources. */
export const ROLE_ARN = 'arn:aws:iam::123456789012:role/stepwise-examples';

/**
 * @typedef {(line: Record<string, unknown>) => void} Log
 * One result, event or progress report: printed by default as one JSON line on stdout.
 */

/** @type {Log} */
export const printJson = (line) => console.log(JSON.stringify(line));

/**
 * A client for the local server: any region and credentials are accepted there, so fixed dummy ones.
 * @param {string} endpoint
 * @returns {SFNClient}
 */
export function sfnClient(endpoint) {
  return new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    // StartSyncExecution would otherwise go to sync-<host>; harmless for the other actions.
    disableHostPrefix: true,
  });
}

/**
 * Reads a definition file next to the calling module.
 * @param {string | URL} url e.g. `new URL('./definition.asl.json', import.meta.url)`
 * @returns {Promise<Record<string, unknown>>}
 */
export async function readDefinition(url) {
  return JSON.parse(await readFile(url, 'utf8'));
}

/**
 * CreateStateMachine as AWS defines it: the same name with the same definition and role answers with
 * the machine that exists (so running an example twice reuses it); the same name with another
 * definition fails with StateMachineAlreadyExists — then the machine is created under `<name>-<timestamp>`.
 * @param {SFNClient} sfn
 * @param {string} name
 * @param {Record<string, unknown>} definition
 * @returns {Promise<string>} the state machine's ARN
 */
export async function createStateMachine(sfn, name, definition) {
  const input = { name, definition: JSON.stringify(definition, null, 2), roleArn: ROLE_ARN };
  try {
    return (await sfn.send(new CreateStateMachineCommand(input))).stateMachineArn ?? '';
  } catch (error) {
    if (!(error instanceof StateMachineAlreadyExists)) throw error;
    const unique = `${name}-${Date.now()}`;
    return (await sfn.send(new CreateStateMachineCommand({ ...input, name: unique }))).stateMachineArn ?? '';
  }
}

/**
 * @typedef {object} ExecutionResult
 * @property {string} executionArn
 * @property {string} status SUCCEEDED, FAILED, TIMED_OUT or ABORTED
 * @property {unknown} [output] the parsed output of a SUCCEEDED execution
 * @property {string} [error] a failed execution's error
 * @property {string} [cause] and its cause
 */

/**
 * Polls DescribeExecution until the execution is no longer RUNNING.
 * @param {SFNClient} sfn
 * @param {string} executionArn
 * @param {{ pollMs?: number, timeoutMs?: number }} [options] timeoutMs: give up (throw) after this long; no limit by default
 * @returns {Promise<ExecutionResult>}
 */
export async function waitForExecution(sfn, executionArn, { pollMs = 200, timeoutMs = Infinity } = {}) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING' && execution.status !== 'PENDING_REDRIVE') {
      return {
        executionArn,
        status: execution.status ?? 'UNKNOWN',
        ...(execution.output === undefined ? {} : { output: JSON.parse(execution.output) }),
        ...(execution.error === undefined ? {} : { error: execution.error }),
        ...(execution.cause === undefined ? {} : { cause: execution.cause }),
      };
    }
    if (Date.now() > deadline) throw new Error(`${executionArn} is still running after ${timeoutMs} ms`);
    await sleep(pollMs);
  }
}

/**
 * @param {number} ms
 * @param {AbortSignal} [signal] ends the wait early (without throwing)
 * @returns {Promise<void>}
 */
export function sleep(ms, signal) {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
