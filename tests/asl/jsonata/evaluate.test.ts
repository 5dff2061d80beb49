import { describe, expect, it } from 'vitest';
import { States, StatesError } from '../../../lib/asl/errors.js';
import {
  evaluateJsonataExpecting,
  evaluateJsonataExpression,
  evaluateJsonataTemplate,
  isJsonataExpression,
  QueryEvaluationError,
} from '../../../lib/asl/jsonata/index.js';
import { bindings } from './fixtures.js';

async function failure(promise: Promise<unknown>): Promise<QueryEvaluationError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(QueryEvaluationError);
  return error as QueryEvaluationError;
}

describe('isJsonataExpression', () => {
  it('recognises only strings that start with {% and end with %}', () => {
    expect(isJsonataExpression('{% $states.input %}')).toBe(true);
    expect(isJsonataExpression('{%1%}')).toBe(true);
    expect(isJsonataExpression(' {% 1 %}')).toBe(false);
    expect(isJsonataExpression('{% 1 %} ')).toBe(false);
    expect(isJsonataExpression('$states.input')).toBe(false);
    expect(isJsonataExpression(42)).toBe(false);
  });
});

describe('evaluateJsonataExpression', () => {
  it('reads $states.input, $states.context and workflow variables', async () => {
    const b = bindings({ title: 'Doctor' }, { vars: { customerName: 'María' }, states: { context: { Execution: { Name: 'x' } } } });

    await expect(evaluateJsonataExpression('{% $states.input.title %}', 'Output', b)).resolves.toBe('Doctor');
    await expect(evaluateJsonataExpression('{% $customerName %}', 'Output', b)).resolves.toBe('María');
    await expect(evaluateJsonataExpression('{% $states.context.Execution.Name %}', 'Output', b)).resolves.toBe('x');
  });

  it('fails with the cause AWS records when the expression returns nothing', async () => {
    const error = await failure(evaluateJsonataExpression('{% $doesNotExist %}', 'Output/result', bindings()));

    expect(error).toBeInstanceOf(StatesError);
    expect(error.error).toBe(States.QueryEvaluationError);
    expect(error.causeText).toBe(
      "The JSONata expression '$doesNotExist' specified for the field 'Output/result' returned nothing (undefined).",
    );
    expect(error.location).toBe('Output/result');
  });

  it('fails with unsupported result type when the expression returns a function', async () => {
    const error = await failure(evaluateJsonataExpression('{% $fn := function($x){$x} %}', 'Items', bindings()));

    expect(error.causeText).toBe(
      "The JSONata expression '$fn := function($x){$x}' specified for the field 'Items' returned an unsupported result type.",
    );
  });

  it('reports JSONata runtime errors as AWS does: code, colon, message', async () => {
    // Recorded from AWS (LocalStack snapshot test_math_operations_jsonata): an unknown function.
    const error = await failure(
      evaluateJsonataExpression(
        '{% $randomSeeded($states.input.FunctionInput.fst) %}',
        'Output/FunctionResult',
        bindings({ FunctionInput: { fst: 3 } }),
      ),
    );

    expect(error.causeText).toBe(
      "The JSONata expression '$randomSeeded($states.input.FunctionInput.fst)' specified for the field 'Output/FunctionResult' threw an error during evaluation. T1006: Attempted to invoke a non-function",
    );
  });

  it('reports type errors inside operators with the JSONata message', async () => {
    const error = await failure(evaluateJsonataExpression("{% 1 + 'a' %}", 'Output', bindings()));

    expect(error.causeText).toBe(
      "The JSONata expression '1 + 'a'' specified for the field 'Output' threw an error during evaluation. T2002: The right side of the \"+\" operator must evaluate to a number",
    );
  });

  it('unwraps JSONata singleton sequences and returns longer ones as plain arrays', async () => {
    const b = bindings({ a: [{ b: 1 }, { b: 2 }], c: [{ b: 1 }] });

    const many = await evaluateJsonataExpression('{% $states.input.a.b %}', 'Output', b);
    const one = await evaluateJsonataExpression('{% $states.input.c.b %}', 'Output', b);

    expect(many).toStrictEqual([1, 2]);
    expect(one).toBe(1);
  });

  it('drops undefined members of constructed objects and arrays', async () => {
    const result = await evaluateJsonataExpression("{% {'a': $nothing, 'b': [1, $nothing], 'c': null} %}", 'Output', bindings());

    expect(result).toStrictEqual({ b: [1], c: null });
  });

  it('lets a variable hold any JSON value, including false and null', async () => {
    const b = bindings({}, { vars: { flag: false, nothing: null } });

    await expect(evaluateJsonataExpression('{% $flag %}', 'Output', b)).resolves.toBe(false);
    await expect(evaluateJsonataExpression('{% $nothing %}', 'Output', b)).resolves.toBeNull();
  });

  it('matches regular expressions the way AWS does', async () => {
    // Recorded: evaluate_jsonata regular_expressions BASE_SINGLE_QUOTE and BASE_FALSE.
    await expect(evaluateJsonataExpression("{% $contains('hello$world', /^hello\\$/) %}", 'Output', bindings())).resolves.toBe(true);
    await expect(evaluateJsonataExpression('{% $contains("hello$world", /^hello\\ /) %}', 'Output', bindings())).resolves.toBe(false);
  });

  it('returns the value of a top-level assignment', async () => {
    // Recorded: evaluate_jsonata base_map MAX_CONCURRENCY evaluates '{% $variable := 1 %}' to 1.
    await expect(evaluateJsonataExpression('{% $variable := 1 %}', 'MaxConcurrency', bindings())).resolves.toBe(1);
  });

  it('does not offer $eval, which AWS replaces by $parse', async () => {
    const error = await failure(evaluateJsonataExpression("{% $eval('1 + 1') %}", 'Output', bindings()));

    expect(error.causeText).toContain('T1006: Attempted to invoke a non-function');
  });

  it('runs the same expression with different bindings each time', async () => {
    const results = await Promise.all(
      [1, 2, 3].map((n) => evaluateJsonataExpression('{% $states.input.n * 2 %}', 'Output', bindings({ n: n }))),
    );

    expect(results).toEqual([2, 4, 6]);
  });
});

