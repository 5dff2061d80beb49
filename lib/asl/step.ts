import type { ExecutionInfo, StateMachineInfo } from './context-object.js';
import { contextObject } from './context-object.js';
import type { Catcher, QueryLanguage, StateDefinition } from './definition.js';
import { States, StatesError, UnnamedTaskError } from './errors.js';
import { joinChildPrefix, nextFrame, NO_ATTEMPTS, NOT_TRUNCATED, type Command, type Frame, type FrameEvent, type HistoryEvent } from './frame.js';
import { jsonataIo } from './io/jsonata-io.js';
import { QueryEvaluationError } from './jsonata/index.js';
import { jsonPathFlow, jsonPathIo } from './io/jsonpath-io.js';
import type { IoScope, StateIo } from './io/state-io.js';
import type { Json, JsonObject } from './json.js';
import { jsonText } from './json-text.js';
import { pushPassRunEvents, type PassRun } from './pass-run.js';
import { queryLanguageOf, scopeOf, stateOf, type Machine, type PassThrough } from './machine.js';
import type { Entropy, Variables } from './paths/scope.js';
import { findCatcher, retryDecision } from './retry.js';
import { jsonPathChoiceNext, runChoice } from './states/choice.js';
import { runFail } from './states/fail.js';
import { onMapChildFailed, onMapChildSucceeded, startMap } from './states/map.js';
import { onParallelChildFailed, onParallelChildSucceeded, startParallel } from './states/parallel.js';
import { jsonPathPassResult, runPass } from './states/pass.js';
import { runSucceed } from './states/succeed.js';
import { onTaskEvent, startTask } from './states/task.js';
import { enterWait, wakeWait } from './states/wait.js';
import { finished, run, type Op } from './op.js';

/** What only the runtime knows, handed in so that this code needs no clock, randomness or storage. */
export interface StepEnv {
  /** Epoch ms: the time of every event this step records. */
  readonly now: number;
  /** The first history event id this step may use; ids are dense per execution. */
  readonly nextEventId: number;
  readonly entropy: Entropy;
  readonly execution: ExecutionInfo;
  readonly stateMachine: StateMachineInfo;
  /**
   * How many states this step may run one after the other (1 when absent): while a state moves on to
   * its next one and nothing else, the step goes on with that one, its events added to the same
   * result. The local home, where a step cannot conflict with another, commits a run of states at
   * once; the AWS home steps one state at a time (one transition per message).
   */
  readonly states?: number;
  /**
   * The caller takes the events of a run of pass-through states as one PassRun (StepResult.runs)
   * rather than as event objects: the local home's store writes them into its history's columns.
   */
  readonly passRuns?: boolean;
  /**
   * The step runs the children its states start (Parallel branches, Map iterations) itself, within
   * its `states`, where they come from a scope that never waits (runChildren): the local home, where
   * a step cannot conflict with another and children need not be stored to be run.
   */
  readonly runsChildren?: boolean;
}

export interface StepResult {
  readonly frame: Frame;
  readonly events: HistoryEvent[];
  readonly commands: Command[];
  /** How many states the step ran: one, unless StepEnv.states let it go on. */
  readonly states: number;
  /**
   * With StepEnv.passRuns, the events of the step's pass-through runs, in id order, which `events`
   * then leaves out (pass-run.ts `withPassRuns` puts them together).
   */
  readonly runs?: readonly PassRun[];
}

/**
 * The transition function: a frame and what happened to it in, the frame's next state, the history
 * events it records and the commands for the runtime out. Pure: same inputs, same outputs. The
 * result comes back directly unless a JSONata expression had to be awaited (op.ts).
 */
export function advance(machine: Machine, frame: Frame, event: FrameEvent, env: StepEnv): StepResult | Promise<StepResult> {
  return advanceFrom(new Step(machine, nextFrame(frame), env), event, env.states ?? 1, 0);
}

/**
 * The step's loop over its states, `states` of at most `most` run already: plain code (no generator
 * per step) until a state waits for JSONata, then the rest of the loop once it has answered.
 */
