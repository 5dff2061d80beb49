import type { Json } from '../../../lib/asl/json.js';
import type { PathScope } from '../../../lib/asl/paths/scope.js';

/** A scope with fixed entropy: random() always returns `random`, uuid() a constant. */
export function scopeOf(
  input: Json,
  options: { context?: Json; variables?: Record<string, Json>; random?: number } = {},
): PathScope {
  const variables = options.variables ?? {};
  return {
    input,
    context: options.context ?? {},
    variables: { get: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined) },
    entropy: { random: () => options.random ?? 0.5, uuid: () => 'ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8', taskToken: () => 'token' },
  };
}
