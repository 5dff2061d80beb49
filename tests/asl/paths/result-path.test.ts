import { describe, expect, it } from 'vitest';
import { States } from '../../../lib/asl/errors.js';
import { applyResultPath } from '../../../lib/asl/paths/result-path.js';

// The example of the AWS guide, "Specifying state output using ResultPath in Step Functions".
const guideInput = { comment: 'This is a test of the input and output of a Task state.', details: 'Default example', who: 'AWS Step Functions' };
const guideResult = 'Hello, AWS Step Functions!';

describe('applyResultPath', () => {
  it('replaces the input with the result when ResultPath is absent or $', () => {
    expect(applyResultPath(guideInput, guideResult, undefined)).toBe(guideResult);
    expect(applyResultPath(guideInput, guideResult, '$')).toBe(guideResult);
  });

  it('discards the result and keeps the input when ResultPath is null', () => {
    expect(applyResultPath(guideInput, guideResult, null)).toBe(guideInput);
  });

  it('adds the result to the input at a new field', () => {
    expect(applyResultPath(guideInput, guideResult, '$.taskresult')).toEqual({ ...guideInput, taskresult: guideResult });
  });

  it('replaces an existing field, as AWS recorded for a Map writing ResultPath "$.Values"', () => {
    expect(applyResultPath({ Iterations: 2, Values: [0, 1] }, [0, 1, 2], '$.Values')).toEqual({ Iterations: 2, Values: [0, 1, 2] });
  });

  it('writes beneath an existing object, keeping its other fields', () => {
    const input = { detail: { 'delivery-partner': 'UQS', shipped: [1] } };

    expect(applyResultPath(input, ['out'], '$.detail.shipped_output')).toEqual({
      detail: { 'delivery-partner': 'UQS', shipped: [1], shipped_output: ['out'] },
    });
  });

  it('creates the objects missing along the path', () => {
    expect(applyResultPath({}, 1, '$.a.b.c')).toEqual({ a: { b: { c: 1 } } });
  });

  it('writes into an existing array element', () => {
    expect(applyResultPath({ a: [{ x: 1 }, { x: 2 }] }, 9, '$.a[1].y')).toEqual({ a: [{ x: 1 }, { x: 2, y: 9 }] });
  });

  it('never changes the input it was given', () => {
    const input = { a: { b: 1 }, c: [1] };
    const snapshot = structuredClone(input);

    const output = applyResultPath(input, 2, '$.a.d');

    expect(input).toEqual(snapshot);
    expect(output).toEqual({ a: { b: 1, d: 2 }, c: [1] });
    expect((output as { c: unknown }).c).toBe(input.c);
  });

  it('fails with States.ResultPathMatchFailure and the cause AWS reports when the input is not an object', () => {
    const input = '{"min_size":10000,"max_partitions":100,"batch_size":100}';

    const attempt = () => applyResultPath(input, {}, '$.partitioned');

    expect(attempt).toThrow(
      expect.objectContaining({
        error: States.ResultPathMatchFailure,
        causeText: 'Unable to apply ReferencePath $.partitioned to input "{\\"min_size\\":10000,\\"max_partitions\\":100,\\"batch_size\\":100}"',
      }),
    );
  });

  it('fails with States.ResultPathMatchFailure when the path runs through a value that is not an object', () => {
    const attempt = () => applyResultPath({ a: 'text' }, 1, '$.a.b');

    expect(attempt).toThrow(
      expect.objectContaining({ error: States.ResultPathMatchFailure, causeText: 'Unable to apply ReferencePath $.a.b to input {"a":"text"}' }),
    );
  });
});
