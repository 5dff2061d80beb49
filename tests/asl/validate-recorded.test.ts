// Definition checks against the diagnostics and InvalidDefinition messages AWS returned, as recorded
// in LocalStack's snapshots (tests/aws/services/stepfunctions/v2/…snapshot.json); each test names the
// snapshot file and the test whose recording it reproduces.
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../../lib/asl/validate.js';
import { invalidDefinitionMessage, validateDefinition } from '../../lib/asl/validate.js';
import { jsonSyntaxError } from '../../lib/asl/validate-json-syntax.js';

function diagnostics(text: string, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): Diagnostic[] {
  return validateDefinition(text, { type }).diagnostics;
}

function refusal(definition: unknown, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): string {
  return invalidDefinitionMessage(diagnostics(JSON.stringify(definition), type));
}

const PASS = { Type: 'Pass', End: true };

describe('ValidateStateMachineDefinition diagnostics (test_sfn_api_validation.snapshot.json)', () => {
  it('calls blank text not a JSON object, with no location: not_a_definition[EMPTY_STRING]', () => {
    expect(diagnostics(' ')).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'Definition must be a valid JSON object' }]);
  });

  it("gives Jackson's parse error with its source location: not_a_definition[NOT_A_DEF]", () => {
    const location = '[Source: (String)"not a definition"; line: 1, column: 4]';

    expect(diagnostics('not a definition')).toEqual([{
      severity: 'ERROR',
      code: 'INVALID_JSON_DESCRIPTION',
      message: `Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')\n at ${location}`,
      location,
    }]);
  });

  it('names both missing top-level fields in one finding, States first: not_a_definition[EMPTY_DICT]', () => {
    expect(diagnostics('{}')).toEqual([{ severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [States, StartAt]', location: '/' }]);
  });

  it.each(['STANDARD', 'EXPRESS'] as const)('reports a missing StartAt alone (%s): INVALID_BASE_NO_STARTAT', (type) => {
    const definition = { States: { StartState: PASS } };

    expect(diagnostics(JSON.stringify(definition), type)).toEqual([
      { severity: 'ERROR', code: 'SCHEMA_VALIDATION_FAILED', message: 'These fields are required: [StartAt]', location: '/' },
    ]);
  });

  it.each(['STANDARD', 'EXPRESS'] as const)('accepts a one-state Pass machine (%s): VALID_BASE_PASS', (type) => {
    expect(diagnostics(JSON.stringify({ StartAt: 'StartState', States: { StartState: PASS } }), type)).toEqual([]);
  });

  it.each(['STANDARD', 'EXPRESS'] as const)('refuses a JSONPath state in a JSONata machine (%s): INVALID_DOWNGRADE_QUERY_LANGUAGE', (type) => {
    const definition = { StartAt: 'Pass', States: { Pass: { ...PASS, QueryLanguage: 'JSONPath' } }, QueryLanguage: 'JSONata' };

    expect(diagnostics(JSON.stringify(definition), type)).toEqual([{
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      message: "'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine",
      location: '/States/Pass',
    }]);
  });

  it.each(['STANDARD', 'EXPRESS'] as const)('lets a JSONPath state run inside a JSONata Map (%s): VALID_QUERY_LANGUAGE_PASS', (type) => {
    const definition = {
      StartAt: 'Map',
      QueryLanguage: 'JSONPath',
      States: {
        Map: {
          Type: 'Map',
          QueryLanguage: 'JSONata',
          ItemProcessor: { ProcessorConfig: { Mode: 'INLINE' }, StartAt: 'Pass', States: { Pass: { QueryLanguage: 'JSONPath', ...PASS } } },
          End: true,
        },
      },
    };

    expect(diagnostics(JSON.stringify(definition), type)).toEqual([]);
  });

  it('ends the .waitForTaskToken refusal with a space: type_express[ILLEGAL_WFTT]', () => {
    const definition = {
      StartAt: 'SendMessageWithWait',
      States: {
        SendMessageWithWait: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken',
          Parameters: { 'QueueUrl.$': '$.QueueUrl', MessageBody: { 'Message.$': '$.Message', 'TaskToken.$': '$$.Task.Token' } },
          End: true,
        },
      },
    };

    expect(diagnostics(JSON.stringify(definition), 'EXPRESS')).toEqual([{
      severity: 'ERROR',
      code: 'SCHEMA_VALIDATION_FAILED',
      message: "Express state machine does not support '.waitForTaskToken' service integration ",
      location: '/States/SendMessageWithWait/Resource',
    }]);
  });
});

