// An activity worker: takes jobs with GetActivityTask, sends heartbeats while it works, and answers
// with SendTaskSuccess (the result) or SendTaskFailure (the error's name and message).
//   npm start                                          (another terminal)
//   node examples/activity-worker/worker.mjs [--tasks N] [--name worker-1] [--activity-arn <arn> | --activity-name <name>]
//                                            [--heartbeat-ms 1000] [--endpoint http://127.0.0.1:8083]
// Ctrl-C stops it cleanly: a poll in progress is abandoned, a job in progress is finished and answered first.
import {
  CreateActivityCommand,
  GetActivityTaskCommand,
  SendTaskFailureCommand,
  SendTaskHeartbeatCommand,
  SendTaskSuccessCommand,
  TaskTimedOut,
} from '@aws-sdk/client-sfn';
import { hostname } from 'node:os';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { DEFAULT_ENDPOINT, printJson, sfnClient, sleep } from '../common.mjs';

/** The activity run.mjs creates and a worker started on its own polls (CreateActivity is idempotent). */
export const ACTIVITY_NAME = 'word-count-example';

/** A job that cannot be done: reported with SendTaskFailure, the error being this class's name. */
export class InvalidJob extends Error {
  /** @param {string} message */
  constructor(message) {
    super(message);
    this.name = 'InvalidJob';
  }
}

/**
 * @typedef {object} Job
 * @property {string} jobId
 * @property {string} text the text to count the words of
 * @property {number} [simulatedWorkMs] how long the job pretends to take (to see heartbeats go out)
 */

/**
 * The work: word statistics of a text, and who worked them out.
 * @param {Job} job
 * @param {{ workerName: string }} task
 * @returns {Promise<Record<string, unknown>>}
 */
