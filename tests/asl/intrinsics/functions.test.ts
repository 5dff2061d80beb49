import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../lib/asl/errors.js';
import { evaluateIntrinsic } from '../../../lib/asl/intrinsics/index.js';
import type { Json } from '../../../lib/asl/json.js';
import { scopeOf } from './scope.js';

// Expected values come from the examples in the AWS guide, "Intrinsic functions for JSONPath states",
// unless a comment names another source.
const run = (expression: string, input: Json = {}, options: Parameters<typeof scopeOf>[1] = {}): Json =>
  evaluateIntrinsic(expression, scopeOf(input, options));

function failure(expression: string, input: Json = {}): { error: string; cause: string | undefined } {
  try {
    run(expression, input);
  } catch (error) {
    if (error instanceof StatesError) return { error: error.error, cause: error.causeText };
    throw error;
  }
  throw new Error(`${expression} did not fail`);
}

// The error and cause AWS reports for an argument of the wrong type or range (observed on AWS; the runtime
// prefixes "An error occurred while executing the state ...").
const invalid = (name: string) => ({ error: 'States.Runtime', cause: `Invalid arguments in ${name}` });

describe('arrays', () => {
  it('builds an array from its arguments with States.Array', () => {
    expect(run('States.Array($.Id)', { Id: 123456 })).toEqual([123456]);
    expect(run('States.Array()')).toEqual([]);
  });

  it('partitions into chunks with a shorter last one', () => {
    expect(run('States.ArrayPartition($.inputArray,4)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toEqual([
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [9],
    ]);
  });

  it('rejects a chunk size that is not a positive number', () => {
    expect(failure('States.ArrayPartition($.a, 0)', { a: [1] })).toEqual(invalid('States.ArrayPartition'));
    expect(failure('States.ArrayPartition($.a, -1)', { a: [1] })).toEqual(invalid('States.ArrayPartition'));
    expect(failure("States.ArrayPartition($.a, '2')", { a: [1] })).toEqual(invalid('States.ArrayPartition'));
    expect(failure("States.ArrayPartition('not-array', 2)")).toEqual(invalid('States.ArrayPartition'));
  });

  it('finds a value with ArrayContains, comparing structurally', () => {
    expect(run('States.ArrayContains($.inputArray, $.lookingFor)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 })).toBe(true);
    expect(run('States.ArrayContains($.a, $.b)', { a: [{ x: 1, y: [2] }], b: { y: [2], x: 1 } })).toBe(true);
    expect(run('States.ArrayContains($.a, 10)', { a: [1, 2] })).toBe(false);
  });

  it('builds inclusive ranges with ArrayRange', () => {
    expect(run('States.ArrayRange(1, 9, 2)')).toEqual([1, 3, 5, 7, 9]);
    // Recorded by LocalStack from AWS (map reentrant scenarios).
    expect(run('States.ArrayRange(0, 3, 1)')).toEqual([0, 1, 2, 3]);
    expect(run('States.ArrayRange(5, 1, -2)')).toEqual([5, 3, 1]);
    expect(run('States.ArrayRange(5, 1, 1)')).toEqual([]);
  });

  it('allows at most 1000 items in a range', () => {
    expect(run('States.ArrayRange(1, 1000, 1)')).toHaveLength(1000);
    expect(failure('States.ArrayRange(1, 1001, 1)')).toEqual(invalid('States.ArrayRange'));
    expect(failure('States.ArrayRange(1001, 1, -1)')).toEqual(invalid('States.ArrayRange'));
  });

  it('rejects a zero step in ArrayRange', () => {
    expect(failure('States.ArrayRange(1, 10, 0)')).toEqual(invalid('States.ArrayRange'));
    expect(failure('States.ArrayRange(1, 10, 0.49)')).toEqual(invalid('States.ArrayRange'));
  });

  it('returns the item at an index with ArrayGetItem', () => {
    expect(run('States.ArrayGetItem($.inputArray, $.index)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 })).toBe(6);
    expect(failure('States.ArrayGetItem($.a, 3)', { a: [1, 2, 3] })).toEqual(invalid('States.ArrayGetItem'));
  });

  it('counts items with ArrayLength', () => {
    expect(run('States.ArrayLength($.inputArray)', { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] })).toBe(9);
    expect(failure('States.ArrayLength($.s)', { s: 'abc' })).toEqual(invalid('States.ArrayLength'));
  });

  it('removes duplicates with ArrayUnique, keeping first occurrences in order', () => {
    expect(run('States.ArrayUnique($.inputArray)', { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] })).toEqual([1, 2, 3, 4]);
    expect(run('States.ArrayUnique($.a)', { a: [{ a: 1, b: 2 }, null, { b: 2, a: 1 }, [null], [null], 'x', null] })).toEqual([
      { a: 1, b: 2 },
      null,
      [null],
      'x',
    ]);
  });
});

describe('encoding', () => {
  it('encodes and decodes Base64', () => {
    expect(run('States.Base64Encode($.input)', { input: 'Data to encode' })).toBe('RGF0YSB0byBlbmNvZGU=');
    expect(run('States.Base64Decode($.base64)', { base64: 'RGF0YSB0byBlbmNvZGU=' })).toBe('Data to encode');
  });

  it('encodes non-ASCII text as UTF-8', () => {
    // RFC 4648 alphabet over the UTF-8 bytes of "é€😀" (c3 a9 e2 82 ac f0 9f 98 80).
    expect(run("States.Base64Encode('é€😀')")).toBe('w6nigqzwn5iA');
    expect(run("States.Base64Decode('w6nigqzwn5iA')")).toBe('é€😀');
  });

  it('limits Base64 input to 10,000 characters', () => {
    expect(run('States.Base64Encode($.s)', { s: 'a'.repeat(10_000) })).toHaveLength(13_336);
    expect(failure('States.Base64Encode($.s)', { s: 'a'.repeat(10_001) })).toEqual(invalid('States.Base64Encode'));
  });

  it('rejects text that is not Base64', () => {
    expect(failure("States.Base64Decode('not base64!')")).toEqual(invalid('States.Base64Decode'));
  });
});

describe('States.Hash', () => {
  it('computes the digest AWS recorded for each algorithm', () => {
    const hash = (algorithm: string) => run('States.Hash($.Data, $.Algorithm)', { Data: 'input data', Algorithm: algorithm });

    // SHA-1, SHA-256 and SHA-384 are LocalStack's AWS recordings; MD5 and SHA-512 are the standard digests.
    expect(hash('SHA-1')).toBe('aaff4a450a104cd177d28d18d74485e8cae074b7');
    expect(hash('SHA-256')).toBe('b4a697a057313163aee33cd8d40c66e9f0f177e00cac2de32475ffff6169c3e3');
    expect(hash('SHA-384')).toBe(
      'd28a7d5cf25a74f11a50a18452b75e04bb3d70c9dd0510d6123aa008c756511b87525bdc835ebb27e1fb9e9374a15562',
    );
    expect(hash('MD5')).toBe('812f45842bc6d66ee14572ce20db8e86');
    expect(hash('SHA-512')).toBe(
      '6ce4adb348546d4f449c4d25aad9a7c9cb711d9e91982d3f0b29ca2f3f47d4ce2deba23bf2954f0f1d593fc50283731a533d30d425402d4f91316d871303aac4',
    );
  });

  it('rejects an unknown algorithm', () => {
    expect(failure("States.Hash('x', 'SHA-3')")).toEqual(invalid('States.Hash'));
  });
});

describe('JSON manipulation', () => {
  it('merges shallowly, the second object winning', () => {
    const input = { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } };

    expect(run('States.JsonMerge($.json1, $.json2, false)', input)).toEqual({ a: { a3: 1, a4: 2 }, b: 2, c: 3 });
  });

  it('refuses deep merging', () => {
    expect(failure('States.JsonMerge($.a, $.a, true)', { a: {} })).toEqual(invalid('States.JsonMerge'));
  });

  it('parses and prints JSON text', () => {
    expect(run('States.StringToJson($.escapedJsonString)', { escapedJsonString: '{"foo": "bar"}' })).toEqual({ foo: 'bar' });
    expect(run('States.JsonToString($.unescapedJson)', { unescapedJson: { foo: 'bar' } })).toBe('{"foo":"bar"}');
  });

  it('rejects text that is not JSON', () => {
    expect(failure("States.StringToJson('{not json')")).toEqual(invalid('States.StringToJson'));
  });
});

describe('math', () => {
  it('adds, rounding each argument as Java does', () => {
    expect(run('States.MathAdd($.value1, $.step)', { value1: 111, step: -1 })).toBe(110);
    expect(run('States.MathAdd(-0.5, 0.5)')).toBe(1); // LocalStack's AWS recording
  });

  it('rejects non-numbers and numbers outside the int range', () => {
    expect(failure("States.MathAdd(1, 'NOT A NUMBER')")).toEqual(invalid('States.MathAdd'));
    expect(failure('States.MathAdd(2147483648, 0)')).toEqual(invalid('States.MathAdd'));
  });

  it('draws a random integer from start (inclusive) to end (exclusive) using the runtime entropy', () => {
    expect(run('States.MathRandom($.start, $.end)', { start: 1, end: 999 }, { random: 0 })).toBe(1);
    expect(run('States.MathRandom($.start, $.end)', { start: 1, end: 999 }, { random: 0.999999 })).toBe(998);
  });

  it('returns the same number for the same seed, whatever the entropy', () => {
    const a = run('States.MathRandom(1, 100, 42)', {}, { random: 0.1 });
    const b = run('States.MathRandom(1, 100, 42)', {}, { random: 0.9 });

    expect(a).toBe(b);
    expect(a).toBeGreaterThanOrEqual(1);
    expect(a).toBeLessThan(100);
  });

  it('rejects an empty range', () => {
    expect(failure('States.MathRandom(1, 1)')).toEqual(invalid('States.MathRandom'));
    expect(failure('States.MathRandom(10, 5)')).toEqual(invalid('States.MathRandom'));
  });
});

describe('strings', () => {
  it('splits on every delimiting character', () => {
    expect(run('States.StringSplit($.inputString, $.splitter)', { inputString: '1,2,3,4,5', splitter: ',' })).toEqual(['1', '2', '3', '4', '5']);
    expect(run('States.StringSplit($.inputString, $.splitter)', { inputString: 'This.is+a,test=string', splitter: '.+,=' })).toEqual([
      'This', 'is', 'a', 'test', 'string',
    ]);
  });

  it('formats with positional placeholders', () => {
    const input = { name: 'Arnav', template: 'Hello, my name is {}.' };

    expect(run("States.Format('Hello, my name is {}.', $.name)", input)).toBe('Hello, my name is Arnav.');
    expect(run('States.Format($.template, $.name)', input)).toBe('Hello, my name is Arnav.');
  });

  it('keeps escaped braces literal in a Format template', () => {
    expect(run("States.Format('\\{{}\\}', $.a)", { a: 'x' })).toBe('{x}');
  });

  it('fails when placeholders and arguments do not match', () => {
    expect(failure("States.Format('{} {}', $.a)", { a: 'x' })).toEqual(invalid('States.Format'));
    expect(failure("States.Format('{}', $.a, $.a)", { a: 'x' })).toEqual(invalid('States.Format'));
    expect(failure("States.Format('Hello {', $.a)", { a: 'x' })).toEqual(invalid('States.Format'));
  });

  it('prints numbers, null and booleans as JSON inside Format', () => {
    expect(run("States.Format('{} {} {} {}', $.a, $.b, $.c, $.d)", { a: 1.1, b: null, c: true, d: -3 })).toBe('1.1 null true -3');
  });
});

describe('States.UUID', () => {
  it('returns the UUID the runtime hands in', () => {
    expect(run('States.UUID()')).toBe('ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8');
  });
});

describe('path arguments', () => {
  it('reads the context object and variables', () => {
    const options = { context: { Execution: { Id: 'arn:x' } }, variables: { v: { n: 2 } } };

    expect(run('States.Array($$.Execution.Id, $v.n, $)', { k: 1 }, options)).toEqual(['arn:x', 2, { k: 1 }]);
  });

  it('fails with the JSONPath cause when a path argument finds nothing', () => {
    expect(() => evaluateIntrinsic('States.ArrayLength($.missing)', scopeOf({ a: 1 }), 'n.$')).toThrow(
      StatesError.runtime(`The JSONPath '$.missing' specified for the field 'n.$' could not be found in the input '{"a":1}'`),
    );
  });
});
