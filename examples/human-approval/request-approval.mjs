// RequestApproval: the Lambda function a `.waitForTaskToken` Task calls. It gets the task token and
// tells an approver how to answer; the execution then waits until someone sends the token back
// (SendTaskSuccess / SendTaskFailure) or the Task's TimeoutSeconds passes. A real one would send an
// e-mail or a chat message with two links; this one logs the two commands (the local server's output).

/**
 * @typedef {object} ApprovalEvent
 * @property {string} taskToken `$$.Task.Token`
 * @property {string} executionArn `$$.Execution.Id`
 * @property {Record<string, unknown>} request the execution's input: what is to be approved
 */

/**
 * The aws CLI commands that answer a task token.
 * @param {string} endpoint the Step Functions endpoint the CLI calls
 * @param {string} taskToken
 * @returns {{ approve: string, reject: string }}
 */
export function approvalCommands(endpoint, taskToken) {
  const token = `--task-token ${shellQuote(taskToken)}`;
  /** @param {string} action */
  const base = (action) => `aws stepfunctions ${action} --endpoint-url ${endpoint} ${token}`;
  return {
    approve: `${base('send-task-success')} --task-output '{"approved":true}'`,
    reject: `${base('send-task-failure')} --error Rejected --cause 'Not approved'`,
  };
}

/**
 * The endpoint of the local server this function runs in: `npm start` reads PORT too.
 * @returns {string}
 */
export function localEndpoint() {
  return process.env.STEPWISE_ENDPOINT ?? `http://127.0.0.1:${process.env.PORT ?? '8083'}`;
}

/**
 * @param {ApprovalEvent} event
 * @param {{ awsRequestId: string }} context the Lambda context
 */
export async function handler(event, context) {
  if (typeof event?.taskToken !== 'string') throw new TypeError('RequestApproval needs "taskToken.$": "$$.Task.Token" in its payload');
  const commands = approvalCommands(localEndpoint(), event.taskToken);
  console.log(JSON.stringify({ message: 'approval requested', requestId: context.awsRequestId, executionArn: event.executionArn, request: event.request, taskToken: event.taskToken, ...commands }));
  // What the function returns is only the request's receipt (TaskSubmitted); the Task's result is the approver's answer.
  return { notified: true, executionArn: event.executionArn };
}

/** @param {string} text */
function shellQuote(text) {
  return /^[\w.+\/=:-]+$/.test(text) ? text : `'${text.replaceAll("'", `'\\''`)}'`;
}
