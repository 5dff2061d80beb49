import type { Json, JsonObject } from '../../../lib/asl/json.js';
import type { JsonataBindings } from '../../../lib/asl/jsonata/index.js';
import type { Entropy, Variables } from '../../../lib/asl/paths/scope.js';

export function variables(values: Record<string, Json> = {}): Variables {
  return { get: (name) => (Object.hasOwn(values, name) ? values[name] : undefined) };
}

/** Entropy that replays the numbers and UUIDs it is given, in order. */
export function scriptedEntropy(randoms: number[] = [], uuids: string[] = []): Entropy {
  return {
    random: () => {
      const next = randoms.shift();
      if (next === undefined) throw new Error('test entropy ran out of random numbers');
      return next;
    },
    uuid: () => {
      const next = uuids.shift();
      if (next === undefined) throw new Error('test entropy ran out of UUIDs');
      return next;
    },
    taskToken: () => {
      throw new Error('test entropy has no task tokens');
    },
  };
}

export function bindings(input: Json = {}, options: { vars?: Record<string, Json>; entropy?: Entropy; states?: JsonObject } = {}): JsonataBindings {
  return {
    states: { input, context: {}, ...options.states },
    variables: variables(options.vars),
    entropy: options.entropy ?? scriptedEntropy(),
  };
}
