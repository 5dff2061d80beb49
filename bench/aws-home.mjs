// `node bench/aws-home.mjs`: what one state transition of the AWS home costs on AWS. The Pass chain
// workload runs on the AWS home over DynamoDB Local and fauxqs (API and step handler in a fresh child
// process, bench/aws-home-child.mjs); SDK middleware counts every DynamoDB and SQS request and the
// DynamoDB request units; this script turns them into requests per transition and dollars per
// million transitions at AWS's on-demand prices (us-east-1), beside Step Functions Standard and Express.
// Options:
//   --executions N     executions of the workload (default 20, as the workload)
//   --concurrency N    executions in flight at once (default: the workload's, 1)
//   --pollers N        step pollers, like the step function's event source mapping (default 4)
//   --chain-steps N    consecutive states of a frame one message may run (STEPWISE_CHAIN_STEPS; default 1)
//   --lambda-ms MS     price Lambda duration at MS per invocation instead of the measured time
//   --express-seconds S  assumed duration of one Express execution of the workload (default 1)
//   --json FILE        also write the results as JSON
//   --workloads DIR    read the workloads from DIR instead of ../shared/bench/workloads
//   --tree DIR         bundle lib/ from DIR (say, `git archive <commit> lib | tar -x -C DIR`) instead of this checkout
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { availableParallelism, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { bundleExports, runJsonChild } from './common.mjs';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '..');
const buildDir = join(here, '.build');
const bundle = join(buildDir, 'aws-home-lib.mjs');

/**
 * On-demand list prices, us-east-1, as published when this was written (first tier of each).
 * DynamoDB: https://aws.amazon.com/dynamodb/pricing/on-demand/ (after the 50% cut of 1 Nov 2024).
 * SQS: https://aws.amazon.com/sqs/pricing/ (standard queue; every 64 KB chunk of a payload is a request).
 * Lambda: https://aws.amazon.com/lambda/pricing/ (arm64 duration; Lambda's SQS pollers' requests are SQS requests).
 * Step Functions: https://aws.amazon.com/step-functions/pricing/ (Standard per transition; Express per
 * request plus duration in 64 MB chunks, rounded up to 100 ms; first tier $0.06 per GB-hour).
 */
const PRICES = {
  dynamodbReadRequestUnit: 0.125 / 1e6,
  dynamodbWriteRequestUnit: 0.625 / 1e6,
  sqsRequest: 0.4 / 1e6,
  lambdaRequest: 0.2 / 1e6,
  lambdaArmGbSecond: 0.0000133334,
  lambdaMemoryGb: 128 / 1024,
  stepFunctionsStandardTransition: 25 / 1e6,
  stepFunctionsExpressRequest: 1 / 1e6,
  stepFunctionsExpressGbSecond: 0.00001667,
  stepFunctionsExpressMemoryGb: 64 / 1024,
};

/** What the executions did (counted); setup, DescribeExecution polling, the history check and the idle dead-letter poller are reported apart. */
const COUNTED_PHASES = ['start', 'steps'];

const options = parseArgs(process.argv.slice(2));
const workloadDir = options.workloads ?? resolve(root, '../shared/bench/workloads');
const workloadFile = join(workloadDir, 'pass-chain-1000.json');
if (!existsSync(workloadFile)) {
  console.error(`aws-home: no Pass chain workload at ${workloadFile}; pass --workloads DIR to point elsewhere.`);
  process.exit(2);
}
const missing = missingEmulator();
if (missing) {
  console.error(`aws-home: ${missing}`);
  process.exit(2);
}

mkdirSync(buildDir, { recursive: true });
await buildBundle();
const workload = JSON.parse(readFileSync(workloadFile, 'utf8'));
const executions = options.executions ?? workload.executions;
const concurrency = options.concurrency ?? workload.concurrency;
console.log(`aws-home: ${workload.name}, ${executions} executions, ${concurrency} at a time, ${options.pollers} step pollers, chains of ${options.chainSteps}; node ${process.version}, ${availableParallelism()} cores${options.tree ? `; lib from ${options.tree}` : ''}`);
const raw = await runChild();
if (!raw.ok) {
  console.error(`aws-home: FAILED: ${raw.error}`);
  process.exit(1);
}
const result = analyse(raw);
printTables(result);
if (options.json) {
  writeFileSync(options.json, `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\naws-home: wrote ${options.json}`);
}