function advanceFrom(step: Step, event: FrameEvent, most: number, states: number): StepResult | Promise<StepResult> {
  for (; ; event = RUN) {
    if (event.kind === 'run') {
      const ran = step.passThrough(most - states);
      if (ran > 0) {
        states += ran;
        if (states >= most || !step.movedOn()) break;
        step.commands.pop();
        continue;
      }
    }
    states++;
    const waiting = runState(step, event);
    if (waiting !== undefined) {
      const ran = states;
      return waiting.then(() => goOn(step, most, ran));
    }
    if (step.env.runsChildren && states < most && startsChildren(step)) {
      const running = runChildren(step, [], most, states);
      if (typeof running !== 'number') return running.then((ran) => goOn(step, most, ran));
      states = running;
    }
    if (states >= most || !step.movedOn()) break;
    // The next state runs in this step: the continue it asked for is this loop's.
    step.commands.pop();
  }
  return stepResult(step, states);
}

/** After a wait, the rest of the step's loop: its next state, if the state moved on to it and `most` allows. */
function goOn(step: Step, most: number, states: number): StepResult | Promise<StepResult> {
  if (states >= most || !step.movedOn()) return stepResult(step, states);
  step.commands.pop();
  return advanceFrom(step, RUN, most, states);
}

/**
 * The children the step's state started, run in this step (StepEnv.runsChildren): each as a step of its
 * own, its events and pass-through runs then the step's, its end handed to the state's join, in the
 * order the local queue would run them (new children first, the last started first: a stack), until
 * none is left or `most` states have run. Only children of an instant scope run here (machine.ts: they
 * never wait). One that runs out of states starts as a frame where it stopped; one that fails is
 * dropped from this step (a step is pure) and starts from its message as usual, with those after it:
 * the queue runs it again, to the same events.
 */
function runChildren(step: Step, pending: Frame[], most: number, states: number): number | Promise<number> {
  // The children the state (or its join, as a child ends) started are taken at the top of each turn.
  for (;;) {
    takeStartedChildren(step, pending);
    if (pending.length === 0 || states >= most) break;
    const child = pending[pending.length - 1]!;
    if (!scopeOf(step.machine, child.scopeKey).instant) break;
    const childStep = new Step(step.machine, nextFrame(child), step.env, step.nextEventId);
    const ran = advanceFrom(childStep, RUN, most - states, 0);
    // An instant scope's step does not wait; should one, it runs again from its message.
    if (ran instanceof Promise) {
      ran.catch(() => undefined);
      break;
    }
    const end = ran.commands.length === 1 ? ran.commands[0]! : undefined;
    if (end?.kind !== 'continue' && end?.kind !== 'succeed') break;
    step.adopt(childStep);
    states += ran.states;
    if (end.kind === 'continue') {
      // Out of states: it goes on from its message, where it stopped (the sequence its first message names).
      ran.frame.sequence = child.sequence;
      pending[pending.length - 1] = ran.frame;
      break;
    }
    pending.pop();
    const waiting = runState(step, { kind: 'childSucceeded', index: child.index ?? 0, output: end.output, lastEventId: ran.frame.lastEventId });
    if (waiting !== undefined) return waiting.then(() => runChildren(step, pending, most, states));
  }
  if (pending.length > 0) step.command({ kind: 'startChildren', children: pending.reverse() });
  return states;
}

function startsChildren(step: Step): boolean {
  for (let i = 0; i < step.commands.length; i++) if (step.commands[i]!.kind === 'startChildren') return true;
  return false;
}

/** Moves the step's startChildren commands onto `pending`, the first child of each on top. */
function takeStartedChildren(step: Step, pending: Frame[]): void {
  const { commands } = step;
  for (let i = 0; i < commands.length; ) {
    const command = commands[i]!;
    if (command.kind !== 'startChildren') {
      i++;
      continue;
    }
    commands.splice(i, 1);
    for (let c = command.children.length - 1; c >= 0; c--) pending.push(command.children[c]!);
  }
}

/**
 * One state's handling of `event`: undefined when it is done, a promise when it waits. A StatesError
 * it raises, at once or after waiting, is the state's failure (Retry, Catch, or the frame fails).
 */
function runState(step: Step, event: FrameEvent): Promise<void> | undefined {
  let handled: void | Promise<void>;
  try {
    const op = step.handle(event);
    if (op === undefined) return undefined;
    handled = run(op);
  } catch (e) {
    return failState(step, e);
  }
  if (!(handled instanceof Promise)) return undefined;
  return handled.then(undefined, (e: unknown) => failState(step, e));
}

function failState(step: Step, e: unknown): Promise<void> | undefined {
  if (!(e instanceof StatesError)) throw e;
  const failing = run(step.fail(e, 'state'));
  return failing instanceof Promise ? failing : undefined;
}

