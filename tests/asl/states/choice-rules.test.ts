import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../lib/asl/errors.js';
import type { Json, JsonObject } from '../../../lib/asl/json.js';
import { CHOICE_COMPARISON_OPERATORS, choiceRuleOperator, evaluateChoiceRule } from '../../../lib/asl/states/choice-rules.js';
import { choiceScope } from './choice-scope.js';

function holds(rule: JsonObject, input: Json, options: Parameters<typeof choiceScope>[1] = {}): boolean {
  return evaluateChoiceRule(rule, choiceScope(input, options));
}

function failure(rule: JsonObject, input: Json): StatesError {
  try {
    evaluateChoiceRule(rule, choiceScope(input));
  } catch (error) {
    if (error instanceof StatesError) return error;
    throw error;
  }
  throw new Error('expected the rule to fail');
}

describe('operator names', () => {
  it('lists every comparison operator of the Amazon States Language', () => {
    for (const family of ['String', 'Numeric', 'Timestamp']) {
      for (const relation of ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals']) {
        expect(CHOICE_COMPARISON_OPERATORS).toContain(`${family}${relation}`);
        expect(CHOICE_COMPARISON_OPERATORS).toContain(`${family}${relation}Path`);
      }
    }
    for (const name of ['StringMatches', 'BooleanEquals', 'BooleanEqualsPath', 'IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp']) {
      expect(CHOICE_COMPARISON_OPERATORS).toContain(name);
    }
    expect(CHOICE_COMPARISON_OPERATORS).toHaveLength(39);
  });

  it('names the operator of a rule whatever the order of its fields', () => {
    expect(choiceRuleOperator({ BooleanEquals: true, Next: 'FinishTrue', Variable: '$.result.done' })).toBe('BooleanEquals');
    expect(choiceRuleOperator({ Not: { Variable: '$.type', StringEquals: 'Private' }, Next: 'Public' })).toBe('Not');
    expect(choiceRuleOperator({ Variable: '$.x', Next: 'A' })).toBeUndefined();
  });
});

describe('a Variable that selects nothing', () => {
  it('fails with States.Runtime and the cause AWS reports for a missing condition path', () => {
    const error = failure({ Variable: '$.sample_mode', BooleanEquals: true, Next: 'A' }, {});

    expect(error.error).toBe('States.Runtime');
    expect(error.causeText).toBe("Invalid path '$.sample_mode': The choice state's condition path references an invalid value.");
  });

  it('is not present for IsPresent, and present with a null value is still present', () => {
    expect(holds({ Variable: '$.input_value', IsPresent: false }, {})).toBe(true);
    expect(holds({ Variable: '$.input_value', IsPresent: true }, {})).toBe(false);
    expect(holds({ Variable: '$.input_value', IsPresent: true }, { input_value: null })).toBe(true);
  });

  it('can be guarded by IsPresent inside And, which stops at the first false rule', () => {
    const rule = { And: [{ Variable: '$.flag', IsPresent: true }, { Variable: '$.flag', BooleanEquals: true }] };

    expect(holds(rule, {})).toBe(false);
    expect(holds(rule, { flag: true })).toBe(true);
  });

  it('fails for IsNull, IsString and the other type tests just as for comparisons', () => {
    expect(failure({ Variable: '$.x', IsNull: true }, {}).causeText).toBe(
      "Invalid path '$.x': The choice state's condition path references an invalid value.",
    );
  });
});

describe('variables and the context object', () => {
  it('reads a workflow variable and a field inside it', () => {
    const variables = { guess: 'the_answer', answer: 'the_answer', order: { total: 12 } };

    expect(holds({ Variable: '$guess', StringEqualsPath: '$answer' }, {}, { variables })).toBe(true);
    expect(holds({ Variable: '$order.total', NumericGreaterThan: 10 }, {}, { variables })).toBe(true);
  });

  it('treats a variable that was never assigned as not present', () => {
    expect(holds({ Variable: '$optionalConfig', IsPresent: false }, {})).toBe(true);
    expect(failure({ Variable: '$optionalConfig', StringEquals: 'x' }, {}).error).toBe('States.Runtime');
  });

  it('reads the context object with $$', () => {
    expect(holds({ Variable: '$$.Map.Item.Index', NumericEquals: 2 }, {}, { context: { Map: { Item: { Index: 2 } } } })).toBe(true);
  });
});

