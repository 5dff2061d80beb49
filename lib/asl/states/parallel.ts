import type { StatesError } from '../errors.js';
import type { FrameEvent } from '../frame.js';
import type { Json } from '../json.js';
import { childScopesOf } from '../machine.js';
import type { Step } from '../step.js';
import { recordAborts } from './aborts.js';
import { childFrame } from './children.js';
import { jsonataIo } from '../io/jsonata-io.js';
import { jsonPathFlow } from '../io/jsonpath-io.js';
import { finished, type Op } from '../op.js';

/**
 * "The Parallel state causes parallel execution of branches" (ASL spec): every branch gets the
 * effective input; the result is the array of branch outputs in branch order; the first branch to
 * fail fails the state and the others are stopped. A JSONPath Parallel starts as plain code (the Op
 * it returns has finished); a JSONata one evaluates its Arguments as its Op runs.
 */
export function startParallel(step: Step): Op<void> {
  if (step.queryLanguage !== 'JSONPath') return startJsonataParallel(step);
  return startBranches(step, jsonPathFlow.effectiveInput(step.state, step.frame.input, step.scope()));
}

function* startJsonataParallel(step: Step): Op<void> {
  const effectiveInput = yield* jsonataIo.effectiveInput(step.state, step.frame.input, step.scope());
  yield* startBranches(step, effectiveInput);
}

function startBranches(step: Step, effectiveInput: Json): Op<void> {
  step.emit('ParallelStateStarted');
  const branches = step.state.Branches ?? [];
  step.frame.join = {
    kind: 'Parallel',
    epoch: step.frame.sequence,
    effectiveInput,
    total: branches.length,
    results: branches.map(() => null),
    started: branches.length,
    finished: 0,
    failed: 0,
    maxConcurrency: 0,
  };
  const scopes = childScopesOf(step.machine, step.frame.scopeKey, step.frame.stateName);
  const children = scopes.map((scope, i) => childFrame(step, i, scope.key, scope.startAt, effectiveInput));
  step.frame.phase = 'joining';
  if (children.length === 0) return complete(step);
  step.command({ kind: 'startChildren', children });
  return JOINING;
}

/** Plain code, not a generator: a branch's end that does not complete the join costs no generator object. */
export function onParallelChildSucceeded(step: Step, index: number, output: Json, childLast?: number): Op<void> {
  const join = step.frame.join!;
  if (childLast !== undefined) step.frame.lastEventId = childLast;
  // Owned by this frame and changed in place: a 10,000-item join stays O(1) per child.
  join.results[index] = output;
  join.finished++;
  return join.finished === join.total ? complete(step) : JOINING;
}

export function* onParallelChildFailed(step: Step, event: FrameEvent & { kind: 'childFailed' }, error: StatesError): Op<void> {
  if (event.lastEventId !== undefined) step.frame.lastEventId = event.lastEventId;
  recordAborts(step, event.failedState, event.running);
  yield* step.fail(error, 'children');
}

/** Called where it is consumed (`yield* complete(step)`, or returned to a `yield*`), so the event is emitted in the same order a generator would. */
function complete(step: Step): Op<void> {
  step.emit('ParallelStateSucceeded', undefined, { advance: false });
  return step.exitWithResult(step.frame.join!.results);
}

/** A join still waiting for branches: nothing more to do (a finished Op holds no state: one serves every call). */
const JOINING: Op<void> = finished(undefined);
