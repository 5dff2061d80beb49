// Creates the activity and the state machine, starts one execution per job, runs workers in this
// process until every execution has ended, and prints each execution's outcome.
//   npm start                                          (another terminal)
//   node examples/activity-worker/run.mjs [--workers 2] [--heartbeat-ms 1000] [--endpoint http://127.0.0.1:8083]
import { CreateActivityCommand, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createStateMachine, DEFAULT_ENDPOINT, printJson, readDefinition, sfnClient, waitForExecution } from '../common.mjs';
import { ACTIVITY_NAME, runWorker } from './worker.mjs';

/** The jobs, one execution each: the second takes long enough for heartbeats, the third fails (no text). */
export const SAMPLE_JOBS = [
  { jobId: 'job-1', text: 'The quick brown fox jumps over the lazy dog' },
  { jobId: 'job-2', text: 'To be, or not to be, that is the question', simulatedWorkMs: 1500 },
  { jobId: 'job-3', text: 42 },
];

/**
 * @param {object} [options]
 * @param {string} [options.endpoint] the Step Functions endpoint (STEPWISE_ENDPOINT or http://127.0.0.1:8083)
 * @param {unknown[]} [options.jobs] the executions' inputs (SAMPLE_JOBS)
 * @param {number} [options.workers] how many workers to run here (2)
 * @param {number} [options.heartbeatMs] the workers' heartbeat interval (1000; the state's HeartbeatSeconds is 5)
 * @param {import('../common.mjs').Log} [options.log] where the JSON lines go (stdout)
 * @returns {Promise<{
 *   activityArn: string,
 *   stateMachineArn: string,
 *   executions: (import('../common.mjs').ExecutionResult & { input: unknown })[],
 *   workers: { workerName: string, tasks: number, succeeded: number, failed: number }[],
 * }>}
 */
export async function main({ endpoint = DEFAULT_ENDPOINT, jobs = SAMPLE_JOBS, workers = 2, heartbeatMs = 1000, log = printJson } = {}) {
  const sfn = sfnClient(endpoint);
  const stop = new AbortController();
  /** @type {ReturnType<typeof runWorker>[]} */
  let running = [];
  try {
    // Idempotent: the same name gives the same activity, however often this runs.
    const { activityArn = '' } = await sfn.send(new CreateActivityCommand({ name: ACTIVITY_NAME }));
    const template = await readDefinition(new URL('./definition.asl.json', import.meta.url));
    const definition = JSON.parse(JSON.stringify(template).replaceAll('${ActivityArn}', activityArn));
    const stateMachineArn = await createStateMachine(sfn, 'activity-worker-example', definition);
    log({ event: 'created', activityArn, stateMachineArn });

    const started = [];
    for (const input of jobs) {
      const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
      log({ event: 'started', executionArn, input });
      started.push({ executionArn, input });
    }

    running = Array.from({ length: workers }, (_, i) =>
      runWorker({ sfn, activityArn, workerName: `worker-${i + 1}`, heartbeatMs, signal: stop.signal, log }),
    );
    // A worker that fails (the activity deleted, say) fails the run rather than leaving it waiting.
    const failed = Promise.all(running).then(() => new Promise(() => {}));
    const executions = await Promise.race([
      Promise.all(started.map(async ({ executionArn, input }) => ({ input, ...(await waitForExecution(sfn, executionArn, { timeoutMs: 5 * 60_000 })) }))),
      failed,
    ]);
    for (const execution of executions) log({ event: 'finished', ...execution });
    stop.abort();
    const stats = await Promise.all(running);
    return { activityArn, stateMachineArn, executions, workers: stats };
  } finally {
    stop.abort();
    await Promise.allSettled(running);
    sfn.destroy();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { endpoint: { type: 'string' }, workers: { type: 'string' }, 'heartbeat-ms': { type: 'string' } } });
  await main({
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(values.workers === undefined ? {} : { workers: Number(values.workers) }),
    ...(values['heartbeat-ms'] === undefined ? {} : { heartbeatMs: Number(values['heartbeat-ms']) }),
  });
}
