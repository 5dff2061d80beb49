import type { ItemProcessor } from '../definition.js';
import { States, StatesError } from '../errors.js';
import type { Frame, FrameEvent, Join } from '../frame.js';
import { evaluateJsonataExpecting, evaluateJsonataTemplate, isJsonataExpression } from '../jsonata/index.js';
import { jsonTypeName, showJson, type Json } from '../json.js';
import { childScopesOf } from '../machine.js';
import { readPath } from '../paths/json-path.js';
import { evaluatePayloadTemplate } from '../paths/payload-template.js';
import { jsonataBindings } from '../io/jsonata-io.js';
import { pathScope } from '../io/state-io.js';
import type { Step } from '../step.js';
import { recordAborts } from './aborts.js';
import { childFrame } from './children.js';
import { awaiting, finished, type Op } from '../op.js';

/**
 * "The Map state processes each item of an array with the same states" (AWS guide, "Map state").
 * Iterations are child frames started in index order, at most MaxConcurrency at once (INLINE: 40 at most);
 * the result is the array of their outputs in item order. The first failure fails the state unless
 * ToleratedFailureCount/Percentage allow it. A DISTRIBUTED map records a Map Run instead of its
 * iterations, and its iterations cannot read the parent's variables.
 */
export function* startMap(step: Step): Op<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const effectiveInput = yield* io.inputPathOnly(state, raw, scope);
  const items = yield* itemsOf(step, effectiveInput);
  const maxConcurrency = (yield* numericField(step, 'integer', 'MaxConcurrency', state.MaxConcurrency, state.MaxConcurrencyPath, effectiveInput)) ?? 0;
  step.emit('MapStateStarted', { length: items.length });
  const toleratedFailureCount = yield* numericField(step, 'integer', 'ToleratedFailureCount', state.ToleratedFailureCount, state.ToleratedFailureCountPath, effectiveInput);
  if (toleratedFailureCount !== undefined && toleratedFailureCount < 0) throw StatesError.runtime('ToleratedFailureCount cannot be negative.');
  const toleratedFailurePercentage = yield* numericField(step, 'float', 'ToleratedFailurePercentage', state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath, effectiveInput);
  if (toleratedFailurePercentage !== undefined && (toleratedFailurePercentage < 0 || toleratedFailurePercentage > 100)) {
    throw StatesError.runtime('ToleratedFailurePercentage must be between 0 and 100.');
  }
  const distributed = (state.ItemProcessor ?? state.Iterator as ItemProcessor | undefined)?.ProcessorConfig?.Mode === 'DISTRIBUTED';
  if (distributed) step.emit('MapRunStarted', { mapRunArn: mapRunArn(step) });
  step.frame.join = {
    kind: 'Map',
    epoch: step.frame.sequence,
    effectiveInput,
    total: items.length,
    results: items.map(() => null),
    started: 0,
    finished: 0,
    failed: 0,
    maxConcurrency: distributed ? maxConcurrency : inlineConcurrency(maxConcurrency),
    items,
    distributed,
    ...(toleratedFailureCount === undefined ? {} : { toleratedFailureCount }),
    ...(toleratedFailurePercentage === undefined ? {} : { toleratedFailurePercentage }),
  };
  step.frame.phase = 'joining';
  if (items.length === 0) return yield* complete(step);
  yield* startMore(step);
}

// Not a generator: it runs each time an iteration ends, and starting the next iteration of a JSONPath
// Map is synchronous; the Op it returns is the one that finishes the state or starts more.
export function onMapChildSucceeded(step: Step, index: number, output: Json, childLast?: number): Op<void> {
  const join = step.frame.join!;
  if (!join.distributed) {
    const last = join.finished + 1 === join.total;
    // AWS: the iteration's last event precedes MapIterationSucceeded and the next MapIterationStarted;
    // the final MapIterationSucceeded precedes MapStateSucceeded and MapStateExited.
    step.emit('MapIterationSucceeded', { name: step.frame.stateName, index }, { previous: childLast ?? step.frame.lastEventId, advance: last });
    if (!last && childLast !== undefined) step.frame.lastEventId = childLast;
  }
  // Owned by this frame and changed in place: a 10,000-item join stays O(1) per child.
  join.results[index] = output;
  join.finished++;
  if (join.finished === join.total) return complete(step);
  return startMore(step);
}

