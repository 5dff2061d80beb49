import type { ExecutionInfo, StateMachineInfo } from '../asl/context-object.js';
import type { StateMachineDefinition } from '../asl/definition.js';
import { States } from '../asl/errors.js';
import type { Command, Frame, FrameEvent, HistoryEvent } from '../asl/frame.js';
import type { Json } from '../asl/json.js';
import { jsonText, parseJsonText } from '../asl/json-text.js';
import { compileMachine, type Machine } from '../asl/machine.js';
import { run, settle, type Op } from '../asl/op.js';
import { advance, type StepResult } from '../asl/step.js';
import { executionArn as makeExecutionArn, expressExecutionArn, stateMachineNameOf, type Partition } from './arns.js';
import { executionEvent, failureDetails, startedDetails, succeededDetails } from './history.js';
import type { Clock, ExecutionEnd, ExecutionRecord, ExecutionStore, IdSource, StateMachineRecord, StepCommit, StepMessage, StepQueue, TaskInvoker } from './ports.js';

export interface EnginePorts {
  readonly store: ExecutionStore;
  readonly queue: StepQueue;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly tasks: TaskInvoker;
  readonly partition: Partition;
  /**
   * Local home: run a frame's next state, and a parent's join, in the same step loop instead of a
   * queue round trip. The AWS home keeps one state transition per message.
   */
  readonly inline?: boolean;
}

export type StartOutcome = { kind: 'started'; execution: ExecutionRecord } | { kind: 'exists'; execution: ExecutionRecord };

const ROOT_FRAME_ID = 'root';

/** After a step: the execution's next event id, and what to step next inline (if anything); undefined when the step was dropped. */
type StepOutcome = { nextEventId: number; next?: { frame: Frame; event: FrameEvent } } | undefined;
const RUN: FrameEvent = { kind: 'run' };
const WAKE: FrameEvent = { kind: 'wake' };
/** How many steps one message may run inline before the rest of the chain goes back to the queue. */
const INLINE_STEPS_PER_MESSAGE = 256;

/**
 * The step engine: loads a frame, calls the pure `advance`, commits frame + history atomically
 * (guarded by the frame's sequence), then acts on the commands. Duplicate and late messages find the
 * frame's sequence moved on and change nothing.
 */
export class Engine {
  private readonly machines = new Map<string, Machine>();
  private readonly waiters = new Map<string, ((execution: ExecutionRecord) => void)[]>();
  /** The context object's execution and state machine parts, made once per execution rather than once per step. */
  private readonly infos = new Map<string, { execution: ExecutionInfo; stateMachine: StateMachineInfo }>();

  constructor(private readonly ports: EnginePorts) {}

  /** Starts an execution; an existing one of that name is returned as such (the API decides what it means). */
  async start(stateMachine: StateMachineRecord, name: string, input: string): Promise<StartOutcome> {
    const { store, clock, ids, partition } = this.ports;
    const now = clock.now();
    const arn = stateMachine.type === 'EXPRESS' ? expressExecutionArn(partition, stateMachine.name, name, ids.uuid()) : makeExecutionArn(partition, stateMachine.name, name);
    const { definition } = this.machine(stateMachine.definition);
    const execution: ExecutionRecord = {
      executionArn: arn,
      stateMachineArn: stateMachine.stateMachineArn,
      name,
      type: stateMachine.type,
      status: 'RUNNING',
      input,
      startDate: now,
      definition: stateMachine.definition,
      roleArn: stateMachine.roleArn,
      revisionId: stateMachine.revisionId,
      redriveCount: 0,
      nextEventId: 2,
      ...(definition.TimeoutSeconds === undefined ? {} : { deadline: now + definition.TimeoutSeconds * 1000 }),
    };
    const started = executionEvent(1, 0, now, 'ExecutionStarted', startedDetails(input, stateMachine.roleArn));
    const root: Frame = {
      id: ROOT_FRAME_ID,
      scopeKey: '',
      sequence: 0,
      stateName: definition.StartAt,
      input: parseJsonText(input),
      phase: 'enter',
      enteredEventId: 0,
      enteredAt: now,
      lastEventId: 0,
      attempts: [],
      variables: {},
    };
    if (!(await store.createExecution(execution, root, [started]))) {
      const existing = await store.getExecution(arn);
      if (existing) return { kind: 'exists', execution: existing };
      throw new Error(`execution ${arn} could not be created`);
    }
    if (execution.deadline !== undefined) {
      this.ports.queue.enqueue({ executionArn: arn, frameId: ROOT_FRAME_ID, sequence: -1, event: { kind: 'executionTimeout' } }, { delayMs: execution.deadline - now });
    }
    this.ports.queue.enqueue({ executionArn: arn, frameId: ROOT_FRAME_ID, sequence: 0, event: { kind: 'run' } });
    return { kind: 'started', execution };
  }

