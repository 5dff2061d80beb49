import { createHash } from 'node:crypto';
import { States } from '../asl/errors.js';
import type { Frame, FrameEvent, PendingTask } from '../asl/frame.js';
import type { Json, JsonObject } from '../asl/json.js';
import { jsonText, parseJsonText } from '../asl/json-text.js';
import { parseTaskTarget, type TaskTarget } from '../asl/task-target.js';
import { withSdkMetadata } from '../integrations/sdk-values.js';
import type { EnginePorts } from './engine.js';
import type { ActivityTask, ExecutionRecord, OutboxEntry, ParentTask, StateMachineRecord, StepMessage } from './ports.js';

/** How an answered token's task ends: its output, or an error. */
export type TaskAnswer = { readonly ok: true; readonly output: Json } | { readonly ok: false; readonly error: string; readonly cause?: string };

/**
 * `invalid`: not a token this runtime could have made (AWS's InvalidToken); `unknown`: one of its shape
 * that no task holds, or no longer (TaskDoesNotExist); `timedOut`: the task is over (TaskTimedOut).
 */
export type TokenOutcome = 'ok' | 'invalid' | 'unknown' | 'timedOut';

/** The shape of the tokens `randomIds.taskToken` makes (lib/adapters/memory/clock-and-ids.ts). */
const TASK_TOKEN = /^AQ[A-Za-z0-9_-]{64}$/;

export type TaskPorts = Pick<EnginePorts, 'store' | 'queue' | 'clock' | 'ids' | 'tasks' | 'tokens' | 'activities'>;

/** What the runtime offers the `states` integration: starting an execution of one of its own machines. */
export type StartChild = (stateMachine: StateMachineRecord, name: string, input: string, parent?: ParentTask) => Promise<ExecutionRecord>;

/** A token lives as long as its task may (a Standard execution's year), and a day for late answers. */
const TOKEN_LIFETIME_MS = 366 * 24 * 3600 * 1000;

/**
 * The runtime side of Task states: hands a frame's pending task to whoever does the work (the
 * TaskInvoker, an activity's workers, a child execution), keeps its token, and turns answers,
 * heartbeats and worker pick-ups into messages for the frame. Every answer reaches the frame as a
 * message naming the task's id; the interpreter drops any that come for a task it no longer runs.
 */
export class TaskRunner {
  constructor(
    private readonly ports: TaskPorts,
    private readonly startChild: StartChild,
  ) {}

  /**
   * Hands the frame's pending task out. Returns the event that answers it at once (a call's result,
   * a `.waitForTaskToken` request's submission), or undefined when the answer comes later.
   */
  async dispatch(execution: ExecutionRecord, frame: Frame, resource: string): Promise<FrameEvent | undefined> {
    const task = frame.task!;
    const target = parseTaskTarget(resource);
    const taskId = task.id;
    const failed = (error: string, cause?: string, scheduleFailed?: boolean): FrameEvent => ({ kind: 'taskFailed', taskId, error, ...(cause === undefined ? {} : { cause }), ...(scheduleFailed ? { scheduleFailed } : {}) });
    if (target === undefined) return failed(States.Runtime, `The resource provided ${resource} is not recognized.`);
    if (task.token !== undefined) await this.keepToken(execution, frame, task, target.kind === 'activity' ? target.arn : undefined);

    if (target.kind === 'activity') {
      if (!(await this.ports.activities.getActivity(target.arn))) return failed(States.Runtime, `The activity ${target.arn} does not exist.`, true);
      await this.ports.activities.enqueueTask({ activityArn: target.arn, token: task.token!, input: jsonText(task.parameters), scheduledAt: this.ports.clock.now() });
      return undefined;
    }
    if (target.service === 'states') return this.startExecution(execution, frame, task, target);
    // Refused before the call: the job would start, and nothing here would follow it to its end.
    if (target.pattern === 'sync' || target.pattern === 'sync2') return failed(States.Runtime, `The '.${target.pattern === 'sync2' ? 'sync:2' : 'sync'}' pattern of ${target.service}:${target.action} is not supported by Stepwise.`);

    let outcome;
    try {
      outcome = await this.ports.tasks.invoke({
        target,
        parameters: task.parameters,
        executionArn: execution.executionArn,
        roleArn: execution.roleArn,
        ...(task.timeoutSeconds === undefined ? {} : { timeoutMs: task.timeoutSeconds * 1000 }),
      });
    } catch (e) {
      outcome = { ok: false as const, error: States.TaskFailed, cause: e instanceof Error ? e.message : String(e) };
    }
    // The call gave up at the state's TimeoutSeconds: the state timed out (its timer may be a moment late).
    if (!outcome.ok && outcome.error === States.Timeout && outcome.cause === undefined) return { kind: 'taskTimedOut', taskId };
    if (!outcome.ok) return failed(outcome.error, outcome.cause);
    if (target.pattern === 'waitForTaskToken') return { kind: 'taskSubmitted', taskId, output: outcome.output };
    return { kind: 'taskSucceeded', taskId, output: outcome.output };
  }

