#!/usr/bin/env node
// `npm run smoke -- --endpoint <api url>`: checks a Stepwise through its Step Functions API with
// @aws-sdk/client-sfn, running the examples' flows (examples/):
//
//   lambda        examples/lambda-task: a Lambda task prices an order          → SUCCEEDED, priced
//   retry-catch   the same function refuses an order: Retry once, then Catch    → SUCCEEDED, caught, 2 attempts
//   callback      examples/human-approval: `.waitForTaskToken`; the token is read from the
//                 execution's history and answered with SendTaskSuccess         → SUCCEEDED, APPROVED
//
// Each state machine is created under a unique name and deleted afterwards. One JSON line per flow
// and a summary line on stdout; the exit code is 1 when a flow did not end as expected.
//
// Options:
//   --endpoint <url>               the API (a deployment's HttpApiUrl, or http://127.0.0.1:8083 for `npm start`)
//   --region <region>              default: AWS_REGION, else us-east-1
//   --function-arn <arn>           the Lambda function of the lambda and retry-catch flows (examples/lambda-task/my-function.mjs
//                                  deployed, or any function: then the flows report what it answered)
//                                  default: arn:aws:lambda:<region>:123456789012:function:MyFunction (stepwise.config.json)
//   --callback-function-arn <arn>  the function the callback flow invokes with the token (examples/human-approval/request-approval.mjs)
//                                  default: …:function:RequestApproval
//   --role-arn <arn>               the state machines' role (default: arn:aws:iam::123456789012:role/stepwise-smoke)
//   --signing-name <name>          SigV4 service name: execute-api (API Gateway's IAM authorisation, the default)
//   --timeout <seconds>            per flow (default 120)
//   --flows lambda,retry-catch,callback
//
// Credentials: the SDK's default chain (IAM authorisation). Against a loopback endpoint with none in
// the environment, dummy ones (the local server checks none).
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import {
  CreateStateMachineCommand,
  DeleteStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  SendTaskSuccessCommand,
  SFNClient,
  StartExecutionCommand,
} from '@aws-sdk/client-sfn';

const SAMPLE_ORDER = {
  orderId: 'smoke-1',
  customer: 'Ada',
  currency: 'USD',
  items: [
    { sku: 'pencil', quantity: 3, unitPrice: 1.2 },
    { sku: 'notebook', quantity: 2, unitPrice: 4.5 },
  ],
};
const REFUSED_ORDER = { orderId: 'smoke-refused', customer: 'Nobody', items: [] };
const ALL_FLOWS = ['lambda', 'retry-catch', 'callback'];

function usage(message) {
  if (message) console.error(`smoke: ${message}`);
  console.error('usage: npm run smoke -- --endpoint <api url> [--region r] [--function-arn arn] [--callback-function-arn arn] [--role-arn arn] [--timeout s] [--flows a,b]');
  process.exit(2);
}

function parseOptions(argv) {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        endpoint: { type: 'string' },
        region: { type: 'string' },
        'function-arn': { type: 'string' },
        'callback-function-arn': { type: 'string' },
        'role-arn': { type: 'string' },
        'signing-name': { type: 'string' },
        timeout: { type: 'string' },
        flows: { type: 'string' },
        help: { type: 'boolean' },
      },
    }).values;
  } catch (e) {
    usage(e.message);
  }
  if (parsed.help) usage();
  if (!parsed.endpoint) usage('--endpoint is required');
  const region = parsed.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const flows = (parsed.flows ?? ALL_FLOWS.join(',')).split(',').filter(Boolean);
  for (const flow of flows) if (!ALL_FLOWS.includes(flow)) usage(`unknown flow ${flow} (${ALL_FLOWS.join(', ')})`);
  return {
    endpoint: parsed.endpoint.replace(/\/+$/, ''),
    region,
    functionArn: parsed['function-arn'] ?? `arn:aws:lambda:${region}:123456789012:function:MyFunction`,
    callbackFunctionArn: parsed['callback-function-arn'] ?? `arn:aws:lambda:${region}:123456789012:function:RequestApproval`,
    roleArn: parsed['role-arn'] ?? 'arn:aws:iam::123456789012:role/stepwise-smoke',
    signingName: parsed['signing-name'] ?? 'execute-api',
    timeoutMs: Number(parsed.timeout ?? 120) * 1000,
    flows,
  };
}

function client({ endpoint, region, signingName }) {
  const loopback = /^https?:\/\/(127\.\d+\.\d+\.\d+|localhost|\[::1\])(:\d+)?(\/|$)/.test(endpoint);
  const noCredentials = !process.env.AWS_ACCESS_KEY_ID && !process.env.AWS_PROFILE;
  return new SFNClient({
    endpoint,
    region,
    ...(loopback && noCredentials ? { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } } : {}),
    // API Gateway's IAM authorisation checks a SigV4 signature for execute-api, not states.
    signingName,
    disableHostPrefix: true,
    maxAttempts: 3,
  });
}

const readExample = async (path) => JSON.parse(await readFile(new URL(`../examples/${path}`, import.meta.url), 'utf8'));

