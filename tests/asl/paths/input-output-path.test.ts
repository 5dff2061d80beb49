import { describe, expect, it } from 'vitest';
import { States } from '../../../lib/asl/errors.js';
import { applyInputPath, applyOutputPath } from '../../../lib/asl/paths/input-output-path.js';
import { scopeOf } from './scope.js';

describe('applyInputPath', () => {
  it('passes the whole input when InputPath is absent or $', () => {
    const input = { InputValue: 0 };

    expect(applyInputPath(undefined, scopeOf(input))).toBe(input);
    expect(applyInputPath('$', scopeOf(input))).toBe(input);
  });

  it('gives an empty object when InputPath is null, as AWS recorded', () => {
    expect(applyInputPath(null, scopeOf({ InputValue: 0 }))).toEqual({});
  });

  it('selects a variable, as AWS recorded for InputPath "$theAnswer"', () => {
    expect(applyInputPath('$theAnswer', scopeOf({}, { variables: { theAnswer: 42 } }))).toBe(42);
  });

  it('selects the array an indefinite path matches', () => {
    expect(applyInputPath('$.a[*].b', scopeOf({ a: [{ b: 1 }, { c: 2 }, { b: 3 }] }))).toEqual([1, 3]);
  });

  it('fails with the States.Runtime cause AWS recorded when the path matches nothing', () => {
    const attempt = () => applyInputPath('$.NoSuchInputPath', scopeOf({ 'int-literal': 0 }));

    expect(attempt).toThrow(
      expect.objectContaining({
        error: States.Runtime,
        causeText: "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']",
      }),
    );
  });

  it("names the missing intermediate property in Jayway's words", () => {
    const attempt = () => applyInputPath('$.a.b.c', scopeOf({ x: 1 }));

    expect(attempt).toThrow(expect.objectContaining({ causeText: "Invalid path '$.a.b.c' : Missing property in path $['a']" }));
  });
});

describe('applyOutputPath', () => {
  it('gives an empty object when OutputPath is null, as AWS recorded', () => {
    expect(applyOutputPath(null, scopeOf({ Arg2: 'argument2' }))).toEqual({});
  });

  it('selects a variable, as AWS recorded for OutputPath "$theAnswer"', () => {
    expect(applyOutputPath('$theAnswer', scopeOf({ answer: 42 }, { variables: { theAnswer: 42 } }))).toBe(42);
  });

  it('fails with the States.Runtime cause AWS recorded when the path matches nothing', () => {
    const attempt = () => applyOutputPath('$.NoSuchOutputPath', scopeOf({ 'int-literal': 0 }));

    expect(attempt).toThrow(
      expect.objectContaining({
        error: States.Runtime,
        causeText: "Invalid path '$.NoSuchOutputPath' : No results for path: $['NoSuchOutputPath']",
      }),
    );
  });
});
