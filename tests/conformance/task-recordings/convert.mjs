#!/usr/bin/env node
// Converts Task-state recordings that LocalStack's test suite made against real AWS Step Functions
// (tests/aws/services/stepfunctions/v2/**.snapshot.json in github.com/localstack/localstack) into
// replay fixtures for tests/conformance/task-recordings.test.ts.
//
// Each fixture holds: the state machine definition (the test's template with the test's own
// substitutions), the execution input (as AWS recorded it in ExecutionStarted), the machines a
// `states:startExecution` task starts, the recorded history, and a script of what the outside world
// answered, task by task, as the recording shows it: a call's output or error, a
// `.waitForTaskToken` submission and then the SendTask* answer, or no answer at all (a timeout).
//
// Usage: node tests/conformance/task-recordings/convert.mjs [path/to/localstack.git]
// (default: /work/.mirror/localstack+localstack/repo, a bare mirror read with `git show HEAD:…`).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const HERE = dirname(fileURLToPath(import.meta.url));
const MIRROR = process.argv[2] ?? '/work/.mirror/localstack+localstack/repo';
const V2 = 'tests/aws/services/stepfunctions/v2';
const TEMPLATES = 'tests/aws/services/stepfunctions/templates';
const OUT = join(HERE, 'cases');

const git = (...args) => execFileSync('git', ['-C', MIRROR, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
const COMMIT = git('rev-parse', 'HEAD').trim();
const show = (path) => git('show', `${COMMIT}:${path}`);

// ---------------------------------------------------------------------------------------------
// JSON5 (the templates' syntax: comments, trailing commas, single quotes, bare keys)

function parseJson5(text) {
  let i = 0;
  const fail = (what) => {
    throw new Error(`JSON5: ${what} at ${i}: ${JSON.stringify(text.slice(i, i + 40))}`);
  };
  const space = () => {
    for (;;) {
      const c = text[i];
      if (c === ' ' || c === '\t' || c === '\n' || c === '\r') i++;
      else if (c === '/' && text[i + 1] === '/') while (i < text.length && text[i] !== '\n') i++;
      else if (c === '/' && text[i + 1] === '*') {
        const end = text.indexOf('*/', i + 2);
        if (end < 0) fail('unterminated comment');
        i = end + 2;
      } else return;
    }
  };
  const string = () => {
    const quote = text[i++];
    let out = '';
    for (;;) {
      const c = text[i++];
      if (c === undefined) fail('unterminated string');
      if (c === quote) return out;
      if (c !== '\\') {
        out += c;
        continue;
      }
      const e = text[i++];
      const simple = { n: '\n', t: '\t', r: '\r', b: '\b', f: '\f', '"': '"', "'": "'", '\\': '\\', '/': '/' }[e];
      if (simple !== undefined) out += simple;
      else if (e === 'u') {
        out += String.fromCharCode(parseInt(text.slice(i, i + 4), 16));
        i += 4;
      } else if (e === '\n') continue;
      else fail('bad escape');
    }
  };
  const value = () => {
    space();
    const c = text[i];
    if (c === '{') {
      i++;
      const obj = {};
      for (;;) {
        space();
        if (text[i] === '}') {
          i++;
          return obj;
        }
        let key;
        if (text[i] === '"' || text[i] === "'") key = string();
        else {
          const m = /^[A-Za-z_$][\w$]*/.exec(text.slice(i));
          if (!m) fail('bad key');
          key = m[0];
          i += key.length;
        }
        space();
        if (text[i++] !== ':') fail('expected :');
        obj[key] = value();
        space();
        if (text[i] === ',') i++;
        else if (text[i] !== '}') fail('expected , or }');
      }
    }
    if (c === '[') {
      i++;
      const arr = [];
      for (;;) {
        space();
        if (text[i] === ']') {
          i++;
          return arr;
        }
        arr.push(value());
        space();
        if (text[i] === ',') i++;
        else if (text[i] !== ']') fail('expected , or ]');
      }
    }
    if (c === '"' || c === "'") return string();
    const m = /^(true|false|null|[-+]?(?:\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+))/.exec(text.slice(i));
    if (!m) fail('bad value');
    i += m[0].length;
    return m[0] === 'true' ? true : m[0] === 'false' ? false : m[0] === 'null' ? null : Number(m[0]);
  };
  const result = value();
  space();
  if (i !== text.length) fail('trailing text');
  return result;
}

const template = (path) => parseJson5(show(`${TEMPLATES}/${path}.json5`));

// ---------------------------------------------------------------------------------------------
// Placeholders: the recordings mask account-specific values as `<name>` or `<name:N>` (nested at
// times: `<<task_token>:1>`). What we feed the engine gets a concrete stand-in for each; the test
// matches any value where the recording has a placeholder.

const ACCOUNT = '111111111111';
const REGION = 'us-east-1';
const CONCRETE = {
  partition: 'aws',
  region: REGION,
  sqs_queue_url: `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/sqs_queue_name`,
  no_such_sqs_queue_url: 'http://no-such-queue-00000000',
};

function concreteString(s) {
  for (;;) {
    const next = s.replace(/<([A-Za-z0-9_.-]+)(?::(\d+))?>/g, (_, name, n) => (n === undefined ? (CONCRETE[name] ?? name) : `${name}_${n}`));
    if (next === s) return s;
    s = next;
  }
}

function concrete(value) {
  if (typeof value === 'string') return concreteString(value);
  if (Array.isArray(value)) return value.map(concrete);
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, concrete(v)]));
  return value;
}

