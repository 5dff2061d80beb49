// Stepwise's operational log (lib/aws-home/log.ts, Powertools Logger): what the step and dead-letter
// handlers write is one JSON object per line, with the Powertools keys and the execution it is about.
// Outside POWERTOOLS_DEV the Logger writes through its own Console on process.stdout/stderr (not the
// global console, which Lambda's runtime rewrites), so the streams are what is captured here.
import type { StepCommit } from '../../lib/runtime/ports.js';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { handleDeadLetters } from '../../lib/aws-home/dead-letter-handler.js';
import { handleStepMessages } from '../../lib/aws-home/step-handler.js';
import { createStateMachine, receiveStepRecords, recordWithBody, sqsEvent, startExecution, testHome } from './harness.js';

afterEach(() => {
  vi.restoreAllMocks();
});

interface Written {
  stream: 'stdout' | 'stderr';
  text: string;
}

/** Everything written to stdout and stderr while `run` runs (and not passed on). */
async function writtenDuring<T>(run: () => Promise<T>): Promise<{ result: T; written: Written[] }> {
  const written: Written[] = [];
  const capture = (stream: Written['stream']) => (chunk: unknown) => {
    written.push({ stream, text: typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8') });
    return true;
  };
  vi.spyOn(process.stdout, 'write').mockImplementation(capture('stdout') as typeof process.stdout.write);
  vi.spyOn(process.stderr, 'write').mockImplementation(capture('stderr') as typeof process.stderr.write);
  try {
    return { result: await run(), written };
  } finally {
    vi.restoreAllMocks();
  }
}

/** Stepwise's lines among what was written: each must be exactly one JSON object on one line. */
function stepwiseLines(written: Written[]): (Record<string, unknown> & { stream: Written['stream'] })[] {
  const lines = written.flatMap(({ stream, text }) => text.split('\n').filter((l) => l.trim() !== '').map((line) => ({ stream, line })));
  return lines
    .filter(({ line }) => line.includes('"service":"stepwise"'))
    .map(({ stream, line }) => {
      const parsed = JSON.parse(line) as Record<string, unknown>;
      expect(JSON.stringify(parsed)).not.toContain('\n');
      return { ...parsed, stream };
    });
}

const powertoolsKeys = (level: string) => ({
  level,
  message: expect.any(String),
  service: 'stepwise',
  timestamp: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
});

describe('operational log lines (Powertools Logger)', () => {
  it('a step that fails is one ERROR line on stderr with the Powertools keys, its executionArn, frame and message', async () => {
    const { stepwise } = await testHome();
    const executionArn = await startExecution(stepwise, await createStateMachine(stepwise));
    const [record] = await receiveStepRecords(stepwise);
    vi.spyOn(stepwise.api.store, 'commitStep').mockImplementation((_: StepCommit) => Promise.reject(new Error('DynamoDB is unreachable')));

    const { result, written } = await writtenDuring(() => handleStepMessages(stepwise, sqsEvent(record!)));

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: record!.messageId }]);
    const lines = stepwiseLines(written);
    expect(lines).toEqual([
      expect.objectContaining({
        ...powertoolsKeys('ERROR'),
        stream: 'stderr',
        message: 'step failed; SQS will deliver it again',
        executionArn,
        frameId: 'root',
        messageId: record!.messageId,
        error: expect.stringContaining('DynamoDB is unreachable'),
      }),
    ]);
  });

  it('each failing record of a batch handled concurrently names its own execution', async () => {
    const { stepwise } = await testHome();
    const stateMachineArn = await createStateMachine(stepwise);
    const arns = [await startExecution(stepwise, stateMachineArn), await startExecution(stepwise, stateMachineArn)];
    const records = [...(await receiveStepRecords(stepwise)), ...(await receiveStepRecords(stepwise, { waitSeconds: 0 }))];
    expect(records).toHaveLength(2);
    vi.spyOn(stepwise.api.store, 'commitStep').mockImplementation((c: StepCommit) => Promise.reject(new Error(`no commit for ${c.executionArn}`)));

    const { written } = await writtenDuring(() => handleStepMessages(stepwise, sqsEvent(...records)));

    const lines = stepwiseLines(written).filter((l) => l['message'] === 'step failed; SQS will deliver it again');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line['error']).toContain(`no commit for ${String(line['executionArn'])}`);
    expect(lines.map((l) => l['executionArn']).sort()).toEqual([...arns].sort());
  });

  it('a dead-letter arrival is one ERROR line with the Powertools keys and its executionArn; a malformed one a WARN line (stderr, as console.warn writes)', async () => {
    const { stepwise } = await testHome();
    const executionArn = await startExecution(stepwise, await createStateMachine(stepwise));
    const [first] = await receiveStepRecords(stepwise);
    const deadLetter = { ...first!, attributes: { ...first!.attributes, ApproximateReceiveCount: '5' } };
    const malformed = recordWithBody('<html>not a step</html>', 5);

    const { written } = await writtenDuring(() => handleDeadLetters(stepwise, sqsEvent(malformed, deadLetter)));

    const lines = stepwiseLines(written);
    expect(lines).toContainEqual(
      expect.objectContaining({
        ...powertoolsKeys('ERROR'),
        stream: 'stderr',
        message: 'step message moved to the dead-letter queue; failing its execution',
        executionArn,
        frameId: 'root',
        messageId: deadLetter.messageId,
        receiveCount: '5',
      }),
    );
    expect(lines).toContainEqual(
      expect.objectContaining({
        ...powertoolsKeys('WARN'),
        stream: 'stderr',
        message: 'dropped a dead letter that is not a step message',
        messageId: malformed.messageId,
      }),
    );
  });
});
