import type { Step } from '../step.js';

/** "The Succeed state terminates a state machine successfully" (ASL spec): InputPath and OutputPath still apply. */
export async function runSucceed(step: Step): Promise<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const input = await io.inputPathOnly(state, raw, scope);
  const output = await io.output(state, raw, input, scope);
  step.exit(output, undefined);
}
