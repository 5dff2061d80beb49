import { isJsonObject } from './json.js';
import { isJsonataExpression } from './jsonata/index.js';
import { isChoiceTimestamp } from './timestamp.js';
import { checkChoices } from './validate-choice.js';
import type { Findings, Node, QueryLanguage } from './validate-context.js';
import {
  atMostOne, child, expectArray, expectBoolean, expectEnum, expectInteger, expectNumber, expectObject, expectString,
  rejectUnknownFields, requireFields,
} from './validate-context.js';
import {
  checkAssign, checkCatch, checkPathField, checkPathOrIntrinsicField, checkRetry, checkTemplateField, languageOnlyField,
  literalOrJsonata,
} from './validate-fields.js';
import { checkTaskResource } from './validate-resource.js';
import { checkJsonataTemplate } from './validate-values.js';

export interface Transition { target: string; location: string }

/** What the graph checks need to know about one state. */
export interface StateSummary { transitions: Transition[]; terminal: boolean }

/** Checks a nested state machine (a Parallel branch, a Map's ItemProcessor) as its own scope. */
export type NestedMachineCheck = (machine: Node, kind: 'Branch' | 'ItemProcessor' | 'Iterator') => void;

const COMMON = ['Type', 'Comment', 'QueryLanguage'];
const FLOW = ['Next', 'End'];
const IO = ['InputPath', 'OutputPath', 'Output'];
const TASK_LIKE = [...COMMON, ...FLOW, ...IO, 'Parameters', 'ResultSelector', 'ResultPath', 'Arguments', 'Assign', 'Retry', 'Catch'];

/** The fields each state type may carry, in either query language (ASL spec and the JSONata additions). */
// In the order AWS lists the types when Type is none of them (test_test_state_machine_scenarios:
// test_state_name_invalid_state_definition).
const FIELDS: Readonly<Record<string, ReadonlySet<string>>> = {
  Task: new Set([...TASK_LIKE, 'Resource', 'TimeoutSeconds', 'TimeoutSecondsPath', 'HeartbeatSeconds', 'HeartbeatSecondsPath', 'Credentials']),
  Wait: new Set([...COMMON, ...FLOW, ...IO, 'Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath', 'Assign']),
  Pass: new Set([...COMMON, ...FLOW, ...IO, 'Parameters', 'Result', 'ResultPath', 'Assign']),
  Succeed: new Set([...COMMON, ...IO]),
  Fail: new Set([...COMMON, 'Error', 'Cause', 'ErrorPath', 'CausePath']),
  Choice: new Set([...COMMON, ...IO, 'Choices', 'Default', 'Assign']),
  Parallel: new Set([...TASK_LIKE, 'Branches']),
  Map: new Set([
    ...TASK_LIKE.filter((key) => key !== 'Arguments'), 'Iterator', 'ItemProcessor', 'ItemsPath', 'Items', 'ItemSelector',
    'MaxConcurrency', 'MaxConcurrencyPath', 'ToleratedFailurePercentage', 'ToleratedFailurePercentagePath',
    'ToleratedFailureCount', 'ToleratedFailureCountPath', 'ItemReader', 'ItemBatcher', 'ResultWriter', 'Label',
  ]),
};

/** The language a state runs in: its own QueryLanguage, else the machine's. */
export function stateLanguage(findings: Findings, state: Node): QueryLanguage {
  const declared = expectEnum(findings, state, 'QueryLanguage', ['JSONPath', 'JSONata']) as QueryLanguage | undefined;
  if (declared === 'JSONPath' && findings.machineLanguage === 'JSONata') {
    findings.schema("'QueryLanguage' can not be 'JSONPath' if set to 'JSONata' for whole state machine", state.location);
  }
  return declared ?? findings.machineLanguage;
}