export async function countWords(job, { workerName }) {
  if (typeof job?.text !== 'string') throw new InvalidJob(`${job?.jobId ?? 'the job'}: "text" must be a string`);
  await sleep(job.simulatedWorkMs ?? 0);
  const words = job.text.match(/[\p{L}\p{N}']+/gu) ?? [];
  /** @type {Map<string, number>} */
  const counts = new Map();
  let longestWord = '';
  for (const word of words) {
    const key = word.toLowerCase();
    counts.set(key, (counts.get(key) ?? 0) + 1);
    if (word.length > longestWord.length) longestWord = word;
  }
  let mostFrequent = { word: '', count: 0 };
  for (const [word, count] of counts) if (count > mostFrequent.count) mostFrequent = { word, count };
  return { jobId: job.jobId, words: words.length, distinctWords: counts.size, characters: job.text.length, longestWord, mostFrequent, worker: workerName };
}

/**
 * @typedef {object} WorkerOptions
 * @property {string} activityArn the activity to poll
 * @property {string} [endpoint] the Step Functions endpoint (STEPWISE_ENDPOINT or http://127.0.0.1:8083)
 * @property {import('@aws-sdk/client-sfn').SFNClient} [sfn] a client to use instead (left open)
 * @property {string} [workerName] recorded in the ActivityStarted event (`<host>-<pid>` by default)
 * @property {(input: any, task: { taskToken: string, workerName: string }) => Promise<unknown>} [work] the job's result (JSON) from its input: countWords by default
 * @property {number} [heartbeatMs] how often SendTaskHeartbeat goes out while a job runs: well under the state's HeartbeatSeconds
 * @property {number} [maxTasks] stop after this many jobs (no limit by default)
 * @property {AbortSignal} [signal] stop: at once when polling, after the job in hand when working
 * @property {import('../common.mjs').Log} [log] where the JSON lines go (stdout)
 */

/**
 * The worker loop.
 * @param {WorkerOptions} options
 * @returns {Promise<{ workerName: string, tasks: number, succeeded: number, failed: number }>}
 */
export async function runWorker({ activityArn, endpoint = DEFAULT_ENDPOINT, sfn: given, workerName = `${hostname()}-${process.pid}`, work = countWords, heartbeatMs = 1000, maxTasks = Infinity, signal, log = printJson }) {
  const sfn = given ?? sfnClient(endpoint);
  const stats = { workerName, tasks: 0, succeeded: 0, failed: 0 };
  log({ event: 'worker started', workerName, activityArn });
  try {
    while (stats.tasks < maxTasks && !signal?.aborted) {
      /** @type {import('@aws-sdk/client-sfn').GetActivityTaskCommandOutput} */
      let task;
      try {
        // A long poll: answers when there is a job or, with none after 60 s (AWS), without a token.
        task = await sfn.send(new GetActivityTaskCommand({ activityArn, workerName }), signal === undefined ? {} : { abortSignal: signal });
      } catch (error) {
        if (signal?.aborted) break;
        if (/** @type {Error} */ (error).name === 'ActivityDoesNotExist') throw error;
        log({ event: 'poll failed', workerName, error: String(error) });
        await sleep(1000, signal);
        continue;
      }
      if (task.taskToken === undefined) continue;
      stats.tasks++;
      const outcome = await handleTask(sfn, task.taskToken, task.input ?? 'null', { workerName, work, heartbeatMs, log });
      stats[outcome]++;
    }
  } finally {
    if (given === undefined) sfn.destroy();
  }
  log({ event: 'worker stopped', ...stats });
  return stats;
}

/**
 * One job: heartbeats on an interval while `work` runs, then its result or its error.
 * @param {import('@aws-sdk/client-sfn').SFNClient} sfn
 * @param {string} taskToken
 * @param {string} inputText
 * @param {{ workerName: string, work: NonNullable<WorkerOptions['work']>, heartbeatMs: number, log: import('../common.mjs').Log }} options
 * @returns {Promise<'succeeded' | 'failed'>}
 */
async function handleTask(sfn, taskToken, inputText, { workerName, work, heartbeatMs, log }) {
  const input = JSON.parse(inputText);
  log({ event: 'task received', workerName, input });
  let heartbeats = 0;
  let working = true;
  const heartbeat = setInterval(() => {
    sfn.send(new SendTaskHeartbeatCommand({ taskToken })).then(
      () => working && log({ event: 'heartbeat', workerName, jobId: input?.jobId, heartbeats: ++heartbeats }),
      (error) => working && log({ event: 'heartbeat failed', workerName, jobId: input?.jobId, error: String(error) }),
    );
  }, heartbeatMs);
  /** @type {{ result: unknown } | { error: Error }} */
  let outcome;
  try {
    outcome = { result: await work(input, { taskToken, workerName }) };
  } catch (caught) {
    outcome = { error: caught instanceof Error ? caught : new Error(String(caught)) };
  } finally {
    working = false;
    clearInterval(heartbeat);
  }
  if ('error' in outcome) {
    const { name: error, message: cause } = outcome.error;
    await answer(() => sfn.send(new SendTaskFailureCommand({ taskToken, error, cause })));
    log({ event: 'task failed', workerName, jobId: input?.jobId, error, cause });
    return 'failed';
  }
  const output = outcome.result === undefined ? null : outcome.result;
  await answer(() => sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) })));
  log({ event: 'task succeeded', workerName, output });
  return 'succeeded';

  /** The answer came too late (the task timed out and may be with another worker by now): said, not thrown. @param {() => Promise<unknown>} send */
  async function answer(send) {
    try {
      await send();
    } catch (error) {
      if (!(error instanceof TaskTimedOut)) throw error;
      log({ event: 'task timed out before the answer', workerName, jobId: input?.jobId });
    }
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      'activity-arn': { type: 'string' },
      'activity-name': { type: 'string' },
      name: { type: 'string' },
      tasks: { type: 'string' },
      'heartbeat-ms': { type: 'string' },
    },
  });
  const endpoint = values.endpoint ?? DEFAULT_ENDPOINT;
  const sfn = sfnClient(endpoint);
  const activityArn = values['activity-arn'] ?? (await sfn.send(new CreateActivityCommand({ name: values['activity-name'] ?? ACTIVITY_NAME }))).activityArn ?? '';
  const stop = new AbortController();
  process.once('SIGINT', () => {
    printJson({ event: 'stopping', reason: 'SIGINT' });
    stop.abort();
    process.once('SIGINT', () => process.exit(130)); // a second Ctrl-C does not wait for the job in hand
  });
  await runWorker({
    sfn,
    activityArn,
    signal: stop.signal,
    ...(values.name === undefined ? {} : { workerName: values.name }),
    ...(values.tasks === undefined ? {} : { maxTasks: Number(values.tasks) }),
    ...(values['heartbeat-ms'] === undefined ? {} : { heartbeatMs: Number(values['heartbeat-ms']) }),
  });
  sfn.destroy();
}