  /** The heartbeat deadline a heartbeat timer should wait for now, if a heartbeat moved it past `now`. */
  async laterHeartbeat(frame: Frame): Promise<number | undefined> {
    const token = frame.task?.token;
    if (token === undefined) return undefined;
    const record = await this.ports.tokens.getToken(token);
    const deadline = record?.status === 'open' ? record.heartbeatDeadline : undefined;
    return deadline !== undefined && deadline > this.ports.clock.now() ? deadline : undefined;
  }

  /** SendTaskSuccess / SendTaskFailure: the first answer to an open token wins. */
  async answer(token: string, answer: TaskAnswer): Promise<TokenOutcome> {
    const { tokens, queue } = this.ports;
    const record = await tokens.getToken(token);
    if (!record) return missing(token);
    if (record.status !== 'open' || !(await this.stillWaiting(record.executionArn, record.frameId, record.taskId))) return 'timedOut';
    if (!(await tokens.closeToken(token))) return 'timedOut';
    const event: FrameEvent = answer.ok
      ? { kind: 'taskSucceeded', taskId: record.taskId, output: answer.output }
      : { kind: 'taskFailed', taskId: record.taskId, error: answer.error, ...(answer.cause === undefined ? {} : { cause: answer.cause }) };
    try {
      await queue.send([{ message: this.message(record.executionArn, record.frameId, event) }]);
    } catch (e) {
      // Not delivered: the token takes an answer again (the caller retries).
      await tokens.reopenToken(token);
      throw e;
    }
    return 'ok';
  }

  /** SendTaskHeartbeat: the task's heartbeat deadline moves to HeartbeatSeconds from now. */
  async heartbeat(token: string): Promise<TokenOutcome> {
    const { tokens, clock } = this.ports;
    const record = await tokens.getToken(token);
    if (!record) return missing(token);
    if (record.status !== 'open' || !(await this.stillWaiting(record.executionArn, record.frameId, record.taskId))) return 'timedOut';
    const now = clock.now();
    const deadline = record.heartbeatSeconds === undefined ? undefined : now + record.heartbeatSeconds * 1000;
    const ok = await tokens.heartbeat(token, deadline ?? now, Math.ceil((now + TOKEN_LIFETIME_MS) / 1000));
    return ok ? 'ok' : 'timedOut';
  }

  /**
   * GetActivityTask: the oldest task of the activity whose state still waits for it, claimed for this
   * worker alone; waits up to `waitMs` for one. A task whose state gave up (timed out before a worker
   * came) is skipped.
   */
  async claimActivityTask(activityArn: string, workerName: string | undefined, waitMs: number, signal?: AbortSignal): Promise<ActivityTask | undefined> {
    const { activities, tokens, clock, queue } = this.ports;
    const until = clock.now() + waitMs;
    for (;;) {
      if (signal?.aborted) return undefined;
      const task = await activities.claimTask(activityArn);
      if (task) {
        const record = await tokens.getToken(task.token);
        if (record && record.status === 'open' && (await this.stillWaiting(record.executionArn, record.frameId, record.taskId))) {
          const now = clock.now();
          if (record.heartbeatSeconds !== undefined) await tokens.heartbeat(task.token, now + record.heartbeatSeconds * 1000, record.expiresAt);
          const started: FrameEvent = { kind: 'taskStarted', taskId: record.taskId, ...(workerName === undefined ? {} : { workerName }) };
          await queue.send([{ message: this.message(record.executionArn, record.frameId, started) }]);
          return task;
        }
        continue;
      }
      const left = until - clock.now();
      if (left <= 0 || signal?.aborted) return undefined;
      await activities.taskMayBeWaiting(activityArn, left, signal);
    }
  }

  /**
   * What a `.sync` child execution's end sends its parent's task: the outcome AWS reports. It goes
   * out with the child's last step (its outbox), so it is sent again should that step be redelivered.
   */
  parentAnswer(child: ExecutionRecord): OutboxEntry | undefined {
    const parent = child.parentTask;
    if (!parent) return undefined;
    const description = syncDescription(child, parent.pattern);
    const event: FrameEvent =
      child.status === 'SUCCEEDED'
        ? { kind: 'taskSucceeded', taskId: parent.taskId, output: description }
        : { kind: 'taskFailed', taskId: parent.taskId, error: States.TaskFailed, cause: jsonText(description) };
    return { message: this.message(parent.executionArn, parent.frameId, event) };
  }

  private async keepToken(execution: ExecutionRecord, frame: Frame, task: PendingTask, activityArn: string | undefined): Promise<void> {
    const now = this.ports.clock.now();
    const heartbeats = task.heartbeatSeconds !== undefined && activityArn === undefined;
    await this.ports.tokens.putToken({
      token: task.token!,
      executionArn: execution.executionArn,
      frameId: frame.id,
      taskId: task.id,
      status: 'open',
      ...(task.heartbeatSeconds === undefined ? {} : { heartbeatSeconds: task.heartbeatSeconds }),
      ...(heartbeats ? { heartbeatDeadline: now + task.heartbeatSeconds! * 1000 } : {}),
      expiresAt: Math.ceil((now + TOKEN_LIFETIME_MS) / 1000),
      ...(activityArn === undefined ? {} : { activityArn }),
    });
  }