export function checkState(findings: Findings, state: Node, nested: NestedMachineCheck): StateSummary {
  const summary: StateSummary = { transitions: [], terminal: false };
  const type = state.value['Type'];
  if (type === undefined) {
    findings.schema("The field 'Type' is required but was missing", state.location);
    return summary;
  }
  const allowed = typeof type === 'string' ? FIELDS[type] : undefined;
  if (allowed === undefined) {
    findings.schema(`The field 'Type' should have one of these values: [${Object.keys(FIELDS).join(', ')}]`, child(state, 'Type'));
    return summary;
  }
  const language = stateLanguage(findings, state);
  const usable = new Set<string>();
  for (const key of Object.keys(state.value)) {
    if (!allowed.has(key)) findings.schema(`Field '${key}' is not supported`, state.location);
    else if (!languageOnlyField(findings, state, key, language)) usable.add(key);
  }
  // From here on only fields valid for this type and language are inspected, so nothing is reported twice.
  const fields: Node = { value: Object.fromEntries(Object.entries(state.value).filter(([key]) => usable.has(key))), location: state.location };

  checkCommonIo(findings, fields, language);
  if (type !== 'Choice' && type !== 'Succeed' && type !== 'Fail') checkNextOrEnd(findings, fields, summary);
  if (type === 'Succeed' || type === 'Fail') summary.terminal = true;

  switch (type) {
    case 'Pass':
      warnStaticResult(findings, fields);
      break;
    case 'Task':
      checkTask(findings, fields, language);
      break;
    case 'Choice':
      checkChoice(findings, fields, language, summary);
      break;
    case 'Wait':
      checkWait(findings, fields, language);
      break;
    case 'Fail':
      checkFail(findings, fields, language);
      break;
    case 'Parallel':
      checkParallel(findings, fields, nested);
      break;
    case 'Map':
      checkMap(findings, fields, language, nested);
      break;
    default:
      break;
  }
  if (type === 'Task' || type === 'Parallel' || type === 'Map') {
    checkRetry(findings, fields);
    summary.transitions.push(...checkCatch(findings, fields, language));
  }
  return summary;
}

/** Result is copied as written, so a ".$" key there is almost always a mistake; AWS warns, it does not refuse. */
function warnStaticResult(findings: Findings, state: Node): void {
  const result = state.value['Result'];
  if (isJsonObject(result) && Object.keys(result).some((key) => key.endsWith('.$'))) {
    findings.warning('PASS_RESULT_IS_STATIC', 'Attempt to use a path in the result of a pass state.', child(state, 'Result'));
  }
}

function checkCommonIo(findings: Findings, state: Node, language: QueryLanguage): void {
  expectString(findings, state, 'Comment');
  checkPathField(findings, state, 'InputPath', { context: true, variables: true, nullable: true });
  checkPathField(findings, state, 'OutputPath', { context: true, variables: true, nullable: true });
  checkPathField(findings, state, 'ResultPath', { reference: true, nullable: true });
  checkTemplateField(findings, state, 'Parameters', language);
  checkTemplateField(findings, state, 'ResultSelector', language);
  for (const key of ['Arguments', 'Output']) {
    const value = state.value[key];
    if (value !== undefined) checkJsonataTemplate(findings, value, child(state, key), key);
  }
  checkAssign(findings, state, language);
}

function checkNextOrEnd(findings: Findings, state: Node, summary: StateSummary): void {
  const next = expectString(findings, state, 'Next');
  const end = expectBoolean(findings, state, 'End');
  const hasNext = state.value['Next'] !== undefined;
  if (hasNext && end === true) findings.schema("Only one of the fields 'Next' or 'End' may be set", state.location);
  else if (!hasNext && end !== true && state.value['End'] === undefined) findings.schema("Exactly one of the fields 'Next' or 'End' must be set", state.location);
  else if (!hasNext && end === false) findings.schema("The field 'End' must be true when 'Next' is not set", child(state, 'End'));
  if (next !== undefined) summary.transitions.push({ target: next, location: child(state, 'Next') });
  if (end === true) summary.terminal = true;
}

