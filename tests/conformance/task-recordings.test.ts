// Task-state histories replayed against what AWS recorded. LocalStack's test suite keeps, for each of
// its Step Functions tests, the execution history it got from real AWS (snapshot files, with
// account-specific values masked). tests/conformance/task-recordings/convert.mjs turns those into
// fixtures: the definition the test ran, its input, the recorded history, and a script of what the
// outside world answered each task. Here every fixture runs through Stepwise's engine in-process
// (memory store, a hand-driven queue and clock, an invoker that answers as the recording says) and
// the history Stepwise records is compared with AWS's, event by event and field by field.
//
// Any difference must be listed in task-recordings/known-differences.json (with its reason); a listed
// difference that no longer happens fails as well, so the list stays exact.
import { appendFileSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { MemoryActivityStore } from '../../lib/adapters/memory/activity-store.js';
import { MemoryExecutionStore } from '../../lib/adapters/memory/execution-store.js';
import { LocalStepQueue } from '../../lib/adapters/memory/step-queue.js';
import { MemoryTaskTokenStore } from '../../lib/adapters/memory/task-token-store.js';
import { awsHistoryEvent, detailsKey, type HistoryEvent } from '../../lib/asl/frame.js';
import type { Json } from '../../lib/asl/json.js';
import { validateDefinition } from '../../lib/asl/validate.js';
import { stateMachineNameOf } from '../../lib/runtime/arns.js';
import { Engine } from '../../lib/runtime/engine.js';
import type { OutboxEntry, StateMachineRecord, StepMessage, StepQueue, TaskInvocation, TaskOutcome } from '../../lib/runtime/ports.js';

const DIR = fileURLToPath(new URL('./task-recordings/', import.meta.url));
const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const ROOT_ARN = `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:replay`;

// ---------------------------------------------------------------------------------------------
// Fixtures

type Answer = { kind: 'succeed'; output: Json } | { kind: 'fail'; error: string; cause?: string } | { kind: 'timeout' };
/**
 * What answered one scheduled task: the call's own answer; `submit` (a `.waitForTaskToken` call's
 * output, then `then` through the token, or no answer when `then` is a timeout); `timeout` (the call
 * never answers); `runtime` (a `states` task: Stepwise's own child execution answers, unless `then`
 * says what a worker sent to its token).
 */
type ScriptEntry = { state?: string; resource: string } & (
  | Answer
  | { kind: 'submit'; output: Json; then?: Answer }
  | { kind: 'runtime'; then?: Answer }
);

interface Fixture {
  name: string;
  source: { repository: string; commit: string; snapshot: string; test: string; recordedDate: string };
  definition: Json;
  input: string;
  children?: { stateMachineArn: string; definition: Json; script?: ScriptEntry[] }[];
  script: ScriptEntry[];
  events: Record<string, Json>[];
}

function loadFixtures(): Fixture[] {
  const root = join(DIR, 'cases');
  return readdirSync(root, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .flatMap((d) => readdirSync(join(root, d.name)).map((f) => join(root, d.name, f)))
    .sort()
    .map((path) => JSON.parse(readFileSync(path, 'utf8')) as Fixture);
}

interface KnownDifference {
  /** A case's name, or several. */
  case: string | string[];
  /** Only when the engine runs as this home does (both when absent). */
  mode?: Mode;
  /** Where (see `Difference.path`); `*` matches any run of characters. */
  path: string;
  /** When given, what the recording and Stepwise hold there must be these (JSON-equal). */
  aws?: Json;
  stepwise?: Json;
  reason: string;
}

// ---------------------------------------------------------------------------------------------
// Replay

/**
 * How the engine runs: as the local home runs it (`local`: a frame's next state and a parent's join
 * in the same step loop, task calls answered through the queue, new children first, depth-first, as
 * LocalStepQueue takes them), or as the AWS home does (`aws`: one state transition per message, in
 * the order they were sent).
 */
type Mode = 'local' | 'aws';
const MODES: readonly Mode[] = ['local', 'aws'];

/**
 * The step queue. Delayed messages (timers) wait until the test's clock reaches them. Then, in the
 * local home, LocalStepQueue itself (new children first, one step at a time, starting again on the
 * next turn of the event loop); in the AWS home, a list the test drains in the order sent.
 */
class ReplayQueue implements StepQueue {
  private readonly delayed: { message: StepMessage; dueAt: number }[] = [];
  private readonly ready: StepMessage[] = [];
  /** Messages handed to the local queue so far: the drain knows by it whether anything new came. */
  sent = 0;

  constructor(
    private readonly now: () => number,
    private readonly local: LocalStepQueue | undefined,
  ) {}

  send(entries: readonly OutboxEntry[]): void {
    for (const { message, delayMs, urgent } of entries) {
      if (delayMs) this.delayed.push({ message, dueAt: this.now() + delayMs });
      else this.enqueue(message, urgent);
    }
  }

  /** Moves the timers due by now to the ready messages. */
  release(): void {
    for (let i = 0; i < this.delayed.length; ) {
      if (this.delayed[i]!.dueAt <= this.now()) this.enqueue(this.delayed.splice(i, 1)[0]!.message, false);
      else i++;
    }
  }

  /** The AWS home's next message, in the order sent. */
  take(): StepMessage | undefined {
    return this.ready.shift();
  }

  /** When the next timer is due. */
  nextDue(): number | undefined {
    return this.delayed.length === 0 ? undefined : Math.min(...this.delayed.map((m) => m.dueAt));
  }

  private enqueue(message: StepMessage, urgent: boolean | undefined): void {
    this.sent++;
    if (this.local) this.local.enqueue(message, { urgent });
    else this.ready.push(message);
  }
}

const SCHEDULED = new Set(['TaskScheduled', 'LambdaFunctionScheduled', 'ActivityScheduled']);

interface Replay {
  history: readonly HistoryEvent[];
  /** Calls Stepwise made that the script has no answer for. */
  unscripted: string[];
  /** Steps that threw. */
  errors: string[];
}

async function replay(fixture: Fixture, mode: Mode): Promise<Replay> {
  let now = Date.parse('2026-01-01T00:00:00Z');
  const clock = { now: () => now };
  const store = new MemoryExecutionStore();
  /** Steps that threw (the local queue logs them; here they fail the case). */
  const errors: string[] = [];
  const local = mode === 'local' ? new LocalStepQueue((e) => errors.push(e instanceof Error ? (e.stack ?? e.message) : String(e))) : undefined;
  const queue = new ReplayQueue(clock.now, local);
  /** Calls that will answer and have not yet (the local home does not wait for them: their answers come through the queue). */
  const answering = new Set<Promise<void>>();
  const issuedTokens: string[] = [];
  let n = 0;
  const unscripted: string[] = [];
  /** Calls that never answer while the replay runs (AWS timed their tasks out); let go at the end. */
  const hanging: (() => void)[] = [];
  /** Tells the drain that the step it runs waits for such a call. */
  let blocked: (() => void) | undefined;

  // Each machine's script, and how far its calls have got into it.
  const scripts = new Map<string, { entries: ScriptEntry[]; next: number; answered: Set<number> }>();
  scripts.set(ROOT_ARN, { entries: fixture.script, next: 0, answered: new Set() });
  for (const child of fixture.children ?? []) scripts.set(child.stateMachineArn, { entries: child.script ?? [], next: 0, answered: new Set() });

  /** The recording's answer to a call, or `hang`. */
  const scripted = async (call: TaskInvocation): Promise<TaskOutcome | 'hang'> => {
    const execution = await store.getExecution(call.executionArn);
    const script = execution && scripts.get(execution.stateMachineArn);
    // The call's entry: the next one the runtime does not answer itself.
    while (script && script.next < script.entries.length && script.entries[script.next]!.kind === 'runtime') script.next++;
    const entry = script?.entries[script.next];
    if (!script || !entry) {
      unscripted.push(`${call.target.resourceType}:${call.target.resource} ${JSON.stringify(call.parameters)}`);
      return { ok: false, error: 'Replay.Unscripted', cause: 'the recording has no answer for this call' };
    }
    script.next++;
    switch (entry.kind) {
      case 'succeed':
      case 'submit':
        return { ok: true, output: entry.output };
      case 'fail':
        return { ok: false, error: entry.error, ...(entry.cause === undefined ? {} : { cause: entry.cause }) };
      case 'timeout':
      case 'runtime':
        return 'hang';
    }
  };

  const engine = new Engine({
    store,
    queue,
    clock,
    ids: {
      uuid: () => `00000000-0000-4000-8000-${String(++n).padStart(12, '0')}`,
      random: () => 0.5,
      taskToken: () => {
        const token = `replay-task-token-${++n}`;
        issuedTokens.push(token);
        return token;
      },
    },
    tasks: {
      invoke: async (call) => {
        let settle!: () => void;
        const tracked = new Promise<void>((resolve) => (settle = resolve));
        answering.add(tracked);
        void tracked.then(() => answering.delete(tracked));
        const outcome = await scripted(call);
        settle();
        if (outcome !== 'hang') return outcome;
        return new Promise<TaskOutcome>((resolve) => {
          hanging.push(() => resolve({ ok: false, error: 'States.Timeout' }));
          // The AWS home's step waits for its call (the local home's does not).
          if (mode === 'aws') blocked?.();
        });
      },
    },
    tokens: new MemoryTaskTokenStore(clock.now),
    activities: new MemoryActivityStore(),
    partition: { region: REGION, accountId: ACCOUNT },
    ...(mode === 'local' ? { inline: true } : {}),
  });

  const machine = (arn: string, definition: Json): StateMachineRecord => ({
    stateMachineArn: arn,
    name: stateMachineNameOf(arn),
    type: 'STANDARD',
    definition: JSON.stringify(definition),
    roleArn: `arn:aws:iam::${ACCOUNT}:role/replay-role`,
    creationDate: now,
    revisionId: 'r1',
    loggingConfiguration: { level: 'OFF' },
    tracingConfiguration: { enabled: false },
    tags: {},
  });
  for (const child of fixture.children ?? []) await store.putStateMachine(machine(child.stateMachineArn, child.definition));
  const root = machine(ROOT_ARN, fixture.definition);
  await store.putStateMachine(root);

  // The AWS home: each message in turn. A step whose task call never answers stays pending; the
  // drain goes on without it.
  const inflight: Promise<unknown>[] = [];
  const drainAws = async () => {
    for (let next = queue.take(); next !== undefined; next = queue.take()) {
      let hung = false;
      const hangs = new Promise<void>((resolve) => {
        blocked = () => {
          hung = true;
          resolve();
        };
      });
      const step = Promise.resolve(engine.process(next));
      await Promise.race([step, hangs]);
      blocked = undefined;
      if (hung) inflight.push(step.catch(() => undefined));
    }
  };
  // The local home: its queue runs until nothing is left, and calls under way answer through it.
  const drainLocal = async (queue: LocalStepQueue, sent: () => number) => {
    for (;;) {
      const before = sent();
      await queue.drained();
      if (answering.size > 0) await Promise.all(answering);
      await new Promise((resolve) => setImmediate(resolve));
      if (sent() === before) return;
    }
  };
  const drain = async () => {
    queue.release();
    if (local) await drainLocal(local, () => queue.sent);
    else await drainAws();
  };
  if (local) local.consume((message) => engine.process(message));

  /** SendTaskSuccess / SendTaskFailure as the recording's worker sent them, once a task waits for its token. */
  const answerTokens = async (): Promise<boolean> => {
    for (const [arn, script] of scripts) {
      for (const execution of await store.listExecutions(arn)) {
        const history = await store.history(execution.executionArn);
        const scheduled = history.filter((e) => SCHEDULED.has(e.type));
        for (const [k, event] of scheduled.entries()) {
          const entry = script.entries[k];
          if (!entry || script.answered.has(k) || !('then' in entry) || entry.then === undefined || entry.then.kind === 'timeout') continue;
          // Waiting: its TaskSubmitted is recorded (Scheduled → Started → Submitted).
          const started = history.find((e) => e.previousEventId === event.id && e.type === 'TaskStarted');
          if (!started || !history.some((e) => e.previousEventId === started.id && e.type === 'TaskSubmitted')) continue;
          script.answered.add(k);
          const text = JSON.stringify(event.details ?? {});
          const token = issuedTokens.find((t) => text.includes(t));
          if (token === undefined) continue;
          const then = entry.then;
          const outcome = await engine.tasks.answer(token, then.kind === 'succeed' ? { ok: true, output: then.output } : { ok: false, error: then.error, ...(then.cause === undefined ? {} : { cause: then.cause }) });
          if (outcome !== 'ok') errors.push(`the answer to ${event.type} #${event.id}'s token was refused (${outcome}); AWS took it`);
          return true;
        }
      }
    }
    return false;
  };

  const { execution } = await engine.start(root, 'replay', fixture.input);
  for (let turns = 0; turns < 1000; turns++) {
    await drain();
    if ((await store.getExecution(execution.executionArn))!.status !== 'RUNNING') break;
    if (await answerTokens()) continue;
    // Nothing to do until a timer is due (a timeout, a heartbeat, a retry's back-off).
    const due = queue.nextDue();
    if (due === undefined) break;
    now = Math.max(now, due);
  }
  const history = await store.history(execution.executionArn);
  // Let the calls that never answered go, and what they set off settle, before the next case.
  for (const release of hanging) release();
  await drain();
  await Promise.all(inflight);
  local?.close();
  return { history, unscripted, errors };
}

// ---------------------------------------------------------------------------------------------
// Comparison

/** One place where Stepwise's history differs from AWS's. */
interface Difference {
  /** `types` (the event sequence), `definition`, `calls`, or `<id>:<type>/<field>/…` (details fields without the details key). */
  path: string;
  aws: Json;
  stepwise: Json;
}

const ABSENT = '(absent)';

/** Values the recorder replaced wholesale (by key) rather than with a `<placeholder>`. */
const MASKS: Record<string, string[]> = {
  timestamp: ['timestamp'],
  roleArn: ['snf_role_arn'],
  Date: ['date'],
  StartDate: ['date', 'start-date'],
  StopDate: ['stop-date'],
  LastModified: ['date'],
  RequestId: ['RequestId'],
  'x-amzn-RequestId': ['x-amzn-RequestId'],
  'x-amzn-requestid': ['x-amzn-requestid'],
  'X-Amzn-Trace-Id': ['X-Amzn-Trace-Id'],
  'x-amz-crc32': ['x-amz-crc32'],
};

/** A recorded string as a pattern: each `<placeholder>` (nested ones too: `<<task_token>:1>`) matches any text. */
function placeholderPattern(recorded: string): RegExp | undefined {
  let pattern = '';
  let found = false;
  for (let i = 0; i < recorded.length; ) {
    if (recorded[i] === '<') {
      let depth = 0;
      let j = i;
      for (; j < recorded.length; j++) {
        if (recorded[j] === '<') depth++;
        else if (recorded[j] === '>' && --depth === 0) break;
      }
      const inner = recorded.slice(i, j + 1);
      if (j < recorded.length && /^[<>A-Za-z0-9_.:%-]+$/.test(inner)) {
        pattern += '[\\s\\S]*?';
        found = true;
        i = j + 1;
        continue;
      }
    }
    pattern += recorded[i]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    i++;
  }
  return found ? new RegExp(`^${pattern}$`) : undefined;
}

/** As the recorder saw details: text starting with `{` parsed (not inside what it parsed), as localstack-snapshot does. */
function parseLikeRecorder(value: Json): Json {
  if (Array.isArray(value)) return value.map((v) => (v !== null && typeof v === 'object' && !Array.isArray(v) ? parseLikeRecorder(v) : v));
  if (value === null || typeof value !== 'object') return value;
  const out: Record<string, Json> = {};
  for (const [k, v] of Object.entries(value)) {
    if (typeof v === 'string' && v.startsWith('{')) {
      try {
        out[k] = JSON.parse(v) as Json;
        continue;
      } catch {
        // kept as text
      }
    }
    out[k] = v !== null && typeof v === 'object' ? parseLikeRecorder(v) : v;
  }
  return out;
}

function compareValue(path: string, key: string, aws: Json, ours: Json, out: Difference[]): void {
  if (typeof aws === 'string') {
    if (MASKS[key]?.includes(aws)) return;
    const pattern = placeholderPattern(aws);
    if (pattern) {
      const text = typeof ours === 'string' ? ours : JSON.stringify(ours);
      if (!pattern.test(text)) out.push({ path, aws, stepwise: ours });
      return;
    }
  }
  if (Array.isArray(aws) && Array.isArray(ours)) {
    if (aws.length !== ours.length) out.push({ path, aws, stepwise: ours });
    else aws.forEach((a, i) => compareValue(`${path}/${i}`, key, a, ours[i]!, out));
    return;
  }
  if (aws !== null && typeof aws === 'object' && !Array.isArray(aws) && ours !== null && typeof ours === 'object' && !Array.isArray(ours)) {
    for (const k of Object.keys(aws)) {
      if (!Object.hasOwn(ours, k)) out.push({ path: `${path}/${k}`, aws: aws[k]!, stepwise: ABSENT });
    }
    for (const k of Object.keys(ours)) {
      if (!Object.hasOwn(aws, k)) out.push({ path: `${path}/${k}`, aws: ABSENT, stepwise: ours[k]! });
      else compareValue(`${path}/${k}`, k, aws[k]!, ours[k]!, out);
    }
    return;
  }
  if (JSON.stringify(aws) !== JSON.stringify(ours)) out.push({ path, aws, stepwise: ours });
}

/** Index pairs of a longest common subsequence of two type sequences. */
function alignTypes(a: readonly string[], b: readonly string[]): [number, number][] {
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
  }
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < a.length && j < b.length; ) {
    if (a[i] === b[j]) pairs.push([i++, j++]);
    else if (lcs[i + 1]![j]! >= lcs[i]![j + 1]!) i++;
    else j++;
  }
  return pairs;
}

