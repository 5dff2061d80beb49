import type { Json, JsonObject } from './json.js';
import { isJsonObject } from './json.js';

/** One finding, shaped as ValidateStateMachineDefinition returns it. */
export interface Diagnostic {
  severity: 'ERROR' | 'WARNING';
  code: string;
  message: string;
  location?: string;
}

export type QueryLanguage = 'JSONPath' | 'JSONata';

/** What every rule needs: where findings go, and facts about the whole machine. */
export class Findings {
  readonly diagnostics: Diagnostic[] = [];
  constructor(
    readonly machineType: 'STANDARD' | 'EXPRESS',
    readonly machineLanguage: QueryLanguage,
  ) {}

  error(code: string, message: string, location: string | undefined): void {
    this.diagnostics.push(location === undefined ? { severity: 'ERROR', code, message } : { severity: 'ERROR', code, message, location });
  }

  /** Most rules are schema rules: AWS files them all under one code. */
  schema(message: string, location: string): void {
    this.error('SCHEMA_VALIDATION_FAILED', message, location);
  }

  warning(code: string, message: string, location: string): void {
    this.diagnostics.push({ severity: 'WARNING', code, message, location });
  }
}

/** A JSON object being checked, and where it sits in the definition. */
export interface Node {
  readonly value: JsonObject;
  readonly location: string;
}

export function child(node: Node, key: string): string {
  return `${node.location}/${key}`;
}

/** Reports every field of `node` not in `allowed`, as AWS does: "Field 'X' is not supported". */
export function rejectUnknownFields(findings: Findings, node: Node, allowed: ReadonlySet<string>): void {
  for (const key of Object.keys(node.value)) {
    if (!allowed.has(key)) findings.schema(`Field '${key}' is not supported`, node.location);
  }
}

export function requireFields(findings: Findings, node: Node, required: readonly string[]): boolean {
  const missing = required.filter((key) => node.value[key] === undefined);
  for (const key of missing) findings.schema(`The field '${key}' is required but was missing`, node.location);
  return missing.length === 0;
}

/** Like requireFields, but one finding lists them all: "These fields are required: [States, StartAt]". */
export function requireAllFields(findings: Findings, node: Node, required: readonly string[]): boolean {
  const missing = required.filter((key) => node.value[key] === undefined);
  if (missing.length > 0) findings.schema(`These fields are required: [${missing.join(', ')}]`, node.location);
  return missing.length === 0;
}

export function expectString(findings: Findings, node: Node, key: string): string | undefined {
  return expectType(findings, node, key, (value): value is string => typeof value === 'string', 'a STRING');
}

export function expectObject(findings: Findings, node: Node, key: string): Node | undefined {
  const value = expectType(findings, node, key, isJsonObject, 'an OBJECT');
  return value === undefined ? undefined : { value, location: child(node, key) };
}

export function expectArray(findings: Findings, node: Node, key: string): Json[] | undefined {
  return expectType(findings, node, key, (value): value is Json[] => Array.isArray(value), 'an ARRAY');
}

export function expectBoolean(findings: Findings, node: Node, key: string): boolean | undefined {
  return expectType(findings, node, key, (value): value is boolean => typeof value === 'boolean', 'a BOOLEAN');
}

/** An integer within [min, max]; AWS's schema rejects 1.5 and "1" alike. */
export function expectInteger(findings: Findings, node: Node, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
  const value = expectType(findings, node, key, (v): v is number => typeof v === 'number' && Number.isInteger(v), 'an INTEGER');
  return withinRange(findings, node, key, value, min, max);
}

export function expectNumber(findings: Findings, node: Node, key: string, min: number, max = Number.MAX_VALUE): number | undefined {
  const value = expectType(findings, node, key, (v): v is number => typeof v === 'number', 'a NUMBER');
  return withinRange(findings, node, key, value, min, max);
}

/** The field's value when it is of the type `is` tests; undefined when absent, or reported and undefined when not. */
function expectType<T extends Json>(findings: Findings, node: Node, key: string, is: (value: Json) => value is T, typeName: string): T | undefined {
  const value = node.value[key];
  if (value === undefined) return undefined;
  if (is(value)) return value;
  findings.schema(`The value for the field '${key}' must be ${typeName}`, child(node, key));
  return undefined;
}

function withinRange(findings: Findings, node: Node, key: string, value: number | undefined, min: number, max: number): number | undefined {
  if (value === undefined || (value >= min && value <= max)) return value;
  findings.schema(`The value for the field '${key}' must be ${rangeText(min, max)}`, child(node, key));
  return undefined;
}

function rangeText(min: number, max: number): string {
  return max >= Number.MAX_SAFE_INTEGER ? `>= ${min}` : `between ${min} and ${max}`;
}

export function expectEnum(findings: Findings, node: Node, key: string, values: readonly string[]): string | undefined {
  const value = node.value[key];
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !values.includes(value)) {
    findings.schema(`The field '${key}' should have one of these values: [${values.join(', ')}]`, child(node, key));
    return undefined;
  }
  return value;
}

/** Fields that exclude each other, e.g. Seconds and SecondsPath. */
export function atMostOne(findings: Findings, node: Node, keys: readonly string[]): void {
  const present = keys.filter((key) => node.value[key] !== undefined);
  if (present.length > 1) findings.schema(`Only one of these fields may be set: [${present.join(', ')}]`, node.location);
}