function checkTask(findings: Findings, state: Node, language: QueryLanguage): void {
  if (!requireFields(findings, state, ['Resource'])) return;
  const resource = expectString(findings, state, 'Resource');
  if (resource !== undefined) checkTaskResource(findings, resource, child(state, 'Resource'));

  atMostOne(findings, state, ['TimeoutSeconds', 'TimeoutSecondsPath']);
  atMostOne(findings, state, ['HeartbeatSeconds', 'HeartbeatSecondsPath']);
  const timeout = literalOrJsonata(findings, state, 'TimeoutSeconds', language, () => expectInteger(findings, state, 'TimeoutSeconds', 1, 99_999_999));
  const heartbeat = literalOrJsonata(findings, state, 'HeartbeatSeconds', language, () => expectInteger(findings, state, 'HeartbeatSeconds', 1, 99_999_999));
  checkPathField(findings, state, 'TimeoutSecondsPath', { reference: true, context: true, variables: true });
  checkPathField(findings, state, 'HeartbeatSecondsPath', { reference: true, context: true, variables: true });
  if (timeout !== undefined && heartbeat !== undefined && heartbeat >= timeout) {
    findings.schema("The value for the field 'HeartbeatSeconds' must be smaller than the value for the field 'TimeoutSeconds'", child(state, 'HeartbeatSeconds'));
  }

  const credentials = expectObject(findings, state, 'Credentials');
  if (credentials !== undefined) {
    const roleKey = language === 'JSONPath' && credentials.value['RoleArn.$'] !== undefined ? 'RoleArn.$' : 'RoleArn';
    if (requireFields(findings, credentials, [roleKey])) {
      if (roleKey === 'RoleArn.$') checkPathOrIntrinsicField(findings, credentials, roleKey);
      else literalOrJsonata(findings, credentials, roleKey, language, () => expectString(findings, credentials, roleKey));
    }
  }
}

function checkChoice(findings: Findings, state: Node, language: QueryLanguage, summary: StateSummary): void {
  requireFields(findings, state, ['Choices']);
  summary.transitions.push(...checkChoices(findings, state, language));
  const fallback = expectString(findings, state, 'Default');
  if (fallback !== undefined) summary.transitions.push({ target: fallback, location: child(state, 'Default') });
}

function checkWait(findings: Findings, state: Node, language: QueryLanguage): void {
  const keys = ['Seconds', 'Timestamp', 'SecondsPath', 'TimestampPath'].filter((key) => state.value[key] !== undefined);
  if (keys.length !== 1) {
    findings.schema('A Wait state must have exactly one of the fields: [Seconds, Timestamp, SecondsPath, TimestampPath]', state.location);
  }
  literalOrJsonata(findings, state, 'Seconds', language, () => expectInteger(findings, state, 'Seconds', 0, 99_999_999));
  literalOrJsonata(findings, state, 'Timestamp', language, () => {
    const timestamp = state.value['Timestamp'];
    if (!isChoiceTimestamp(timestamp)) findings.schema('String does not match RFC3339 timestamp', child(state, 'Timestamp'));
  });
  checkPathField(findings, state, 'SecondsPath');
  checkPathField(findings, state, 'TimestampPath');
}

function checkFail(findings: Findings, state: Node, language: QueryLanguage): void {
  atMostOne(findings, state, ['Error', 'ErrorPath']);
  atMostOne(findings, state, ['Cause', 'CausePath']);
  literalOrJsonata(findings, state, 'Error', language, () => expectString(findings, state, 'Error'));
  literalOrJsonata(findings, state, 'Cause', language, () => expectString(findings, state, 'Cause'));
  checkPathOrIntrinsicField(findings, state, 'ErrorPath');
  checkPathOrIntrinsicField(findings, state, 'CausePath');
}

function checkParallel(findings: Findings, state: Node, nested: NestedMachineCheck): void {
  if (!requireFields(findings, state, ['Branches'])) return;
  const branches = expectArray(findings, state, 'Branches');
  if (branches === undefined) return;
  // test_state_mock_validation: test_parallel_state_empty_branches.
  if (branches.length === 0) findings.schema('Value cannot be empty', child(state, 'Branches'));
  branches.forEach((branch, index) => {
    const location = `${child(state, 'Branches')}/${index}`;
    if (isJsonObject(branch)) nested({ value: branch, location }, 'Branch');
    else findings.schema('A branch must be an OBJECT', location);
  });
}

