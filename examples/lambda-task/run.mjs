// Creates the lambda-task state machine, runs it once on an order and prints the outcome.
//   npm start                              (another terminal)
//   node examples/lambda-task/run.mjs [--endpoint http://127.0.0.1:8083] [--input '{"orderId":…}']
import { StartExecutionCommand } from '@aws-sdk/client-sfn';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { createStateMachine, DEFAULT_ENDPOINT, printJson, readDefinition, sfnClient, waitForExecution } from '../common.mjs';

/** The order priced when no input is given. */
export const SAMPLE_ORDER = {
  orderId: 'order-1001',
  customer: 'Ada',
  items: [
    { sku: 'notebook', quantity: 2, unitPrice: 12.5 },
    { sku: 'pen', quantity: 3, unitPrice: 1.2 },
  ],
};

/**
 * @param {object} [options]
 * @param {string} [options.endpoint] the Step Functions endpoint (STEPWISE_ENDPOINT or http://127.0.0.1:8083)
 * @param {unknown} [options.input] the execution's input (SAMPLE_ORDER)
 * @param {import('../common.mjs').Log} [options.log] where the JSON lines go (stdout)
 * @returns {Promise<import('../common.mjs').ExecutionResult & { stateMachineArn: string }>}
 */
export async function main({ endpoint = DEFAULT_ENDPOINT, input = SAMPLE_ORDER, log = printJson } = {}) {
  const sfn = sfnClient(endpoint);
  try {
    const definition = await readDefinition(new URL('./definition.asl.json', import.meta.url));
    const stateMachineArn = await createStateMachine(sfn, 'lambda-task-example', definition);
    const { executionArn = '' } = await sfn.send(new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }));
    log({ event: 'started', stateMachineArn, executionArn });
    const result = await waitForExecution(sfn, executionArn, { timeoutMs: 60_000 });
    log({ event: 'finished', ...result });
    return { stateMachineArn, ...result };
  } finally {
    sfn.destroy();
  }
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({ options: { endpoint: { type: 'string' }, input: { type: 'string' } } });
  const result = await main({
    ...(values.endpoint === undefined ? {} : { endpoint: values.endpoint }),
    ...(values.input === undefined ? {} : { input: JSON.parse(values.input) }),
  });
  if (result.status !== 'SUCCEEDED') process.exitCode = 1;
}