/**
 * A pass-through state's output, as its handler makes it (a Choice's next state in step.chosen);
 * undefined when its data processing raises a StatesError, or a Choice matches no rule and has no
 * Default (its own handlers then run it and raise the error as a state's failure).
 */
function passOutput(step: Step, pass: PassThrough, input: Json): Json | undefined {
  try {
    const scope = step.scope();
    const state = pass.state;
    if (pass.type === 'Pass') return jsonPathFlow.output(state, input, jsonPathPassResult(state, input, scope), scope);
    const effective = jsonPathFlow.inputPathOnly(state, input, scope);
    if (pass.type === 'Choice') {
      const next = jsonPathChoiceNext(state, effective, scope);
      if (next === undefined) return undefined;
      step.chosen = next;
    }
    return jsonPathFlow.output(state, input, effective, scope);
  } catch (e) {
    if (e instanceof StatesError) return undefined;
    throw e;
  }
}

/**
 * Step.passThrough's working lists, reused by every run (a run is copied out at its exact size: a
 * record may outlive its step): the texts of its inputs and outputs, and the states it ran. They keep
 * the latest run's texts until the next run writes over them, texts its history holds anyway.
 */
const RUN_TEXTS: string[] = [];
const RUN_PATH: PassThrough[] = [];

/** Puts the first `count` states of a run from `first` on (which follow its `then` links) in RUN_PATH; returns `count`. */
function runPath(first: PassThrough, count: number): number {
  for (let pass = first, i = 0; i < count; i++, pass = pass.then!) RUN_PATH[i] = pass;
  return count;
}

function stepResult(step: Step, states: number): StepResult {
  const { frame, events, commands, runs } = step;
  return runs === undefined ? { frame, events, commands, states } : { frame, events, commands, states, runs };
}

const RUN: FrameEvent = { kind: 'run' };

type ContextExtra = { mapItem?: { Index: number; Value: Json }; taskToken?: string };

/** A frame's own variables, then those of the scopes around it (read as they were when it started). */
class FrameVariables implements Variables {
  constructor(
    private readonly own: JsonObject,
    private readonly outer: JsonObject | undefined,
  ) {}

  get(name: string): Json | undefined {
    if (Object.hasOwn(this.own, name)) return this.own[name];
    if (this.outer && Object.hasOwn(this.outer, name)) return this.outer[name];
    return undefined;
  }
}

/**
 * A state's scope; the context object and the variables are made on first use, since most states
 * read neither `$$` nor a variable.
 */
class StepScope implements IoScope {
  private built: JsonObject | undefined;
  private vars: Variables | undefined;
  readonly entropy: Entropy;
  readonly now: number;

  constructor(
    private readonly step: Step,
    private readonly extra: ContextExtra | undefined,
  ) {
    this.entropy = step.env.entropy;
    this.now = step.env.now;
  }

  get variables(): Variables {
    return (this.vars ??= this.step.variables);
  }

  get context(): JsonObject {
    return (this.built ??= this.step.context(this.extra));
  }
}

/** Where an error arose: the state's own data processing, a task's result, or a child frame. */
export type FailureOrigin = 'state' | 'task' | 'children';

/** One step in progress: the state handlers in states/ work through it. */
export class Step {
  readonly events: HistoryEvent[] = [];
  /** What the step asks of the runtime (Step.command adds one). */
  commands: Command[] = [];
  runs: PassRun[] | undefined;
  private nextId: number;
  private passLinks: ReadonlyMap<string, PassThrough> | undefined;

  constructor(
    readonly machine: Machine,
    public frame: Frame,
    readonly env: StepEnv,
    nextEventId = env.nextEventId,
  ) {
    this.nextId = nextEventId;
  }

  /** The id the next event of this step gets. */
  get nextEventId(): number {
    return this.nextId;
  }

  /** A child's step, run within this one (runChildren): its events and runs are this step's from here on. */
  adopt(child: Step): void {
    for (let i = 0; i < child.events.length; i++) this.events.push(child.events[i]!);
    if (child.runs !== undefined) {
      if (this.runs === undefined) this.runs = child.runs;
      else for (let i = 0; i < child.runs.length; i++) this.runs.push(child.runs[i]!);
    }
    this.nextId = child.nextId;
  }

