import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { CreateStateMachineCommand, DescribeExecutionCommand, GetExecutionHistoryCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort } from '../../lib/emulators/process.js';
import { sfnClient } from '../support/sfn-client.js';

const ROOT = new URL('../..', import.meta.url).pathname;
const EXECUTIONS = 100;
/** A few seconds of waiting in the middle of each execution, a Parallel around it. */
const NAPPER = {
  StartAt: 'Before',
  States: {
    Before: { Type: 'Pass', Result: { n: 1 }, Next: 'Both' },
    Both: {
      Type: 'Parallel',
      Branches: [
        { StartAt: 'Nap', States: { Nap: { Type: 'Wait', Seconds: 3, End: true } } },
        { StartAt: 'Short', States: { Short: { Type: 'Wait', Seconds: 1, End: true } } },
      ],
      Next: 'After',
    },
    After: { Type: 'Pass', End: true },
  },
};

interface Running {
  child: ChildProcess;
  log: string[];
}

/** `npm run start:aws` as a user runs it (the built bundle), over a data directory that outlives it. */
async function startAwsHomeProcess(port: number, dataDir: string): Promise<Running> {
  const child = spawn(process.execPath, [join(ROOT, 'dist/server/aws-main.mjs')], {
    env: { ...process.env, PORT: String(port), STEPWISE_DATA_DIR: dataDir, AWS_ENDPOINT_URL: undefined, STEPWISE_USE_AWS: undefined, NODE_NO_WARNINGS: '1' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`AWS home did not start:\n${log.join('')}`)), 60_000);
    const onData = (chunk: Buffer) => {
      log.push(chunk.toString());
      if (log.join('').includes('Stepwise AWS home listening')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => log.push(chunk.toString()));
    child.once('exit', (code) => reject(new Error(`AWS home exited with ${code}:\n${log.join('')}`)));
  });
  return { child, log };
}

async function stop({ child }: Running): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

describe('the AWS home survives a restart in the middle of running executions', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'stepwise-restart-'));
  let running: Running | undefined;

  beforeAll(async () => {
    await promisify(execFile)(process.execPath, [join(ROOT, 'scripts/build.mjs'), 'server-aws']);
  }, 60_000);

  afterAll(async () => {
    if (running) await stop(running);
    rmSync(dataDir, { recursive: true, force: true });
  });

  it(`completes all ${EXECUTIONS} executions, with complete histories, after a stop and a start over the same data`, async () => {
    const port = await freePort();
    const client = sfnClient(`http://127.0.0.1:${port}`);
    running = await startAwsHomeProcess(port, dataDir);
    const { stateMachineArn } = await client.send(new CreateStateMachineCommand({ name: 'napper', definition: JSON.stringify(NAPPER), roleArn: 'arn:aws:iam::123456789012:role/r' }));
    const arns = await Promise.all(Array.from({ length: EXECUTIONS }, async (_, i) => (await client.send(new StartExecutionCommand({ stateMachineArn, name: `nap-${i}` }))).executionArn!));
    await new Promise((resolve) => setTimeout(resolve, 1000));

    await stop(running);
    running = await startAwsHomeProcess(port, dataDir);
    const resumed = /"resumedExecutions":(\d+)/.exec(running.log.join(''));
    expect(Number(resumed?.[1])).toBeGreaterThan(0);

    const deadline = Date.now() + 120_000;
    let statuses: (string | undefined)[] = [];
    do {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      statuses = await Promise.all(arns.map(async (executionArn) => (await client.send(new DescribeExecutionCommand({ executionArn }))).status));
    } while (statuses.includes('RUNNING') && Date.now() < deadline);
    expect(statuses.filter((s) => s !== 'SUCCEEDED')).toEqual([]);

    for (const executionArn of arns) {
      const { events = [] } = await client.send(new GetExecutionHistoryCommand({ executionArn, maxResults: 1000 }));
      expect(events.map((e) => e.id)).toEqual(events.map((_, i) => i + 1));
      const types = events.map((e) => e.type);
      // The two branches' Wait events interleave as their timers fire; everything else is in order.
      expect([...types.slice(0, 5), ...types.slice(9)]).toEqual([
        'ExecutionStarted', 'PassStateEntered', 'PassStateExited', 'ParallelStateEntered', 'ParallelStateStarted',
        'ParallelStateSucceeded', 'ParallelStateExited', 'PassStateEntered', 'PassStateExited', 'ExecutionSucceeded',
      ]);
      expect(types.slice(5, 9).sort()).toEqual(['WaitStateEntered', 'WaitStateEntered', 'WaitStateExited', 'WaitStateExited']);
    }
  }, 240_000);
});
