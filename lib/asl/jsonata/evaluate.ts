import { isJsonObject, jsonTypeName, type Json, type JsonObject } from '../json.js';
import type { Entropy, Variables } from '../paths/scope.js';
import { compileJsonata } from './compile.js';
import { isJsonataExpression, jsonataExpressionText } from './expression.js';
import {
  returnedNothing,
  threwDuringEvaluation,
  unexpectedResultType,
  unsupportedResultType,
} from './query-evaluation-error.js';
import { FUNCTION_CONTEXT_KEY, type FunctionContext } from './step-functions-functions.js';
import { jsonataResultToJson, UnsupportedJsonataValue } from './to-json.js';

export interface JsonataBindings {
  /** $states: { input, context, result?, errorOutput? } as AWS binds it */
  states: JsonObject;
  /** Workflow variables, referenced as $name. */
  variables: Variables;
  /** For $random, $uuid and $shuffle: lib/asl draws no randomness of its own. */
  entropy: Entropy;
  /** Not read: AWS's $partition splits arrays into chunks; it does not name the AWS partition. */
  partition?: string;
  /** The instant $now() and $millis() report; pass the state's entered time so a replayed step
   *  evaluates the same. Without it they read JSONata's clock. */
  now?: Date;
}

/** JSON type names as AWS prints them in "Expected 'array', but was 'boolean'". */
export type JsonTypeName = 'array' | 'object' | 'string' | 'number' | 'boolean' | 'null';

type JsonOfType<T extends JsonTypeName> = T extends 'array'
  ? Json[]
  : T extends 'object'
    ? JsonObject
    : T extends 'string'
      ? string
      : T extends 'number'
        ? number
        : T extends 'boolean'
          ? boolean
          : null;

/**
 * Evaluates one '{% expr %}' string. `field` is the field path AWS prints in causes, e.g.
 * 'Output/result', 'Assign/x', 'Items', 'Condition'. Fails with States.QueryEvaluationError.
 */
export async function evaluateJsonataExpression(text: string, field: string, bindings: JsonataBindings): Promise<Json> {
  const expressionText = jsonataExpressionText(text);
  const compilation = compileJsonata(expressionText);
  if (!compilation.ok) throw threwDuringEvaluation(expressionText, field, compilation.error);
  const { expression, variableNames } = compilation.compiled;

  let result: unknown;
  try {
    // JSONata expressions in ASL have no context value: `$` is not the state input.
    result = await expression.evaluate(undefined, jsonataBindings(variableNames, bindings));
  } catch (error) {
    throw threwDuringEvaluation(expressionText, field, error);
  }

  let json: Json | undefined;
  try {
    json = jsonataResultToJson(result);
  } catch (error) {
    if (error instanceof UnsupportedJsonataValue) throw unsupportedResultType(expressionText, field);
    throw error;
  }
  if (json === undefined) throw returnedNothing(expressionText, field);
  return json;
}

/** Evaluates like evaluateJsonataExpression, then insists on one JSON type (Items needs an array). */
export async function evaluateJsonataExpecting<T extends JsonTypeName>(
  text: string,
  field: string,
  expected: T,
  bindings: JsonataBindings,
): Promise<JsonOfType<T>> {
  const value = await evaluateJsonataExpression(text, field, bindings);
  const actual = jsonTypeName(value);
  if (actual !== expected) throw unexpectedResultType(jsonataExpressionText(text), field, expected, actual, value);
  return value as JsonOfType<T>;
}

/**
 * Recursively evaluates a JSONata-mode template (Arguments, Output, Assign values, Items, …):
 * every string that is '{% %}' is evaluated, other values are copied. Nested keys extend the field
 * path with '/', as AWS prints it ('Output/result'); array items extend it with their index.
 */
export async function evaluateJsonataTemplate(template: Json, field: string, bindings: JsonataBindings): Promise<Json> {
  if (isJsonataExpression(template)) return evaluateJsonataExpression(template, field, bindings);
  // In order, one at a time: $random and $uuid must draw from entropy in a repeatable order.
  if (Array.isArray(template)) {
    const items: Json[] = [];
    for (const [index, item] of template.entries()) {
      items.push(await evaluateJsonataTemplate(item, `${field}/${index}`, bindings));
    }
    return items;
  }
  if (isJsonObject(template)) {
    const object: JsonObject = {};
    for (const [key, value] of Object.entries(template)) {
      object[key] = await evaluateJsonataTemplate(value, `${field}/${key}`, bindings);
    }
    return object;
  }
  return template;
}

function jsonataBindings(variableNames: readonly string[], bindings: JsonataBindings): Record<string, unknown> {
  const context: FunctionContext = { entropy: bindings.entropy };
  if (bindings.now !== undefined) context.now = bindings.now;
  const values: Record<string, unknown> = { [FUNCTION_CONTEXT_KEY]: context };
  for (const name of variableNames) {
    const value = bindings.variables.get(name);
    if (value !== undefined) values[name] = value;
  }
  // $states is reserved: no workflow variable may shadow it.
  values['states'] = bindings.states;
  return values;
}