  /** Resolves once the execution is no longer RUNNING (StartSyncExecution). */
  async completion(executionArn: string): Promise<ExecutionRecord> {
    const current = await this.ports.store.getExecution(executionArn);
    if (current && current.status !== 'RUNNING') return current;
    return new Promise((resolve) => {
      const list = this.waiters.get(executionArn) ?? [];
      list.push(resolve);
      this.waiters.set(executionArn, list);
    });
  }

  async stop(executionArn: string, error: string | undefined, cause: string | undefined): Promise<ExecutionRecord | undefined> {
    const execution = await this.ports.store.getExecution(executionArn);
    if (!execution || execution.status !== 'RUNNING') return execution;
    const details = failureDetails(error, cause);
    const finished: ExecutionRecord = { ...execution, status: 'ABORTED', stopDate: this.ports.clock.now(), ...optional('error', error), ...optional('cause', cause) };
    await this.endFromOutside(finished, 'ExecutionAborted', details);
    return finished;
  }

  /** One step message: the whole of what a Lambda invocation (AWS) or a queue turn (local) does. */
  async process(message: StepMessage): Promise<void> {
    const { store } = this.ports;
    const execution = await store.getExecution(message.executionArn);
    if (!execution || execution.status !== 'RUNNING') return;
    if (message.event.kind === 'executionTimeout') return this.timeOut(execution);
    const first = await store.getFrame(execution.executionArn, message.frameId);
    // A duplicate delivery, a timer for a state already left, a cancelled sibling: nothing to do.
    if (!first || (message.sequence >= 0 && first.sequence !== message.sequence)) return;
    let frame: Frame = first;
    let event: FrameEvent = message.event;
    let nextEventId = execution.nextEventId;
    for (let budget = INLINE_STEPS_PER_MESSAGE; ; budget--) {
      const stepping: StepOutcome | Promise<StepOutcome> = run(this.step(execution, nextEventId, frame, event));
      const outcome: StepOutcome = stepping instanceof Promise ? await stepping : stepping;
      if (!outcome?.next) return;
      nextEventId = outcome.nextEventId;
      ({ frame, event } = outcome.next);
      if (budget <= 1) {
        // A long chain (or an endless loop) gives way to other executions: it goes on from the queue.
        const sequence = event.kind === 'childSucceeded' || event.kind === 'childFailed' ? -1 : frame.sequence;
        this.enqueue(execution, frame, event, 0, false, sequence);
        return;
      }
    }
  }

