import { describe, expect, it } from 'vitest';
import { jsonataSyntaxError } from '../../../lib/asl/jsonata/index.js';

describe('jsonataSyntaxError', () => {
  it('accepts valid expressions, with or without the {% %} delimiters', () => {
    expect(jsonataSyntaxError('{% $states.input.a ? 1 : 2 %}')).toBeUndefined();
    expect(jsonataSyntaxError('($x := 1; $x + 1)')).toBeUndefined();
    expect(jsonataSyntaxError('{% $partition([1, 2, 3], 2) %}')).toBeUndefined();
  });

  it("reports JSONata's code and message for a syntax error", () => {
    expect(jsonataSyntaxError('{% 1 + %}')).toBe('S0207: Unexpected end of expression');
    expect(jsonataSyntaxError('{% %}')).toBe('S0207: Unexpected end of expression');
  });

  it('rejects the ?: and ?? operators, which came after the JSONata 2.0.6 that AWS runs', () => {
    expect(jsonataSyntaxError('{% $states.input.a ?: 1 %}')).toMatch(/^S0211: /);
    expect(jsonataSyntaxError('{% $states.input.a ?? 1 %}')).toMatch(/^S0211: /);
  });

  it('does not mistake the 2.0 forms those operators stand for', () => {
    expect(jsonataSyntaxError('{% $states.input.a ? $states.input.a : 1 %}')).toBeUndefined();
    expect(jsonataSyntaxError('{% $exists($states.input.a) ? $states.input.a : 1 %}')).toBeUndefined();
  });
});
