import { describe, expect, it } from 'vitest';
import { States } from '../../../lib/asl/errors.js';
import type { Json } from '../../../lib/asl/json.js';
import { evaluatePayloadTemplate, payloadTemplateProblems } from '../../../lib/asl/paths/payload-template.js';
import { scopeOf } from './scope.js';

describe('evaluatePayloadTemplate', () => {
  it('fills ".$" fields from paths and drops the suffix, as AWS recorded for Parameters', () => {
    const template = { Arg1: 'argument1', 'FromInput.$': '$' };

    expect(evaluatePayloadTemplate(template, scopeOf({ InputValue: 0 }))).toEqual({ Arg1: 'argument1', FromInput: { InputValue: 0 } });
  });

  it('follows the ASL specification example of a nested template with an index and a slice', () => {
    const template = { flagged: true, parts: { 'first.$': '$.vals[0]', 'last3.$': '$.vals[3:]' } };
    const input = { flagged: 7, vals: [0, 10, 20, 30, 40, 50] };

    expect(evaluatePayloadTemplate(template, scopeOf(input))).toEqual({ flagged: true, parts: { first: 0, last3: [30, 40, 50] } });
  });

  it('reads the context object and variables, as AWS recorded for ItemSelector and Parameters', () => {
    const template = { 'bucketName.$': '$.content.bucket', 'value.$': '$$.Map.Item.Value', 'result.$': '$result' };
    const scope = scopeOf({ content: { bucket: 'test-bucket' } }, { context: { Map: { Item: { Value: '1', Index: 0 } } }, variables: { result: 'foobar' } });

    expect(evaluatePayloadTemplate(template, scope)).toEqual({ bucketName: 'test-bucket', value: '1', result: 'foobar' });
  });

  it('keeps strings that look like paths under keys without ".$", as AWS recorded', () => {
    expect(evaluatePayloadTemplate({ result: '$result' }, scopeOf({}))).toEqual({ result: '$result' });
  });

  it('evaluates ".$" fields inside objects nested in arrays', () => {
    const template = { list: [{ 'a.$': '$.x' }, 'plain', [{ 'b.$': '$.y' }]] };

    expect(evaluatePayloadTemplate(template, scopeOf({ x: 1, y: 2 }))).toEqual({ list: [{ a: 1 }, 'plain', [{ b: 2 }]] });
  });

  it('evaluates intrinsic function calls', () => {
    const template = { 'greeting.$': "States.Format('Hello, {}!', $.name)" };

    expect(evaluatePayloadTemplate(template, scopeOf({ name: 'World' }))).toEqual({ greeting: 'Hello, World!' });
  });

  it('gives the same answer on every call, for every input', () => {
    const template = { 'v.$': '$.v', fixed: { k: [1, 2] } };

    const outputs = [1, 2, 3].map((v) => evaluatePayloadTemplate(template, scopeOf({ v })));

    expect(outputs).toEqual([1, 2, 3].map((v) => ({ v, fixed: { k: [1, 2] } })));
  });

  it('fails with the States.Runtime cause AWS recorded when a path matches nothing', () => {
    const attempt = () => evaluatePayloadTemplate({ 'value.$': '$.no_such_jsonpath' }, scopeOf({ 'int-literal': 0 }));

    expect(attempt).toThrow(
      expect.objectContaining({
        error: States.Runtime,
        causeText: `The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'`,
      }),
    );
  });

  it('shows the context object as the input when a $$ path matches nothing', () => {
    const context: Json = { Execution: { Input: { 'int-literal': 0 } } };

    const attempt = () => evaluatePayloadTemplate({ 'value.$': '$$.Execution.Input.no_such_jsonpath' }, scopeOf({}, { context }));

    expect(attempt).toThrow(
      expect.objectContaining({
        error: States.Runtime,
        causeText: `The JSONPath '$$.Execution.Input.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"Execution":{"Input":{"int-literal":0}}}'`,
      }),
    );
  });

  it('gives an empty list, not a failure, when an indefinite path matches nothing, as AWS recorded', () => {
    expect(evaluatePayloadTemplate({ 'item.$': '$.items[*]' }, scopeOf({}))).toEqual({ item: [] });
  });
  it('names the ".$" field when a path argument of an intrinsic call matches nothing, as for a plain path', () => {
    const attempt = () => evaluatePayloadTemplate({ 'n.$': 'States.ArrayLength($.missing)' }, scopeOf({ a: 1 }));

    expect(attempt).toThrow(
      expect.objectContaining({
        error: States.Runtime,
        causeText: `The JSONPath '$.missing' specified for the field 'n.$' could not be found in the input '{"a":1}'`,
      }),
    );
  });
});

describe('payloadTemplateProblems', () => {
  it('reports ".$" fields whose value is neither a path nor an intrinsic call, however nested', () => {
    const template = { 'ok.$': '$.a', 'bad.$': 'hello', nested: [{ 'n.$': 3 }] };

    expect(payloadTemplateProblems(template)).toEqual([
      "The value for the field 'bad.$' must be a valid JSONPath or a valid intrinsic function call",
      "The value for the field 'n.$' must be a valid JSONPath or a valid intrinsic function call",
    ]);
  });

  it('reports a ".$" field that looks like an intrinsic call but does not parse as one', () => {
    const template = { 'ok.$': "States.Format('{}', $.a)", 'bad.$': 'States.MathRandom(1, 10, 5, 99)' };

    expect(payloadTemplateProblems(template)).toEqual([
      "The value for the field 'bad.$' must be a valid JSONPath or a valid intrinsic function call",
    ]);
  });
});
