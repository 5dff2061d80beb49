import { expect } from 'vitest';

// AWS's execution-log records as LocalStack's AWS-validated snapshot tests recorded them from real
// CloudWatch Logs: localstack/localstack tests/aws/services/stepfunctions/v2/logs/test_logs.snapshot.json
// (test_base and test_partial_log_levels; key: <template>_<level>_<includeExecutionData>; a case that
// recorded no records is []). The snapshot tooling replaced timestamps by "timestamp", the role by
// "snf_role_arn" and ARN parts by placeholders, and printed JSON text (input, output) parsed.
export const RECORDED_LOG_RECORDS: Record<string, Record<string, unknown>[]> = {
  "pass_result_ALL_False": [
    {
      "id": "1",
      "type": "ExecutionStarted",
      "details": {
        "roleArn": "snf_role_arn"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "2",
      "type": "PassStateEntered",
      "details": {
        "name": "State_1"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "PassStateExited",
      "details": {
        "name": "State_1"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "4",
      "type": "ExecutionSucceeded",
      "details": {},
      "previous_event_id": "3",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "pass_result_ALL_True": [
    {
      "id": "1",
      "type": "ExecutionStarted",
      "details": {
        "input": {},
        "inputDetails": {
          "truncated": false
        },
        "roleArn": "snf_role_arn"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "2",
      "type": "PassStateEntered",
      "details": {
        "input": {},
        "inputDetails": {
          "truncated": false
        },
        "name": "State_1"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "PassStateExited",
      "details": {
        "name": "State_1",
        "output": {
          "Arg1": "argument1"
        },
        "outputDetails": {
          "truncated": false
        }
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "4",
      "type": "ExecutionSucceeded",
      "details": {
        "output": {
          "Arg1": "argument1"
        },
        "outputDetails": {
          "truncated": false
        }
      },
      "previous_event_id": "3",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "raise_failure_ALL_False": [
    {
      "id": "1",
      "type": "ExecutionStarted",
      "details": {
        "roleArn": "snf_role_arn"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "2",
      "type": "FailStateEntered",
      "details": {
        "name": "FailState"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "This state machines raises a 'SomeFailure' failure.",
        "error": "SomeFailure"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "raise_failure_ALL_True": [
    {
      "id": "1",
      "type": "ExecutionStarted",
      "details": {
        "input": {},
        "inputDetails": {
          "truncated": false
        },
        "roleArn": "snf_role_arn"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "2",
      "type": "FailStateEntered",
      "details": {
        "input": {},
        "inputDetails": {
          "truncated": false
        },
        "name": "FailState"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "This state machines raises a 'SomeFailure' failure.",
        "error": "SomeFailure"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "wait_seconds_path_ALL_False": [
    {
      "id": "1",
      "type": "ExecutionStarted",
      "details": {
        "roleArn": "snf_role_arn"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "2",
      "type": "WaitStateEntered",
      "details": {
        "name": "WaitState"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds",
        "error": "States.Runtime"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "wait_seconds_path_ALL_True": [
    {
      "id": "1",
      "type": "ExecutionStarted",
      "details": {
        "input": {},
        "inputDetails": {
          "truncated": false
        },
        "roleArn": "snf_role_arn"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "2",
      "type": "WaitStateEntered",
      "details": {
        "input": {},
        "inputDetails": {
          "truncated": false
        },
        "name": "WaitState"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds",
        "error": "States.Runtime"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "pass_result_ERROR_False": [],
  "pass_result_ERROR_True": [],
  "pass_result_FATAL_False": [],
  "pass_result_FATAL_True": [],
  "pass_result_OFF_False": [],
  "pass_result_OFF_True": [],
  "raise_failure_ERROR_False": [
    {
      "id": "2",
      "type": "FailStateEntered",
      "details": {
        "name": "FailState"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "This state machines raises a 'SomeFailure' failure.",
        "error": "SomeFailure"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "raise_failure_ERROR_True": [
    {
      "id": "2",
      "type": "FailStateEntered",
      "details": {
        "input": {},
        "inputDetails": {
          "truncated": false
        },
        "name": "FailState"
      },
      "previous_event_id": "0",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    },
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "This state machines raises a 'SomeFailure' failure.",
        "error": "SomeFailure"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "raise_failure_FATAL_False": [
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "This state machines raises a 'SomeFailure' failure.",
        "error": "SomeFailure"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "raise_failure_FATAL_True": [
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "This state machines raises a 'SomeFailure' failure.",
        "error": "SomeFailure"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "raise_failure_OFF_False": [],
  "raise_failure_OFF_True": [],
  "wait_seconds_path_ERROR_False": [
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds",
        "error": "States.Runtime"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "wait_seconds_path_ERROR_True": [
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds",
        "error": "States.Runtime"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "wait_seconds_path_FATAL_False": [
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds",
        "error": "States.Runtime"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "wait_seconds_path_FATAL_True": [
    {
      "id": "3",
      "type": "ExecutionFailed",
      "details": {
        "cause": "An error occurred while executing the state 'WaitState' (entered at the event id #2). The SecondsPath parameter does not reference an input value: $.input.waitSeconds",
        "error": "States.Runtime"
      },
      "previous_event_id": "2",
      "event_timestamp": "timestamp",
      "execution_arn": "arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>",
      "redrive_count": "0"
    }
  ],
  "wait_seconds_path_OFF_False": [],
  "wait_seconds_path_OFF_True": []
};

/** A record as the snapshot prints it: placeholders for the execution's ARN and time, JSON text parsed. */
export function asRecorded(record: Record<string, unknown>, executionArn: string): Record<string, unknown> {
  const details = record['details'] as Record<string, unknown> | undefined;
  const parsed = details === undefined ? undefined : Object.fromEntries(Object.entries(details).map(([k, v]) => [k, (k === 'input' || k === 'output') && typeof v === 'string' ? JSON.parse(v) : v]));
  expect(record['execution_arn']).toBe(executionArn);
  expect(record['event_timestamp']).toMatch(/^\d{13}$/);
  return {
    ...record,
    ...(parsed === undefined ? {} : { details: parsed }),
    event_timestamp: 'timestamp',
    execution_arn: 'arn:<partition>:states:<region>:111111111111:execution:<ArnPart_0idx>:<ExecArnPart_0idx>',
  };
}

