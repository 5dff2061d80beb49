// States.MathAdd and States.MathRandom.
import { JavaRandom } from '../java-random.js';
import { invalidArguments } from './failure.js';
import type { IntrinsicFunction } from './function.js';

const INT_MIN = -2147483648;
const INT_MAX = 2147483647;

export const statesMathAdd: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 2,
  apply([a, b]) {
    if (typeof a !== 'number' || typeof b !== 'number') throw invalidArguments('States.MathAdd');
    // Each argument is rounded before adding, with Java's Math.round (half up, towards +infinity, which
    // Math.round shares): AWS records MathAdd(-0.5, 0.5) = 1 and MathAdd(-2.5, 0) = -2.
    const x = Math.round(a);
    const y = Math.round(b);
    // "You must specify integer values in the range of -2147483648 and 2147483647."
    if (!isInt32(x) || !isInt32(y)) throw invalidArguments('States.MathAdd');
    return x + y;
  },
};

export const statesMathRandom: IntrinsicFunction = {
  minArgs: 2,
  maxArgs: 3,
  apply([first, last, seed], scope) {
    if (typeof first !== 'number' || typeof last !== 'number') throw invalidArguments('States.MathRandom');
    if (seed !== undefined && typeof seed !== 'number') throw invalidArguments('States.MathRandom');
    // Bounds are truncated (AWS lets MathRandom(1.6, 5.4) return 1 and rejects MathRandom(1.4, 1.6));
    // the start is inclusive and the end exclusive.
    const start = Math.trunc(first);
    const end = Math.trunc(last);
    const bound = end - start;
    if (!isInt32(start) || !isInt32(end) || bound <= 0 || bound > INT_MAX) throw invalidArguments('States.MathRandom');
    // "If you use this function with the same seed value, it will return identical numbers."
    const offset =
      seed === undefined ? Math.floor(scope.entropy.random() * bound) : new JavaRandom(Math.trunc(seed)).nextInt(bound);
    return start + offset;
  },
};

function isInt32(n: number): boolean {
  return n >= INT_MIN && n <= INT_MAX;
}
