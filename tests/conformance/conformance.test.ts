import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_DIR, haveConformanceCases } from '../support/conformance-cases.js';
import { startAwsHome } from '../support/aws.js';
import { startLocalServer } from '../support/local-server.js';

const floor = JSON.parse(readFileSync(new URL('./floor.json', import.meta.url), 'utf8')) as { passed: number; awsHomePassed: number; historyMatched: number };

interface Report {
  summary?: { passed: number; failed: number; history: { match: number } };
  passed?: number;
  failed?: number;
}

/** The same corpus in both homes; the same floor but for the EXPRESS cases the AWS home, as AWS, lets no one describe. */
const HOMES: [string, () => Promise<{ endpoint: string; stop(): Promise<void> }>, number][] = [
  ['the local server', () => startLocalServer(), floor.passed],
  ['the AWS home over DynamoDB Local and fauxqs', () => startAwsHome(), floor.awsHomePassed],
];

describe.skipIf(!haveConformanceCases()).each(HOMES)('the AWS-recorded conformance corpus against %s', (_home, start, passedFloor) => {
  let server: { endpoint: string; stop(): Promise<void> };
  let report: Report;
  let stdout: string;

  beforeAll(async () => {
    server = await start();
    const out = join(mkdtempSync(join(tmpdir(), 'stepwise-conformance-')), 'report.json');
    // The real path: the runner only runs when started as itself, which a symlinked ../shared hides.
    const result = await promisify(execFile)(process.execPath, [realpathSync(join(SHARED_DIR, 'conformance/run.mjs')), '--endpoint', server.endpoint, '--json', out], {
      maxBuffer: 64 * 1024 * 1024,
    });
    stdout = result.stdout;
    report = JSON.parse(readFileSync(out, 'utf8')) as Report;
  }, 600_000);

  afterAll(async () => {
    await server?.stop();
  });

  it(`passes at least the recorded floor of ${passedFloor} cases`, () => {
    const last = stdout.trim().split('\n').at(-1) ?? '';
    const match = /conformance: (\d+) passed, (\d+) failed/.exec(last);
    expect(match, `runner output ended with: ${last}`).not.toBeNull();
    const passed = Number(match![1]);
    if (passed < passedFloor) console.error(stdout);
    expect(passed).toBeGreaterThanOrEqual(passedFloor);
    expect(report).toBeDefined();
  });

  it(`matches AWS's history event sequence in at least ${floor.historyMatched} cases`, () => {
    const match = /history \(event type sequence\): (\d+)\/(\d+) match/.exec(stdout);
    expect(match).not.toBeNull();
    expect(Number(match![1])).toBeGreaterThanOrEqual(floor.historyMatched);
  });
});
