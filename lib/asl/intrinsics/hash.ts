// States.Hash(data, algorithm): the hex digest of the string's UTF-8 bytes.
import { invalidArguments } from './failure.js';
import type { IntrinsicFunction } from './function.js';
import { hashText, isHashAlgorithm } from './hash-algorithms.js';

/** "The data you provide must be an object string containing 10,000 characters or less." */
const MAX_INPUT_LENGTH = 10_000;

export const statesHash: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  apply([data, algorithm]) {
    if (typeof data !== 'string' || data.length > MAX_INPUT_LENGTH || !isHashAlgorithm(algorithm)) {
      throw invalidArguments('States.Hash');
    }
    return hashText(algorithm, data);
  },
};