  get state(): StateDefinition {
    if (this.stateName !== this.frame.stateName || this.cachedState === undefined) {
      this.stateName = this.frame.stateName;
      this.cachedState = stateOf(this.machine, this.frame.scopeKey, this.frame.stateName);
    }
    return this.cachedState;
  }

  private stateName: string | undefined;
  private cachedState: StateDefinition | undefined;

  get queryLanguage(): QueryLanguage {
    return queryLanguageOf(this.machine, this.state);
  }

  get io(): StateIo {
    return this.queryLanguage === 'JSONata' ? jsonataIo : jsonPathIo;
  }

  get variables(): Variables {
    return new FrameVariables(this.frame.variables, this.frame.outerVariables);
  }

  /** The context object of the current state (`$$`, `$states.context`). */
  context(extra?: ContextExtra): JsonObject {
    return contextObject({
      execution: this.env.execution,
      stateMachine: this.env.stateMachine,
      stateName: this.frame.stateName,
      enteredAt: this.frame.enteredAt,
      ...(retries(this.state.Type) ? { retryCount: this.frame.attempts.reduce((a, b) => a + b, 0) } : {}),
      ...extra,
    });
  }

  scope(extra?: ContextExtra): IoScope {
    return new StepScope(this, extra);
  }

  /** Records one history event of this frame; returns its id. */
  emit(type: string, details?: JsonObject, opts?: { previous?: number; advance?: boolean }): number {
    // A DISTRIBUTED map's iterations run as child executions on AWS: nothing reaches this history.
    if (this.frame.silent) return this.frame.lastEventId;
    const id = this.nextId++;
    this.events.push({ id, previousEventId: opts?.previous ?? this.frame.lastEventId, timestamp: this.env.now, type, details });
    if (opts?.advance !== false) this.frame.lastEventId = id;
    return id;
  }

  /**
   * Applies `event` to the frame: directly where that is all synchronous work (no generator, which a
   * transition would otherwise make at every layer), else through the Op it returns.
   */
  handle(event: FrameEvent): Op<void> | undefined {
    const { phase } = this.frame;
    switch (event.kind) {
      case 'run':
        if (this.frame.announce) {
          this.emit(this.frame.announce.type, this.frame.announce.details);
          this.frame.announce = undefined;
        }
        if (phase === 'enter') return this.enter();
        break;
      case 'wake':
        if (phase === 'waiting') {
          wakeWait(this);
          return undefined;
        }
        if (phase === 'retrying') return this.work();
        break;
      case 'childSucceeded':
        if (phase === 'joining') return this.state.Type === 'Map' ? onMapChildSucceeded(this, event.index, event.output, event.lastEventId) : onParallelChildSucceeded(this, event.index, event.output, event.lastEventId);
        break;
      case 'childFailed':
        if (phase === 'joining') {
          // A branch that failed without a name (SendTaskFailure with neither error nor cause) stays unnamed.
          const error = event.error === '' ? new UnnamedTaskError(event.cause) : new StatesError(event.error, event.cause);
          return this.state.Type === 'Map' ? onMapChildFailed(this, event, error) : onParallelChildFailed(this, event, error);
        }
        break;
      case 'taskStarted':
      case 'taskSubmitted':
      case 'taskSucceeded':
      case 'taskFailed':
      case 'taskTimedOut':
        if (phase === 'task') return onTaskEvent(this, event);
        break;
    }
    // An event the frame no longer waits for (a late timer, a duplicate delivery): nothing to do.
    return undefined;
  }

  private enter(): Op<void> | undefined {
    const state = this.state;
    this.frame.enteredAt = this.env.now;
    this.frame.attempts = NO_ATTEMPTS;
    this.frame.enteredPreviousEventId = this.frame.lastEventId;
    this.frame.enteredEventId = this.emit(STATE_EVENTS[state.Type].entered, {
      name: this.frame.stateName,
      input: jsonText(this.frame.input),
      inputDetails: NOT_TRUNCATED,
    });
    switch (state.Type) {
      case 'Pass':
        return runPass(this);
      case 'Succeed':
        return runSucceed(this);
      case 'Fail':
        return runFail(this);
      case 'Choice':
        return runChoice(this);
      case 'Wait':
        return enterWait(this);
      default:
        return this.work();
    }
  }

