import { jsonPathFlow } from '../io/jsonpath-io.js';
import type { StateDefinition } from '../definition.js';
import type { IoScope } from '../io/state-io.js';
import type { Json } from '../json.js';
import type { Step } from '../step.js';
import type { Op } from '../op.js';

/**
 * "A Pass state passes its input to its output, without performing work" (ASL spec). In JSONPath a
 * static `Result` (never evaluated: its `.$` keys stay as written) or `Parameters` stand in for a result.
 * A JSONPath Pass never waits: it runs as plain code and returns no Op (one with none of InputPath,
 * Parameters, Result, ResultPath, OutputPath or Assign leaves with its input as it is, without even a
 * scope). A JSONPath Pass without Assign runs in Step.passThrough instead, which records what this does:
 * this runs those with Assign, and those whose data processing fails or whose output is over the
 * payload quota there. A JSONata one may wait, and returns its Op.
 */
export function runPass(step: Step): Op<void> | undefined {
  if (step.queryLanguage !== 'JSONPath') return runJsonataPass(step);
  const { state } = step;
  const raw = step.frame.input;
  if (state.InputPath === undefined && state.Parameters === undefined && state.Result === undefined && state.ResultPath === undefined && state.OutputPath === undefined && state.Assign === undefined) {
    step.exit(raw, undefined);
    return undefined;
  }
  const scope = step.scope();
  const result = jsonPathPassResult(state, raw, scope);
  const assigned = state.Assign === undefined ? undefined : jsonPathFlow.assign(state.Assign, raw, result, scope);
  step.exit(jsonPathFlow.output(state, raw, result, scope), assigned);
  return undefined;
}

/**
 * A JSONPath Pass state's result: its static Result, else its input through InputPath and Parameters
 * (evaluated either way: their errors are the state's). Step.passThrough computes it too.
 */
export function jsonPathPassResult(state: StateDefinition, raw: Json, scope: IoScope): Json {
  const effective = jsonPathFlow.effectiveInput(state, raw, scope);
  return state.Result !== undefined ? state.Result : effective;
}

function* runJsonataPass(step: Step): Op<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const result = yield* io.effectiveInput(state, raw, scope);
  const assigned = state.Assign === undefined ? undefined : yield* io.assign(state.Assign, raw, result, scope);
  const output = yield* io.output(state, raw, result, scope);
  step.exit(output, assigned);
}