/** Python's json.dumps: what the tests sent as input, and what a Python Lambda's error text looks like. */
function pyDumps(value) {
  if (Array.isArray(value)) return `[${value.map(pyDumps).join(', ')}]`;
  if (value !== null && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pyDumps(v)}`).join(', ')}}`;
  return JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

// ---------------------------------------------------------------------------------------------
// Recordings

const snapshots = new Map();
function recording(file, test) {
  if (!snapshots.has(file)) snapshots.set(file, JSON.parse(show(`${V2}/${file}.snapshot.json`)));
  const key = `${V2}/${file}.py::${test}`;
  const found = Object.entries(snapshots.get(file)).find(([k]) => k === key || k.endsWith(`::${test}`));
  if (!found) throw new Error(`no recording ${key}`);
  const [fullKey, entry] = found;
  const events = entry['recorded-content']?.get_execution_history?.events;
  if (!events) throw new Error(`no history in ${key}`);
  return { key: fullKey, recordedDate: entry['recorded-date'], events };
}

const detailsOf = (event) => Object.entries(event).find(([k]) => k.endsWith('EventDetails'))?.[1] ?? {};

/** A details field as the history held it, from the recording (which parsed text starting with `{`). */
const valueOf = (field) => (typeof field === 'string' ? JSON.parse(field) : field);

function sameOrdered(a, b) {
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => sameOrdered(x, b[i]));
  if (a !== null && typeof a === 'object') {
    if (b === null || typeof b !== 'object' || Array.isArray(b)) return false;
    const ka = Object.keys(a);
    const kb = Object.keys(b);
    return ka.length === kb.length && ka.every((k, i) => k === kb[i] && sameOrdered(a[k], b[k]));
  }
  return a === b;
}

/** Every string anywhere in the recording (the exact text of a cause survives in a later state's output). */
function strings(value, out = []) {
  if (typeof value === 'string') out.push(value);
  else if (Array.isArray(value)) value.forEach((v) => strings(v, out));
  else if (value !== null && typeof value === 'object') Object.values(value).forEach((v) => strings(v, out));
  return out;
}

/** A cause as text: as recorded, or (parsed by the recorder) the exact text found elsewhere in it. */
function causeText(cause, events, pythonLambda) {
  if (cause === undefined || typeof cause === 'string') return cause;
  for (const s of strings(events)) {
    if (!s.startsWith('{')) continue;
    try {
      if (sameOrdered(JSON.parse(s), cause)) return s;
    } catch {
      // not JSON
    }
  }
  return pythonLambda ? pyDumps(cause) : JSON.stringify(cause);
}

