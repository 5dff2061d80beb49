import { StatesError } from '../errors.js';
import { evaluateIntrinsic, isIntrinsicCall } from '../intrinsics/index.js';
import { jsonataBindings } from '../io/jsonata-io.js';
import { pathScope } from '../io/state-io.js';
import { evaluateJsonataExpecting, isJsonataExpression } from '../jsonata/index.js';
import type { Json } from '../json.js';
import { readPath } from '../paths/json-path.js';
import type { Step } from '../step.js';
import { awaiting, type Op } from '../op.js';

/**
 * "The Fail state terminates the machine and marks it as a failure" (ASL spec), with Error and Cause
 * given literally, by ErrorPath/CausePath (a path or an intrinsic function), or by JSONata.
 */
export function* runFail(step: Step): Op<void> {
  const { state } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const paths = pathScope(raw, scope);

  function* pick(field: 'Error' | 'Cause', literal: string | undefined, path: string | undefined): Op<string | undefined> {
    if (path !== undefined) {
      const value: Json | undefined = isIntrinsicCall(path) ? evaluateIntrinsic(path, paths, `${field}Path`) : readPath(path, paths);
      if (value === undefined) {
        throw StatesError.runtime(`The JSONPath '${path}' specified for the field '${field}Path' could not be found in the input '${JSON.stringify(raw)}'`);
      }
      if (typeof value !== 'string') {
        throw StatesError.runtime(`The ${field}Path parameter does not reference a valid string value: ${path} == ${JSON.stringify(value ?? null)}`);
      }
      return value;
    }
    if (literal !== undefined && isJsonataExpression(literal)) {
      return yield* awaiting(evaluateJsonataExpecting(literal, field, 'string', jsonataBindings(scope, { input: raw })));
    }
    return literal;
  }

  const error = yield* pick('Error', state.Error, state.ErrorPath);
  const cause = yield* pick('Cause', state.Cause, state.CausePath);
  step.finish({ kind: 'fail', error: error ?? '', ...(cause === undefined ? {} : { cause }) });
}
