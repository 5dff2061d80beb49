import { StatesError } from '../errors.js';
import { evaluateIntrinsic, isIntrinsicCall } from '../intrinsics/index.js';
import { isJsonataExpression } from '../jsonata/index.js';
import type { Json } from '../json.js';
import { readPath } from '../paths/json-path.js';
import type { Step } from '../step.js';

/**
 * "The Fail state terminates the machine and marks it as a failure" (ASL spec), with Error and Cause
 * given literally, by ErrorPath/CausePath (a path or an intrinsic function), or by JSONata.
 */
export async function runFail(step: Step): Promise<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const pathScope = { input: raw, context: scope.context, variables: scope.variables, entropy: scope.entropy };

  const pick = async (field: 'Error' | 'Cause', literal: string | undefined, path: string | undefined): Promise<string | undefined> => {
    if (path !== undefined) {
      const value: Json | undefined = isIntrinsicCall(path) ? evaluateIntrinsic(path, pathScope) : readPath(path, pathScope);
      if (typeof value !== 'string') {
        throw StatesError.runtime(`The ${field}Path parameter does not reference a valid string value: ${path} == ${JSON.stringify(value ?? null)}`);
      }
      return value;
    }
    if (literal !== undefined && isJsonataExpression(literal)) {
      const value = await io.value(field, literal, raw, scope);
      if (typeof value !== 'string') {
        throw StatesError.queryEvaluation(`The JSONata expression '${literal.slice(2, -2).trim()}' specified for the field '${field}' returned an unexpected result type. Expected 'string', but was '${Array.isArray(value) ? 'array' : value === null ? 'null' : typeof value}' for value: ${JSON.stringify(value)}`);
      }
      return value;
    }
    return literal;
  };

  const error = await pick('Error', state.Error, state.ErrorPath);
  const cause = await pick('Cause', state.Cause, state.CausePath);
  step.finish({ kind: 'fail', error: error ?? '', ...(cause === undefined ? {} : { cause }) });
}