const FAMILIES = {
  TaskScheduled: { TaskStarted: 'started', TaskSubmitted: 'submitted', TaskSucceeded: 'succeeded', TaskFailed: 'failed', TaskTimedOut: 'timedOut' },
  LambdaFunctionScheduled: { LambdaFunctionStarted: 'started', LambdaFunctionSucceeded: 'succeeded', LambdaFunctionFailed: 'failed', LambdaFunctionTimedOut: 'timedOut' },
};

/** The outcome of one recorded answer (a call's or a token's). */
function outcome(kind, event, events, pythonLambda) {
  const d = detailsOf(event);
  if (kind === 'succeeded') return { kind: 'succeed', output: valueOf(d.output) };
  if (kind === 'failed') {
    const cause = causeText(d.cause, events, pythonLambda);
    return { kind: 'fail', error: d.error ?? '', ...(cause === undefined ? {} : { cause }) };
  }
  return { kind: 'timeout' };
}

/**
 * The script: for each task the recording scheduled, in order, what answered it. A `states`
 * integration's task (`runtime`) is answered by the child execution Stepwise runs itself; only where
 * a worker answered its token instead (`tokenAnsweredByWorker`) does the script say what it sent.
 */
function scriptOf(events, tokenAnsweredByWorker = false) {
  const script = [];
  let state;
  for (const event of events) {
    if (event.type.endsWith('StateEntered')) state = detailsOf(event).name;
    const family = FAMILIES[event.type];
    if (!family) continue;
    const scheduled = detailsOf(event);
    const runtime = event.type === 'TaskScheduled' && scheduled.resourceType === 'states';
    const pythonLambda = event.type === 'LambdaFunctionScheduled';
    const entry = { state, resource: scheduled.resourceType === undefined ? 'lambda' : `${scheduled.resourceType}:${scheduled.resource}`, kind: runtime ? 'runtime' : 'none' };
    let at = event.id;
    for (;;) {
      const next = events.find((e) => e.previousEventId === at && family[e.type] !== undefined);
      if (!next) break;
      const step = family[next.type];
      at = next.id;
      if (step === 'started') continue;
      if (step === 'submitted') {
        if (!runtime) {
          entry.kind = 'submit';
          entry.output = valueOf(detailsOf(next).output);
        }
        continue;
      }
      const end = outcome(step, next, events, pythonLambda);
      if (entry.kind === 'none') Object.assign(entry, end);
      else if (entry.kind === 'submit' || tokenAnsweredByWorker) entry.then = end;
      break;
    }
    // No answer recorded (the state was aborted): the call never answers.
    if (entry.kind === 'none') entry.kind = 'timeout';
    script.push(entry);
  }
  return concrete(script);
}

/** The input as the test sent it: ExecutionStarted's input (text the recorder did not parse, or the object it parsed). */
function inputOf(events) {
  const input = detailsOf(events[0]).input;
  return typeof input === 'string' ? concreteString(input) : pyDumps(concrete(input));
}

// ---------------------------------------------------------------------------------------------
// The cases: which template each test ran, and how the test changed it.

const lambdaArn = (events, n = 0) => concreteString(events.filter((e) => e.type === 'LambdaFunctionScheduled').map((e) => detailsOf(e).resource)[n]);
const scheduledParameters = (events, n = 0) => valueOf(events.filter((e) => e.type === 'TaskScheduled').map((e) => detailsOf(e).parameters)[n]);
const inputField = (events, field) => concrete(valueOf(detailsOf(events[0]).input))[field];

/** `file`: the snapshot (under v2/); `tests`: recording keys (without the class); `build(events)`: definition and extras. */
const GROUPS = [];
const group = (file, tests, build) => GROUPS.push({ file, tests, build });
const fixed = (path, edit) => (events, test) => {
  const definition = template(path);
  edit?.(definition, events, test);
  return { definition };
};
const param = (test) => /\[(.*)\]$/.exec(test)?.[1];

