// Starts an approval and waits for the answer.
//   npm start                                          (another terminal)
//   node examples/human-approval/run.mjs               prints the token and the aws CLI commands, then waits
//   node examples/human-approval/run.mjs --approve     answers itself with SendTaskSuccess {"approved": true}
//   node examples/human-approval/run.mjs --reject      answers itself with SendTaskFailure (error Rejected)
// Options: --endpoint <url>, --input <json>, --comment <text>, --timeout-seconds <n> (the Task's TimeoutSeconds).
import {
  GetExecutionHistoryCommand,
  SendTaskFailureCommand,
  SendTaskSuccessCommand,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createStateMachine, DEFAULT_ENDPOINT, printJson, readDefinition, sfnClient, sleep, waitForExecution } from '../common.mjs';
import { approvalCommands } from './request-approval.mjs';

/** What is to be approved when no input is given. */
export const SAMPLE_REQUEST = { requestId: 'expense-42', requester: 'Ada', description: 'A laptop for the new developer', amount: 1800, currency: 'USD' };

/**
 * @param {object} [options]
 * @param {string} [options.endpoint] the Step Functions endpoint (STEPWISE_ENDPOINT or http://127.0.0.1:8083)
 * @param {unknown} [options.input] the request to approve (SAMPLE_REQUEST)
 * @param {boolean} [options.approve] answer with SendTaskSuccess {"approved": true, …} instead of waiting for a person
 * @param {boolean} [options.reject] answer with SendTaskFailure (error "Rejected") instead of waiting for a person
 * @param {string} [options.comment] the answer's comment (approve) or cause (reject)
 * @param {number} [options.timeoutSeconds] the approval Task's TimeoutSeconds (the definition's 3600 otherwise)
 * @param {import('../common.mjs').Log} [options.log] where the JSON lines go (stdout)
 * @returns {Promise<import('../common.mjs').ExecutionResult & { stateMachineArn: string, taskToken?: string }>}
 */
export async function main({ endpoint = DEFAULT_ENDPOINT, input = SAMPLE_REQUEST, approve = false, reject = false, comment, timeoutSeconds, log = printJson } = {}) {
  if (approve && reject) throw new Error('approve or reject, not both');
  const sfn = sfnClient(endpoint);
  try {
    const definition = await readDefinition(new URL('./definition.asl.json', import.meta.url));
    if (timeoutSeconds !== undefined) /** @type {any} */ (definition).States.RequestApproval.TimeoutSeconds = timeoutSeconds;
    const stateMachineArn = await createStateMachine(sfn, 'human-approval-example', definition);
    const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    log({ event: 'started', stateMachineArn, executionArn });

    const taskToken = await waitForTaskSubmitted(sfn, executionArn);
    if (taskToken === undefined) {
      // The request never went out (RequestApproval failed, say): the execution has ended.
      const result = await waitForExecution(sfn, executionArn);
      log({ event: 'finished', ...result });
      return { stateMachineArn, ...result };
    }
    log({ event: 'waiting for approval', executionArn, taskToken, ...approvalCommands(endpoint, taskToken) });

    if (approve) {
      const output = { approved: true, approver: 'run.mjs --approve', comment: comment ?? 'Looks good.' };
      await sfn.send(new SendTaskSuccessCommand({ taskToken, output: JSON.stringify(output) }));
      log({ event: 'answered', action: 'SendTaskSuccess', output });
    } else if (reject) {
      const failure = { error: 'Rejected', cause: comment ?? 'Over the team budget for this quarter.' };
      await sfn.send(new SendTaskFailureCommand({ taskToken, ...failure }));
      log({ event: 'answered', action: 'SendTaskFailure', ...failure });
    }

    // A person answers from another terminal; the Task's TimeoutSeconds bounds the wait.
    const result = await waitForExecution(sfn, executionArn, { pollMs: 500 });
    log({ event: 'finished', ...result });
    return { stateMachineArn, taskToken, ...result };
  } finally {
    sfn.destroy();
  }
}

/**
 * Waits for the TaskSubmitted event (RequestApproval has been called and has answered) and reads the
 * task token from the TaskScheduled event's parameters — the Payload the function was given.
 * @param {import('@aws-sdk/client-sfn').SFNClient} sfn
 * @param {string} executionArn
 * @returns {Promise<string | undefined>} undefined when the execution ended first
 */
async function waitForTaskSubmitted(sfn, executionArn) {
  for (;;) {
    const events = await history(sfn, executionArn);
    if (events.some((e) => e.type === 'TaskSubmitted')) {
      // The latest TaskScheduled: a retried request has a new token.
      const scheduled = events.filter((e) => e.type === 'TaskScheduled').at(-1);
      const parameters = JSON.parse(scheduled?.taskScheduledEventDetails?.parameters ?? '{}');
      return parameters.Payload?.taskToken;
    }
    if (events.some((e) => /^Execution(Succeeded|Failed|TimedOut|Aborted)$/.test(e.type ?? ''))) return undefined;
    await sleep(200);
  }
}

/**
 * Every event of the execution's history, oldest first.
 * @param {import('@aws-sdk/client-sfn').SFNClient} sfn
 * @param {string} executionArn
 */
async function history(sfn, executionArn) {
  /** @type {import('@aws-sdk/client-sfn').HistoryEvent[]} */
  const events = [];
  /** @type {string | undefined} */
  let nextToken;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...(nextToken === undefined ? {} : { nextToken }) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken !== undefined);
  return events;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      endpoint: { type: 'string' },
      input: { type: 'string' },
      approve: { type: 'boolean' },
      reject: { type: 'boolean' },
      comment: { type: 'string' },
      'timeout-seconds': { type: 'string' },
    },
  });
  const result = await main({
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(values.input === undefined ? {} : { input: JSON.parse(values.input) }),
    ...(values.comment === undefined ? {} : { comment: values.comment }),
    ...(values['timeout-seconds'] === undefined ? {} : { timeoutSeconds: Number(values['timeout-seconds']) }),
    approve: values.approve === true,
    reject: values.reject === true,
  });
  if (result.status !== 'SUCCEEDED') process.exitCode = 1;
}