  /** The retryable part of Task, Parallel and Map: runs on entry and again after each back-off. */
  private work(): Op<void> {
    switch (this.state.Type) {
      case 'Task':
        return startTask(this);
      case 'Parallel':
        return startParallel(this);
      case 'Map':
        return startMap(this);
      default:
        throw new Error(`${this.state.Type} states have no retryable work`);
    }
  }

  /**
   * A Task's, Parallel's or Map's result becomes the state's output: ResultSelector (what Assign
   * sees as the result), then Assign with the values at entry, then ResultPath/OutputPath or Output.
   * A JSONPath state's is plain code, done when this returns (the Op it returns has finished); a
   * JSONata state's is done as its Op runs.
   */
  exitWithResult(result: Json): Op<void> {
    if (this.queryLanguage !== 'JSONPath') return this.exitWithJsonataResult(result);
    const { state } = this;
    const scope = this.scope();
    const selected = jsonPathFlow.selectResult(state, result, scope);
    const assigned = state.Assign === undefined ? undefined : jsonPathFlow.assign(state.Assign, this.frame.input, selected, scope);
    this.exit(jsonPathFlow.output(state, this.frame.input, selected, scope), assigned);
    return EXITED;
  }

  private *exitWithJsonataResult(result: Json): Op<void> {
    const { state } = this;
    const scope = this.scope();
    const selected = yield* jsonataIo.selectResult(state, result, scope);
    const assigned = state.Assign === undefined ? undefined : yield* jsonataIo.assign(state.Assign, this.frame.input, selected, scope);
    this.exit(yield* jsonataIo.output(state, this.frame.input, selected, scope), assigned);
  }