/** The examples' definitions, calling the functions given. */
async function definitions(options) {
  const lambda = await readExample('lambda-task/definition.asl.json');
  lambda.States.PriceOrder.Parameters.FunctionName = options.functionArn;

  const retryCatch = {
    Comment: 'The lambda-task example with an order the function refuses: retried once, then caught.',
    StartAt: 'PriceOrder',
    States: {
      PriceOrder: {
        Type: 'Task',
        Resource: 'arn:aws:states:::lambda:invoke',
        Parameters: { FunctionName: options.functionArn, 'Payload.$': '$' },
        Retry: [{ ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 1, BackoffRate: 1 }],
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.failure', Next: 'Refused' }],
        End: true,
      },
      Refused: { Type: 'Pass', Parameters: { caught: true, 'error.$': '$.failure.Error', 'orderId.$': '$.orderId' }, End: true },
    },
  };

  const callback = await readExample('human-approval/definition.asl.json');
  callback.States.RequestApproval.Parameters.FunctionName = options.callbackFunctionArn;
  callback.States.RequestApproval.TimeoutSeconds = Math.max(1, Math.ceil(options.timeoutMs / 1000));
  return { lambda, 'retry-catch': retryCatch, callback };
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitForEnd(sfn, executionArn, deadline) {
  for (;;) {
    const execution = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (execution.status !== 'RUNNING') return execution;
    if (Date.now() > deadline) throw new Error(`still RUNNING after the timeout: ${executionArn}`);
    await sleep(250);
  }
}

async function history(sfn, executionArn) {
  const events = [];
  let nextToken;
  do {
    const page = await sfn.send(new GetExecutionHistoryCommand({ executionArn, ...(nextToken ? { nextToken } : {}) }));
    events.push(...(page.events ?? []));
    nextToken = page.nextToken;
  } while (nextToken);
  return events;
}

/** The task token the callback task was scheduled with: its resolved parameters are in the history. */
async function waitForTaskToken(sfn, executionArn, deadline) {
  for (;;) {
    for (const event of await history(sfn, executionArn)) {
      const parameters = event.taskScheduledEventDetails?.parameters ?? event.lambdaFunctionScheduledEventDetails?.input;
      const token = parameters ? JSON.parse(parameters)?.Payload?.taskToken : undefined;
      if (typeof token === 'string') return token;
      if (event.type === 'ExecutionFailed' || event.type === 'ExecutionAborted' || event.type === 'ExecutionTimedOut') return undefined;
    }
    if (Date.now() > deadline) throw new Error(`no task token scheduled before the timeout: ${executionArn}`);
    await sleep(250);
  }
}

const parse = (text) => (text === undefined ? undefined : JSON.parse(text));

async function runFlow(sfn, flow, definition, options) {
  const started = Date.now();
  const deadline = started + options.timeoutMs;
  const name = `stepwise-smoke-${flow}-${started}`;
  let stateMachineArn;
  try {
    stateMachineArn = (await sfn.send(new CreateStateMachineCommand({ name, definition: JSON.stringify(definition), roleArn: options.roleArn }))).stateMachineArn;
    const input = flow === 'retry-catch' ? REFUSED_ORDER : flow === 'callback' ? { requestId: 'smoke-approval', amount: 42 } : SAMPLE_ORDER;
    const { executionArn } = await sfn.send(new StartExecutionCommand({ stateMachineArn, name: `run-${started}`, input: JSON.stringify(input) }));
    if (flow === 'callback') {
      const token = await waitForTaskToken(sfn, executionArn, deadline);
      if (token) await sfn.send(new SendTaskSuccessCommand({ taskToken: token, output: JSON.stringify({ approved: true, comment: 'smoke test' }) }));
    }
    const execution = await waitForEnd(sfn, executionArn, deadline);
    const output = parse(execution.output);
    const result = { flow, executionArn, status: execution.status, ...(output === undefined ? {} : { output }), ...(execution.error ? { error: execution.error, cause: execution.cause } : {}) };
    if (flow === 'lambda') return { ...result, ok: execution.status === 'SUCCEEDED' };
    if (flow === 'retry-catch') {
      const events = await history(sfn, executionArn);
      const attempts = events.filter((e) => e.type === 'TaskFailed' || e.type === 'LambdaFunctionFailed').length;
      return { ...result, attempts, ok: execution.status === 'SUCCEEDED' && output?.caught === true && attempts === 2 };
    }
    return { ...result, ok: execution.status === 'SUCCEEDED' && output?.decision === 'APPROVED' };
  } catch (error) {
    return { flow, status: 'ERROR', error: error?.name ?? 'Error', cause: error?.message ?? String(error), ok: false };
  } finally {
    if (stateMachineArn) await sfn.send(new DeleteStateMachineCommand({ stateMachineArn })).catch(() => undefined);
  }
}

/** Runs the flows; resolves to one result per flow (also printed as JSON lines by the CLI). */
export async function main(argv = process.argv.slice(2), log = (line) => console.log(JSON.stringify(line))) {
  const options = parseOptions(argv);
  const sfn = client(options);
  const defs = await definitions(options);
  const results = [];
  try {
    // Side by side: each flow has its own state machine and execution.
    const settled = await Promise.all(options.flows.map((flow) => runFlow(sfn, flow, defs[flow], options)));
    for (const result of settled) {
      log(result);
      results.push(result);
    }
  } finally {
    sfn.destroy();
  }
  const passed = results.filter((r) => r.ok).length;
  log({ summary: `${passed} passed, ${results.length - passed} failed`, endpoint: options.endpoint, ok: passed === results.length });
  return results;
}

if (process.argv[1] && new URL(import.meta.url).pathname === process.argv[1]) {
  const results = await main();
  process.exit(results.every((r) => r.ok) ? 0 : 1);
}
