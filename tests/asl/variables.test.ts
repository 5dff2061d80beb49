import { describe, expect, it } from 'vitest';
import { isVariableName, pathVariableName, variableNameProblem } from '../../lib/asl/variables.js';

// AWS guide, "Variable name syntax": a Unicode identifier (UAX #31), ID_Start then ID_Continue, at most 80.
describe('variable names', () => {
  it('takes Unicode identifiers, not only ASCII ones', () => {
    for (const name of ['productName', 'count2', 'a_b', 'größe', 'π']) expect(isVariableName(name)).toBe(true);
  });

  it('refuses names that do not start with an ID_Start character or hold other characters', () => {
    for (const name of ['', '1abc', '_x', 'a-b', 'a.b', 'a b']) expect(isVariableName(name)).toBe(false);
  });

  it('reserves states and caps a name at 80 characters', () => {
    expect(variableNameProblem('states')).toBe("The variable name 'states' is reserved");
    expect(variableNameProblem('x'.repeat(80))).toBeUndefined();
    expect(variableNameProblem('x'.repeat(81))).toMatch(/exceeds the maximum length of 80 characters$/);
  });

  it('finds the variable a JSONPath path reads, and none for the input or the context object', () => {
    expect(pathVariableName('$order.lines[0]')).toBe('order');
    expect(pathVariableName('$größe')).toBe('größe');
    for (const path of ['$', '$.a', '$[0]', '$$.Execution.Id', '$..a']) expect(pathVariableName(path)).toBeUndefined();
  });
});
