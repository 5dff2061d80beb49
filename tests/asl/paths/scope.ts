import type { Json } from '../../../lib/asl/json.js';
import type { PathScope } from '../../../lib/asl/paths/scope.js';

/** A PathScope for tests: variables from a plain object, entropy that fails the test if used. */
export function scopeOf(input: Json, options: { context?: Json; variables?: Record<string, Json> } = {}): PathScope {
  const variables = options.variables ?? {};
  return {
    input,
    context: options.context ?? {},
    variables: { get: (name) => (Object.hasOwn(variables, name) ? variables[name] : undefined) },
    entropy: {
      random: () => {
        throw new Error('entropy used by a path');
      },
      uuid: () => {
        throw new Error('entropy used by a path');
      },
      taskToken: () => {
        throw new Error('entropy used by a path');
      },
    },
  };
}
