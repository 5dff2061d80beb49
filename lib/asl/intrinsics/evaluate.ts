// Evaluates a parsed intrinsic call: arguments innermost first, then the function from the registry.
import { StatesError } from '../errors.js';
import { showJson, type Json } from '../json.js';
import { describePathMiss, pathRootValue, readPath } from '../paths/json-path.js';
import type { PathScope } from '../paths/scope.js';
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicArgument, type IntrinsicCall } from './parse.js';
import { intrinsicFunction } from './registry.js';

// Expressions come from definitions, so the set is bounded by the definitions in use, and the same
// expression runs for every item of a Map: parse each once. The cap only guards a long-lived server.
const MAX_CACHED = 10_000;
const parsed = new Map<string, IntrinsicCall>();

/**
 * The value of an intrinsic call such as `States.Format('x {}', $.a)` against `scope`. `field` is the
 * payload key (e.g. `value.$`) named in the cause when a path argument finds nothing.
 * Throws StatesError (States.Runtime) when an argument is invalid.
 */
export function evaluateIntrinsic(expression: string, scope: PathScope, field?: string): Json {
  return evaluateCall(parsedCall(expression), scope, field);
}

function parsedCall(expression: string): IntrinsicCall {
  let call = parsed.get(expression);
  if (call === undefined) {
    try {
      call = parseIntrinsic(expression);
    } catch (error) {
      // Definitions are validated at creation, so this is only reached by a caller that skipped it.
      if (error instanceof IntrinsicSyntaxError) throw StatesError.runtime(error.message);
      throw error;
    }
    if (parsed.size >= MAX_CACHED) parsed.clear();
    parsed.set(expression, call);
  }
  return call;
}

function evaluateCall(call: IntrinsicCall, scope: PathScope, field: string | undefined): Json {
  const fn = intrinsicFunction(call.name);
  if (fn === undefined) throw StatesError.runtime(`Unknown intrinsic function ${call.name}`);
  const args = call.args.map((arg) => evaluateArgument(arg, scope, field));
  return fn.apply(args, { scope, call });
}

function evaluateArgument(arg: IntrinsicArgument, scope: PathScope, field: string | undefined): Json {
  switch (arg.kind) {
    case 'literal':
      return arg.value;
    case 'call':
      return evaluateCall(arg.call, scope, field);
    case 'path': {
      const value = readPath(arg.path, scope);
      if (value !== undefined) return value;
      if (field === undefined) throw StatesError.runtime(`Invalid path '${arg.path}' : ${describePathMiss(arg.path, scope)}`);
      throw StatesError.runtime(
        `The JSONPath '${arg.path}' specified for the field '${field}' could not be found in the input '${showJson(pathRootValue(arg.path, scope))}'`,
      );
    }
  }
}
