import type { Step } from '../step.js';
import type { Op } from '../op.js';

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
