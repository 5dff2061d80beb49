import type { Step } from '../step.js';
import type { Op } from '../op.js';

/** "The Succeed state terminates a state machine successfully" (ASL spec): InputPath and OutputPath still apply. */
export function* runSucceed(step: Step): Op<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const input = yield* io.inputPathOnly(state, raw, scope);
  const output = yield* io.output(state, raw, input, scope);
  step.exit(output, undefined);
}
