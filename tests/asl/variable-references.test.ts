import { describe, expect, it } from 'vitest';
import type { JsonObject } from '../../lib/asl/json.js';
import { variableReferences } from '../../lib/asl/variable-references.js';
import { VARIABLE_REFERENCES_CASES } from './fixtures/variable-references-cases.js';

function machine(states: JsonObject, extra: JsonObject = {}): JsonObject {
  return { StartAt: Object.keys(states)[0] ?? '', States: states, ...extra };
}

describe('variableReferences against the definitions AWS described', () => {
  it.each(VARIABLE_REFERENCES_CASES.map((c) => [c.id, c] as const))('returns what AWS returned: %s', (_id, c) => {
    expect(variableReferences(c.definition) ?? null).toEqual(c.variableReferences);
  });
});

describe('variableReferences', () => {
  it('is undefined when no state reads a variable, so the response leaves the field out', () => {
    const definition = machine({ A: { Type: 'Pass', Assign: { x: 1 }, Result: { 'a.$': '$x' }, End: true } });

    expect(variableReferences(definition)).toBeUndefined();
  });

  it('lists each variable once per state, sorted', () => {
    const definition = machine({
      A: { Type: 'Pass', InputPath: '$zeta', OutputPath: '$alpha.b', Parameters: { 'p.$': '$zeta', 'q.$': 'States.Format(\'{}\', $mid)' }, End: true },
    });

    expect(variableReferences(definition)).toEqual({ A: ['alpha', 'mid', 'zeta'] });
  });

  it('ignores input and context paths', () => {
    const definition = machine({ A: { Type: 'Pass', Parameters: { 'a.$': '$.x', 'b.$': '$$.Execution.Id', 'c.$': '$' }, End: true } });

    expect(variableReferences(definition)).toBeUndefined();
  });

  it('keys states inside Parallel branches by their own names', () => {
    const definition = machine({
      P: {
        Type: 'Parallel',
        Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', InputPath: '$inner', End: true } } }],
        OutputPath: '$outer',
        End: true,
      },
    });

    expect(variableReferences(definition)).toEqual({ B: ['inner'], P: ['outer'] });
  });

  it('reads JSONata expressions, leaving out $states, built-in functions and names the expression binds', () => {
    const definition = machine(
      {
        A: {
          Type: 'Pass',
          Output: {
            total: '{% $sum($items) + $bonus %}',
            local: '{% ($n := 2; $n * $factor) %}',
            mapped: '{% $map($list, function($v) { $v & $suffix }) %}',
            input: '{% $states.input.x %}',
            literal: '$notAnExpression',
          },
          End: true,
        },
      },
      { QueryLanguage: 'JSONata' },
    );

    expect(variableReferences(definition)).toEqual({ A: ['bonus', 'factor', 'items', 'list', 'suffix'] });
  });

  it('counts a variable read on the right of its own := binding', () => {
    const definition = machine({ A: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% ($total := $total + 1; $total) %}', End: true } });

    expect(variableReferences(definition)).toEqual({ A: ['total'] });
  });

  it('reads JSONata Choice conditions and rule Assign', () => {
    const definition = machine(
      {
        C: { Type: 'Choice', Choices: [{ Condition: '{% $limit > 3 %}', Assign: { seen: '{% $previous %}' }, Next: 'D' }], Default: 'D' },
        D: { Type: 'Succeed' },
      },
      { QueryLanguage: 'JSONata' },
    );

    expect(variableReferences(definition)).toEqual({ C: ['limit', 'previous'] });
  });

  it('does not read {% %} strings in a JSONPath state as JSONata', () => {
    const definition = machine({ A: { Type: 'Pass', Parameters: { a: '{% $x %}' }, End: true } });

    expect(variableReferences(definition)).toBeUndefined();
  });
});