describe('type tests', () => {
  // Recorded in choice_operators/test_is_operators: the JSON type decides, never the text of a string.
  it('answers IsNumeric, IsString, IsBoolean and IsNull from the JSON type only', () => {
    expect(holds({ Variable: '$.v', IsNumeric: true }, { v: '1' })).toBe(false);
    expect(holds({ Variable: '$.v', IsNumeric: true }, { v: 1.1 })).toBe(true);
    expect(holds({ Variable: '$.v', IsBoolean: true }, { v: 'true' })).toBe(false);
    expect(holds({ Variable: '$.v', IsString: true }, { v: '' })).toBe(true);
    expect(holds({ Variable: '$.v', IsNull: true }, { v: 0 })).toBe(false);
    expect(holds({ Variable: '$.v', IsNull: false }, { v: {} })).toBe(true);
  });

  // The AWS map_state_break_condition scenario: only the item 3 passes IsNumeric and NumericEquals 3.
  it('combines type tests with comparisons as the recorded Map break condition does', () => {
    const rule = {
      And: [
        { IsPresent: true, Variable: '$' },
        { And: [{ IsNumeric: true, Variable: '$' }, { NumericEquals: 3, Variable: '$' }] },
      ],
    };
    const items: Json[] = [1, 'Hello', {}, 3.3, 3, 4, 5];

    expect(items.map((item) => holds(rule, item))).toEqual([false, false, false, false, true, false, false]);
  });
});

describe('comparisons', () => {
  it('is false, not an error, when the value is of another type than the operator', () => {
    expect(holds({ Variable: '$.input_value', NumericEquals: 42 }, { input_value: '42' })).toBe(false);
    expect(holds({ Variable: '$.v', StringEquals: 'HelloWorld' }, { v: { A: 0 } })).toBe(false);
    expect(holds({ Variable: '$.v', BooleanEquals: false }, { v: 0 })).toBe(false);
    expect(holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: null })).toBe(false);
  });

  it('compares integers and decimals by value', () => {
    expect(holds({ Variable: '$.v', NumericEqualsPath: '$.w' }, { v: 1, w: 1.0 })).toBe(true);
    expect(holds({ Variable: '$.v', NumericGreaterThanEquals: 20 }, { v: 22 })).toBe(true);
    expect(holds({ Variable: '$.v', NumericLessThan: 30 }, { v: 30 })).toBe(false);
  });

  it('orders strings by character code, so a prefix sorts first and whitespace before letters', () => {
    expect(holds({ Variable: '$.v', StringLessThan: 'AB' }, { v: 'A' })).toBe(true);
    expect(holds({ Variable: '$.v', StringGreaterThan: 'A ' }, { v: 'A' })).toBe(false);
    expect(holds({ Variable: '$.v', StringEquals: '\t\r\n' }, { v: '\t\n' })).toBe(false);
  });

  // The AWS guide's Choice example (recorded as the CHOICE_STATE_AWS_SCENARIO case).
  it('evaluates Not, And and Or as the AWS guide describes', () => {
    const notPrivate = { Not: { Variable: '$.type', StringEquals: 'Private' } };
    const inTwenties = { And: [{ Variable: '$.value', NumericGreaterThanEquals: 20 }, { Variable: '$.value', NumericLessThan: 30 }] };
    const either = { Or: [{ Variable: '$.value', NumericEquals: 0 }, inTwenties] };

    expect(holds(notPrivate, { type: 'Private', value: 22 })).toBe(false);
    expect(holds(inTwenties, { type: 'Private', value: 22 })).toBe(true);
    expect(holds(either, { value: 0 })).toBe(true);
    expect(holds(either, { value: 30 })).toBe(false);
  });
});

describe('…Path operators', () => {
  // Not recorded here: what AWS answered according to a public "Testing Choice failures" state machine (floe).
  it('fails with States.Runtime when the compared path selects nothing', () => {
    const error = failure({ Variable: '$.num1', NumericEqualsPath: '$.missing' }, { num1: 1 });

    expect(error.error).toBe('States.Runtime');
    expect(error.causeText).toBe("Invalid path '$.missing': The choice state's condition path references an invalid value.");
  });

  it('is false when an Equals operator finds a value of another type at the path', () => {
    expect(holds({ Variable: '$.num1', NumericEqualsPath: '$.str2' }, { num1: 1, str2: '1' })).toBe(false);
    expect(holds({ Variable: '$.num1', StringEqualsPath: '$.num2' }, { num1: 1, num2: 1 })).toBe(false);
  });

  it('is false when only the Variable has the wrong type for an ordering operator', () => {
    expect(holds({ Variable: '$.num1', StringGreaterThanPath: '$.str2' }, { num1: 1, str2: '1' })).toBe(false);
  });

  it('fails when an ordering operator finds a value of another type at the path', () => {
    const error = failure({ Variable: '$.num1', StringGreaterThanPath: '$.num2' }, { num1: 1, num2: 1 });

    expect(error.error).toBe('States.Runtime');
    expect(error.causeText).toBe("Invalid value provided at path '$.num2'");
  });
});