  /**
   * One transition of one frame. `execution` holds what does not change while it runs; the event
   * counter is threaded through separately so that a step copies no records.
   */
  private *step(
    execution: ExecutionRecord,
    firstEventId: number,
    frame: Frame,
    event: FrameEvent,
  ): Op<StepOutcome> {
    const { store, clock } = this.ports;
    const now = clock.now();
    let result: StepResult;
    try {
      const advanced = advance(this.machine(execution.definition), frame, event, {
        now,
        nextEventId: firstEventId,
        entropy: this.ports.ids,
        ...this.contextInfo(execution),
      });
      // Synchronous unless a JSONata expression was evaluated: no microtask for a JSONPath step.
      result = yield* settle(advanced);
    } catch (e) {
      // A defect of ours must not leave the execution RUNNING: fail it, visibly, as States.Runtime.
      const current = (yield* settle(store.getExecution(execution.executionArn))) ?? execution;
      yield* settle(this.failFromOutside(current, States.Runtime, `Internal error in Stepwise while executing state '${frame.stateName}': ${e instanceof Error ? e.message : String(e)}`));
      return undefined;
    }

    const events = result.events as HistoryEvent[];
    let nextEventId = firstEventId + events.length;
    let newFrames: Frame[] | undefined;
    let removed: string[] | undefined;
    const after: (() => void)[] = [];
    let next: { frame: Frame; event: FrameEvent } | undefined;
    let parentEvent: FrameEvent | undefined;
    let end: ExecutionEnd | undefined;

    for (const command of result.commands) {
      switch (command.kind) {
        case 'continue':
          if (this.ports.inline) next = { frame: result.frame, event: RUN };
          else after.push(() => this.enqueue(execution, result.frame, RUN));
          break;
        case 'sleep':
          after.push(() => this.enqueue(execution, result.frame, WAKE, Math.max(0, command.at - now)));
          break;
        case 'startChildren':
          (newFrames ??= []).push(...command.children);
          after.push(() => {
            for (let i = command.children.length - 1; i >= 0; i--) this.enqueue(execution, command.children[i]!, RUN, 0, true);
          });
          break;
        case 'cancelChildren':
          (removed ??= []).push(...(yield* this.descendants(execution.executionArn, frame.id)));
          break;
        case 'invokeTask':
          after.push(() => this.invokeTask(execution, result.frame, command));
          break;
        case 'succeed':
        case 'fail':
          (removed ??= []).push(frame.id);
          if (command.kind === 'fail' && (command.terminal || frame.parentId === undefined)) {
            events.push(executionEvent(nextEventId++, result.frame.lastEventId, now, 'ExecutionFailed', failureDetails(command.error, command.cause)));
            end = { status: 'FAILED', stopDate: now, ...optional('error', command.error || undefined), ...optional('cause', command.cause) };
          } else if (command.kind === 'succeed' && frame.parentId === undefined) {
            events.push(executionEvent(nextEventId++, result.frame.lastEventId, now, 'ExecutionSucceeded', succeededDetails(command.output)));
            end = { status: 'SUCCEEDED', stopDate: now, output: jsonText(command.output) };
          } else {
            parentEvent =
              command.kind === 'succeed'
                ? { kind: 'childSucceeded', index: frame.index ?? 0, output: command.output, lastEventId: result.frame.lastEventId }
                : { kind: 'childFailed', index: frame.index ?? 0, error: command.error, ...optional('cause', command.cause), lastEventId: result.frame.lastEventId };
          }
          break;
      }
    }
    if (end) {
      // The execution is over: nothing it asked for happens any more.
      after.length = 0;
      next = undefined;
      parentEvent = undefined;
    }

    const commit: { -readonly [K in keyof StepCommit]: StepCommit[K] } = { executionArn: execution.executionArn, nextEventId, frame: result.frame, expectedSequence: frame.sequence, events };
    if (removed) commit.removedFrameIds = removed;
    if (end) commit.end = end;
    if (newFrames) commit.newFrames = newFrames;
    const committed = yield* settle(store.commitStep(commit));
    if (!committed) return undefined;
    // Commit before enqueue: if the process dies in between, the message comes again, the frame's
    // sequence refuses it, and nothing runs twice.
    for (const action of after) action();
    if (end) {
      this.notifyDone({ ...execution, nextEventId, ...end });
      return { nextEventId };
    }
    if (parentEvent && frame.parentId !== undefined) {
      const parent = yield* settle(store.getFrame(execution.executionArn, frame.parentId));
      if (!parent) return { nextEventId };
      if (this.ports.inline) return { nextEventId, next: { frame: parent, event: parentEvent } };
      this.enqueue(execution, parent, parentEvent, 0, false, -1);
    }
    return next ? { nextEventId, next } : { nextEventId };
  }

