import type jsonata from 'jsonata';
import type { Entropy } from '../paths/scope.js';
import { HASH_ALGORITHMS, hashText, isHashAlgorithm } from '../intrinsics/hash-algorithms.js';
import { JavaRandom } from '../java-random.js';

/** What the functions below need from the execution, bound per evaluation under a key no
 *  JSONata expression can name (':' ends a variable name), so compiled expressions stay shareable. */
export const FUNCTION_CONTEXT_KEY = 'stepwise:functions';

export interface FunctionContext {
  entropy: Entropy;
  /** The instant $now() and $millis() report; JSONata's own clock when absent. */
  now?: Date;
}

type Focus = jsonata.Focus;

function contextOf(focus: Focus): FunctionContext {
  return focus.environment.lookup(FUNCTION_CONTEXT_KEY) as FunctionContext;
}

/** A JSONata error object, printed in causes as `${code}: ${message}` like JSONata's own. */
function failure(message: string, code?: string): { code?: string; message: string } {
  return code === undefined ? { message } : { code, message };
}

/** The functions Step Functions adds to JSONata ("JSONata functions provided by Step Functions"),
 *  with JSONata signatures so wrong argument types fail as JSONata's own T0410 errors do. */
export function registerStepFunctionsFunctions(expression: jsonata.Expression): void {
  expression.registerFunction('partition', partition, '<an:a>');
  expression.registerFunction('range', range, '<nnn:a>');
  expression.registerFunction('hash', hash, '<ss:s>');
  expression.registerFunction('random', random, '<n?:n>');
  expression.registerFunction('uuid', uuid, '<:s>');
  expression.registerFunction('parse', parse, '<s:x>');
  // Randomness and time come from the runtime, never from inside lib/asl, so that a step
  // replayed after a crash computes what it computed the first time.
  expression.registerFunction('shuffle', shuffle, '<a:a>');
  expression.registerFunction('now', now, '<s?s?:s>');
  expression.registerFunction('millis', millis, '<:n>');
  // "All built-in JSONata functions ... are supported, with one exception: $eval is not
  // available—use $parse instead." Unbound, a call fails with T1006 like any unknown function.
  expression.assign('eval', undefined);
}

/** `$partition([1,2,3,4,5], 2)` → `[[1,2],[3,4],[5]]`; the last chunk may be shorter. */
function partition(this: Focus, array: unknown[], chunkSize: number): unknown[][] {
  if (!Number.isInteger(chunkSize) || chunkSize <= 0) {
    throw failure(`The chunk size argument of $partition must be a positive integer, but was: ${chunkSize}`);
  }
  const chunks: unknown[][] = [];
  for (let start = 0; start < array.length; start += chunkSize) chunks.push(array.slice(start, start + chunkSize));
  return chunks;
}

// JSONata's own range operator (D2014) caps a sequence at 1e7 items; $range keeps the same bound.
const RANGE_LIMIT = 1e7;

/**
 * `$range(0, 10, 2)` → `[0, 2, 4, 6, 8, 10]`: start to end inclusive, by step (negative counts down).
 * The result is a JSONata sequence, so a single value comes back unwrapped: AWS answers
 * `$range(1, 9, 9)` with `1`, not `[1]`.
 */
function range(this: Focus, start: number, end: number, step: number): unknown[] {
  if (step === 0) throw failure('The step argument of $range must not be zero');
  const count = Math.floor((end - start) / step) + 1;
  if (count > RANGE_LIMIT) {
    throw failure(`The size of the sequence allocated by $range must not exceed ${RANGE_LIMIT}`, 'D2014');
  }
  const sequence = Object.assign([] as unknown[], { sequence: true });
  for (let i = 0; i < count; i++) sequence.push(start + i * step);
  return sequence;
}

function hash(this: Focus, value: string, algorithm: string): string {
  if (!isHashAlgorithm(algorithm)) {
    throw failure(`The hash algorithm '${algorithm}' is not supported. Supported algorithms: ${HASH_ALGORITHMS.join(', ')}`);
  }
  return hashText(algorithm, value);
}

/** `$random()` is 0 ≤ n < 1; `$random(seed)` gives the same n for the same seed. */
function random(this: Focus, seed?: number): number {
  return seed === undefined ? contextOf(this).entropy.random() : new JavaRandom(Math.trunc(seed)).nextDouble();
}

function uuid(this: Focus): string {
  return contextOf(this).entropy.uuid();
}

/** JSON text to a value: `$parse('{"a":1}')` → `{"a": 1}`. */
function parse(this: Focus, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw failure(`The argument of $parse is not valid JSON: ${JSON.stringify(text)}`);
  }
}

/** Fisher–Yates, as JSONata's $shuffle, drawing from the execution's entropy. */
function shuffle(this: Focus, array: unknown[]): unknown[] {
  const { entropy } = contextOf(this);
  const shuffled = [...array];
  for (let i = shuffled.length - 1; i > 0; i--) {
    const j = Math.floor(entropy.random() * (i + 1));
    [shuffled[i], shuffled[j]] = [shuffled[j], shuffled[i]];
  }
  return shuffled;
}

function instant(focus: Focus): number {
  return (contextOf(focus).now ?? focus.environment.timestamp).getTime();
}

function millis(this: Focus): number {
  return instant(this);
}

/** Same formatting as JSONata's $now: it is $fromMillis applied to the evaluation's instant. */
function now(this: Focus, picture?: string, timezone?: string): unknown {
  const fromMillis = this.environment.lookup('fromMillis') as { implementation: (...args: unknown[]) => unknown };
  return fromMillis.implementation.call(this, instant(this), picture, timezone);
}