// services ------------------------------------------------------------------------------------
const JSON_VALUES = ['None', 'HelloWorld', '0.0', '0_0', '0_1', 'True', 'json_value5', 'json_value6', 'json_value7'].map((v) => `test_invoke_json_values[${v}]`);
group('services/test_lambda_task', ['test_invoke_bytes_payload', 'test_invoke_string_payload', ...JSON_VALUES], fixed('services/statemachines/lambda_invoke_resource', (d, e) => {
  d.States.step1.Resource = lambdaArn(e);
}));
group('services/test_lambda_task', ['test_invoke_pipe'], fixed('services/statemachines/lambda_invoke_pipe', (d, e) => {
  d.States.step1.Resource = lambdaArn(e, 0);
  d.States.step2.Resource = lambdaArn(e, 1);
}));
group('services/test_lambda_task', ['test_lambda_task_filter_parameters_input'], fixed('services/statemachines/lambda_input_parameters_filter', (d, e) => {
  d.States.CheckComplete.Resource = lambdaArn(e);
}));
group('services/test_lambda_task_service', ['test_invoke', 'test_invoke_bytes_payload', ...JSON_VALUES], fixed('services/statemachines/lambda_invoke'));
group('services/test_lambda_task_service', ['test_invoke_unsupported_param'], fixed('services/statemachines/lambda_invoke_log_type'));
group('services/test_sqs_task_service', ['test_send_message', 'test_send_message_unsupported_parameters'], fixed('services/statemachines/sqs_send_msg'));
group('services/test_sqs_task_service', ['test_send_message_attributes'], fixed('services/statemachines/sqs_send_msg_attributes'));
for (const [id, path] of [
  ['DYNAMODB_PUT_GET_ITEM', 'dynamodb_put_get_item'],
  ['DYNAMODB_PUT_DELETE_ITEM', 'dynamodb_put_delete_item'],
  ['DYNAMODB_PUT_UPDATE_GET_ITEM', 'dynamodb_put_update_get_item'],
  ['DYNAMODB_PUT_QUERY', 'dynamodb_put_query'],
]) {
  group('services/test_dynamodb_task_service', [`test_base_integrations[${id}]`], fixed(`services/statemachines/${path}`));
}
group('services/test_sns_task_service', ['HelloWorld', 'message1', '1', 'True', 'None', ''].map((p) => `test_publish_base[${p}]`).concat('test_publish_base_error_topic_arn'), fixed('services/statemachines/sns_publish'));
group('services/test_sns_task_service', ['HelloWorld', '"HelloWorld"', '{}', 'message_value3'].map((p) => `test_publish_message_attributes[${p}]`), fixed('services/statemachines/sns_publish_message_attributes'));
group('services/test_sns_task_service', ['test_fifo_message_attribute[input_params0-True]'], fixed('services/statemachines/sns_fifo_publish_fail'));
group('services/test_sns_task_service', ['test_fifo_message_attribute[input_params1-False]'], fixed('services/statemachines/sns_fifo_publish'));
group('services/test_events_task_service', ['test_put_events_base', 'test_put_events_malformed_detail', 'test_put_events_no_source', 'test_put_events_mixed_malformed_detail'], fixed('services/statemachines/events_put_events'));
const childOf = (arn, path, edit) => {
  const definition = template(path);
  edit?.(definition);
  return { stateMachineArn: arn, definition };
};
group('services/test_sfn_task_service', ['test_start_execution', 'test_start_execution_input_json'], (events) => ({
  definition: template('services/statemachines/sfn_start_execution'),
  children: [childOf(inputField(events, 'StateMachineArn'), 'base/statemachines/pass_result')],
}));
group('services/test_aws_sdk_task_service', ['test_list_secrets'], fixed('services/statemachines/aws_sdk_secrestsmaager_list_secrets'));
group('services/test_aws_sdk_task_service', ['test_dynamodb_put_get_item'], fixed('services/statemachines/aws_sdk_dynamodb_put_get_item'));
group('services/test_aws_sdk_task_service', ['test_dynamodb_put_delete_item'], fixed('services/statemachines/aws_sdk_dynamodb_put_delete_item'));
group('services/test_aws_sdk_task_service', ['test_dynamodb_put_update_get_item'], fixed('services/statemachines/aws_sdk_dynamodb_put_update_get_item'));
group('services/test_aws_sdk_task_service', ['test_sfn_start_execution'], fixed('services/statemachines/aws_sdk_sfn_start_execution'));
group('services/test_aws_sdk_task_service', ['test_sfn_start_execution_implicit_json_serialisation'], fixed('services/statemachines/aws_sdk_sfn_start_execution_implicit_json_serialisation', (d, e) => {
  d.States.StartTarget.Parameters.StateMachineArn = concrete(scheduledParameters(e).StateMachineArn);
}));
group('services/test_aws_sdk_task_service', ['test_sfn_send_task_outcome_with_no_such_token[state_machine_template0]'], fixed('services/statemachines/aws_sdk_sfn_send_task_success'));
group('services/test_aws_sdk_task_service', ['test_sfn_send_task_outcome_with_no_such_token[state_machine_template1]'], fixed('services/statemachines/aws_sdk_sfn_send_task_failure'));
group('services/test_aws_sdk_task_service', ['empty_str', 'str', 'empty_binary', 'binary', 'bytearray'].map((p) => `test_s3_get_object[${p}]`), fixed('services/statemachines/aws_sdk_s3_get_object'));
group('services/test_aws_sdk_task_service', ['str', 'dict', 'list', 'bool', 'num'].map((p) => `test_s3_put_object[${p}]`), fixed('services/statemachines/aws_sdk_s3_put_object'));