/** Map Label: a name AWS shows for Map Runs, so it follows the naming rules of names (API reference). */
const LABEL_FORBIDDEN = /[\s<>{}[\]?*"#%\\^|~`$&,;:/\u0000-\u001f\u007f-\u009f]/u;

function checkMap(findings: Findings, state: Node, language: QueryLanguage, nested: NestedMachineCheck): void {
  const processorKey = state.value['ItemProcessor'] !== undefined ? 'ItemProcessor' : 'Iterator';
  if (state.value['ItemProcessor'] !== undefined && state.value['Iterator'] !== undefined) {
    findings.schema("Only one of the fields 'ItemProcessor' or 'Iterator' may be set", state.location);
  }
  const processor = expectObject(findings, state, processorKey);
  if (state.value[processorKey] === undefined) findings.schema("The field 'ItemProcessor' is required but was missing", state.location);
  if (processor !== undefined) nested(processor, processorKey);

  atMostOne(findings, state, ['ItemSelector', 'Parameters']);
  checkTemplateField(findings, state, 'ItemSelector', language);
  checkPathField(findings, state, 'ItemsPath', { context: true, variables: true });
  const items = state.value['Items'];
  if (items !== undefined && !Array.isArray(items) && !isJsonataExpression(items)) {
    findings.schema("The value for the field 'Items' must be an ARRAY or a JSONata expression", child(state, 'Items'));
  } else if (items !== undefined) {
    checkJsonataTemplate(findings, items, child(state, 'Items'), 'Items');
  }

  atMostOne(findings, state, ['MaxConcurrency', 'MaxConcurrencyPath']);
  atMostOne(findings, state, ['ToleratedFailurePercentage', 'ToleratedFailurePercentagePath']);
  atMostOne(findings, state, ['ToleratedFailureCount', 'ToleratedFailureCountPath']);
  literalOrJsonata(findings, state, 'MaxConcurrency', language, () => expectInteger(findings, state, 'MaxConcurrency', 0));
  literalOrJsonata(findings, state, 'ToleratedFailurePercentage', language, () => expectNumber(findings, state, 'ToleratedFailurePercentage', 0, 100));
  literalOrJsonata(findings, state, 'ToleratedFailureCount', language, () => expectInteger(findings, state, 'ToleratedFailureCount', 0));
  for (const key of ['MaxConcurrencyPath', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath']) {
    checkPathField(findings, state, key, { reference: true, variables: true });
  }
  for (const key of ['ItemReader', 'ItemBatcher', 'ResultWriter']) expectObject(findings, state, key);

  const label = expectString(findings, state, 'Label');
  if (label !== undefined) checkLabel(findings, label, child(state, 'Label'));
}

function checkLabel(findings: Findings, label: string, location: string): void {
  if (label === '') {
    findings.error('INVALID_LABEL_NAME', 'Label cannot be empty', location);
    return;
  }
  if ([...label].length > 40) findings.error('INVALID_LABEL_NAME', 'Label cannot exceed 40 characters', location);
  const forbidden = LABEL_FORBIDDEN.exec(label)?.[0];
  if (forbidden !== undefined) findings.error('INVALID_LABEL_NAME', `Label contains invalid character: '${printable(forbidden)}'`, location);
}

function printable(character: string): string {
  const escapes: Record<string, string> = { '\t': '\\t', '\n': '\\n', '\r': '\\r', '\\': '\\\\' };
  const escape = escapes[character];
  if (escape !== undefined) return escape;
  const code = character.codePointAt(0) ?? 0;
  return code < 0x20 || (code >= 0x7f && code <= 0x9f) ? `\\x${code.toString(16).padStart(2, '0')}` : character;
}

/** ItemProcessor (or Iterator) and Parallel branches: a StartAt and States, plus a few known fields. */
export function checkNestedMachineFields(findings: Findings, machine: Node, kind: 'Branch' | 'ItemProcessor' | 'Iterator'): void {
  const allowed = new Set(['StartAt', 'States', 'Comment']);
  if (kind !== 'Branch') allowed.add('ProcessorConfig');
  rejectUnknownFields(findings, machine, allowed);
  const config = expectObject(findings, machine, 'ProcessorConfig');
  if (config === undefined) return;
  rejectUnknownFields(findings, config, new Set(['Mode', 'ExecutionType']));
  const mode = expectEnum(findings, config, 'Mode', ['INLINE', 'DISTRIBUTED']);
  expectEnum(findings, config, 'ExecutionType', ['STANDARD', 'EXPRESS']);
  if (mode === 'DISTRIBUTED' && config.value['ExecutionType'] === undefined) {
    findings.schema("The field 'ExecutionType' is required but was missing", config.location);
  }
}
