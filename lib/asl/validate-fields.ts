import { isJsonObject } from './json.js';
import { isJsonataExpression } from './jsonata/index.js';
import type { Findings, Node, QueryLanguage } from './validate-context.js';
import { child, expectArray, expectEnum, expectInteger, expectNumber, expectString, rejectUnknownFields } from './validate-context.js';
import type { PathRules } from './validate-values.js';
import { checkJsonataExpression, checkJsonataTemplate, checkPayloadTemplate, isPathOrIntrinsic, isValidPath } from './validate-values.js';
import { variableNameProblem } from './variables.js';

/** Fields only a JSONPath state may carry, and only a JSONata state may carry. */
export const JSONPATH_ONLY: ReadonlySet<string> = new Set([
  'InputPath', 'OutputPath', 'Parameters', 'ResultSelector', 'ResultPath', 'Result', 'ItemsPath',
  'SecondsPath', 'TimestampPath', 'ErrorPath', 'CausePath', 'TimeoutSecondsPath', 'HeartbeatSecondsPath',
  'MaxConcurrencyPath', 'ToleratedFailurePercentagePath', 'ToleratedFailureCountPath', 'Variable',
]);
export const JSONATA_ONLY: ReadonlySet<string> = new Set(['Arguments', 'Output', 'Items', 'Condition']);

/** Reports `key` when the state's language does not know it; true when it was reported. */
export function languageOnlyField(findings: Findings, node: Node, key: string, language: QueryLanguage): boolean {
  if (language === 'JSONata' && JSONPATH_ONLY.has(key)) {
    findings.schema(`The QueryLanguage is set to 'JSONata', but field '${key}' is only supported for the 'JSONPath' QueryLanguage`, node.location);
    return true;
  }
  if (language === 'JSONPath' && JSONATA_ONLY.has(key)) {
    findings.schema(`The QueryLanguage is set to 'JSONPath', but field '${key}' is only supported for the 'JSONata' QueryLanguage`, node.location);
    return true;
  }
  return false;
}

/** InputPath, OutputPath, ResultPath…: a path, or null where the spec lets null mean "none". */
export function checkPathField(findings: Findings, node: Node, key: string, rules: PathRules & { nullable?: boolean } = { context: true, variables: true }): void {
  const value = node.value[key];
  if (value === undefined) return;
  if (value === null && rules.nullable === true) return;
  if (typeof value !== 'string' || !isValidPath(value, rules)) {
    findings.schema(`The value for the field '${key}' must be a valid ${rules.reference === true ? 'Reference Path' : 'JSONPath'}`, child(node, key));
  }
}

