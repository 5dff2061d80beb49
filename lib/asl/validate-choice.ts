import type { Json } from './json.js';
import { isJsonObject } from './json.js';
import { isJsonataExpression } from './jsonata/index.js';
import { CHOICE_BOOLEAN_OPERATORS, CHOICE_COMPARISON_OPERATORS } from './states/choice-rules.js';
import { isChoiceTimestamp } from './timestamp.js';
import type { Findings, Node, QueryLanguage } from './validate-context.js';
import { child, expectString, rejectUnknownFields } from './validate-context.js';
import { checkAssign, languageOnlyField } from './validate-fields.js';
import { checkJsonataExpression, checkJsonataTemplate, isValidPath } from './validate-values.js';

type Operand = 'string' | 'number' | 'boolean' | 'timestamp' | 'path';

const COMPARISON_OPERATORS: ReadonlySet<string> = new Set(CHOICE_COMPARISON_OPERATORS);

/** The operand a comparison operator takes, which its name tells (ASL spec, "Choice Rules"). */
function operandOf(operator: string): Operand {
  if (operator.endsWith('Path')) return 'path';
  if (operator.startsWith('Is') || operator.startsWith('Boolean')) return 'boolean';
  if (operator.startsWith('Numeric')) return 'number';
  if (operator.startsWith('Timestamp')) return 'timestamp';
  return 'string';
}

/** Checks the Choices of a Choice state; returns the states its rules name in Next, for the graph checks. */
export function checkChoices(findings: Findings, state: Node, language: QueryLanguage): { target: string; location: string }[] {
  const targets: { target: string; location: string }[] = [];
  const choices = state.value['Choices'];
  if (choices === undefined) return targets;
  const location = child(state, 'Choices');
  if (!Array.isArray(choices)) {
    findings.schema("The value for the field 'Choices' must be an ARRAY", location);
    return targets;
  }
  if (choices.length === 0) findings.schema("The field 'Choices' must contain at least one Choice Rule", location);
  choices.forEach((rule, index) => {
    const ruleLocation = `${location}/${index}`;
    if (!isJsonObject(rule)) {
      findings.schema('A Choice Rule must be an OBJECT', ruleLocation);
      return;
    }
    const node: Node = { value: rule, location: ruleLocation };
    const next = expectString(findings, node, 'Next');
    if (next === undefined && rule['Next'] === undefined) findings.schema("The field 'Next' is required but was missing", ruleLocation);
    if (next !== undefined) targets.push({ target: next, location: child(node, 'Next') });
    if (rule['Assign'] !== undefined) checkAssign(findings, node, language);
    if (language === 'JSONata') checkJsonataRule(findings, node);
    else checkJsonPathRule(findings, node, true);
  });
  return targets;
}

function checkJsonataRule(findings: Findings, rule: Node): void {
  rejectUnknownFields(findings, rule, new Set(['Condition', 'Next', 'Comment', 'Assign', 'Output', 'Variable', ...CHOICE_COMPARISON_OPERATORS, ...CHOICE_BOOLEAN_OPERATORS]));
  // Data-test rules are JSONPath's way to choose; a JSONata rule has only its Condition.
  for (const key of ['Variable', ...CHOICE_COMPARISON_OPERATORS, ...CHOICE_BOOLEAN_OPERATORS]) {
    if (rule.value[key] !== undefined) {
      findings.schema(`The QueryLanguage is set to 'JSONata', but field '${key}' is only supported for the 'JSONPath' QueryLanguage`, rule.location);
    }
  }
  if (rule.value['Output'] !== undefined) checkJsonataTemplate(findings, rule.value['Output'], child(rule, 'Output'), 'Output');
  const condition = rule.value['Condition'];
  if (condition === undefined) {
    findings.schema("The field 'Condition' is required but was missing", rule.location);
    return;
  }
  if (typeof condition === 'boolean') return;
  if (!isJsonataExpression(condition)) {
    findings.schema("The value for the field 'Condition' must be a JSONata expression or a BOOLEAN", child(rule, 'Condition'));
    return;
  }
  checkJsonataExpression(findings, condition, child(rule, 'Condition'), 'Condition');
}

/** `topLevel`: a rule directly in Choices, which carries Next (and may Assign); nested rules do not. */
function checkJsonPathRule(findings: Findings, rule: Node, topLevel: boolean): void {
  const allowed = new Set(['Variable', 'Comment', ...CHOICE_COMPARISON_OPERATORS, ...CHOICE_BOOLEAN_OPERATORS]);
  if (topLevel) for (const key of ['Next', 'Assign', 'Condition', 'Output']) allowed.add(key);
  rejectUnknownFields(findings, rule, allowed);
  for (const key of ['Condition', 'Output']) {
    if (topLevel && rule.value[key] !== undefined) languageOnlyField(findings, rule, key, 'JSONPath');
  }

  const operators = Object.keys(rule.value).filter((key) => COMPARISON_OPERATORS.has(key) || CHOICE_BOOLEAN_OPERATORS.includes(key));
  if (operators.length !== 1) {
    findings.schema(
      operators.length === 0
        ? 'A Choice Rule must contain exactly one comparison operator, or one of And, Or, Not'
        : `A Choice Rule must contain exactly one comparison operator, but found: [${operators.join(', ')}]`,
      rule.location,
    );
    return;
  }
  const operator = operators[0] ?? '';
  const operand = rule.value[operator] as Json;
  const location = child(rule, operator);

  if (operator === 'And' || operator === 'Or') {
    if (rule.value['Variable'] !== undefined) findings.schema(`Field 'Variable' is not supported`, rule.location);
    if (!Array.isArray(operand) || operand.length === 0) {
      findings.schema(`The value for the field '${operator}' must be a non-empty ARRAY of Choice Rules`, location);
      return;
    }
    operand.forEach((nested, index) => checkNestedRule(findings, nested, `${location}/${index}`));
    return;
  }
  if (operator === 'Not') {
    if (rule.value['Variable'] !== undefined) findings.schema(`Field 'Variable' is not supported`, rule.location);
    checkNestedRule(findings, operand, location);
    return;
  }

  const variable = rule.value['Variable'];
  if (variable === undefined) findings.schema("The field 'Variable' is required but was missing", rule.location);
  else if (typeof variable !== 'string' || !isValidPath(variable)) findings.schema("The value for the field 'Variable' must be a valid JSONPath", child(rule, 'Variable'));
  checkOperand(findings, operator, operand, location);
}

function checkNestedRule(findings: Findings, rule: Json, location: string): void {
  if (!isJsonObject(rule)) {
    findings.schema('A Choice Rule must be an OBJECT', location);
    return;
  }
  checkJsonPathRule(findings, { value: rule, location }, false);
}

function checkOperand(findings: Findings, operator: string, operand: Json, location: string): void {
  switch (operandOf(operator)) {
    case 'string':
      if (typeof operand !== 'string') findings.schema(`The value for the field '${operator}' must be a STRING`, location);
      return;
    case 'number':
      if (typeof operand !== 'number') findings.schema(`The value for the field '${operator}' must be a NUMBER`, location);
      return;
    case 'boolean':
      if (typeof operand !== 'boolean') findings.schema(`The value for the field '${operator}' must be a BOOLEAN`, location);
      return;
    case 'timestamp':
      if (!isChoiceTimestamp(operand)) findings.schema('String does not match RFC3339 timestamp', location);
      return;
    case 'path':
      if (typeof operand !== 'string' || !isValidPath(operand)) findings.schema(`The value for the field '${operator}' must be a valid JSONPath`, location);
      return;
  }
}
