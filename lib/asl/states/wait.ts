import { QueryEvaluationError } from '../jsonata/query-evaluation-error.js';
import { StatesError } from '../errors.js';
import { jsonataBindings } from '../io/jsonata-io.js';
import { pathScope } from '../io/state-io.js';
import { evaluateJsonataExpecting, evaluateJsonataExpression, isJsonataExpression, jsonataExpressionText, unexpectedResultType } from '../jsonata/index.js';
import { jsonTypeName, showJson, type Json } from '../json.js';
import { readPath } from '../paths/json-path.js';
import type { Step } from '../step.js';
import { parseChoiceTimestamp, timestampEpochMillis } from '../timestamp.js';
import { awaiting, type Op } from '../op.js';

/**
 * "A Wait state causes the interpreter to delay the machine from continuing for a specified time"
 * (ASL spec). Wait never sleeps: it names the instant to resume at and the runtime wakes the frame
 * then. Output and Assign are computed on entry, from the values the state saw.
 */
export function* enterWait(step: Step): Op<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const input = yield* io.inputPathOnly(state, raw, scope);
  const resumeAt = yield* resumeTime(step, input);
  // AWS keeps the delay in a signed 32-bit count of seconds (now + 24,855 days passes, + 24,856 fails).
  if ((resumeAt - step.frame.enteredAt) / 1000 > MAX_WAIT_SECONDS) throw StatesError.runtime('Wait state delay is too long.');
  step.frame.pendingAssign = state.Assign === undefined ? undefined : yield* io.assign(state.Assign, raw, undefined, scope);
  step.frame.pendingOutput = yield* io.output(state, raw, input, scope);
  if (resumeAt <= step.env.now) return wakeWait(step);
  step.frame.phase = 'waiting';
  step.command({ kind: 'sleep', at: resumeAt });
}

const MAX_WAIT_SECONDS = 2 ** 31 - 1;

export function wakeWait(step: Step): void {
  const { pendingOutput, pendingAssign } = step.frame;
  step.frame.pendingOutput = undefined;
  step.frame.pendingAssign = undefined;
  step.exit(pendingOutput ?? null, pendingAssign);
}

function* resumeTime(step: Step, input: Json): Op<number> {
  const { state } = step;
  const enteredAt = step.frame.enteredAt;
  const bindings = () => jsonataBindings(step.scope(), { input: step.frame.input });
  if (state.Seconds !== undefined) {
    if (!isJsonataExpression(state.Seconds)) return enteredAt + Number(state.Seconds) * 1000;
    const seconds = yield* awaiting(evaluateJsonataExpression(state.Seconds, 'Seconds', bindings()));
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds < 0) {
      throw unexpectedResultType(jsonataExpressionText(state.Seconds), 'Seconds', 'integer', jsonTypeName(seconds), seconds);
    }
    return enteredAt + seconds * 1000;
  }
  if (state.Timestamp !== undefined) {
    const text = isJsonataExpression(state.Timestamp) ? yield* awaiting(evaluateJsonataExpecting(state.Timestamp, 'Timestamp', 'string', bindings())) : state.Timestamp;
    const at = epochMillis(text);
    if (at === undefined) throw new QueryEvaluationError('Timestamp', `The Timestamp field cannot be parsed as an ISO-8601 extended offset date-time format string: ${text}`);
    return at;
  }
  const scope = step.scope();
  const paths = pathScope(input, scope);
  if (state.SecondsPath !== undefined) {
    const value = readPath(state.SecondsPath, paths);
    // AWS's texts (recorded: LocalStack's test_logs wait_seconds_path): nothing there, or not a whole number.
    if (value === undefined) throw StatesError.runtime(`The SecondsPath parameter does not reference an input value: ${state.SecondsPath}`);
    if (typeof value !== 'number' || !Number.isInteger(value)) {
      throw StatesError.runtime(`The SecondsPath parameter cannot be parsed as a long value: ${state.SecondsPath} == ${showJson(value ?? null)}`);
    }
    if (value < 0) {
      throw StatesError.runtime(`The SecondsPath parameter references a negative value: ${state.SecondsPath} == ${value}`);
    }
    return enteredAt + value * 1000;
  }
  const path = state.TimestampPath ?? '$';
  const value = readPath(path, paths);
  const at = typeof value === 'string' ? epochMillis(value) : undefined;
  if (at === undefined) {
    // AWS prints a string as it is and anything else as JSON.
    throw StatesError.runtime(
      `The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: ${path} == ${typeof value === 'string' ? value : showJson(value ?? null)}`,
    );
  }
  return at;
}

function epochMillis(text: string): number | undefined {
  const timestamp = parseChoiceTimestamp(text);
  return timestamp === undefined ? undefined : timestampEpochMillis(timestamp);
}
