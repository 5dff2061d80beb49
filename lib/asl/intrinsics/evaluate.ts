// Evaluates a parsed intrinsic call: arguments innermost first, then the function from the registry.
import { StatesError } from '../errors.js';
import { showJson, type Json } from '../json.js';
import { describePathMiss, pathReader, pathRootValue, type PathReader } from '../paths/json-path.js';
import type { PathScope } from '../paths/scope.js';
import type { IntrinsicFunction } from './function.js';
import { IntrinsicSyntaxError, parseIntrinsic, type IntrinsicArgument, type IntrinsicCall } from './parse.js';
import { intrinsicFunction } from './registry.js';

/**
 * An intrinsic call compiled for repeated evaluation. `field` is the payload key (e.g. `value.$`)
 * named in the cause when a path argument finds nothing.
 */
export type CompiledIntrinsic = (scope: PathScope, field?: string) => Json;

// Expressions come from definitions, so the set is bounded by the definitions in use, and the same
// expression runs for every item of a Map: compile each once. The cap only guards a long-lived server.
const MAX_CACHED = 10_000;
const compiled = new Map<string, CompiledIntrinsic>();

/**
 * The value of an intrinsic call such as `States.Format('x {}', $.a)` against `scope`. `field` is the
 * payload key (e.g. `value.$`) named in the cause when a path argument finds nothing.
 * Throws StatesError (States.Runtime) when an argument is invalid.
 */
export function evaluateIntrinsic(expression: string, scope: PathScope, field?: string): Json {
  return compileIntrinsic(expression)(scope, field);
}

/**
 * `expression` parsed, its function looked up and its path arguments compiled, once. An expression
 * that does not parse fails with States.Runtime when it is evaluated (definitions are validated at
 * creation, so only a caller that skipped that meets it).
 */
export function compileIntrinsic(expression: string): CompiledIntrinsic {
  let result = compiled.get(expression);
  if (result === undefined) {
    let call: IntrinsicCall;
    try {
      call = parseIntrinsic(expression);
    } catch (error) {
      if (!(error instanceof IntrinsicSyntaxError)) throw error;
      const message = error.message;
      return () => {
        throw StatesError.runtime(message);
      };
    }
    const plan = planCall(call);
    result = (scope, field) => evaluateCall(plan, scope, field);
    if (compiled.size >= MAX_CACHED) compiled.clear();
    compiled.set(expression, result);
  }
  return result;
}

/** A call with its function resolved and its arguments ready to evaluate. */
interface CallPlan {
  readonly call: IntrinsicCall;
  readonly fn: IntrinsicFunction | undefined;
  readonly args: readonly ArgumentPlan[];
}

/** One argument: a literal `value`, a path `read` (with its text for causes), or a nested `call`. */
interface ArgumentPlan {
  readonly value: Json;
  readonly read: PathReader | undefined;
  readonly path: string;
  readonly call: CallPlan | undefined;
}

function planCall(call: IntrinsicCall): CallPlan {
  return { call, fn: intrinsicFunction(call.name), args: call.args.map(planArgument) };
}

function planArgument(arg: IntrinsicArgument): ArgumentPlan {
  switch (arg.kind) {
    case 'literal':
      return { value: arg.value, read: undefined, path: '', call: undefined };
    case 'path':
      return { value: null, read: pathReader(arg.path), path: arg.path, call: undefined };
    case 'call':
      return { value: null, read: undefined, path: '', call: planCall(arg.call) };
  }
}

function evaluateCall(plan: CallPlan, scope: PathScope, field: string | undefined): Json {
  const { fn } = plan;
  if (fn === undefined) throw StatesError.runtime(`Unknown intrinsic function ${plan.call.name}`);
  const args = new Array<Json>(plan.args.length);
  for (let i = 0; i < args.length; i++) args[i] = evaluateArgument(plan.args[i]!, scope, field);
  return fn.apply(args, scope, plan.call);
}

function evaluateArgument(arg: ArgumentPlan, scope: PathScope, field: string | undefined): Json {
  if (arg.call !== undefined) return evaluateCall(arg.call, scope, field);
  if (arg.read === undefined) return arg.value;
  const value = arg.read(scope);
  if (value !== undefined) return value;
  const path = arg.path;
  if (field === undefined) throw StatesError.runtime(`Invalid path '${path}' : ${describePathMiss(path, scope)}`);
  throw StatesError.runtime(
    `The JSONPath '${path}' specified for the field '${field}' could not be found in the input '${showJson(pathRootValue(path, scope))}'`,
  );
}