// ---

async function buildBundle() {
  await bundleExports(
    [
          "export { dummyCredentials, startDynamoDbLocal, startSqs } from './lib/emulators/index.js';",
          "export { startAwsHomeServer } from './lib/server/aws-home-server.js';",
          "export { SqsPoller } from './lib/aws-home/sqs-poller.js';",
          "export { handleStepMessages } from './lib/aws-home/step-handler.js';",
          "export { dispatchApiRequest } from './lib/api/dispatch.js';",
    ],
    options.tree ?? root,
    bundle,
  );
}

function missingEmulator() {
  const dir = process.env.STEPWISE_DYNAMODB_LOCAL_DIR ?? join(root, '.cache/ddb/emulator');
  if (!existsSync(join(dir, 'DynamoDBLocal.jar'))) return `DynamoDB Local is missing (${dir}): run \`node scripts/ensure-emulators.mjs\``;
  if (spawnSync('java', ['-version'], { stdio: 'ignore' }).status !== 0) return 'DynamoDB Local needs java on the PATH';
  return undefined;
}

function runChild() {
  const args = [join(here, 'aws-home-child.mjs'), workloadFile, bundle, '--executions', String(executions), '--concurrency', String(concurrency), '--pollers', String(options.pollers), '--chain-steps', String(options.chainSteps)];
  return runJsonChild(args, root);
}