  /** Leaves the current state: records *StateExited, then moves to `next` or ends the frame. */
  exit(output: Json, assigned: JsonObject | undefined, next?: string): void {
    const state = this.state;
    const text = jsonText(output);
    if (exceedsPayloadQuota(text)) {
      throw new StatesError(States.DataLimitExceeded, `The state/task '${this.frame.stateName}' returned a result with a size exceeding the maximum number of bytes service limit.`);
    }
    const details: JsonObject = { name: this.frame.stateName, output: text, outputDetails: NOT_TRUNCATED };
    if (assigned !== undefined && Object.keys(assigned).length > 0) {
      this.frame.variables = { ...this.frame.variables, ...assigned };
      details['assignedVariables'] = Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, jsonText(v)]));
      details['assignedVariablesDetails'] = NOT_TRUNCATED;
    }
    this.emit(STATE_EVENTS[state.Type].exited, details);
    const target = next ?? state.Next;
    if (target === undefined || state.Type === 'Succeed') {
      this.finish({ kind: 'succeed', output });
      return;
    }
    this.frame.stateName = target;
    this.frame.input = output;
    this.frame.phase = 'enter';
    this.frame.attempts = NO_ATTEMPTS;
    this.frame.join = undefined;
    this.command(CONTINUE);
  }

  /**
   * Runs the frame's states, at most `most`, while they are pass-through states (machine.ts): for
   * each, the events and frame changes Step.enter, the state's handler and Step.exit would make, in
   * one loop without their layers (a chain of such states costs little more than its events). Returns
   * how many it ran: 0 when the frame is not about to enter one. A state whose data processing fails,
   * a Choice that matches no rule and has no Default, or a state whose output is over the payload
   * quota is left to its own handlers, which raise the error.
   */
  passThrough(most: number): number {
    const frame = this.frame;
    // The frame's scope is the step's: its links are looked up once (most scopes have none).
    const links = (this.passLinks ??= scopeOf(this.machine, frame.scopeKey).passThrough);
    if (links.size === 0 || frame.phase !== 'enter' || frame.silent) return 0;
    const first = links.get(frame.stateName);
    if (first === undefined) return 0;
    const now = this.env.now;
    const text = jsonText(frame.input);
    // Every input and output is `text` while the states are plain; RUN_TEXTS holds them from the first
    // that is not (`texts` of them, -1 until then).
    let texts = -1;
    // RUN_PATH holds the states run (`path` of them) from the first Choice on (-1 until then: `then` links them).
    let path = -1;
    let input = frame.input;
    let inputText = text;
    let pass = first;
    let ran = 0;
    let last = first;
    let lastInput = input;
    let lastOutput = input;
    // The state after the last one run; undefined when that one ends the frame.
    let lastNext: string | undefined;
    for (;;) {
      let output = input;
      let outputText = inputText;
      let next = pass.next;
      if (!pass.plain || pass.type === 'Choice') {
        // What the state's paths, Parameters and rules read of $$: its name and when it was entered.
        frame.stateName = pass.name;
        frame.enteredAt = now;
        const computed = passOutput(this, pass, input);
        if (computed === undefined) break;
        if (pass.type === 'Choice') {
          next = this.chosen;
          if (path < 0) path = runPath(first, ran);
        }
        if (!pass.plain) {
          output = computed;
          outputText = jsonText(output);
          if (texts < 0) for (texts = 0; texts <= ran; texts++) RUN_TEXTS[texts] = text;
        }
      }
      // Too large to leave with: Step.exit raises States.DataLimitExceeded.
      if (exceedsPayloadQuota(outputText)) break;
      if (texts >= 0) RUN_TEXTS[texts++] = outputText;
      if (path >= 0) RUN_PATH[path++] = pass;
      ran++;
      last = pass;
      lastInput = input;
      lastOutput = output;
      lastNext = pass.type === 'Succeed' ? undefined : next;
      if (ran >= most || lastNext === undefined) break;
      const then = pass.type === 'Choice' ? links.get(lastNext) : pass.then;
      if (then === undefined) break;
      input = output;
      inputText = outputText;
      pass = then;
    }
    if (ran === 0) {
      frame.stateName = first.name;
      return 0;
    }
    if (frame.announce) {
      // A Map iteration's first state: its MapIterationStarted comes first, as in Step.handle.
      this.emit(frame.announce.type, frame.announce.details);
      frame.announce = undefined;
    }
    const run: PassRun = {
      firstId: this.nextId,
      previousEventId: frame.lastEventId,
      timestamp: now,
      first,
      states: ran,
      text,
      texts: texts < 0 ? undefined : RUN_TEXTS.slice(0, texts),
      path: path < 0 ? undefined : RUN_PATH.slice(0, path),
    };
    if (!this.env.passRuns) pushPassRunEvents(run, this.events);
    // A literal of one: an array grown by push from empty is made with room for sixteen.
    else if (this.runs === undefined) this.runs = [run];
    else this.runs.push(run);
    // The frame as the run's last state leaves it.
    const entered = this.nextId + 2 * (ran - 1);
    this.nextId = entered + 2;
    frame.enteredAt = now;
    frame.attempts = NO_ATTEMPTS;
    frame.enteredPreviousEventId = ran === 1 ? frame.lastEventId : entered - 1;
    frame.enteredEventId = entered;
    frame.lastEventId = entered + 1;
    if (lastNext === undefined) {
      frame.stateName = last.name;
      frame.input = lastInput;
      this.finish({ kind: 'succeed', output: lastOutput });
      return ran;
    }
    frame.stateName = lastNext;
    frame.input = lastOutput;
    frame.phase = 'enter';
    frame.join = undefined;
    this.command(CONTINUE);
    return ran;
  }

  /**
   * Adds a command for the runtime: the step's first as an array literal of one (most steps ask for
   * one thing, and an array grown by push from empty is made with room for sixteen).
   */
  command(command: Command): void {
    if (this.commands.length === 0) this.commands = [command];
    else this.commands.push(command);
  }

  /** The state the latest Choice run by passThrough picked (passOutput). */
  chosen: string | undefined;

  /** Whether the state just run moved on to its next state and asked for nothing else. */
  movedOn(): boolean {
    return this.commands.length === 1 && this.commands[0] === CONTINUE;
  }

  finish(command: Command & { kind: 'succeed' | 'fail' }): void {
    this.frame.phase = 'done';
    this.frame.join = undefined;
    this.command(command);
  }

  /** AWS's prefix for errors raised while a state processes its data. */
  located(error: StatesError): StatesError {
    // AWS names the state inside the DataLimitExceeded cause itself, without the prefix.
    if (error.error === States.DataLimitExceeded) return error;
    const prefix = `An error occurred while executing the state '${this.frame.stateName}' (entered at the event id #${this.frame.enteredEventId}).`;
    if (error.causeText?.startsWith(prefix)) return error;
    return new StatesError(error.error, error.causeText === undefined ? prefix : `${prefix} ${error.causeText}`, { cause: error });
  }

  /**
   * An error in the current state: Retry, then Catch, else the frame fails. States.Runtime and
   * States.DataLimitExceeded end the execution past every Retrier and Catcher (AWS guide, "Error names").
   */
  *fail(raw: StatesError, origin: FailureOrigin): Op<void> {
    const state = this.state;
    const error = origin === 'state' ? this.located(raw) : raw;
    if (origin === 'state' && error.error === States.QueryEvaluationError) {
      const location = raw instanceof QueryEvaluationError ? { location: raw.location } : {};
      this.emit('EvaluationFailed', { error: error.error, cause: error.causeText ?? '', ...location, state: this.frame.stateName }, state.Type === 'Wait' ? {} : { previous: this.frame.enteredPreviousEventId ?? this.frame.lastEventId });
    }
    const children = joinChildPrefix(this.frame);
    if (children !== undefined) {
      this.command({ kind: 'cancelChildren', prefix: children });
      this.frame.join = undefined;
    }
    if (error.error === States.Runtime || error.error === States.DataLimitExceeded) {
      this.finish({ kind: 'fail', error: error.error, ...cause(error), terminal: true });
      return;
    }
    const handles = retries(state.Type);
    if (handles) {
      const retry = retryDecision(state.Retry, this.frame.attempts, error, () => this.env.entropy.random());
      if (retry) {
        const attempts = [...this.frame.attempts];
        attempts[retry.retrierIndex] = (attempts[retry.retrierIndex] ?? 0) + 1;
        this.frame.attempts = Array.from(attempts, (n) => n ?? 0);
        this.frame.phase = 'retrying';
        this.command({ kind: 'sleep', at: this.env.now + retry.delayMs });
        return;
      }
    }
    if (state.Type === 'Parallel' || state.Type === 'Map') {
      this.emit(STATE_EVENTS[state.Type].failed);
    }
    const catcher = handles ? findCatcher(state.Catch, error) : undefined;
    if (catcher) return yield* this.caught(catcher, error);
    this.finish({ kind: 'fail', error: error.error, ...cause(error) });
  }

  private *caught(catcher: Catcher, error: StatesError): Op<void> {
    const errorOutput = error.toCatchOutput();
    const scope = this.scope();
    try {
      const output = yield* this.io.catchOutput(catcher, this.frame.input, errorOutput, scope);
      const assigned = catcher.Assign === undefined ? undefined : yield* this.io.assign(catcher.Assign, this.frame.input, undefined, scope, errorOutput);
      this.exit(output, assigned, catcher.Next);
    } catch (e) {
      if (!(e instanceof StatesError)) throw e;
      const located = this.located(e);
      this.finish({ kind: 'fail', error: located.error, ...cause(located), terminal: true });
    }
  }
}