describe('evaluateJsonataExpecting', () => {
  it('returns the value when it has the expected type', async () => {
    await expect(evaluateJsonataExpecting("{% [1, 'two', 3] %}", 'Items', 'array', bindings())).resolves.toEqual([1, 'two', 3]);
  });

  it.each([
    ['{% true %}', "The JSONata expression 'true' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'boolean' for value: true"],
    ["{% {'foo': 'bar'} %}", "The JSONata expression '{'foo': 'bar'}' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'object' for value: {\"foo\":\"bar\"}"],
    ["{% 'string' %}", "The JSONata expression ''string'' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'string' for value: \"string\""],
    ['{% null %}', "The JSONata expression 'null' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'null' for value: null"],
    ['{% 1 %}', "The JSONata expression '1' specified for the field 'Items' returned an unexpected result type. Expected 'array', but was 'number' for value: 1"],
  ])('fails %s with the cause AWS records', async (expression, cause) => {
    const error = await failure(evaluateJsonataExpecting(expression, 'Items', 'array', bindings()));

    expect(error.causeText).toBe(cause);
  });
});

describe('evaluateJsonataTemplate', () => {
  it('evaluates expressions at any depth and copies everything else', async () => {
    const template = {
      static: 'Hello',
      title: '{% $states.input.title %}',
      name: '{% $customerName %}',
      'not-evaluated': '$customerName',
      list: [1, '{% 1 + 1 %}', { deep: '{% $states.input.title %}' }],
    };

    const result = await evaluateJsonataTemplate(template, 'Output', bindings({ title: 'Doctor' }, { vars: { customerName: 'María' } }));

    expect(result).toEqual({
      static: 'Hello',
      title: 'Doctor',
      name: 'María',
      'not-evaluated': '$customerName',
      list: [1, 2, { deep: 'Doctor' }],
    });
  });

  it('names the nested field in the cause, joined with /', async () => {
    const nested = await failure(evaluateJsonataTemplate({ result: '{% $doesNotExist %}' }, 'Assign', bindings()));
    const top = await failure(evaluateJsonataTemplate('{% $doesNotExist %}', 'Output', bindings()));

    expect(nested.causeText).toBe(
      "The JSONata expression '$doesNotExist' specified for the field 'Assign/result' returned nothing (undefined).",
    );
    expect(top.causeText).toBe("The JSONata expression '$doesNotExist' specified for the field 'Output' returned nothing (undefined).");
  });
});
