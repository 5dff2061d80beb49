// States.Array, ArrayPartition, ArrayContains, ArrayRange, ArrayGetItem, ArrayLength, ArrayUnique.
import type { Json } from '../json.js';
import { canonicalJson, jsonEqual } from '../json-equal.js';
import { invalidArguments } from './failure.js';
import type { IntrinsicFunction } from './function.js';

/** "The newly generated array can't contain more than 1000 items." */
const MAX_RANGE_ITEMS = 1000;

export const statesArray: IntrinsicFunction = {
  minArgs: 0,
  maxArgs: Infinity,
  apply: (args) => [...args],
};

export const statesArrayPartition: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  apply([array, size]) {
    // AWS (Java) truncates a fractional chunk size: 2.6 partitions by 2 and 0.6 is rejected, whatever the
    // guide says about rounding.
    if (!Array.isArray(array) || typeof size !== 'number' || Math.trunc(size) <= 0) {
      throw invalidArguments('States.ArrayPartition');
    }
    const chunk = Math.trunc(size);
    const chunks: Json[] = [];
    for (let i = 0; i < array.length; i += chunk) chunks.push(array.slice(i, i + chunk));
    return chunks;
  },
};

export const statesArrayContains: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  apply([array, value]) {
    if (!Array.isArray(array)) throw invalidArguments('States.ArrayContains');
    return array.some((item) => jsonEqual(item, value as Json));
  },
};

export const statesArrayRange: IntrinsicFunction = {
  minArgs: 3,
  maxArgs: 3,
  apply([first, last, increment]) {
    if (typeof first !== 'number' || typeof last !== 'number' || typeof increment !== 'number') {
      throw invalidArguments('States.ArrayRange');
    }
    // Truncated like Java's (int) cast: AWS runs ArrayRange(1.6, 1.4, 1) as ArrayRange(1, 1, 1).
    const start = Math.trunc(first);
    const end = Math.trunc(last);
    const step = Math.trunc(increment);
    if (step === 0) throw invalidArguments('States.ArrayRange');
    const count = Math.sign(end - start) === -Math.sign(step) ? 0 : Math.floor((end - start) / step) + 1;
    if (count > MAX_RANGE_ITEMS) throw invalidArguments('States.ArrayRange');
    return Array.from({ length: count }, (_, i) => start + i * step);
  },
};

export const statesArrayGetItem: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  apply([array, index]) {
    if (!Array.isArray(array) || typeof index !== 'number' || !Number.isInteger(index)) {
      throw invalidArguments('States.ArrayGetItem');
    }
    if (index < 0 || index >= array.length) throw invalidArguments('States.ArrayGetItem');
    return array[index] as Json;
  },
};

export const statesArrayLength: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  apply([array]) {
    if (!Array.isArray(array)) throw invalidArguments('States.ArrayLength');
    return array.length;
  },
};

export const statesArrayUnique: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  apply([array]) {
    if (!Array.isArray(array)) throw invalidArguments('States.ArrayUnique');
    const seen = new Set<string>();
    return array.filter((item) => {
      const key = canonicalJson(item);
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    });
  },
};
