import { StatesError } from '../errors.js';
import { showJson, type Json } from '../json.js';
import { readPath } from '../paths/json-path.js';
import type { Step } from '../step.js';

/**
 * "A Wait state causes the interpreter to delay the machine from continuing for a specified time"
 * (ASL spec). Wait never sleeps: it names the instant to resume at and the runtime wakes the frame
 * then. Output and Assign are computed on entry, from the values the state saw.
 */
export async function enterWait(step: Step): Promise<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const input = await io.inputPathOnly(state, raw, scope);
  const resumeAt = await resumeTime(step, input);
  // AWS keeps the delay in a signed 32-bit count of seconds (now + 24,855 days passes, + 24,856 fails).
  if ((resumeAt - step.frame.enteredAt) / 1000 > MAX_WAIT_SECONDS) throw StatesError.runtime('Wait state delay is too long.');
  step.frame.pendingAssign = state.Assign === undefined ? undefined : await io.assign(state.Assign, raw, undefined, scope);
  step.frame.pendingOutput = await io.output(state, raw, input, scope);
  if (resumeAt <= step.env.now) return wakeWait(step);
  step.frame.phase = 'waiting';
  step.commands.push({ kind: 'sleep', at: resumeAt });
}

const MAX_WAIT_SECONDS = 2 ** 31 - 1;

export function wakeWait(step: Step): void {
  const { pendingOutput, pendingAssign } = step.frame;
  step.frame.pendingOutput = undefined;
  step.frame.pendingAssign = undefined;
  step.exit(pendingOutput ?? null, pendingAssign);
}

async function resumeTime(step: Step, input: Json): Promise<number> {
  const { state } = step;
  const enteredAt = step.frame.enteredAt;
  if (state.Seconds !== undefined) {
    const seconds = await step.io.value('Seconds', state.Seconds, step.frame.input, step.scope());
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw StatesError.queryEvaluation(
        `The JSONata expression '${expressionText(state.Seconds)}' specified for the field 'Seconds' returned an unexpected result type. Expected 'integer', but was '${typeName(seconds)}' for value: ${showJson(seconds)}`,
      );
    }
    return enteredAt + seconds * 1000;
  }
  if (state.Timestamp !== undefined) {
    const timestamp = await step.io.value('Timestamp', state.Timestamp, step.frame.input, step.scope());
    const at = typeof timestamp === 'string' ? parseTimestamp(timestamp) : undefined;
    if (at === undefined) {
      throw StatesError.queryEvaluation(
        `The JSONata expression '${expressionText(state.Timestamp)}' specified for the field 'Timestamp' returned an unexpected result type. Expected 'timestamp', but was '${typeName(timestamp)}' for value: ${showJson(timestamp)}`,
      );
    }
    return at;
  }
  const scope = step.scope();
  const pathScope = { input, context: scope.context, variables: scope.variables, entropy: scope.entropy };
  if (state.SecondsPath !== undefined) {
    const value = readPath(state.SecondsPath, pathScope);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw StatesError.runtime(`The SecondsPath parameter cannot be parsed as a long value: ${state.SecondsPath} == ${showJson(value ?? null)}`);
    }
    if (value < 0) {
      throw StatesError.runtime(`The SecondsPath parameter references a negative value: ${state.SecondsPath} == ${value}`);
    }
    return enteredAt + value * 1000;
  }
  const path = state.TimestampPath ?? '$';
  const value = readPath(path, pathScope);
  const at = typeof value === 'string' ? parseTimestamp(value) : undefined;
  if (at === undefined) {
    throw StatesError.runtime(
      `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${typeof value === 'string' ? value : showJson(value ?? null)}`,
    );
  }
  return at;
}

/** RFC 3339 date-time with an offset, the form AWS's Wait states accept. */
function parseTimestamp(text: string): number | undefined {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(text)) return undefined;
  const ms = Date.parse(text);
  return Number.isNaN(ms) ? undefined : ms;
}

function expressionText(value: Json | undefined): string {
  return typeof value === 'string' ? value.replace(/^\{%\s*/, '').replace(/\s*%\}$/, '') : showJson(value);
}

function typeName(value: Json | undefined): string {
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  if (value === null || value === undefined) return 'null';
  return Array.isArray(value) ? 'array' : typeof value;
}
