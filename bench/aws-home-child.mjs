// One metered run of the AWS home (DynamoDB Local + fauxqs, the API and the step handler in this
// process) on the Pass chain workload: every DynamoDB and SQS call of the stepwise's SDK clients is
// counted by SDK middleware, by phase. Prints one JSON line of raw counts; bench/aws-home.mjs turns
// them into request units and dollars.
// Usage: node aws-home-child.mjs WORKLOAD.json BUNDLE.mjs [--executions N] [--concurrency N] [--pollers N] [--chain-steps N]
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import { argValue, checkOutput, checkTransitions, loadWorkload, pool, report } from './common.mjs';

const [workloadFile, bundle] = process.argv.slice(2);
/** Lambda's SQS event source mapping: up to 10 messages a batch (the home's default). */
const BATCH_SIZE = 10;
const POLL_PAUSE_MS = 50;
/** DynamoDB commands that accept ReturnConsumedCapacity (and that the store uses). */
const METERED = new Set(['GetItemCommand', 'PutItemCommand', 'DeleteItemCommand', 'UpdateItemCommand', 'QueryCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'ScanCommand']);
const READS = new Set(['GetItemCommand', 'QueryCommand', 'BatchGetItemCommand', 'TransactGetItemsCommand', 'ScanCommand']);

/** Which part of the run a call belongs to: 'steps' (the pollers and the step handler), 'start', 'poll', 'check', 'setup'. */
const phase = new AsyncLocalStorage();
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * SDK v3 middleware on the stepwise's own clients. DynamoDB: asks every metered command for
 * ReturnConsumedCapacity TOTAL and adds up what DynamoDB Local reports, beside the units DynamoDB's
 * rules give from the items' sizes (see `rulesUnits`). SQS: counts requests, messages and payload
 * bytes (SQS bills each 64 KB chunk of a request's payload as one request).
 */
class Meter {
  constructor(stepQueueUrl) {
    this.stepQueueUrl = stepQueueUrl;
    /** Last known size of every item seen (written, or read whole), by table key: what an update or a delete is billed on. */
    this.sizes = new Map();
    /** The items as last written or read whole, by key: an update's item after is computed from them. */
    this.known = new Map();
    this.reset();
  }

  reset() {
    this.calls = {};
    this.items = {};
  }

  snapshot() {
    return structuredClone({ calls: this.calls, itemSizes: this.items });
  }

  row(service, label, command) {
    const byPhase = (this.calls[label] ??= { dynamodb: {}, sqs: {} });
    return (byPhase[service][command] ??= { calls: 0, errors: 0, ...(service === 'dynamodb' ? { reported: 0, withReport: 0, rules: 0, indexWrites: 0, items: 0 } : { messages: 0, bytes: 0, billed: 0, empty: 0 }) });
  }

  install(client, service) {
    client.middlewareStack.add(
      (next, context) => async (args) => {
        const command = context.commandName;
        let label = phase.getStore() ?? 'other';
        // The dead-letter queue's poller (the server's own) is idle polling, whatever its context.
        if (service === 'sqs' && args.input?.QueueUrl && args.input.QueueUrl !== this.stepQueueUrl) label = 'deadLetterQueue';
        const row = this.row(service, label, command);
        if (service === 'dynamodb' && METERED.has(command)) args.input.ReturnConsumedCapacity = 'TOTAL';
        row.calls++;
        try {
          const result = await next(args);
          if (service === 'dynamodb') this.dynamodb(row, command, args.input, result.output);
          else this.sqs(row, command, args.input, result.output);
          return result;
        } catch (e) {
          // A failed condition is billed as the write would have been (AWS); it is rare here (no races in a chain).
          row.errors++;
          if (service === 'dynamodb') row.rules += this.rulesUnits(command, args.input, undefined).table;
          throw e;
        }
      },
      { step: 'initialize', name: 'stepwiseBenchMeter' },
    );
  }

  dynamodb(row, command, input, output) {
    const consumed = output.ConsumedCapacity === undefined ? [] : [output.ConsumedCapacity].flat();
    if (consumed.length > 0) row.withReport++;
    for (const c of consumed) row.reported += c.CapacityUnits ?? 0;
    row.items += output.Items?.length ?? (output.Item ? 1 : 0);
    const units = this.rulesUnits(command, input, output);
    row.rules += units.table;
    row.indexWrites += units.index;
  }

  /**
   * DynamoDB's on-demand rules from item sizes: a strongly consistent read is 1 read unit per 4 KB
   * (eventually consistent: half), a Query sums its items' sizes before rounding; a write is 1
   * write unit per KB of the larger of the item before and after, a delete per KB of the item
   * deleted; in TransactWriteItems every item (ConditionCheck included) costs twice that. A write
   * that touches an index's key or projected attributes adds 1 unit per index (2 when the index key
   * changes: a delete and a put) — an estimate: index items here are far below 1 KB.
   */
  rulesUnits(command, input, output) {
    const kb = (bytes) => Math.max(1, Math.ceil(bytes / 1024));
    const read = (bytes, consistent) => Math.max(1, Math.ceil(bytes / 4096)) * (consistent ? 1 : 0.5);
    const keyOf = (table, key) => `${table}|${key.pk?.S}|${key.sk?.S}`;
    const put = (table, item) => {
      const size = itemSize(item);
      const before = this.sizes.get(keyOf(table, item)) ?? 0;
      this.sizes.set(keyOf(table, item), size);
      this.known.set(keyOf(table, item), item);
      this.noteSize(item.pk?.S, item.sk?.S, size);
      return { table: kb(Math.max(before, size)), index: ('gsi1pk' in item ? 1 : 0) + ('gsi2pk' in item ? 1 : 0) };
    };
    const update = (table, key, { set, removed }) => {
      const known = this.known.get(keyOf(table, key));
      const before = this.sizes.get(keyOf(table, key)) ?? itemSize(key);
      let after;
      if (known) {
        // The item after, from the item as known: SET replaces or adds, REMOVE drops.
        const item = { ...known, ...set };
        for (const name of removed) delete item[name];
        this.known.set(keyOf(table, key), item);
        after = itemSize(item);
        this.noteSize(key.pk?.S, key.sk?.S, after);
      } else {
        // Not known: an upper bound, before plus every value set (most replace one of the same size).
        after = before + Object.values(set).reduce((n, v) => n + valueSize(v), 0);
      }
      this.sizes.set(keyOf(table, key), after);
      const names = Object.keys(set);
      const index = (names.includes('gsi2pk') ? 2 : 0) + (names.some((n) => ['status', 'stopDate', 'name', 'startDate', 'redriveCount'].includes(n)) ? 1 : 0);
      return { table: kb(Math.max(before, after)), index };
    };
    const remove = (table, key) => {
      const size = this.sizes.get(keyOf(table, key)) ?? itemSize(key);
      this.sizes.delete(keyOf(table, key));
      this.known.delete(keyOf(table, key));
      return { table: kb(size), index: 0 };
    };
    const setValues = (u) => {
      // `SET a = :a, #b = :b REMOVE #c`: the values set, by attribute name, and the names removed.
      const set = {};
      const [sets, removes] = (u.UpdateExpression ?? '').split(/\s*REMOVE\s+/i);
      for (const clause of sets.replace(/^SET\s+/i, '').split(',')) {
        const [lhs, rhs] = clause.split('=').map((x) => x.trim());
        if (!lhs || !rhs) continue;
        set[u.ExpressionAttributeNames?.[lhs] ?? lhs] = u.ExpressionAttributeValues?.[rhs] ?? { S: '' };
      }
      const removed = (removes ?? '').split(',').map((x) => x.trim()).filter(Boolean).map((x) => u.ExpressionAttributeNames?.[x] ?? x);
      return { set, removed };
    };
    const sum = (parts, factor = 1) => parts.reduce((t, p) => ({ table: t.table + factor * p.table, index: t.index + p.index }), { table: 0, index: 0 });
    switch (command) {
      case 'GetItemCommand': {
        if (output?.Item && !input.ProjectionExpression) {
          this.sizes.set(keyOf(input.TableName, input.Key), itemSize(output.Item));
          this.known.set(keyOf(input.TableName, input.Key), output.Item);
        }
        return { table: read(output?.Item ? itemSize(output.Item) : 0, input.ConsistentRead === true), index: 0 };
      }
      case 'BatchGetItemCommand': {
        // Each key as a GetItem (DynamoDB's docs), a missing one at the minimum unit as a GetItem of a
        // missing item is: an upper bound (DynamoDB Local counts a missing key as 0).
        let units = 0;
        for (const [table, request] of Object.entries(input.RequestItems)) {
          const found = new Map((output?.Responses?.[table] ?? []).map((item) => [keyOf(table, item), item]));
          for (const key of request.Keys) {
            const item = found.get(keyOf(table, key));
            if (item && !request.ProjectionExpression) this.sizes.set(keyOf(table, key), itemSize(item));
            units += read(item ? itemSize(item) : 0, request.ConsistentRead === true);
          }
        }
        return { table: units, index: 0 };
      }
      case 'QueryCommand':
        // With a ProjectionExpression the items come back cut down, but are billed whole: use what is known of them.
        return { table: read((output?.Items ?? []).reduce((n, item) => n + (this.sizes.get(keyOf(input.TableName, item)) ?? itemSize(item)), 0), input.ConsistentRead === true), index: 0 };
      case 'PutItemCommand':
        return put(input.TableName, input.Item);
      case 'UpdateItemCommand':
        return update(input.TableName, input.Key, setValues(input));
      case 'DeleteItemCommand':
        return remove(input.TableName, input.Key);
      case 'BatchWriteItemCommand':
        return sum(Object.entries(input.RequestItems).flatMap(([table, requests]) => requests.map((r) => (r.PutRequest ? put(table, r.PutRequest.Item) : remove(table, r.DeleteRequest.Key)))));
      case 'TransactWriteItemsCommand':
        return sum(
          input.TransactItems.map((t) => {
            if (t.Put) return put(t.Put.TableName, t.Put.Item);
            if (t.Update) return update(t.Update.TableName, t.Update.Key, setValues(t.Update));
            if (t.Delete) return remove(t.Delete.TableName, t.Delete.Key);
            return { table: kb(this.sizes.get(keyOf(t.ConditionCheck.TableName, t.ConditionCheck.Key)) ?? 0), index: 0 };
          }),
          2,
        );
      default:
        return { table: 0, index: 0 };
    }
  }

  /** Sizes of the items written, by kind (execution META and DATA, FR# frames, EV# events…), for the reading of the results. */
  noteSize(pk, sk, size) {
    const kinds = { META: 'execution', DATA: 'executionData', 'FR#': 'frame', 'DN#': 'finishedFrame', 'EV#': 'events' };
    const kind = pk === 'SM' ? 'stateMachine' : (kinds[sk] ?? kinds[sk?.slice(0, 3)] ?? `other (${sk?.slice(0, 3)})`);
    const s = (this.items[kind] ??= { writes: 0, bytes: 0, max: 0 });
    s.writes++;
    s.bytes += size;
    s.max = Math.max(s.max, size);
  }

  sqs(row, command, input, output) {
    if (command === 'SendMessageBatchCommand') {
      const bytes = input.Entries.reduce((n, e) => n + Buffer.byteLength(e.MessageBody ?? ''), 0);
      row.messages += input.Entries.length;
      row.bytes += bytes;
      row.billed += Math.max(1, Math.ceil(bytes / 65536));
    } else if (command === 'ReceiveMessageCommand') {
      const messages = output.Messages ?? [];
      const bytes = messages.reduce((n, m) => n + Buffer.byteLength(m.Body ?? ''), 0);
      row.messages += messages.length;
      if (messages.length === 0) row.empty++;
      row.bytes += bytes;
      row.billed += Math.max(1, Math.ceil(bytes / 65536));
    } else {
      row.messages += input.Entries?.length ?? 0;
      row.billed += 1;
    }
  }
}

/** An item's size as DynamoDB counts it: attribute names plus values (a number about 1 byte per 2 digits, plus 1). */
function itemSize(item) {
  let n = 0;
  for (const [name, value] of Object.entries(item)) n += Buffer.byteLength(name) + valueSize(value);
  return n;
}

function valueSize(v) {
  if (v.S !== undefined) return Buffer.byteLength(v.S);
  if (v.N !== undefined) return Math.ceil(v.N.replace(/^-|\.|e.*$/gi, '').length / 2) + 1;
  if (v.B !== undefined) return v.B.length;
  if (v.BOOL !== undefined || v.NULL !== undefined) return 1;
  if (v.M !== undefined) return 3 + Object.entries(v.M).reduce((n, [k, x]) => n + Buffer.byteLength(k) + valueSize(x) + 1, 0);
  if (v.L !== undefined) return 3 + v.L.reduce((n, x) => n + valueSize(x) + 1, 0);
  if (v.SS !== undefined) return v.SS.reduce((n, s) => n + Buffer.byteLength(s), 0);
  if (v.NS !== undefined) return v.NS.reduce((n, s) => n + Math.ceil(s.length / 2) + 1, 0);
  return 0;
}

function summarizeInvocations(list) {
  const sorted = list.map((i) => i.ms).sort((a, b) => a - b);
  const at = (q) => (sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]);
  return {
    count: list.length,
    messages: list.reduce((n, i) => n + i.messages, 0),
    // Lambda bills duration rounded up to the millisecond, each invocation on its own.
    billedMs: list.reduce((n, i) => n + Math.ceil(i.ms), 0),
    meanMs: list.reduce((n, i) => n + i.ms, 0) / Math.max(1, list.length),
    p50Ms: at(0.5),
    p90Ms: at(0.9),
    batchSizes: list.reduce((h, i) => ((h[i.messages] = (h[i.messages] ?? 0) + 1), h), {}),
  };
}

await report(async () => {
  const workload = loadWorkload(workloadFile);
  const executions = Number(argValue('--executions') ?? workload.executions);
  const concurrency = Number(argValue('--concurrency') ?? workload.concurrency);
  const pollers = Number(argValue('--pollers') ?? 4);
  const chainSteps = Number(argValue('--chain-steps') ?? 1);
  const lib = await import(pathToFileURL(bundle).href);
  const { dummyCredentials, startDynamoDbLocal, startSqs, startAwsHomeServer, SqsPoller, handleStepMessages, dispatchApiRequest } = lib;

  const dynamodb = await startDynamoDbLocal();
  const sqs = await startSqs();
  let home;
  let steps;
  try {
    const id = randomUUID().slice(0, 8);
    // pollers: 0: the server's own step pollers stay off; ours below are the same SqsPoller over the
    // same handler, timed, so that Lambda invocations and their duration can be counted.
    home = await phase.run('setup', () =>
      startAwsHomeServer(
        {
          clients: { region: 'us-east-1', credentials: dummyCredentials, endpoints: { dynamodb: dynamodb.endpoint, sqs: sqs.endpoint } },
          table: `bench-${id}`,
          queueName: `bench-${id}`,
          partition: { region: 'us-east-1', accountId: '123456789012' },
          pollers: 0,
          waitTimeSeconds: 1,
          chainSteps,
        },
        { port: 0, host: '127.0.0.1' },
      ),
    );
    const { stepwise } = home;
    const stepQueueUrl = stepwise.config.stepQueueUrl;
    const meter = new Meter(stepQueueUrl);
    meter.install(stepwise.clients.dynamodb, 'dynamodb');
    meter.install(stepwise.clients.sqs, 'sqs');

    const api = async (action, body, label) => {
      const response = await phase.run(label, () => dispatchApiRequest(stepwise.api, `AWSStepFunctions.${action}`, JSON.stringify(body)));
      if (response.status !== 200) throw new Error(`${action}: ${response.status} ${JSON.stringify(response.body)}`);
      return response.body;
    };
    const { stateMachineArn } = await api('CreateStateMachine', { name: `bench-${id}`, definition: JSON.stringify(workload.definition), roleArn: 'arn:aws:iam::123456789012:role/bench', type: workload.type }, 'setup');

    // The step function: Lambda's pollers hand each non-empty receive to one invocation.
    const invocations = [];
    steps = phase.run('steps', () =>
      new SqsPoller(stepwise.clients.sqs, { queueUrl: stepQueueUrl, batchSize: BATCH_SIZE, concurrency: pollers, waitTimeSeconds: 1 }, async (event) => {
        const t0 = performance.now();
        try {
          return await handleStepMessages(stepwise, event);
        } finally {
          invocations.push({ messages: event.Records.length, ms: performance.now() - t0 });
        }
      }),
    );

    meter.reset();
    const input = JSON.stringify(workload.input);
    const finished = new Array(executions);
    const startedAt = performance.now();
    await pool(executions, concurrency, async (i) => {
      const { executionArn } = await api('StartExecution', { stateMachineArn, name: `run-${i}`, input }, 'start');
      for (;;) {
        await sleep(POLL_PAUSE_MS);
        const described = await api('DescribeExecution', { executionArn }, 'poll');
        if (described.status !== 'RUNNING') {
          finished[i] = described;
          return;
        }
      }
    });
    const ms = performance.now() - startedAt;
    // Stop the pollers before reading: what they still receive (empty, long-polling) is not the
    // executions' work. A receive in flight when they stop is aborted (counted, as an error).
    await steps.stop();
    steps = undefined;
    const { calls, itemSizes } = meter.snapshot();

    let transitions = 0;
    for (const execution of finished) {
      if (execution.status !== 'SUCCEEDED') throw new Error(`aws-home: ${execution.executionArn} ended ${execution.status} ${execution.error ?? ''} ${execution.cause ?? ''}`);
      checkOutput(workload, JSON.parse(execution.output), 'aws-home');
      let nextToken;
      do {
        const page = await api('GetExecutionHistory', { executionArn: execution.executionArn, includeExecutionData: false, maxResults: 1000, ...(nextToken ? { nextToken } : {}) }, 'check');
        for (const event of page.events) if (event.type.endsWith('StateEntered')) transitions++;
        nextToken = page.nextToken;
      } while (nextToken);
    }
    checkTransitions({ expectedTransitions: workload.transitionsPerExecution * executions }, transitions, 'aws-home');

    return {
      workload: workload.name,
      executions,
      concurrency,
      pollers,
      chainSteps,
      batchSize: BATCH_SIZE,
      waitTimeSeconds: 1,
      transitions,
      transitionsPerExecution: workload.transitionsPerExecution,
      ms,
      calls,
      itemSizes,
      invocations: summarizeInvocations(invocations),
    };
  } finally {
    if (steps) await steps.stop();
    if (home) await home.close();
    await sqs.stop();
    await dynamodb.stop();
  }
});
