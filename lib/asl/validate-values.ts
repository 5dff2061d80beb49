import { intrinsicSyntaxError } from './intrinsics/index.js';
import type { Json } from './json.js';
import { isJsonObject } from './json.js';
import { isJsonataExpression, jsonataSyntaxError } from './jsonata/index.js';
import type { Findings } from './validate-context.js';
import { pathVariableName } from './variables.js';

// ---------------------------------------------------------------- JSONPath

export interface PathRules {
  /** `$$…`: the context object. */
  context?: boolean;
  /** `$name…`: a workflow variable (JSONPath states may read variables wherever they read paths). */
  variables?: boolean;
  /** A Reference Path (ResultPath): one node only, so no `..`, `*`, filters, slices or unions. */
  reference?: boolean;
}

/** Whether `path` is JSONPath as Step Functions accepts it in a `*Path` field or a `.$` value. */
export function isValidPath(path: string, rules: PathRules = { context: true, variables: true }): boolean {
  const variable = pathVariableName(path);
  let rest: string;
  if (path.startsWith('$$')) {
    if (!rules.context) return false;
    rest = path.slice(2);
  } else if (variable !== undefined) {
    if (!rules.variables) return false;
    rest = path.slice(1 + variable.length);
  } else if (path.startsWith('$')) {
    rest = path.slice(1);
  } else {
    return false;
  }
  return segmentsAreValid(rest, rules.reference === true);
}

function segmentsAreValid(rest: string, reference: boolean): boolean {
  let at = 0;
  while (at < rest.length) {
    const c = rest[at];
    if (c === '.') {
      if (rest[at + 1] === '.') {
        if (reference) return false;
        at += 2;
        if (rest[at] === '[') continue;
      } else {
        at += 1;
      }
      const name = /^(?:\*|[^.[\]\s]+(?:\(\))?)/.exec(rest.slice(at))?.[0];
      if (name === undefined) return false;
      if (reference && name === '*') return false;
      at += name.length;
    } else if (c === '[') {
      const end = closingBracket(rest, at);
      if (end === undefined) return false;
      const inner = rest.slice(at + 1, end).trim();
      if (inner === '') return false;
      if (reference && !/^(?:\d+|'[^']*'|"[^"]*")$/.test(inner)) return false;
      at = end + 1;
    } else {
      return false;
    }
  }
  return true;
}

/** Index of the `]` closing the `[` at `open`, skipping quoted text and nested brackets. */
function closingBracket(text: string, open: number): number | undefined {
  let depth = 0;
  let quote: string | undefined;
  for (let at = open; at < text.length; at++) {
    const c = text[at];
    if (quote !== undefined) {
      if (c === '\\') at++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') {
      quote = c;
    } else if (c === '[') {
      depth++;
    } else if (c === ']') {
      depth--;
      if (depth === 0) return at;
    }
  }
  return undefined;
}

// ---------------------------------------------------------------- intrinsic functions

export function isPathOrIntrinsic(value: string): boolean {
  return value.startsWith('States.') ? intrinsicSyntaxError(value) === undefined : isValidPath(value);
}

// ---------------------------------------------------------------- JSONata

/** Reports a `{% … %}` string that is not JSONata as AWS runs it (2.0.6). */
export function checkJsonataExpression(findings: Findings, expression: string, location: string, field: string): void {
  const problem = jsonataSyntaxError(expression);
  if (problem !== undefined) findings.schema(`The field '${field}' holds an invalid JSONata expression: ${problem}`, location);
}

/** Checks every `{% %}` string inside a JSONata field value (Arguments, Output, Assign…). */
export function checkJsonataTemplate(findings: Findings, value: Json, location: string, field: string): void {
  if (isJsonataExpression(value)) {
    checkJsonataExpression(findings, value, location, field);
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => checkJsonataTemplate(findings, item, `${location}/${index}`, field));
  else if (isJsonObject(value)) for (const [key, item] of Object.entries(value)) checkJsonataTemplate(findings, item, `${location}/${key}`, key);
}

// ---------------------------------------------------------------- JSONPath payload templates

/**
 * Parameters, ResultSelector, ItemSelector and JSONPath Assign: a key ending ".$" must hold a path or
 * an intrinsic call. `Result` is not a template: its ".$" keys are kept as written.
 */
export function checkPayloadTemplate(findings: Findings, value: Json, location: string): void {
  if (Array.isArray(value)) {
    value.forEach((item, index) => checkPayloadTemplate(findings, item, `${location}/${index}`));
    return;
  }
  if (!isJsonObject(value)) return;
  for (const [key, item] of Object.entries(value)) {
    const itemLocation = `${location}/${key}`;
    if (key.endsWith('.$')) {
      if (typeof item !== 'string' || !isPathOrIntrinsic(item)) {
        findings.schema(`The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`, itemLocation);
      }
    } else {
      checkPayloadTemplate(findings, item, itemLocation);
    }
  }
}
