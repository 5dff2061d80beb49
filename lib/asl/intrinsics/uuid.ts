// States.UUID: a version-4 UUID from the runtime's entropy, so lib/asl stays deterministic under test.
import type { IntrinsicFunction } from './function.js';

export const statesUuid: IntrinsicFunction = {
  minArgs: 0,
  maxArgs: 0,
  apply: (_args, scope) => scope.entropy.uuid(),
};
