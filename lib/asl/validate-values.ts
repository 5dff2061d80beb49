import jsonata from 'jsonata';
import { intrinsicSyntaxError } from './intrinsics/index.js';
import type { Json } from './json.js';
import { isJsonObject } from './json.js';
import type { Findings } from './validate-context.js';

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
  let rest: string;
  if (path.startsWith('$$')) {
    if (!rules.context) return false;
    rest = path.slice(2);
  } else if (/^\$[A-Za-z_]/.test(path)) {
    if (!rules.variables) return false;
    const name = /^\$([A-Za-z_][A-Za-z0-9_]*)/.exec(path)?.[1] ?? '';
    rest = path.slice(1 + name.length);
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

/** `{% … %}`: the whole string, so "a {% b %}" is a literal. */
export function jsonataBody(value: Json | undefined): string | undefined {
  if (typeof value !== 'string') return undefined;
  const match = /^\{%([\s\S]*)%\}$/.exec(value);
  return match?.[1];
}

export function isJsonataExpression(value: Json | undefined): boolean {
  return jsonataBody(value) !== undefined;
}

/** Undefined when the expression parses; else the JSONata parser's complaint. */
export function jsonataSyntaxError(body: string): string | undefined {
  if (body.trim() === '') return 'the expression is empty';
  try {
    jsonata(body);
    return undefined;
  } catch (error) {
    // jsonata throws plain objects ({ code, position, message }), not Error instances.
    const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
    return typeof message === 'string' ? message : String(error);
  }
}

/** Checks every `{% %}` string inside a JSONata field value (Arguments, Output, Assign…). */
export function checkJsonataTemplate(findings: Findings, value: Json, location: string, field: string): void {
  const body = jsonataBody(value);
  if (body !== undefined) {
    const problem = jsonataSyntaxError(body);
    if (problem !== undefined) findings.schema(`The field '${field}' holds an invalid JSONata expression: ${problem}`, location);
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

// ---------------------------------------------------------------- timestamps

/** RFC 3339 date-time with an upper-case T and an explicit offset, as AWS demands of Wait's Timestamp. */
export function isRfc3339Timestamp(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d+)?(?:Z|([+-])(\d{2}):(\d{2}))$/.exec(value);
  if (match === null) return false;
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const offsetHours = match[8] === undefined ? 0 : Number(match[8]);
  const offsetMinutes = match[9] === undefined ? 0 : Number(match[9]);
  return month >= 1 && month <= 12 && day >= 1 && day <= daysInMonth(year, month)
    && hour <= 23 && minute <= 59 && second <= 60 && offsetHours <= 23 && offsetMinutes <= 59;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

// ---------------------------------------------------------------- variables

/** Names Step Functions keeps for itself: `$states` in JSONata. */
const RESERVED_VARIABLE_NAMES: ReadonlySet<string> = new Set(['states']);

export function variableNameProblem(name: string): string | undefined {
  if (RESERVED_VARIABLE_NAMES.has(name)) return `The variable name '${name}' is reserved`;
  if (name.length > 80) return `The variable name '${name}' exceeds the maximum length of 80 characters`;
  if (!/^[\p{L}_][\p{L}\p{N}_]*$/u.test(name)) return `The variable name '${name}' is not a valid variable name`;
  return undefined;
}
