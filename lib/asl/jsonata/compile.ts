import jsonata from 'jsonata';
import { describeJsonataError } from './query-evaluation-error.js';
import { registerStepFunctionsFunctions } from './step-functions-functions.js';

export interface CompiledJsonata {
  readonly expression: jsonata.Expression;
  /** Every `$name` the expression mentions, so only those workflow variables are looked up. */
  readonly variableNames: readonly string[];
}

export type Compilation = { ok: true; compiled: CompiledJsonata } | { ok: false; error: unknown };

// The same few expressions run for every Map item and every execution of a definition: parse
// once. Bounded so a long-lived server that sees many definitions does not grow without end.
const CACHE_LIMIT = 10_000;
const cache = new Map<string, Compilation>();

export function compileJsonata(expressionText: string): Compilation {
  const cached = cache.get(expressionText);
  if (cached !== undefined) return cached;
  const compilation = compile(expressionText);
  if (cache.size >= CACHE_LIMIT) cache.delete(cache.keys().next().value as string);
  cache.set(expressionText, compilation);
  return compilation;
}

function compile(expressionText: string): Compilation {
  let expression: jsonata.Expression;
  try {
    expression = jsonata(expressionText);
  } catch (error) {
    return { ok: false, error };
  }
  const unsupported = findPostV2_0Operator(expression.ast());
  if (unsupported !== undefined) return { ok: false, error: unsupported };
  registerStepFunctionsFunctions(expression);
  return { ok: true, compiled: { expression, variableNames: [...collectVariableNames(expression.ast())] } };
}

/** Why a JSONata expression would not compile, as `code: message`; undefined when it compiles. */
export function jsonataSyntaxProblem(expressionText: string): string | undefined {
  const compilation = compileJsonata(expressionText);
  return compilation.ok ? undefined : describeJsonataError(compilation.error);
}

function collectVariableNames(node: unknown, names = new Set<string>()): Set<string> {
  if (Array.isArray(node)) {
    for (const child of node) collectVariableNames(child, names);
  } else if (typeof node === 'object' && node !== null) {
    const { type, value } = node as { type?: unknown; value?: unknown };
    // '' is `$` (the context) and '$' is `$$` (the root): neither is a workflow variable.
    if (type === 'variable' && typeof value === 'string' && value !== '' && value !== '$') names.add(value);
    for (const child of Object.values(node)) collectVariableNames(child, names);
  }
  return names;
}

/**
 * Step Functions runs JSONata 2.0.6; the installed library also parses the `?:` (default) and
 * `??` (coalescing) operators added in 2.1.0, which AWS rejects. Both parse to a `condition` node
 * that the 2.0 syntax cannot produce: `a ?: b` clones `a` as condition (same positions), and
 * `a ?? b` wraps it in a synthetic `$exists(a)` call that has no source position.
 */
function findPostV2_0Operator(node: unknown): { code: string; message: string } | undefined {
  if (Array.isArray(node)) {
    for (const child of node) {
      const found = findPostV2_0Operator(child);
      if (found !== undefined) return found;
    }
    return undefined;
  }
  if (typeof node !== 'object' || node === null) return undefined;
  const candidate = node as { type?: unknown; condition?: unknown; then?: unknown };
  if (candidate.type === 'condition') {
    // What jsonata 2.0.6 says when it meets the second half of these operators.
    if (isCoalescingCondition(candidate.condition, candidate.then)) {
      return { code: 'S0211', message: 'The symbol ? cannot be used as a unary operator' };
    }
    if (JSON.stringify(candidate.condition) === JSON.stringify(candidate.then)) {
      return { code: 'S0211', message: 'The symbol : cannot be used as a unary operator' };
    }
  }
  for (const child of Object.values(node)) {
    const found = findPostV2_0Operator(child);
    if (found !== undefined) return found;
  }
  return undefined;
}

function isCoalescingCondition(condition: unknown, then: unknown): boolean {
  if (typeof condition !== 'object' || condition === null) return false;
  const call = condition as { type?: unknown; position?: unknown; procedure?: { value?: unknown }; arguments?: unknown[] };
  return (
    call.type === 'function' &&
    call.position === undefined &&
    call.procedure?.value === 'exists' &&
    call.arguments?.length === 1 &&
    JSON.stringify(call.arguments[0]) === JSON.stringify(then)
  );
}
