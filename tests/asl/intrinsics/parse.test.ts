import { describe, expect, it } from 'vitest';
import {
  evaluateIntrinsic,
  intrinsicSyntaxError,
  isIntrinsicCall,
  parseIntrinsic,
  IntrinsicSyntaxError,
} from '../../../lib/asl/intrinsics/index.js';
import { scopeOf } from './scope.js';

describe('isIntrinsicCall', () => {
  it('recognises a States.* call and nothing else', () => {
    expect(isIntrinsicCall("States.Format('x {}', $.a)")).toBe(true);
    expect(isIntrinsicCall('States.UUID()')).toBe(true);
    expect(isIntrinsicCall('$.a')).toBe(false);
    expect(isIntrinsicCall('States.Format')).toBe(false);
    expect(isIntrinsicCall('constant string')).toBe(false);
  });
});

describe('parseIntrinsic', () => {
  it('reads every kind of argument', () => {
    const call = parseIntrinsic("States.Array('a', -1.5, 2e3, true, false, null, $, $.x, $$.Execution.Id, $v.y, States.UUID())");

    expect(call.name).toBe('States.Array');
    expect(call.args.map((a) => a.kind)).toEqual([
      'literal', 'literal', 'literal', 'literal', 'literal', 'literal', 'path', 'path', 'path', 'path', 'call',
    ]);
    expect(call.args.slice(0, 6).map((a) => (a.kind === 'literal' ? a.value : undefined))).toEqual([
      'a', -1.5, 2000, true, false, null,
    ]);
    expect(call.args.slice(6, 10).map((a) => (a.kind === 'path' ? a.path : undefined))).toEqual([
      '$', '$.x', '$$.Execution.Id', '$v.y',
    ]);
  });

  it('keeps bracketed path segments with spaces and commas whole', () => {
    const call = parseIntrinsic("States.Array($['first, name'], $.a[?(@.b == 1)])");

    expect(call.args).toEqual([
      { kind: 'path', path: "$['first, name']" },
      { kind: 'path', path: '$.a[?(@.b == 1)]' },
    ]);
  });

  it("unescapes \\' \\{ \\} and \\\\ in string literals (AWS's reserved characters)", () => {
    const result = evaluateIntrinsic("States.Array('it\\'s', '\\{\\}', 'back\\\\slash')", scopeOf({}));

    expect(result).toEqual(["it's", '{}', 'back\\slash']);
  });

  it('accepts the nine nested functions of the AWS guide example', () => {
    const expression =
      "States.Format('{}.{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))";

    expect(intrinsicSyntaxError(expression)).toBeUndefined();
  });

  it('evaluates nested calls innermost first', () => {
    const expression = "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit($.arn, '/'), 1), States.ArrayLength($.list))";

    expect(evaluateIntrinsic(expression, scopeOf({ arn: 'a/recipe/1.0.2', list: [1, 2] }))).toBe('recipe.2');
  });

  it('tolerates whitespace around arguments', () => {
    expect(evaluateIntrinsic("States.Array( 1 ,'a' , $.x )", scopeOf({ x: 2 }))).toEqual([1, 'a', 2]);
  });
});

describe('intrinsicSyntaxError', () => {
  // Both recorded by LocalStack from AWS: CreateStateMachine fails with "The value for the field 'parsed.$'
  // must be a valid JSONPath or a valid intrinsic function call" (an escaped double quote is an open escape).
  it.each([
    'States.StringToJson(\'{"text":"An \\"escaped double quote\\" here"}\')',
    'States.Format(\'He said, \\"Hello, {}!\\"\', \'Test \\"Name\\" Here\')',
  ])('rejects the open escape in %s', (expression) => {
    expect(intrinsicSyntaxError(expression)).toMatch(/open escape/);
  });

  it('accepts a literal newline, which the recorded StringSplit case uses', () => {
    expect(intrinsicSyntaxError("States.StringSplit('Hello\nWorld', '\n')")).toBeUndefined();
  });

  it.each([
    ['an unknown function', 'States.Nope($.a)', /unknown function States\.Nope/],
    ['too few arguments', 'States.ArrayRange(1, 5)', /States\.ArrayRange takes 3 arguments, got 2/],
    ['too many arguments', 'States.UUID(1)', /States\.UUID takes 0 arguments, got 1/],
    ['a fourth MathRandom argument', 'States.MathRandom(1, 10, 5, 99)', /takes 2 to 3 arguments/],
    ['no Format template', 'States.Format()', /takes at least 1 argument/],
    ['an unterminated string', "States.Format('abc)", /unterminated string/],
    ['a missing parenthesis', 'States.Array(1, 2', /expected ',' or '\)'/],
    ['a trailing comma', 'States.Array($.arr, )', /expected an argument/],
    ['trailing text', 'States.Array(1) x', /unexpected text/],
    ['a bare word', 'States.Array(abc)', /expected an argument/],
  ])('reports %s', (_what, expression, message) => {
    expect(intrinsicSyntaxError(expression)).toMatch(message);
    expect(() => parseIntrinsic(expression)).toThrow(IntrinsicSyntaxError);
  });

  it('allows up to 10 nested functions in a field, as the AWS guide says, and no more', () => {
    const nested = (depth: number): string =>
      depth === 1 ? 'States.Array(1)' : `States.Array(${nested(depth - 1)})`;

    expect(intrinsicSyntaxError(nested(10))).toBeUndefined();
    expect(intrinsicSyntaxError(nested(11))).toMatch(/more than 10 nested/);
  });
});