  private enqueue(execution: ExecutionRecord, frame: Frame, event: FrameEvent, delayMs = 0, urgent = false, sequence = frame.sequence): void {
    this.ports.queue.enqueue({ executionArn: execution.executionArn, frameId: frame.id, sequence, event }, { delayMs, urgent });
  }

  private invokeTask(execution: ExecutionRecord, frame: Frame, command: Command & { kind: 'invokeTask' }): void {
    void this.ports.tasks.invoke(command.task, execution).then(
      (outcome) => {
        const event: FrameEvent = outcome.ok ? { kind: 'taskSucceeded', output: outcome.output } : { kind: 'taskFailed', error: outcome.error, ...optional('cause', outcome.cause) };
        this.enqueue(execution, frame, event);
      },
      (e: unknown) => this.enqueue(execution, frame, { kind: 'taskFailed', error: States.TaskFailed, cause: e instanceof Error ? e.message : String(e) }),
    );
  }

  private *descendants(executionArn: string, frameId: string): Op<string[]> {
    const out: string[] = [];
    for (const child of yield* settle(this.ports.store.childFrameIds(executionArn, frameId))) {
      out.push(child, ...(yield* this.descendants(executionArn, child)));
    }
    return out;
  }

  private async timeOut(execution: ExecutionRecord): Promise<void> {
    const now = this.ports.clock.now();
    if (execution.deadline === undefined || now < execution.deadline) return;
    // AWS reports a timed-out execution without an error or cause in DescribeExecution.
    const finished: ExecutionRecord = { ...execution, status: 'TIMED_OUT', stopDate: now };
    await this.endFromOutside(finished, 'ExecutionTimedOut', {});
  }

  private async failFromOutside(execution: ExecutionRecord, error: string, cause: string): Promise<void> {
    const finished: ExecutionRecord = { ...execution, status: 'FAILED', stopDate: this.ports.clock.now(), error, cause };
    await this.endFromOutside(finished, 'ExecutionFailed', failureDetails(error, cause));
  }

  private async endFromOutside(finished: ExecutionRecord, type: 'ExecutionAborted' | 'ExecutionTimedOut' | 'ExecutionFailed', details: Record<string, Json>): Promise<void> {
    const history = await this.ports.store.history(finished.executionArn);
    const previous = history[history.length - 1]?.id ?? 0;
    const event = executionEvent(finished.nextEventId, previous, finished.stopDate ?? this.ports.clock.now(), type, details);
    const record = { ...finished, nextEventId: finished.nextEventId + 1 };
    if (await this.ports.store.finishExecution(record, [event])) this.notifyDone(record);
  }

  private contextInfo(execution: ExecutionRecord): { execution: ExecutionInfo; stateMachine: StateMachineInfo } {
    let info = this.infos.get(execution.executionArn);
    if (!info) {
      info = { execution: executionInfo(execution), stateMachine: { Id: execution.stateMachineArn, Name: stateMachineNameOf(execution.stateMachineArn) } };
      if (this.infos.size > 10_000) this.infos.clear();
      this.infos.set(execution.executionArn, info);
    }
    return info;
  }

  private notifyDone(execution: ExecutionRecord): void {
    this.infos.delete(execution.executionArn);
    const list = this.waiters.get(execution.executionArn);
    if (!list) return;
    this.waiters.delete(execution.executionArn);
    for (const resolve of list) resolve(execution);
  }

  private machine(definitionText: string): Machine {
    let machine = this.machines.get(definitionText);
    if (!machine) {
      machine = compileMachine(JSON.parse(definitionText) as StateMachineDefinition);
      if (this.machines.size > 1000) this.machines.clear();
      this.machines.set(definitionText, machine);
    }
    return machine;
  }
}

function optional<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

function executionInfo(execution: ExecutionRecord): ExecutionInfo {
  return {
    Id: execution.executionArn,
    Input: JSON.parse(execution.input) as Json,
    Name: execution.name,
    RoleArn: execution.roleArn,
    StartTime: new Date(execution.startDate).toISOString(),
    RedriveCount: execution.redriveCount,
  };
}