/** Task, Parallel and Map: the states with Retry and Catch (and `$$.State.RetryCount`). */
function retries(type: StateDefinition['Type']): boolean {
  return type === 'Task' || type === 'Parallel' || type === 'Map';
}

/** AWS's payload quota: 256 KiB of UTF-8 for any state's input or output. */
const MAX_PAYLOAD_BYTES = 256 * 1024;

export function exceedsPayloadQuota(text: string): boolean {
  return utf8Length(text) > MAX_PAYLOAD_BYTES;
}

function utf8Length(text: string): number {
  // Every UTF-16 unit is at most 3 UTF-8 bytes: most payloads are decided without counting.
  if (text.length * 3 <= MAX_PAYLOAD_BYTES) return text.length;
  let bytes = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) bytes += 1;
    else if (c < 0x800) bytes += 2;
    else if (c >= 0xd800 && c <= 0xdbff) {
      bytes += 4;
      i++;
    } else bytes += 3;
  }
  return bytes;
}

function cause(error: StatesError): { cause?: string } {
  return error.causeText === undefined ? {} : { cause: error.causeText };
}

const CONTINUE: Command = { kind: 'continue' };

/** What exitWithResult returns for a JSONPath state: done already (a finished Op holds no state: one serves every call). */
const EXITED: Op<void> = finished(undefined);

/** Event type names per state type, made once: `PassStateEntered`, `PassStateExited`, … */
const STATE_EVENTS = Object.fromEntries(
  (['Pass', 'Task', 'Choice', 'Wait', 'Succeed', 'Fail', 'Parallel', 'Map'] as const).map((type) => [
    type,
    { entered: `${type}StateEntered`, exited: `${type}StateExited`, failed: `${type}StateFailed` },
  ]),
) as Record<StateDefinition['Type'], { entered: string; exited: string; failed: string }>;
