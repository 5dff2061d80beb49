import { describe, expect, it } from 'vitest';
import { jsonText, parseJsonText } from '../../lib/asl/json-text.js';

describe('jsonText (a value as JSON text, remembered)', () => {
  it("gives each value its own text as values come and go, whichever of them was serialised last", () => {
    const values = [{ a: 1 }, { b: [2, 3] }, { c: 'x' }, [4], { a: 1 }];
    // Every order of reading them, several times: a remembered text must never answer for another value.
    const order = [0, 1, 0, 2, 1, 0, 3, 3, 4, 0, 2, 4, 1];
    for (const i of order) expect(jsonText(values[i]!)).toBe(JSON.stringify(values[i]));
  });

  it("keeps a parsed value's own text (its spacing) while other values are serialised in between", () => {
    const input = parseJsonText('{ "id" : 7,  "kind":"order" }');
    const other = { side: 'left' };
    expect(jsonText(input)).toBe('{ "id" : 7,  "kind":"order" }');
    expect(jsonText(other)).toBe('{"side":"left"}');
    expect(jsonText({ side: 'right' })).toBe('{"side":"right"}');
    expect(jsonText(input)).toBe('{ "id" : 7,  "kind":"order" }');
  });

  it('serialises scalars as JSON', () => {
    expect([jsonText('a"b'), jsonText(3), jsonText(null), jsonText(true)]).toEqual(['"a\\"b"', '3', 'null', 'true']);
  });
});
