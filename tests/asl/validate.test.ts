import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../lib/asl/validate.js';
import { invalidDefinitionMessage, validateDefinition } from '../../lib/asl/validate.js';

type Machine = Record<string, unknown>;

function errors(definition: Machine | string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Diagnostic[] {
  const text = typeof definition === 'string' ? definition : JSON.stringify(definition);
  return validateDefinition(text, { type }).diagnostics.filter((d) => d.severity === 'ERROR');
}

/** A one-state machine around `state`, named S. */
function single(state: Machine, top: Machine = {}): Machine {
  return { StartAt: 'S', States: { S: state }, ...top };
}

function codesAt(found: Diagnostic[]): string[] {
  return found.map((d) => `${d.code} ${d.location ?? ''}`);
}

describe('validateDefinition: JSON and top level', () => {
  it('accepts a minimal Pass machine and returns the parsed definition', () => {
    const result = validateDefinition('{"StartAt":"S","States":{"S":{"Type":"Pass","End":true}}}');

    expect(result.diagnostics).toEqual([]);
    expect(result.definition).toEqual({ StartAt: 'S', States: { S: { Type: 'Pass', End: true } } });
  });

  it('reports INVALID_JSON_DESCRIPTION for text that is not JSON', () => {
    expect(errors('{"StartAt": "S",').map((d) => d.code)).toEqual(['INVALID_JSON_DESCRIPTION']);
  });

  it('reports MISSING_DESCRIPTION for an empty definition', () => {
    expect(errors('').map((d) => d.code)).toEqual(['MISSING_DESCRIPTION']);
  });

  it('rejects a top-level field the language does not define', () => {
    const found = errors(single({ Type: 'Pass', End: true }, { Coment: 'typo' }));

    expect(found).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "Field 'Coment' is not supported", location: '/' }]);
  });

  it('accepts Comment, Version 1.0, TimeoutSeconds and QueryLanguage at the top level', () => {
    expect(errors(single({ Type: 'Pass', End: true }, { Comment: 'c', Version: '1.0', TimeoutSeconds: 60, QueryLanguage: 'JSONata' }))).toEqual([]);
  });

  it('rejects an unknown QueryLanguage', () => {
    expect(codesAt(errors(single({ Type: 'Pass', End: true }, { QueryLanguage: 'XPath' })))).toEqual(['SCHEMA_VALIDATION_FAILED /QueryLanguage']);
  });
});

