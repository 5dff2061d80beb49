import type { Step } from '../step.js';
import type { Op } from '../op.js';

/**
 * A JSONPath Pass state with none of InputPath, Parameters, Result, ResultPath, OutputPath or Assign
 * outputs its input as it is: it leaves at once, with no data processing to run (no scope, no paths).
 * Returns whether it did; otherwise runPass does the work.
 */
export function passThrough(step: Step): boolean {
  const { state } = step;
  if (state.InputPath !== undefined || state.Parameters !== undefined || state.Result !== undefined || state.ResultPath !== undefined || state.OutputPath !== undefined || state.Assign !== undefined) return false;
  if (step.queryLanguage !== 'JSONPath') return false;
  step.exit(step.frame.input, undefined);
  return true;
}

/**
 * "A Pass state passes its input to its output, without performing work" (ASL spec). In JSONPath a
 * static `Result` (never evaluated: its `.$` keys stay as written) or `Parameters` stand in for a result.
 */
export function* runPass(step: Step): Op<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const effective = yield* io.effectiveInput(state, raw, scope);
  const result = state.Result !== undefined && step.queryLanguage === 'JSONPath' ? state.Result : effective;
  const assigned = state.Assign === undefined ? undefined : yield* io.assign(state.Assign, raw, result, scope);
  const output = yield* io.output(state, raw, result, scope);
  step.exit(output, assigned);
}