export function* onMapChildFailed(step: Step, event: FrameEvent & { kind: 'childFailed' }, error: StatesError): Op<void> {
  const { index, lastEventId: childLast } = event;
  const join = step.frame.join!;
  if (!join.distributed) {
    step.emit('MapIterationFailed', { name: step.frame.stateName, index }, { previous: childLast ?? step.frame.lastEventId, advance: false });
    if (childLast !== undefined) step.frame.lastEventId = childLast;
  }
  join.failed++;
  join.finished++;
  const tolerates = join.toleratedFailureCount !== undefined || join.toleratedFailurePercentage !== undefined;
  if (!tolerates) return yield* failMap(step, error, event);
  const overCount = join.toleratedFailureCount !== undefined && join.failed > join.toleratedFailureCount;
  const overPercentage = join.toleratedFailurePercentage !== undefined && (join.failed * 100) / join.total > join.toleratedFailurePercentage;
  if (overCount || overPercentage) {
    return yield* failMap(step, new StatesError(States.ExceedToleratedFailureThreshold, 'The specified tolerated failure threshold was exceeded'), event);
  }
  join.results[index] = error.toCatchOutput();
  if (join.finished === join.total) return yield* complete(step);
  yield* startMore(step);
}

function* failMap(step: Step, error: StatesError, event: FrameEvent & { kind: 'childFailed' }): Op<void> {
  recordAborts(step, event.failedState, event.running);
  if (step.frame.join?.distributed) step.emit('MapRunFailed', { error: error.error, cause: error.causeText ?? '' });
  yield* step.fail(error, 'children');
}

/** Starts iterations in index order while fewer than MaxConcurrency run. */
function startMore(step: Step): Op<void> {
  if (step.queryLanguage === 'JSONata') return startMoreJsonata(step);
  const join = step.frame.join!;
  const count = startable(join);
  if (count > 0) {
    const children = new Array<Frame>(count);
    for (let i = 0; i < count; i++) {
      const index = join.started++;
      children[i] = iteration(step, index, itemInput(step, index, join.items![index] ?? null, join.effectiveInput));
    }
    step.command({ kind: 'startChildren', children });
  }
  return finished(undefined);
}

// An ItemSelector in JSONata may have to be awaited.
function* startMoreJsonata(step: Step): Op<void> {
  const join = step.frame.join!;
  const count = startable(join);
  if (count <= 0) return;
  const children = new Array<Frame>(count);
  for (let i = 0; i < count; i++) {
    const index = join.started++;
    children[i] = iteration(step, index, yield* jsonataItemInput(step, index, join.items![index] ?? null));
  }
  step.command({ kind: 'startChildren', children });
}

/**
 * "In this mode, the Map state supports up to 40 concurrent iterations" (AWS guide, "Using Map state
 * in Inline mode"): an INLINE Map runs at most 40 at once, MaxConcurrency unset (0) or higher.
 */
const MAX_INLINE_CONCURRENCY = 40;

function inlineConcurrency(maxConcurrency: number): number {
  return maxConcurrency === 0 ? MAX_INLINE_CONCURRENCY : Math.min(maxConcurrency, MAX_INLINE_CONCURRENCY);
}

/** How many iterations may start now: those not started yet, within MaxConcurrency (0: no limit). */
function startable(join: Join): number {
  const remaining = join.total - join.started;
  return join.maxConcurrency === 0 ? remaining : Math.min(remaining, join.maxConcurrency - (join.started - join.finished));
}

/** The child frame of iteration `index`, which announces itself with MapIterationStarted (INLINE only). */
function iteration(step: Step, index: number, input: Json): Frame {
  const join = step.frame.join!;
  const { key, startAt } = childScopesOf(step.machine, step.frame.scopeKey, step.frame.stateName)[0]!;
  const child = childFrame(step, index, key, startAt, input, join.distributed, join.distributed);
  if (!join.distributed) child.announce = { type: 'MapIterationStarted', details: { name: step.frame.stateName, index } };
  return child;
}

/** ItemSelector (or the older Parameters) builds each iteration's input, with `$$.Map.Item` bound. */
function itemInput(step: Step, index: number, item: Json, effectiveInput: Json): Json {
  const { state } = step;
  const selector = state.ItemSelector ?? state.Parameters;
  if (selector === undefined) return item;
  const scope = step.scope({ mapItem: { Index: index, Value: item } });
  return evaluatePayloadTemplate(selector, pathScope(effectiveInput, scope));
}