describe('validateDefinition: transitions', () => {
  it('reports a Next naming no state and the state left unreachable, as AWS words them', () => {
    const found = errors({ StartAt: 'pass1', States: { pass1: { Type: 'Pass', Next: 'pass3' }, pass2: { Type: 'Pass', End: true } } });

    // AWS, CreateStateMachine (LocalStack PR #12487 reproduction)
    expect(invalidDefinitionMessage(found)).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: pass3 at /States/pass1/Next, " +
        "MISSING_TRANSITION_TARGET: State \"pass2\" is not reachable. at /States/pass2'",
    );
  });

  it('reports a StartAt naming no state at /StartAt', () => {
    const found = errors({ StartAt: 'Not sure', States: { 'Pass One': { Type: 'Pass', Next: 'Success' }, Success: { Type: 'Succeed' } } });

    // AWS, via CloudFormation (cfn-lint issue #4074)
    expect(invalidDefinitionMessage(found)).toBe(
      "Invalid State Machine Definition: 'MISSING_TRANSITION_TARGET: Missing 'Next' target: Not sure at /StartAt, " +
        "MISSING_TRANSITION_TARGET: State \"Pass One\" is not reachable. at /States/Pass One'",
    );
  });

  it('checks the Next of Choice rules, Default and Catchers', () => {
    const found = errors({
      StartAt: 'C',
      States: {
        C: { Type: 'Choice', Choices: [{ Variable: '$.x', IsNull: true, Next: 'Nowhere' }], Default: 'Gone' },
        P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Succeed' } } }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Lost' }], End: true },
      },
    });

    expect(codesAt(found)).toEqual([
      'MISSING_TRANSITION_TARGET /States/C/Choices/0/Next',
      'MISSING_TRANSITION_TARGET /States/C/Default',
      'MISSING_TRANSITION_TARGET /States/P/Catch/0/Next',
      'MISSING_TRANSITION_TARGET /States/P',
    ]);
  });

  it('does not let a state inside a Parallel branch move to a state outside it', () => {
    const found = errors({
      StartAt: 'P',
      States: {
        P: { Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Done' } } }], Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    });

    expect(codesAt(found)).toEqual(['MISSING_TRANSITION_TARGET /States/P/Branches/0/States/B/Next', 'MISSING_END_STATE /States/P/Branches/0/States']);
  });

  it('reports a workflow with no terminal state', () => {
    const found = errors({ StartAt: 'A', States: { A: { Type: 'Pass', Next: 'B' }, B: { Type: 'Pass', Next: 'A' } } });

    expect(found.map((d) => d.code)).toEqual(['MISSING_END_STATE']);
  });

  it('reports a state name used twice in one States object', () => {
    const found = errors('{"StartAt":"A","States":{"A":{"Type":"Pass","End":true},"A":{"Type":"Succeed"}}}');

    expect(found).toContainEqual({ severity: 'ERROR', code: 'DUPLICATE_STATE_NAME', message: 'Duplicate State name: A', location: '/States/A' });
  });

  it('reports a state name reused inside a branch, names being unique across the whole machine', () => {
    const found = errors({
      StartAt: 'A',
      States: { A: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Succeed' } } }], End: true } },
    });

    expect(codesAt(found)).toEqual(['DUPLICATE_STATE_NAME /States/A/Branches/0/States/A']);
  });
});

describe('validateDefinition: fields of each state type', () => {
  it.each([
    ['TimeoutSeconds', 'Pass'], ['Catch', 'Pass'], ['Retry', 'Wait'], ['Retry', 'Choice'], ['TimeoutSeconds', 'Map'],
  ])("refuses '%s' on a %s state with \"Field '<name>' is not supported\"", (field, type) => {
    const state: Machine = { Type: type, [field]: field === 'TimeoutSeconds' ? 10 : [] };
    if (type === 'Choice') Object.assign(state, { Choices: [{ Variable: '$.x', IsNull: true, Next: 'S' }] });
    else if (type === 'Map') Object.assign(state, { ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true });
    else if (type === 'Wait') Object.assign(state, { Seconds: 1, End: true });
    else Object.assign(state, { End: true });

    expect(errors(single(state))).toContainEqual({ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: `Field '${field}' is not supported`, location: '/States/S' });
  });

  it('requires exactly one of Next and End', () => {
    expect(codesAt(errors(single({ Type: 'Pass' })))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S']);
    expect(codesAt(errors({ StartAt: 'S', States: { S: { Type: 'Pass', Next: 'T', End: true }, T: { Type: 'Succeed' } } }))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S']);
  });

  it('requires Resource on a Task and Choices on a Choice', () => {
    expect(errors(single({ Type: 'Task', End: true }))[0]?.message).toBe("The field 'Resource' is required but was missing");
    expect(errors(single({ Type: 'Choice', Default: 'S' }))[0]?.message).toBe("The field 'Choices' is required but was missing");
  });

  it('rejects an unknown state Type', () => {
    expect(codesAt(errors(single({ Type: 'Sleep', End: true })))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Type']);
  });

  it('requires exactly one of Seconds, Timestamp, SecondsPath and TimestampPath on a Wait state', () => {
    expect(errors(single({ Type: 'Wait', End: true }))).toHaveLength(1);
    expect(errors(single({ Type: 'Wait', Seconds: 1, SecondsPath: '$.s', End: true }))).toHaveLength(1);
    expect(errors(single({ Type: 'Wait', Seconds: -1, End: true }))).toHaveLength(1);
    expect(errors(single({ Type: 'Wait', Timestamp: '2016-03-14T01:59:00+01:00', End: true }))).toEqual([]);
  });

  it('accepts a JSONata expression for Wait Seconds only in a JSONata state', () => {
    const wait = { Type: 'Wait', Seconds: '{% $states.input.s %}', End: true };

    expect(errors(single(wait, { QueryLanguage: 'JSONata' }))).toEqual([]);
    expect(codesAt(errors(single(wait)))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Seconds']);
  });

  it('keeps Error and ErrorPath, Cause and CausePath mutually exclusive on a Fail state', () => {
    expect(errors(single({ Type: 'Fail', Error: 'E', ErrorPath: '$.e' }))).toHaveLength(1);
    expect(errors(single({ Type: 'Fail', Cause: 'C', CausePath: '$.c' }))).toHaveLength(1);
    expect(errors(single({ Type: 'Fail', ErrorPath: "States.Format('e{}', $.x)", CausePath: '$$.State.Name' }))).toEqual([]);
  });

  it('checks TimeoutSeconds and HeartbeatSeconds of a Task', () => {
    const task = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', End: true };

    expect(errors(single({ ...task, TimeoutSeconds: 0 }))).toHaveLength(1);
    expect(errors(single({ ...task, TimeoutSeconds: 10, TimeoutSecondsPath: '$.t' }))).toHaveLength(1);
    expect(errors(single({ ...task, TimeoutSeconds: 10, HeartbeatSeconds: 10 }))).toHaveLength(1);
    expect(errors(single({ ...task, TimeoutSeconds: 10, HeartbeatSeconds: 5 }))).toEqual([]);
  });
});

describe('validateDefinition: Task resources', () => {
  const task = (Resource: string) => single({ Type: 'Task', Resource, End: true });

  it.each([
    'arn:aws:lambda:us-east-1:123456789012:function:my-function',
    'arn:aws:lambda:us-east-1:123456789012:function:my-function:live',
    'arn:aws:states:us-east-1:123456789012:activity:my-activity',
    'arn:aws:states:::lambda:invoke',
    'arn:aws:states:::lambda:invoke.waitForTaskToken',
    'arn:aws:states:::states:startExecution.sync:2',
    'arn:aws:states:::dynamodb:getItem',
    'arn:aws:states:::aws-sdk:dynamodb:query',
    'arn:aws:states:::aws-sdk:s3:listObjectsV2.waitForTaskToken',
  ])('accepts %s', (resource) => {
    expect(errors(task(resource))).toEqual([]);
  });

  it.each([
    'my-function',
    'arn:aws:states:::dynamodb:query',
    'arn:aws:states:::dynamodb:getItem.sync',
    'arn:aws:states:::aws-sdk:s3:getObject.sync',
  ])('refuses %s with the message AWS gives an unrecognised resource', (resource) => {
    expect(errors(task(resource))).toEqual([{
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      message: `The resource provided ${resource} is not recognized. The value is not a valid resource ARN, or the resource is not available in this region.`,
      location: '/States/S/Resource',
    }]);
  });

  it('refuses .sync and activities in an EXPRESS machine, but not in a STANDARD one', () => {
    expect(errors(task('arn:aws:states:::states:startExecution.sync'), 'EXPRESS')[0]?.message).toBe("Express state machine does not support '.sync' service integration");
    expect(errors(task('arn:aws:states:us-east-1:123456789012:activity:a'), 'EXPRESS')[0]?.message).toBe('Express state machine does not support Activity ARN');
    expect(errors(task('arn:aws:states:::states:startExecution.sync'), 'STANDARD')).toEqual([]);
  });
});

describe('validateDefinition: Choice rules', () => {
  const choice = (rule: Machine, top: Machine = {}) => ({
    StartAt: 'C',
    States: { C: { Type: 'Choice', Choices: [{ ...rule, Next: 'D' }], Default: 'D' }, D: { Type: 'Succeed' } },
    ...top,
  });

  it.each([
    [{ Variable: '$.x', NumericEquals: 'one' }, "The value for the field 'NumericEquals' must be a NUMBER"],
    [{ Variable: '$.x', BooleanEquals: 'true' }, "The value for the field 'BooleanEquals' must be a BOOLEAN"],
    [{ Variable: '$.x', StringEquals: 1 }, "The value for the field 'StringEquals' must be a STRING"],
    [{ Variable: '$.x', TimestampEquals: '2016-13-01T00:00:00Z' }, 'String does not match RFC3339 timestamp'],
    [{ Variable: '$.x', StringEqualsPath: 'x' }, "The value for the field 'StringEqualsPath' must be a valid JSONPath"],
    [{ Variable: 'x', IsNull: true }, "The value for the field 'Variable' must be a valid JSONPath"],
  ])('checks the operand type: %j', (rule, message) => {
    expect(errors(choice(rule)).map((d) => d.message)).toEqual([message]);
  });

  it('requires exactly one comparison operator', () => {
    expect(errors(choice({ Variable: '$.x' }))).toHaveLength(1);
    expect(errors(choice({ Variable: '$.x', IsNull: true, IsPresent: true }))).toHaveLength(1);
  });

  it('requires And and Or to hold a non-empty array, and Not a single rule', () => {
    expect(errors(choice({ And: [] }))).toHaveLength(1);
    expect(errors(choice({ Or: { Variable: '$.x', IsNull: true } }))).toHaveLength(1);
    expect(errors(choice({ Not: [{ Variable: '$.x', IsNull: true }] }))).toHaveLength(1);
    expect(errors(choice({ And: [{ Variable: '$.x', IsNull: false }, { Not: { Variable: '$.y', NumericLessThan: 1 } }] }))).toEqual([]);
  });

  it('does not allow Next inside a nested rule', () => {
    expect(errors(choice({ Not: { Variable: '$.x', IsNull: true, Next: 'D' } }))[0]?.message).toBe("Field 'Next' is not supported");
  });

  it('requires Condition in a JSONata Choice state and refuses Variable there', () => {
    expect(errors(choice({ Condition: '{% $states.input.x > 1 %}' }, { QueryLanguage: 'JSONata' }))).toEqual([]);
    expect(errors(choice({ Variable: '$.x', IsNull: true }, { QueryLanguage: 'JSONata' })).map((d) => d.message)).toEqual([
      "The QueryLanguage is set to 'JSONata', but field 'Variable' is only supported for the 'JSONPath' QueryLanguage",
      "The QueryLanguage is set to 'JSONata', but field 'IsNull' is only supported for the 'JSONPath' QueryLanguage",
      "The field 'Condition' is required but was missing",
    ]);
  });

  it('refuses a Condition that does not parse as JSONata', () => {
    expect(codesAt(errors(choice({ Condition: '{% $states.input.x > %}' }, { QueryLanguage: 'JSONata' })))).toEqual(['SCHEMA_VALIDATION_FAILED /States/C/Choices/0/Condition']);
  });
});

describe('validateDefinition: Retry and Catch', () => {
  const withRetry = (Retry: unknown) => single({ Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Retry, End: true });

  it('accepts a retrier with every field set within range', () => {
    expect(errors(withRetry([{ ErrorEquals: ['States.Timeout'], IntervalSeconds: 1, MaxAttempts: 0, BackoffRate: 1, MaxDelaySeconds: 5, JitterStrategy: 'FULL' }]))).toEqual([]);
  });

  it.each([
    [{ ErrorEquals: [] }],
    [{ ErrorEquals: ['States.ALL', 'States.Timeout'] }],
    [{ ErrorEquals: ['E'], MaxAttempts: -1 }],
    [{ ErrorEquals: ['E'], BackoffRate: 0.5 }],
    [{ ErrorEquals: ['E'], IntervalSeconds: 0 }],
    [{ ErrorEquals: ['E'], JitterStrategy: 'SOME' }],
    [{ ErrorEquals: ['E'], MaxDelaySeconds: 0 }],
  ])('refuses the retrier %j', (retrier) => {
    expect(errors(withRetry([retrier]))).toHaveLength(1);
  });

  it('requires a retrier with States.ALL to come last', () => {
    expect(errors(withRetry([{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['E'] }]))).toHaveLength(1);
  });

  it('requires Next on a catcher', () => {
    const state = { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Catch: [{ ErrorEquals: ['States.ALL'] }], End: true };

    expect(errors(single(state)).map((d) => d.message)).toEqual(["The field 'Next' is required but was missing"]);
  });
});

describe('validateDefinition: paths, templates and intrinsic functions', () => {
  it.each(['$', '$.a.b', "$.a['b c']", '$.a[0]', '$.a[*].b', '$..b', '$.a[?(@.x == 1)]', '$$.Execution.Id', '$var.field'])('accepts the InputPath %s', (path) => {
    expect(errors(single({ Type: 'Pass', InputPath: path, End: true }))).toEqual([]);
  });

  it.each(['a.b', '$.', '$.a[', '$.a[]', '$ .a'])('refuses the InputPath %s', (path) => {
    expect(codesAt(errors(single({ Type: 'Pass', InputPath: path, End: true })))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/InputPath']);
  });

  it('requires ResultPath to be a Reference Path', () => {
    expect(errors(single({ Type: 'Pass', ResultPath: '$.a[*]', End: true }))).toHaveLength(1);
    expect(errors(single({ Type: 'Pass', ResultPath: null, End: true }))).toEqual([]);
  });

  it('requires a Parameters key ending in .$ to hold a path or an intrinsic function call', () => {
    const found = errors(single({ Type: 'Pass', Parameters: { 'a.$': 'Test' }, End: true }));

    // AWS, via CloudFormation (cfn-lint issue #4085)
    expect(found).toEqual([{
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      message: "The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call",
      location: '/States/S/Parameters/a.$',
    }]);
  });

  it('refuses an unknown or malformed intrinsic function', () => {
    expect(errors(single({ Type: 'Pass', Parameters: { 'a.$': 'States.Nope($.x)' }, End: true }))).toHaveLength(1);
    expect(errors(single({ Type: 'Pass', Parameters: { 'a.$': 'States.Format($.x' }, End: true }))).toHaveLength(1);
    expect(errors(single({ Type: 'Pass', Parameters: { 'a.$': "States.Format('{}', States.JsonToString($.x))" }, End: true }))).toEqual([]);
  });

  it('gives the path-or-intrinsic message for a call that looks like an intrinsic but does not parse', () => {
    const found = errors(single({ Type: 'Pass', Parameters: { 'a.$': 'States.MathRandom(1, 10, 5, 99)' }, End: true }));

    expect(found.map((d) => d.message)).toEqual(["The value for the field 'a.$' must be a valid JSONPath or a valid intrinsic function call"]);
  });

  it('leaves .$ keys inside Result alone, warning that Result is static', () => {
    const diagnostics = validateDefinition(JSON.stringify(single({ Type: 'Pass', Result: { 'a.$': 'not a path' }, End: true }))).diagnostics;

    expect(diagnostics.map((d) => `${d.severity} ${d.code}`)).toEqual(['WARNING PASS_RESULT_IS_STATIC']);
  });
});

describe('validateDefinition: QueryLanguage', () => {
  it('refuses JSONPath-only fields in a JSONata state', () => {
    const found = errors(single({ Type: 'Pass', Parameters: {}, End: true }, { QueryLanguage: 'JSONata' }));

    expect(found.map((d) => d.message)).toEqual(["The QueryLanguage is set to 'JSONata', but field 'Parameters' is only supported for the 'JSONPath' QueryLanguage"]);
  });

  it('refuses JSONata-only fields in a JSONPath state', () => {
    const found = errors(single({ Type: 'Pass', Output: {}, End: true }));

    // Wording measured on AWS (floci issue #2968)
    expect(found.map((d) => d.message)).toEqual(["The QueryLanguage is set to 'JSONPath', but field 'Output' is only supported for the 'JSONata' QueryLanguage"]);
  });

  it('lets a JSONPath machine hold a JSONata state but not the reverse', () => {
    expect(errors(single({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% 1 %}', End: true }))).toEqual([]);
    expect(errors(single({ Type: 'Pass', QueryLanguage: 'JSONPath', End: true }, { QueryLanguage: 'JSONata' })).map((d) => d.message)).toEqual([
      "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
    ]);
  });

  it('refuses QueryLanguage on an ItemProcessor', () => {
    const map = { Type: 'Map', ItemProcessor: { QueryLanguage: 'JSONata', StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true };

    expect(errors(single(map))).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: "Field 'QueryLanguage' is not supported", location: '/States/S/ItemProcessor' }]);
  });

  it('refuses a JSONata expression that does not parse', () => {
    expect(codesAt(errors(single({ Type: 'Pass', Output: { a: '{% $states.input. %}' }, End: true }, { QueryLanguage: 'JSONata' })))).toEqual(['SCHEMA_VALIDATION_FAILED /States/S/Output/a']);
  });
});

describe('validateDefinition: Assign', () => {
  it.each(['states', '1abc', 'a-b', 'x'.repeat(81)])('refuses the variable name %s', (name) => {
    expect(errors(single({ Type: 'Pass', Assign: { [name]: 1 }, End: true }))).toHaveLength(1);
  });

  // AWS guide, "Variable name syntax": Unicode identifiers (UAX #31), ID_Start then ID_Continue, at most 80.
  it.each(['productName', 'a_1', 'größe', 'π', 'x'.repeat(80)])('accepts the variable name %s', (name) => {
    expect(errors(single({ Type: 'Pass', Assign: { [name]: 1 }, End: true }))).toEqual([]);
  });

  it('refuses a variable name starting with an underscore, which is not an ID_Start character', () => {
    expect(errors(single({ Type: 'Pass', Assign: { _hidden: 1 }, End: true }))).toHaveLength(1);
  });

  it('accepts a path reading a variable with a non-ASCII name', () => {
    expect(errors(single({ Type: 'Pass', InputPath: '$größe.a', End: true }))).toEqual([]);
  });

  it('accepts JSONPath .$ assignments and checks their path', () => {
    expect(errors(single({ Type: 'Pass', Assign: { 'x.$': '$.a', y: { 'z.$': '$$.Execution.Id' } }, End: true }))).toEqual([]);
    expect(errors(single({ Type: 'Pass', Assign: { 'x.$': 'Test' }, End: true }))).toHaveLength(1);
  });
});

describe('validateDefinition: Map', () => {
  const map = (fields: Machine) => single({ Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true, ...fields });

  it('requires an ItemProcessor or Iterator', () => {
    expect(errors(single({ Type: 'Map', End: true })).map((d) => d.message)).toEqual(["The field 'ItemProcessor' is required but was missing"]);
  });

  it.each([
    [{ MaxConcurrency: -1 }], [{ ToleratedFailurePercentage: 101 }], [{ ToleratedFailureCount: -1 }],
    [{ MaxConcurrency: 1, MaxConcurrencyPath: '$.m' }], [{ ItemSelector: {}, Parameters: {} }],
  ])('refuses %j', (fields) => {
    expect(errors(map(fields))).toHaveLength(1);
  });

  it('checks ProcessorConfig Mode and ExecutionType', () => {
    const withConfig = (ProcessorConfig: Machine) => single({ Type: 'Map', ItemProcessor: { ProcessorConfig, StartAt: 'I', States: { I: { Type: 'Succeed' } } }, End: true });

    expect(errors(withConfig({ Mode: 'INLINE' }))).toEqual([]);
    expect(errors(withConfig({ Mode: 'PARALLEL' }))).toHaveLength(1);
    expect(errors(withConfig({ Mode: 'DISTRIBUTED', ExecutionType: 'BATCH' }))).toHaveLength(1);
  });

  it('accepts a 40-character Label of allowed characters', () => {
    expect(errors(map({ Label: 'a'.repeat(40) }))).toEqual([]);
  });
});