  /** Whether the execution still runs and the frame still waits for that task. */
  private async stillWaiting(executionArn: string, frameId: string, taskId: number): Promise<boolean> {
    const execution = await this.ports.store.getExecution(executionArn);
    if (!execution || execution.status !== 'RUNNING') return false;
    const stored = await this.ports.store.getFrame(executionArn, frameId);
    return stored !== undefined && !stored.finished && stored.frame.phase === 'task' && stored.frame.task?.id === taskId;
  }

  private message(executionArn: string, frameId: string, event: FrameEvent): StepMessage {
    return { executionArn, frameId, sequence: -1, event };
  }

  /** `arn:aws:states:::states:startExecution` (and `.sync`, `.sync:2`, `.waitForTaskToken`): a child execution of one of this runtime's machines. */
  private async startExecution(execution: ExecutionRecord, frame: Frame, task: PendingTask, target: TaskTarget): Promise<FrameEvent> {
    const taskId = task.id;
    const parameters = (typeof task.parameters === 'object' && task.parameters !== null && !Array.isArray(task.parameters) ? task.parameters : {}) as JsonObject;
    const arn = parameters['StateMachineArn'];
    const fail = (code: string, message: string): FrameEvent => ({
      kind: 'taskFailed',
      taskId,
      error: `StepFunctions.${code}Exception`,
      cause: `${message} (Service: AWSStepFunctions; Status Code: 400; Error Code: ${code}; Request ID: ${this.ports.ids.uuid()}; Proxy: null)`,
    });
    if (target.action !== 'startExecution') return fail('InvalidParameterValue', `Unsupported action ${target.action}`);
    if (typeof arn !== 'string') return fail('InvalidArn', 'Invalid Arn: StateMachineArn is required');
    const stateMachine = await this.ports.store.getStateMachine(arn);
    if (!stateMachine) return fail('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    // AWS serialises a non-string Input itself; no Input is `{}`.
    const rawInput = parameters['Input'];
    const input = typeof rawInput === 'string' ? rawInput : jsonText(rawInput ?? {});
    // No Name: one derived from the task, so that the same task dispatched twice starts one child.
    const name = typeof parameters['Name'] === 'string' ? parameters['Name'] : uuidFrom(`${execution.executionArn}/${frame.id}/${taskId}`);
    const parent: ParentTask | undefined = target.pattern === 'sync' || target.pattern === 'sync2' ? { executionArn: execution.executionArn, frameId: frame.id, taskId, pattern: target.pattern } : undefined;
    let child: ExecutionRecord;
    try {
      child = await this.startChild(stateMachine, name, input, parent);
    } catch (e) {
      const code = typeof e === 'object' && e !== null && 'code' in e ? String((e as { code: unknown }).code) : 'StepFunctions';
      return fail(code, e instanceof Error ? e.message : String(e));
    }
    // The response StartExecution would have had: its body's length, the headers AWS's SDK records.
    const requestId = this.ports.ids.uuid();
    const body = JSON.stringify({ executionArn: child.executionArn, startDate: child.startDate / 1000 });
    const headers: [string, string][] = [
      ['x-amzn-RequestId', requestId],
      ['connection', 'keep-alive'],
      ['Content-Length', String(Buffer.byteLength(body))],
      ['Date', new Date(this.ports.clock.now()).toUTCString()],
      ['Content-Type', 'application/x-amz-json-1.0'],
    ];
    const http = { statusCode: 200, headers };
    const output = withSdkMetadata({ ExecutionArn: child.executionArn, StartDate: child.startDate }, http, requestId);
    if (target.pattern === 'requestResponse') return { kind: 'taskSucceeded', taskId, output };
    return { kind: 'taskSubmitted', taskId, output };
  }
}

function missing(token: string): TokenOutcome {
  return TASK_TOKEN.test(token) ? 'unknown' : 'invalid';
}

function uuidFrom(text: string): string {
  const hex = createHash('sha256').update(text).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-4${hex.slice(13, 16)}-a${hex.slice(17, 20)}-${hex.slice(20, 32)}`;
}

/** DescribeExecution as a `.sync` task reports it (`.sync:2` parses Input and Output). */
function syncDescription(child: ExecutionRecord, pattern: 'sync' | 'sync2'): JsonObject {
  const json = (text: string): Json => (pattern === 'sync2' ? parseJsonText(text) : text);
  const description: JsonObject = {
    ExecutionArn: child.executionArn,
    Input: json(child.input),
    InputDetails: { Included: true },
    Name: child.name,
  };
  if (child.output !== undefined) {
    description['Output'] = json(child.output);
    description['OutputDetails'] = { Included: true };
  }
  if (child.error !== undefined) description['Error'] = child.error;
  if (child.cause !== undefined) description['Cause'] = child.cause;
  description['StartDate'] = child.startDate;
  description['StateMachineArn'] = child.stateMachineArn;
  description['Status'] = child.status;
  if (child.stopDate !== undefined) description['StopDate'] = child.stopDate;
  return description;
}