function compareHistories(fixture: Fixture, result: Replay): Difference[] {
  const out: Difference[] = [];
  const { diagnostics } = validateDefinition(JSON.stringify(fixture.definition));
  const errors = diagnostics.filter((d) => d.severity === 'ERROR');
  if (errors.length > 0) out.push({ path: 'definition', aws: 'accepted', stepwise: errors.map((d) => `${d.code}: ${d.message}`) });
  if (result.unscripted.length > 0) out.push({ path: 'calls', aws: [], stepwise: result.unscripted });
  if (result.errors.length > 0) out.push({ path: 'errors', aws: [], stepwise: result.errors });

  const recorded = fixture.events;
  const ours = result.history.map((e) => {
    const shaped = awsHistoryEvent(e);
    const key = detailsKey(e.type);
    if (shaped[key] !== undefined) shaped[key] = parseLikeRecorder(shaped[key]);
    return shaped;
  });
  const awsTypes = recorded.map((e) => e['type'] as string);
  const ourTypes = ours.map((e) => e['type'] as string);
  if (JSON.stringify(awsTypes) !== JSON.stringify(ourTypes)) out.push({ path: 'types', aws: awsTypes, stepwise: ourTypes });
  // Field by field: the events of the longest common subsequence of types; ids only while the
  // sequences agree (after an event more or less, every later id differs by as much).
  const pairs = alignTypes(awsTypes, ourTypes);
  const agreeing = awsTypes.findIndex((t, i) => t !== ourTypes[i]);
  for (const [i, j] of pairs) {
    const a = recorded[i]!;
    const o = ours[j]!;
    const type = awsTypes[i]!;
    const at = `${a['id'] as number}:${type}`;
    const key = detailsKey(type);
    const shifted = agreeing >= 0 && i >= agreeing;
    for (const k of new Set([...Object.keys(a), ...Object.keys(o)])) {
      if (k === 'type' || (shifted && (k === 'id' || k === 'previousEventId'))) continue;
      if (k === key && a[k] !== undefined && o[k] !== undefined) compareValue(at, k, a[k]!, o[k]!, out);
      else if (!Object.hasOwn(a, k)) out.push({ path: `${at}/${k}`, aws: ABSENT, stepwise: o[k]! });
      else if (!Object.hasOwn(o, k)) out.push({ path: `${at}/${k}`, aws: a[k]!, stepwise: ABSENT });
      else compareValue(`${at}/${k}`, k, a[k]!, o[k]!, out);
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------

const fixtures = loadFixtures();
/** TASK_RECORDINGS_DUMP=<file>: every case's differences, one JSON line per case (to review them, or list them). */
const DUMP = process.env['TASK_RECORDINGS_DUMP'];
const known = (JSON.parse(readFileSync(join(DIR, 'known-differences.json'), 'utf8')) as { differences: KnownDifference[] }).differences;

const glob = (pattern: string) => new RegExp(`^${pattern.split('*').map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('[\\s\\S]*')}$`);
const casesOf = (k: KnownDifference) => (Array.isArray(k.case) ? k.case : [k.case]);
const matches = (k: KnownDifference, d: Difference) =>
  glob(k.path).test(d.path) && (k.aws === undefined || JSON.stringify(k.aws) === JSON.stringify(d.aws)) && (k.stepwise === undefined || JSON.stringify(k.stepwise) === JSON.stringify(d.stepwise));

describe('Task-state histories against AWS recordings (LocalStack snapshots)', () => {
  it('has the converted recordings, and known differences only for them', () => {
    expect(fixtures.length).toBeGreaterThanOrEqual(40);
    const names = new Set(fixtures.map((f) => f.name));
    expect(known.flatMap(casesOf).filter((c) => !names.has(c))).toEqual([]);
    expect(known.filter((k) => !k.reason)).toEqual([]);
  });

  it.each(fixtures.flatMap((f) => MODES.map((mode) => [f.name, mode, f] as const)))('%s (%s home)', async (_name, mode, fixture) => {
    const result = await replay(fixture, mode);
    const differences = compareHistories(fixture, result);
    if (DUMP) appendFileSync(DUMP, `${JSON.stringify({ case: fixture.name, mode, differences, history: result.history.map(awsHistoryEvent) })}\n`);
    const listed = known.filter((k) => casesOf(k).includes(fixture.name) && (k.mode === undefined || k.mode === mode));
    const unlisted = differences.filter((d) => !listed.some((k) => matches(k, d)));
    const gone = listed.filter((k) => !differences.some((d) => matches(k, d)));
    expect({ unlisted, gone }, `${fixture.name}: differences from AWS not in known-differences.json, or listed there and gone`).toEqual({ unlisted: [], gone: [] });
  });
});