/** ErrorPath and CausePath also take an intrinsic function call. */
export function checkPathOrIntrinsicField(findings: Findings, node: Node, key: string): void {
  const value = node.value[key];
  if (value === undefined) return;
  if (typeof value !== 'string' || !isPathOrIntrinsic(value)) {
    findings.schema(`The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, child(node, key));
  }
}

/** A JSONPath payload template field (Parameters, ResultSelector, ItemSelector). */
export function checkTemplateField(findings: Findings, node: Node, key: string, language: QueryLanguage): void {
  const value = node.value[key];
  if (value === undefined) return;
  if (language === 'JSONata') {
    checkJsonataTemplate(findings, value, child(node, key), key);
    return;
  }
  if (!isJsonObject(value)) {
    findings.schema(`The value for the field '${key}' must be an OBJECT`, child(node, key));
    return;
  }
  checkPayloadTemplate(findings, value, child(node, key));
}

/** A field that holds a literal or, in JSONata, a `{% %}` expression; returns the literal, if one. */
export function literalOrJsonata<T>(findings: Findings, node: Node, key: string, language: QueryLanguage, literal: () => T): T | undefined {
  const value = node.value[key];
  if (value === undefined) return undefined;
  if (language === 'JSONata' && isJsonataExpression(value)) {
    checkJsonataExpression(findings, value, child(node, key), key);
    return undefined;
  }
  return literal();
}

/** Assign: variable names must be names; values are templates in the state's language. */
export function checkAssign(findings: Findings, node: Node, language: QueryLanguage): void {
  const assign = node.value['Assign'];
  if (assign === undefined) return;
  const location = child(node, 'Assign');
  if (!isJsonObject(assign)) {
    findings.schema("The value for the field 'Assign' must be an OBJECT", location);
    return;
  }
  for (const [key, value] of Object.entries(assign)) {
    const isPathKey = language === 'JSONPath' && key.endsWith('.$');
    const name = isPathKey ? key.slice(0, -2) : key;
    const problem = variableNameProblem(name);
    if (problem !== undefined) findings.schema(problem, `${location}/${key}`);
    if (language === 'JSONata') checkJsonataTemplate(findings, value, `${location}/${key}`, key);
    else checkPayloadTemplate(findings, { [key]: value }, location);
  }
}

/** Retry: ASL spec "Retrying after error" plus AWS's MaxDelaySeconds and JitterStrategy. */
export function checkRetry(findings: Findings, state: Node): void {
  const retriers = expectArray(findings, state, 'Retry');
  if (retriers === undefined) return;
  retriers.forEach((retrier, index) => {
    const location = `${child(state, 'Retry')}/${index}`;
    if (!isJsonObject(retrier)) {
      findings.schema('A Retrier must be an OBJECT', location);
      return;
    }
    const node: Node = { value: retrier, location };
    rejectUnknownFields(findings, node, new Set(['ErrorEquals', 'IntervalSeconds', 'MaxAttempts', 'BackoffRate', 'MaxDelaySeconds', 'JitterStrategy', 'Comment']));
    const matchesAll = checkErrorEquals(findings, node);
    if (matchesAll && index !== retriers.length - 1) findings.schema("A Retrier containing 'States.ALL' must be the last Retrier", location);
    expectInteger(findings, node, 'IntervalSeconds', 1, 99_999_999);
    expectInteger(findings, node, 'MaxAttempts', 0, 99_999_999);
    expectNumber(findings, node, 'BackoffRate', 1);
    expectInteger(findings, node, 'MaxDelaySeconds', 1, 31_622_400);
    expectEnum(findings, node, 'JitterStrategy', ['FULL', 'NONE']);
    expectString(findings, node, 'Comment');
  });
}

/** Catch: returns each catcher's Next, for the graph checks. */
export function checkCatch(findings: Findings, state: Node, language: QueryLanguage): { target: string; location: string }[] {
  const targets: { target: string; location: string }[] = [];
  const catchers = expectArray(findings, state, 'Catch');
  if (catchers === undefined) return targets;
  catchers.forEach((catcher, index) => {
    const location = `${child(state, 'Catch')}/${index}`;
    if (!isJsonObject(catcher)) {
      findings.schema('A Catcher must be an OBJECT', location);
      return;
    }
    const node: Node = { value: catcher, location };
    rejectUnknownFields(findings, node, new Set(['ErrorEquals', 'Next', 'ResultPath', 'Output', 'Assign', 'Comment']));
    for (const key of ['ResultPath', 'Output']) if (catcher[key] !== undefined) languageOnlyField(findings, node, key, language);
    const matchesAll = checkErrorEquals(findings, node);
    if (matchesAll && index !== catchers.length - 1) findings.schema("A Catcher containing 'States.ALL' must be the last Catcher", location);
    const next = expectString(findings, node, 'Next');
    if (catcher['Next'] === undefined) findings.schema("The field 'Next' is required but was missing", location);
    if (next !== undefined) targets.push({ target: next, location: child(node, 'Next') });
    if (language === 'JSONPath') checkPathField(findings, node, 'ResultPath', { reference: true, nullable: true });
    if (language === 'JSONata' && catcher['Output'] !== undefined) checkJsonataTemplate(findings, catcher['Output'], child(node, 'Output'), 'Output');
    checkAssign(findings, node, language);
  });
  return targets;
}

/** True when the list is ["States.ALL"], which must then come last. */
function checkErrorEquals(findings: Findings, node: Node): boolean {
  const errors = node.value['ErrorEquals'];
  const location = child(node, 'ErrorEquals');
  if (errors === undefined) {
    findings.schema("The field 'ErrorEquals' is required but was missing", node.location);
    return false;
  }
  if (!Array.isArray(errors) || errors.length === 0) {
    findings.schema("The value for the field 'ErrorEquals' must be a non-empty ARRAY", location);
    return false;
  }
  if (errors.some((name) => typeof name !== 'string')) {
    findings.schema("The value for the field 'ErrorEquals' must be an ARRAY of STRING", location);
    return false;
  }
  if (!errors.includes('States.ALL')) return false;
  if (errors.length > 1) findings.schema("'States.ALL' must appear alone in the field 'ErrorEquals'", location);
  return true;
}