function* jsonataItemInput(step: Step, index: number, item: Json): Op<Json> {
  const { state } = step;
  if (state.ItemSelector === undefined) return item;
  const scope = step.scope({ mapItem: { Index: index, Value: item } });
  return yield* awaiting(evaluateJsonataTemplate(state.ItemSelector, 'ItemSelector', jsonataBindings(scope, { input: step.frame.input })));
}

function* itemsOf(step: Step, effectiveInput: Json): Op<Json[]> {
  const { state } = step;
  if (step.queryLanguage === 'JSONata') {
    if (state.Items === undefined) {
      if (!Array.isArray(effectiveInput)) throw StatesError.queryEvaluation(`Map state input must be an array but was: ${showJson(effectiveInput)}`);
      return effectiveInput;
    }
    const bindings = jsonataBindings(step.scope(), { input: step.frame.input });
    if (isJsonataExpression(state.Items)) return yield* awaiting(evaluateJsonataExpecting(state.Items, 'Items', 'array', bindings));
    const items = yield* awaiting(evaluateJsonataTemplate(state.Items, 'Items', bindings));
    if (!Array.isArray(items)) throw StatesError.queryEvaluation(`Map state input must be an array but was: ${showJson(items)}`);
    return items;
  }
  const scope = step.scope();
  const items = state.ItemsPath === undefined ? effectiveInput : readPath(state.ItemsPath, pathScope(effectiveInput, scope));
  if (items === undefined) {
    throw StatesError.runtime(`Invalid path '${state.ItemsPath}' : No results for path: ${state.ItemsPath}`);
  }
  if (!Array.isArray(items)) throw StatesError.runtime(`Map state input must be an array but was: ${showJson(items)}`);
  return items;
}

/**
 * MaxConcurrency, ToleratedFailureCount (integers) and ToleratedFailurePercentage (a float): a
 * literal, a JSONata expression, or a path to the value (a numeric string will do).
 */
const NUMERIC_FIELD = {
  integer: { parses: (text: string) => /^-?\d+$/.test(text.trim()), accepts: Number.isInteger, expected: 'integer' },
  float: { parses: (text: string) => text.trim() !== '' && !Number.isNaN(Number(text)), accepts: () => true, expected: 'number' },
} as const;

function* numericField(
  step: Step,
  kind: 'integer' | 'float',
  field: string,
  literal: number | string | undefined,
  path: string | undefined,
  effectiveInput: Json,
): Op<number | undefined> {
  const value = yield* fieldValue(step, field, literal, path, effectiveInput, kind);
  if (value === undefined) return undefined;
  const rule = NUMERIC_FIELD[kind];
  const n = typeof value === 'string' && rule.parses(value) ? Number(value) : value;
  if (typeof n !== 'number' || !rule.accepts(n)) {
    if (path !== undefined) {
      throw StatesError.runtime(`The ${field}Path field refers to value "${typeof value === 'string' ? value : showJson(value)}" which is not a valid ${kind}: ${path}`);
    }
    throw StatesError.queryEvaluation(`The JSONata expression specified for the field '${field}' returned an unexpected result type. Expected '${rule.expected}', but was '${jsonTypeName(value)}' for value: ${showJson(value)}`);
  }
  return n;
}

function* fieldValue(step: Step, field: string, literal: number | string | undefined, path: string | undefined, effectiveInput: Json, kind: 'integer' | 'float'): Op<Json | undefined> {
  if (path !== undefined) {
    const scope = step.scope();
    const value = readPath(path, pathScope(effectiveInput, scope));
    if (value === undefined) throw StatesError.runtime(`The ${field}Path field refers to value "null" which is not a valid ${kind}: ${path}`);
    return value;
  }
  if (literal === undefined) return undefined;
  return yield* step.io.value(field, literal, step.frame.input, step.scope());
}

function* complete(step: Step): Op<void> {
  const join = step.frame.join!;
  if (join.distributed) step.emit('MapRunSucceeded');
  step.emit('MapStateSucceeded', undefined, { advance: false });
  yield* step.exitWithResult(join.results);
}

/** AWS: arn:aws:states:<region>:<account>:mapRun:<state machine>/<label or state name>:<id>. */
function mapRunArn(step: Step): string {
  const executionArn = step.env.execution.Id;
  const [prefix, smName] = executionArn.split(':execution:');
  const label = step.state.Label ?? step.frame.stateName;
  const machineName = (smName ?? '').split(':')[0] ?? '';
  return `${prefix}:mapRun:${machineName}/${label}:${step.env.entropy.uuid()}`;
}
