import type { Json } from '../../../lib/asl/json.js';
import type { PathScope } from '../../../lib/asl/paths/scope.js';

/** A PathScope for Choice rule tests: variables from a plain object, entropy that fails the test if used. */
export function choiceScope(input: Json, options: { context?: Json; variables?: Record<string, Json> } = {}): PathScope {
  const variables = options.variables ?? {};
  const noEntropy = (): never => {
    throw new Error('a Choice rule used entropy');
  };
  return {
    input,
    context: options.context ?? {},
    variables: { get: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined) },
    entropy: { random: noEntropy, uuid: noEntropy, taskToken: noEntropy },
  };
}