describe('StringMatches', () => {
  // The examples of the Amazon States Language specification.
  it('lets * match any run of characters, including none', () => {
    expect(holds({ Variable: '$.f', StringMatches: 'foo*.log' }, { f: 'foo23.log' })).toBe(true);
    expect(holds({ Variable: '$.f', StringMatches: '*.log' }, { f: 'zebra.log' })).toBe(true);
    expect(holds({ Variable: '$.f', StringMatches: 'foo*.*' }, { f: 'foobar.zebra' })).toBe(true);
    expect(holds({ Variable: '$.f', StringMatches: 'foo*.log' }, { f: 'foo.log' })).toBe(true);
    expect(holds({ Variable: '$.f', StringMatches: 'foo*.log' }, { f: 'foo23.log.gz' })).toBe(false);
  });

  it('matches the whole string and gives no other character a special meaning', () => {
    expect(holds({ Variable: '$.f', StringMatches: 'a.c' }, { f: 'abc' })).toBe(false);
    expect(holds({ Variable: '$.f', StringMatches: 'a?c[d]' }, { f: 'a?c[d]' })).toBe(true);
    expect(holds({ Variable: '$.f', StringMatches: 'log' }, { f: 'catalog' })).toBe(false);
  });

  it('reads \\* as a literal asterisk and \\\\ as a literal backslash', () => {
    expect(holds({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'a*b' })).toBe(true);
    expect(holds({ Variable: '$.f', StringMatches: 'a\\*b' }, { f: 'axb' })).toBe(false);
    expect(holds({ Variable: '$.f', StringMatches: 'C:\\\\*' }, { f: 'C:\\temp' })).toBe(true);
  });

  it('is false for a value that is not a string', () => {
    expect(holds({ Variable: '$.f', StringMatches: '*' }, { f: 1 })).toBe(false);
  });
});

describe('timestamps', () => {
  const is = (v: Json) => holds({ Variable: '$.v', IsTimestamp: true }, { v });

  // The formats the recorded Wait cases accept and reject: AWS parses both with one ISO-8601 reader.
  it('accepts RFC 3339 with Z, an offset or nanoseconds', () => {
    expect(is('2012-10-09T19:00:55Z')).toBe(true);
    expect(is('2012-10-09T19:00:55+01:00')).toBe(true);
    expect(is('2016-03-05T21:29:29.243167252Z')).toBe(true);
  });

  it('rejects a missing offset, a space for T, an hour 25, a month 13 and a bare date', () => {
    expect(is('2012-10-09T19:00:55')).toBe(false);
    expect(is('2016-12-05 21:29:29Z')).toBe(false);
    expect(is('2016-12-05T25:29:29Z')).toBe(false);
    expect(is('2016-13-05T21:29:29Z')).toBe(false);
    expect(is('2023-02-24')).toBe(false);
    expect(is('2023-02-24 12:15:56.832957')).toBe(false);
    expect(is(20121009)).toBe(false);
  });

  it('rejects days that do not exist', () => {
    expect(is('2023-02-29T00:00:00Z')).toBe(false);
    expect(is('2024-02-29T00:00:00Z')).toBe(true);
    expect(is('2023-04-31T00:00:00Z')).toBe(false);
  });

  it('compares instants, not texts, across offsets', () => {
    expect(holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T20:00:55+01:00' })).toBe(true);
    expect(holds({ Variable: '$.v', TimestampLessThan: '2012-10-09T19:00:56Z' }, { v: '2012-10-09T19:00:55Z' })).toBe(true);
    expect(holds({ Variable: '$.v', TimestampGreaterThan: '2012-10-09T19:00:55Z' }, { v: '2012-10-09T19:00:55Z' })).toBe(false);
  });

  it('keeps nanoseconds when comparing', () => {
    const rule = { Variable: '$.v', TimestampGreaterThan: '2016-03-05T21:29:29.243167251Z' };

    expect(holds(rule, { v: '2016-03-05T21:29:29.243167252Z' })).toBe(true);
    expect(holds({ Variable: '$.v', TimestampEquals: '2016-03-05T21:29:29.5Z' }, { v: '2016-03-05T21:29:29.500Z' })).toBe(true);
  });

  it('is false when the variable is a string that is not a timestamp', () => {
    expect(holds({ Variable: '$.v', TimestampEquals: '2012-10-09T19:00:55Z' }, { v: '' })).toBe(false);
  });
});