// callbacks -----------------------------------------------------------------------------------
group('callback/test_callback', ['test_sqs_wait_for_task_token', 'test_sqs_failure_in_wait_for_task_token'], fixed('callbacks/statemachines/sqs_wait_for_task_token'));
group('callback/test_callback', ['test_sqs_wait_for_task_token_timeout'], fixed('callbacks/statemachines/sqs_wait_for_task_token_with_timeout'));
group('callback/test_callback', ['test_sqs_wait_for_task_tok_with_heartbeat'], fixed('timeouts/statemachines/service_sqs_send_and_wait_for_task_token_with_heartbeat', (d) => {
  d.States.SendMessageWithWait.HeartbeatSeconds = 60;
}));
group('callback/test_callback', ['test_multiple_heartbeat_notifications'], fixed('timeouts/statemachines/service_sqs_send_and_wait_for_task_token_with_heartbeat_path'));
group('callback/test_callback', ['test_sns_publish_wait_for_task_token'], fixed('callbacks/statemachines/sns_publish_wait_for_task_token'));
group('callback/test_callback', ['test_sqs_wait_for_task_token_call_chain'], fixed('callbacks/statemachines/sqs_wait_for_task_token_call_chain'));
group('callback/test_callback', ['test_sqs_wait_for_task_token_no_token_parameter'], fixed('callbacks/statemachines/sqs_wait_for_task_token_no_token_parameter'));
group('callback/test_callback', ['test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_PARALLEL_WAIT_FOR_TASK_TOKEN]'], fixed('callbacks/statemachines/sqs_parallel_wait_for_task_token'));
group('callback/test_callback', ['test_sqs_failure_in_wait_for_task_tok_no_error_field[SQS_WAIT_FOR_TASK_TOKEN_CATCH]'], fixed('callbacks/statemachines/sqs_wait_for_task_token_catch'));
group('callback/test_callback', ['test_start_execution_sync', 'test_start_execution_sync2', 'test_start_execution_sync_delegate_failure'], (events, test) => ({
  definition: template(test === 'test_start_execution_sync2' ? 'callbacks/statemachines/sfn_start_execution_sync2' : 'callbacks/statemachines/sfn_start_execution_sync'),
  children: [childOf(inputField(events, 'StateMachineArn'), test.endsWith('failure') ? 'base/statemachines/raise_failure' : 'base/statemachines/pass_result')],
}));
group('callback/test_callback', ['test_start_execution_sync_delegate_timeout'], (events) => ({
  definition: template('callbacks/statemachines/sfn_start_execution_sync'),
  // The child calls a Lambda that sleeps past the Task's TimeoutSeconds: its call never answers.
  children: [{
    ...childOf(inputField(events, 'StateMachineArn'), 'timeouts/statemachines/lambda_wait_with_timeout_seconds', (d) => {
      d.States.Start.Resource = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:lambda_function_1_name`;
    }),
    script: [{ state: 'Start', resource: 'lambda', kind: 'timeout' }],
  }],
}));
group('callback/test_callback', ['test_sync_with_task_token'], (events) => ({
  tokenAnsweredByWorker: true,
  definition: template('callbacks/statemachines/sfn_start_execution_sync_with_task_token'),
  // The child sends the parent's token to a queue and waits; a worker answers the parent's token.
  children: [{
    ...childOf(inputField(events, 'StateMachineArn'), 'services/statemachines/sqs_send_msg_and_wait'),
    script: [{ state: 'SendSQS', resource: 'sqs:sendMessage', kind: 'succeed', output: { MD5OfMessageBody: 'md5', MessageId: 'message_id_child' } }],
  }],
}));

// timeouts and heartbeats ---------------------------------------------------------------------
group('timeouts/test_timeouts', ['test_fixed_timeout_lambda'], fixed('timeouts/statemachines/lambda_wait_with_timeout_seconds', (d, e) => {
  d.States.Start.Resource = lambdaArn(e);
}));
group('timeouts/test_timeouts', ['test_fixed_timeout_service_lambda'], fixed('timeouts/statemachines/service_lambda_wait_with_timeout_seconds'));
group('timeouts/test_timeouts', ['test_fixed_timeout_service_lambda_with_path'], fixed('timeouts/statemachines/service_lambda_wait_with_timeout_seconds_path'));
group('timeouts/test_timeouts', ['test_service_lambda_map_timeout'], fixed('timeouts/statemachines/service_lambda_map_function_invoke_with_timeout_seconds'));
group('timeouts/test_heartbeats', ['test_heartbeat_timeout'], fixed('timeouts/statemachines/service_sqs_send_and_wait_for_task_token_with_heartbeat'));
group('timeouts/test_heartbeats', ['test_heartbeat_path_timeout'], fixed('timeouts/statemachines/service_sqs_send_and_wait_for_task_token_with_heartbeat_path'));
group('timeouts/test_heartbeats', ['test_heartbeat_no_timeout'], fixed('timeouts/statemachines/service_sqs_send_and_wait_for_task_token_with_heartbeat', (d) => {
  delete d.States.SendMessageWithWait.TimeoutSeconds;
}));

// error handling ------------------------------------------------------------------------------
const EH = 'errorhandling/statemachines';
const resourceFromRecording = (stateName) => (d, e) => {
  d.States[stateName].Resource = lambdaArn(e);
};
group('error_handling/test_task_lambda', ['test_raise_exception', 'test_no_such_function'], fixed(`${EH}/task_lambda_invoke_catch_unknown`, resourceFromRecording('Start')));
group('error_handling/test_task_lambda', ['test_raise_exception_catch', 'test_no_such_function_catch'], fixed(`${EH}/task_lambda_invoke_catch_relevant`, resourceFromRecording('Start')));
group('error_handling/test_task_lambda', ['test_raise_custom_exception'], fixed(`${EH}/task_lambda_invoke_catch_tbd`, (d, e) => {
  resourceFromRecording('InvokeLambda')(d, e);
  d.States.InvokeLambda.Catch[0].ErrorEquals.push('CustomException');
}));
group('error_handling/test_task_service_lambda', ['test_raise_exception', 'test_no_such_function'], fixed(`${EH}/task_service_lambda_invoke_catch_unknown`));
group('error_handling/test_task_service_lambda', ['test_raise_exception_catch', 'test_no_such_function_catch'], fixed(`${EH}/task_service_lambda_invoke_catch_relevant`));
group('error_handling/test_task_service_lambda', ['test_raise_custom_exception'], fixed(`${EH}/task_service_lambda_invoke_catch_tbd`, (d) => {
  d.States.InvokeLambda.Catch[0].ErrorEquals.push('CustomException');
}));
group('error_handling/test_task_service_lambda', ['None', '$.Payload', '$.no.such.path'].map((p) => `test_raise_exception_catch_output_path[${p}]`), fixed(`${EH}/task_service_lambda_invoke_catch_all_output_path`, (d, _e, test) => {
  const value = param(test);
  d.States.InvokeLambda.OutputPath = value === 'None' ? null : value;
}));
group('error_handling/test_task_service_lambda', ['test_invoke_timeout'], fixed(`${EH}/task_service_lambda_invoke_catch_timeout`));
group('error_handling/test_task_service_sqs', ['test_send_message_no_such_queue', 'test_send_message_empty_body'], fixed(`${EH}/task_service_sqs_send_msg_catch`));
group('error_handling/test_task_service_sqs', ['test_send_message_no_such_queue_no_catch'], fixed('services/statemachines/sqs_send_msg'));
group('error_handling/test_task_service_sqs', ['test_sqs_failure_in_wait_for_task_tok'], (events) => ({
  definition: JSON.parse(JSON.stringify(template(`${EH}/aws_service_sqs_send_msg_catch_token_failure`)).replaceAll('<%WaitForTaskTokenFailureErrorName%>', 'Failure error')),
}));
group('error_handling/test_task_service_dynamodb', ['test_invalid_param', 'test_put_item_no_such_table', 'test_put_item_invalid_table_name'], fixed(`${EH}/task_service_dynamodb_put_item`));
// The target machine was deleted: the ARN names no machine (none is stored).
group('error_handling/test_task_service_sfn', ['test_start_execution_no_such_arn'], fixed('services/statemachines/sfn_start_execution'));
group('error_handling/test_aws_sdk', ['test_invalid_secret_name'], fixed(`${EH}/aws_sdk_task_error_secretsmanager_crate_secret`));
group('error_handling/test_aws_sdk', ['test_no_such_bucket'], fixed(`${EH}/aws_sdk_task_error_s3_list_objects`));
group('error_handling/test_aws_sdk', ['test_s3_no_such_key'], fixed(`${EH}/aws_sdk_task_error_s3_no_such_key`));
group('error_handling/test_aws_sdk', ['test_dynamodb_invalid_param', 'test_dynamodb_put_item_no_such_table'], fixed(`${EH}/task_service_aws_sdk_dynamodb_put_item`));

// ---------------------------------------------------------------------------------------------

/** `test_x[param]` → `test_x--param`, other characters than [A-Za-z0-9_.] as `_xHH`: distinct names stay distinct. */
const fileName = (s) => s.replace(/\[(.*)\]$/, '--$1').replace(/[^A-Za-z0-9_.-]/g, (c) => `_x${c.charCodeAt(0).toString(16).padStart(2, '0')}`);

rmSync(OUT, { recursive: true, force: true });
let count = 0;
for (const { file, tests, build } of GROUPS) {
  for (const test of tests) {
    const rec = recording(file, test);
    const built = build(rec.events, test);
    const name = `${file.split('/').pop()}::${test}`;
    const fixture = {
      name,
      source: { repository: 'localstack/localstack', commit: COMMIT, snapshot: `${V2}/${file}.snapshot.json`, test: rec.key, recordedDate: rec.recordedDate },
      definition: built.definition,
      input: inputOf(rec.events),
      ...(built.children ? { children: built.children } : {}),
      script: scriptOf(rec.events, built.tokenAnsweredByWorker),
      events: rec.events,
    };
    const dir = join(OUT, fileName(file.split('/').pop()));
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, `${fileName(test)}.json`), `${JSON.stringify(fixture, null, 1)}\n`);
    count++;
  }
}
console.log(`${count} fixtures in ${OUT} (${readdirSync(OUT).length} groups) from ${COMMIT}`);