/** Requests and units per transition, and their price. */
function analyse(raw) {
  const T = raw.transitions;
  const per = (n) => n / T;
  const counted = COUNTED_PHASES.map((p) => raw.calls[p]).filter(Boolean);
  const merge = (service) => {
    const out = {};
    for (const phase of counted) {
      for (const [command, row] of Object.entries(phase[service])) {
        const m = (out[command.replace(/Command$/, '')] ??= {});
        for (const [k, v] of Object.entries(row)) m[k] = (m[k] ?? 0) + v;
      }
    }
    return out;
  };
  const ddb = merge('dynamodb');
  const sqs = merge('sqs');
  const READ = new Set(['GetItem', 'Query', 'BatchGetItem', 'TransactGetItems', 'Scan']);
  // DynamoDB Local reports a transaction's units as 4 per KB of its largest item whatever the number
  // of items (checked: 1, 2 and 3 small items all report 4), not as DynamoDB bills them (2 per KB of
  // every item); every other command's report matches DynamoDB's rules (checked by `rules` beside
  // it). So: the units from the rules for TransactWriteItems, DynamoDB Local's for the rest.
  // BatchGetItem: the rules too (each key as a GetItem, a missing key at the minimum unit; DynamoDB
  // Local counts a missing key as 0), an upper bound.
  const units = (command, row) => (command.startsWith('Transact') || command === 'BatchGetItem' ? row.rules : row.reported);
  let rru = 0;
  let wru = 0;
  let indexWru = 0;
  const dynamodbRows = {};
  for (const [command, row] of Object.entries(ddb)) {
    const u = units(command, row);
    if (READ.has(command)) rru += u;
    else wru += u;
    indexWru += row.indexWrites;
    dynamodbRows[command] = {
      requestsPerTransition: per(row.calls),
      [READ.has(command) ? 'readRequestUnitsPerTransition' : 'writeRequestUnitsPerTransition']: per(u),
      dynamodbLocalReportedUnits: row.reported,
      unitsByDynamoDbRules: row.rules,
      ...(row.indexWrites ? { estimatedIndexWriteUnits: row.indexWrites } : {}),
      ...(row.errors ? { errors: row.errors } : {}),
    };
  }
  wru += indexWru;

  const receive = sqs.ReceiveMessage ?? { calls: 0, billed: 0, empty: 0, messages: 0, errors: 0 };
  const sqsRows = {};
  for (const [action, row] of Object.entries(sqs)) sqsRows[action] = { requestsPerTransition: per(row.billed), callsPerTransition: per(row.calls), messages: row.messages, payloadBytes: row.bytes, ...(row.errors ? { errors: row.errors } : {}) };
  const emptyReceives = receive.empty;
  const sqsBilled = Object.values(sqs).reduce((n, r) => n + r.billed, 0);

  const inv = raw.invocations;
  const measuredMsPerInvocation = inv.billedMs / inv.count;
  const msPerInvocation = options.lambdaMs ?? measuredMsPerInvocation;
  const gbSeconds = inv.count * (msPerInvocation / 1000) * PRICES.lambdaMemoryGb;

  const million = (x) => x * 1e6;
  const usd = {
    dynamodbReads: million(per(rru) * PRICES.dynamodbReadRequestUnit),
    dynamodbWrites: million(per(wru) * PRICES.dynamodbWriteRequestUnit),
    sqs: million(per(sqsBilled) * PRICES.sqsRequest),
    lambdaRequests: million(per(inv.count) * PRICES.lambdaRequest),
    lambdaDuration: million(per(gbSeconds) * PRICES.lambdaArmGbSecond),
  };
  usd.total = Object.values(usd).reduce((a, b) => a + b, 0);
  usd.sqsEmptyReceives = million(per(emptyReceives) * PRICES.sqsRequest);
  usd.totalWithoutEmptyReceives = usd.total - usd.sqsEmptyReceives;
  usd.stepFunctionsStandard = million(PRICES.stepFunctionsStandardTransition);
  // Express bills per execution: one request, and its duration (rounded up to 100 ms) in 64 MB chunks.
  const executionsPerMillion = 1e6 / raw.transitionsPerExecution;
  const expressBilledSeconds = Math.ceil(options.expressSeconds * 10) / 10;
  usd.stepFunctionsExpress = executionsPerMillion * (PRICES.stepFunctionsExpressRequest + expressBilledSeconds * PRICES.stepFunctionsExpressMemoryGb * PRICES.stepFunctionsExpressGbSecond);

  const excluded = Object.fromEntries(Object.entries(raw.calls).filter(([p]) => !COUNTED_PHASES.includes(p)).map(([p, v]) => [p, v]));
  return {
    workload: raw.workload,
    machine: { node: process.version, cores: availableParallelism(), memoryGiB: Math.round(totalmem() / 2 ** 30), cpu: cpuModel() },
    run: { lib: options.tree ?? root, executions: raw.executions, concurrency: raw.concurrency, pollers: raw.pollers, chainSteps: raw.chainSteps, batchSize: raw.batchSize, waitTimeSeconds: raw.waitTimeSeconds, transitions: T, transitionsPerExecution: raw.transitionsPerExecution, seconds: raw.ms / 1000, transitionsPerSecond: (T / raw.ms) * 1000 },
    requestsPerTransition: {
      dynamodb: {
        ...Object.fromEntries(Object.entries(dynamodbRows).map(([c, r]) => [c, r.requestsPerTransition])),
        readRequestUnits: per(rru),
        writeRequestUnits: per(wru),
      },
      sqs: {
        ...Object.fromEntries(Object.entries(sqsRows).map(([a, r]) => [a, r.requestsPerTransition])),
        ReceiveMessageEmpty: per(emptyReceives),
        total: per(sqsBilled),
      },
      lambda: { invocations: per(inv.count), averageBatchSize: inv.messages / inv.count, msPerInvocation, msSource: options.lambdaMs === undefined ? 'measured (handler wall time over the emulators, rounded up per invocation)' : 'assumed (--lambda-ms)' },
    },
    usdPerMillionTransitions: usd,
    breakdown: {
      dynamodb: dynamodbRows,
      dynamodbEstimatedIndexWriteUnits: indexWru,
      sqs: sqsRows,
      lambda: { ...inv, measuredMsPerInvocation, gbSeconds, memoryMb: PRICES.lambdaMemoryGb * 1024, architecture: 'arm64' },
      itemSizes: Object.fromEntries(Object.entries(raw.itemSizes).map(([k, s]) => [k, { writes: s.writes, meanBytes: Math.round(s.bytes / s.writes), maxBytes: s.max }])),
      excludedPhases: excluded,
      expressAssumedSecondsPerExecution: options.expressSeconds,
      prices: PRICES,
      unitsMethod:
        'read units: DynamoDB Local ConsumedCapacity (ReturnConsumedCapacity TOTAL), except BatchGetItem: each key as a GetItem, a missing key at the minimum unit (DynamoDB Local counts it 0); write units: DynamoDB Local for PutItem/UpdateItem/DeleteItem/BatchWriteItem, DynamoDB rules from item sizes for TransactWriteItems (2 per KB per item; DynamoDB Local reports 4 per KB of the largest item whatever the item count), plus estimated index writes',
    },
  };
}

