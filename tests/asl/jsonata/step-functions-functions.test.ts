import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { evaluateJsonataExpression, QueryEvaluationError } from '../../../lib/asl/jsonata/index.js';
import { bindings, scriptedEntropy } from './fixtures.js';

const evaluate = (expression: string, input: unknown = {}, entropy = scriptedEntropy()) =>
  evaluateJsonataExpression(`{% ${expression} %}`, 'Output', bindings(input as never, { entropy }));

describe('$partition', () => {
  it('splits an array into chunks of the given size, the last one shorter (AWS guide example)', async () => {
    await expect(evaluate('$partition([1, 2, 3, 4, 5, 6, 7, 8, 9], 3)')).resolves.toEqual([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    await expect(evaluate('$partition([0, 1, 2, 3, 4], 2)')).resolves.toEqual([[0, 1], [2, 3], [4]]);
  });

  it('keeps a single chunk as an array of arrays', async () => {
    await expect(evaluate('$partition([0], 2)')).resolves.toEqual([[0]]);
  });

  it('fails with States.QueryEvaluationError when the chunk size is not a positive integer', async () => {
    await expect(evaluate('$partition([1, 2], 0)')).rejects.toBeInstanceOf(QueryEvaluationError);
  });
});

describe('$range', () => {
  it('counts from start to end inclusive by step (AWS guide example)', async () => {
    await expect(evaluate('$range(0, 10, 2)')).resolves.toEqual([0, 2, 4, 6, 8, 10]);
  });

  it('counts down with a negative step', async () => {
    await expect(evaluate('$range(10, 0, -5)')).resolves.toEqual([10, 5, 0]);
  });

  it('returns a lone number rather than a one-item array, as AWS does', async () => {
    await expect(evaluate('$range(1, 9, 9)')).resolves.toBe(1);
  });
});

describe('$hash', () => {
  it.each(['MD5', 'SHA-1', 'SHA-256', 'SHA-384', 'SHA-512'])('computes %s as lowercase hex', async (algorithm) => {
    const node = algorithm.replace('-', '').toLowerCase();
    for (const text of ['', 'abc', 'input data', 'ünïcødé ✓ 🚀', 'x'.repeat(55), 'y'.repeat(56), 'z'.repeat(119), 'w'.repeat(1000)]) {
      const expected = createHash(node).update(text, 'utf8').digest('hex');

      await expect(evaluate(`$hash($states.input.text, '${algorithm}')`, { text })).resolves.toBe(expected);
    }
  });

  it('matches the published test vector for "abc"', async () => {
    await expect(evaluate("$hash('abc', 'SHA-256')")).resolves.toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  it('fails with States.QueryEvaluationError for an algorithm AWS does not offer', async () => {
    await expect(evaluate("$hash('abc', 'SHA-3')")).rejects.toBeInstanceOf(QueryEvaluationError);
  });
});

describe('$random and $uuid', () => {
  it('take their values from the execution entropy', async () => {
    const entropy = scriptedEntropy([0.25], ['2f6d3a40-6c62-4bd7-a3f0-6a0f4d0c1e95']);

    await expect(evaluate('$random()', {}, entropy)).resolves.toBe(0.25);
    await expect(evaluate('$uuid()', {}, entropy)).resolves.toBe('2f6d3a40-6c62-4bd7-a3f0-6a0f4d0c1e95');
  });

  it('gives the same number for the same seed, without touching the entropy', async () => {
    const first = await evaluate('$random(42)');
    const second = await evaluate('$random(42)');

    expect(first).toBe(second);
    expect(first).toBeGreaterThanOrEqual(0);
    expect(first).toBeLessThan(1);
  });

  it('follows java.util.Random for a seed', async () => {
    // new java.util.Random(42).nextDouble() and new java.util.Random(0).nextDouble()
    await expect(evaluate('$random(42)')).resolves.toBe(0.7275636800328681);
    await expect(evaluate('$random(0)')).resolves.toBe(0.730967787376657);
  });

  it('shuffles with the execution entropy', async () => {
    // Fisher–Yates from the end: j = floor(r * (i + 1)); r = 0 always swaps with the first item.
    const entropy = scriptedEntropy([0, 0]);

    await expect(evaluate('$shuffle([1, 2, 3])', {}, entropy)).resolves.toEqual([2, 3, 1]);
  });
});

describe('$parse', () => {
  it.each([
    ['-0', 0],
    ['1', 1],
    ['1.1', 1.1],
    ['"HelloWorld"', 'HelloWorld'],
    ['{"a":[1,{"b":null}]}', { a: [1, { b: null }] }],
  ])('parses %s as AWS does', async (text, expected) => {
    await expect(evaluate('$parse($states.input.FunctionInput)', { FunctionInput: text })).resolves.toStrictEqual(expected);
  });

  it('fails with States.QueryEvaluationError on text that is not JSON', async () => {
    await expect(evaluate("$parse('{nope')")).rejects.toBeInstanceOf(QueryEvaluationError);
  });
});

describe('$now and $millis', () => {
  it('report the instant the runtime hands in', async () => {
    const at = new Date('2024-11-25T10:00:00.000Z');
    const b = { ...bindings(), now: at };

    await expect(evaluateJsonataExpression('{% $now() %}', 'Output', b)).resolves.toBe('2024-11-25T10:00:00.000Z');
    await expect(evaluateJsonataExpression('{% $millis() %}', 'Output', b)).resolves.toBe(at.getTime());
  });
});