describe('InvalidDefinition messages of CreateStateMachine', () => {
  it('names the missing States: test_sfn_api.snapshot.json, test_create_delete_invalid_sm', () => {
    expect(refusal({ Comment: 'BASE_INVALID_DER', StartAt: 'State_1' })).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: These fields are required: [States] at /'");
  });

  it('refuses .sync in an EXPRESS machine, no space before "at": test_sfn_api_express.snapshot.json, test_illegal_callbacks[SYNC]', () => {
    const definition = {
      StartAt: 'StartExecution',
      States: { StartExecution: { Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', End: true } },
    };

    expect(refusal(definition, 'EXPRESS')).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.sync' service integration at /States/StartExecution/Resource'",
    );
  });

  it('refuses .waitForTaskToken in an EXPRESS machine, two spaces before "at": test_sfn_api_express.snapshot.json, test_illegal_callbacks[WAIT_FOR_TASK_TOKEN]', () => {
    const definition = { StartAt: 'Publish', States: { Publish: { Type: 'Task', Resource: 'arn:aws:states:::sns:publish.waitForTaskToken', End: true } } };

    expect(refusal(definition, 'EXPRESS')).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support '.waitForTaskToken' service integration  at /States/Publish/Resource'",
    );
  });

  it('refuses an activity in an EXPRESS machine: test_sfn_api_express.snapshot.json, test_illegal_activity_task', () => {
    const definition = { StartAt: 'ActivityTask', States: { ActivityTask: { Type: 'Task', Resource: 'arn:aws:states:us-east-1:111111111111:activity:a', End: true } } };

    expect(refusal(definition, 'EXPRESS')).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Express state machine does not support Activity ARN at /States/ActivityTask/Resource'",
    );
  });

  it('lists the state types in AWS order: test_test_state_machine_scenarios.snapshot.json, test_state_name_invalid_state_definition', () => {
    const definition = { StartAt: 'ExistingButInvalidState', States: { ExistingButInvalidState: { Type: 'Invalid', End: true } } };

    expect(refusal(definition)).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'Type' should have one of these values: [Task, Wait, Pass, Succeed, Fail, Choice, Parallel, Map] at /States/ExistingButInvalidState/Type'",
    );
  });

  it('refuses a Parallel state without branches: test_state_mock_validation.snapshot.json, test_parallel_state_empty_branches', () => {
    const definition = { StartAt: 'StateName', States: { StateName: { Type: 'Parallel', Branches: [], End: true } } };

    expect(refusal(definition)).toBe("Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: Value cannot be empty at /States/StateName/Branches'");
  });

  it('keeps "The field … is required" for Credentials: test_credentials_base.snapshot.json, test_invalid_credentials_field[EMPTY_CREDENTIALS]', () => {
    const definition = { StartAt: 'State0', States: { State0: { Type: 'Task', Resource: 'arn:aws:states:::lambda:invoke', Credentials: {}, End: true } } };

    expect(refusal(definition)).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The field 'RoleArn' is required but was missing at /States/State0/Credentials'",
    );
  });

  it('refuses an integration AWS does not optimise: test_dynamodb_task_service.snapshot.json, test_invalid_integration', () => {
    const definition = { StartAt: 'Query', States: { Query: { Type: 'Task', Resource: 'arn:aws:states:::dynamodb:query', End: true } } };

    expect(refusal(definition)).toBe(
      "Invalid State Machine Definition: 'SCHEMA_VALIDATION_FAILED: The resource provided arn:aws:states:::dynamodb:query is not recognized. The value is not a valid resource ARN, or the resource is not available in this region. at /States/Query/Resource'",
    );
  });
});

describe("jsonSyntaxError: Jackson's messages", () => {
  it("gives the message AWS quotes for execution input written with single quotes: test_sfn_api.snapshot.json, test_invalid_start_execution_input", () => {
    expect(jsonSyntaxError("{'not': 'json'")?.problem).toBe("Unexpected character (''' (code 39)): was expecting double-quote to start field name");
  });

  it('gives the message AWS quotes for a bare word: test_sfn_api.snapshot.json, test_invalid_start_execution_input', () => {
    expect(jsonSyntaxError('not some json')?.problem).toBe(
      "Unrecognized token 'not': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')",
    );
  });

  it('finds nothing wrong with JSON', () => {
    expect(jsonSyntaxError('{"a": [1, -2.5e3, true, null, "x\\u0041"]}')).toBeUndefined();
  });
});