function printTables(r) {
  const n = (x, d = 3) => (x === 0 ? '0' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(d));
  const usd = (x) => `$${x >= 1 ? x.toFixed(2) : x >= 0.01 ? x.toFixed(3) : x.toFixed(4)}`;
  const u = r.usdPerMillionTransitions;
  const q = r.requestsPerTransition;
  const L = r.breakdown.lambda;
  console.log(`\n${r.run.transitions} transitions (${r.run.executions} × ${r.run.transitionsPerExecution}, *StateEntered events counted in each history), ${r.run.seconds.toFixed(1)} s, ${n(r.run.transitionsPerSecond, 1)} transitions/s\n`);
  const rows = [['item', 'per transition', 'unit price', '$ per million transitions']];
  for (const [command, row] of Object.entries(r.breakdown.dynamodb)) {
    const reads = row.readRequestUnitsPerTransition !== undefined;
    rows.push([`DynamoDB ${command}`, `${n(row.requestsPerTransition)} req, ${n(reads ? row.readRequestUnitsPerTransition : row.writeRequestUnitsPerTransition)} ${reads ? 'RRU' : 'WRU'}`, reads ? '$0.125 / M RRU' : '$0.625 / M WRU', usd((reads ? row.readRequestUnitsPerTransition * PRICES.dynamodbReadRequestUnit : row.writeRequestUnitsPerTransition * PRICES.dynamodbWriteRequestUnit) * 1e6)]);
  }
  if (r.breakdown.dynamodbEstimatedIndexWriteUnits > 0) {
    const idx = r.breakdown.dynamodbEstimatedIndexWriteUnits / r.run.transitions;
    rows.push(['DynamoDB index writes (estimated)', `${n(idx, 4)} WRU`, '$0.625 / M WRU', usd(idx * PRICES.dynamodbWriteRequestUnit * 1e6)]);
  }
  for (const [action, row] of Object.entries(r.breakdown.sqs)) {
    if (action === 'ReceiveMessage') {
      const full = row.requestsPerTransition - q.sqs.ReceiveMessageEmpty;
      rows.push(['SQS ReceiveMessage (messages)', `${n(full)} req`, '$0.40 / M req', usd(full * PRICES.sqsRequest * 1e6)]);
      rows.push(['SQS ReceiveMessage (empty)', `${n(q.sqs.ReceiveMessageEmpty)} req`, '$0.40 / M req', usd(u.sqsEmptyReceives)]);
    } else {
      rows.push([`SQS ${action}`, `${n(row.requestsPerTransition)} req`, '$0.40 / M req', usd(row.requestsPerTransition * PRICES.sqsRequest * 1e6)]);
    }
  }
  rows.push(['Lambda requests (step)', `${n(q.lambda.invocations)} inv (batch ${n(q.lambda.averageBatchSize, 2)})`, '$0.20 / M', usd(u.lambdaRequests)]);
  rows.push([`Lambda duration (arm64, 128 MB)`, `${n(q.lambda.msPerInvocation * q.lambda.invocations, 1)} ms (${n(q.lambda.msPerInvocation, 1)} ms/inv, ${options.lambdaMs === undefined ? 'measured' : 'assumed'})`, '$0.0000133334 / GB-s', usd(u.lambdaDuration)]);
  rows.push(['**AWS home total**', `${n(q.dynamodb.readRequestUnits)} RRU, ${n(q.dynamodb.writeRequestUnits)} WRU, ${n(q.sqs.total)} SQS req`, '', `**${usd(u.total)}**`]);
  rows.push(['AWS home without empty receives', '', '', usd(u.total - u.sqsEmptyReceives)]);
  rows.push(['Step Functions Standard', '1 transition', '$25 / M transitions', usd(u.stepFunctionsStandard)]);
  rows.push(['Step Functions Express', `${n(1 / r.run.transitionsPerExecution, 4)} requests`, `$1 / M req + $0.06 / GB-h (64 MB, ${r.breakdown.expressAssumedSecondsPerExecution} s assumed)`, usd(u.stepFunctionsExpress)]);
  console.log(markdownTable(rows));
  console.log(`\nLambda: ${L.count} invocations for ${L.messages} messages; handler ms p50 ${n(L.p50Ms, 1)}, p90 ${n(L.p90Ms, 1)}, mean ${n(L.meanMs, 1)}. Items written (mean / max bytes): ${Object.entries(r.breakdown.itemSizes).map(([k, s]) => `${k} ${s.meanBytes} / ${s.maxBytes}`).join(', ')}.`);
  const poll = r.breakdown.excludedPhases.poll?.dynamodb?.GetItemCommand;
  const dlq = r.breakdown.excludedPhases.deadLetterQueue?.sqs?.ReceiveMessageCommand;
  console.log(`Not counted: ${poll ? `${poll.calls} DescribeExecution GetItems (the client's polling)` : 'no polling'}${dlq ? `, ${dlq.calls} empty receives of the idle dead-letter poller` : ''}, the history check.`);
}

function markdownTable(rows) {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(' | ')} |`;
  return [line(rows[0]), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n');
}

function cpuModel() {
  try {
    return /^model name\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1] ?? 'unknown CPU';
  } catch {
    return 'unknown CPU';
  }
}

function parseArgs(argv) {
  const parsed = { executions: undefined, concurrency: undefined, pollers: 4, chainSteps: 1, lambdaMs: undefined, expressSeconds: 1, json: undefined, workloads: undefined, tree: undefined };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) usage(`${arg} needs a value`);
      return v;
    };
    if (arg === '--executions') parsed.executions = positive(value(), arg);
    else if (arg === '--concurrency') parsed.concurrency = positive(value(), arg);
    else if (arg === '--pollers') parsed.pollers = positive(value(), arg);
    else if (arg === '--chain-steps') parsed.chainSteps = positive(value(), arg);
    else if (arg === '--lambda-ms') parsed.lambdaMs = nonNegative(value(), arg);
    else if (arg === '--express-seconds') parsed.expressSeconds = nonNegative(value(), arg);
    else if (arg === '--json') parsed.json = resolve(value());
    else if (arg === '--workloads') parsed.workloads = resolve(value());
    else if (arg === '--tree') parsed.tree = resolve(value());
    else if (arg === '--help' || arg === '-h') usage();
    else usage(`unknown option ${arg}`);
  }
  return parsed;
}

function positive(text, arg) {
  const n = Number(text);
  if (!Number.isInteger(n) || n < 1) usage(`${arg} needs a positive integer`);
  return n;
}

function nonNegative(text, arg) {
  const n = Number(text);
  if (!Number.isFinite(n) || n < 0) usage(`${arg} needs a number ≥ 0`);
  return n;
}

function usage(message) {
  const text = 'usage: node bench/aws-home.mjs [--executions N] [--concurrency N] [--pollers N] [--chain-steps N] [--lambda-ms MS] [--express-seconds S] [--json FILE] [--workloads DIR] [--tree DIR]';
  if (message === undefined) {
    console.log(text);
    process.exit(0);
  }
  console.error(`aws-home: ${message}\n${text}`);
  process.exit(2);
}
