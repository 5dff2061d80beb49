// Payload templates (ASL spec, "Payload Template"): Parameters, ResultSelector, ItemSelector and Assign in
// JSONPath states. A field whose name ends in ".$", however deeply nested (in objects and in arrays),
// takes its value from a path or an intrinsic function call and loses the ".$"; every other value is copied.
import { StatesError } from '../errors.js';
import { isJsonObject, showJson } from '../json.js';
import type { Json, JsonObject } from '../json.js';
import { evaluateIntrinsic, intrinsicSyntaxError, isIntrinsicCall } from '../intrinsics/index.js';
import { pathRootValue, readPath } from './json-path.js';
import type { PathScope } from './scope.js';

/** The payload `template` builds from `scope`. The result may share unchanged parts with the template and input. */
export function evaluatePayloadTemplate(template: Json, scope: PathScope): Json {
  return compileTemplate(template)(scope);
}

/** Why a template's ".$" fields cannot be evaluated, for the definition validator: one message per field. */
export function payloadTemplateProblems(template: Json): string[] {
  const problems: string[] = [];
  visitBindings(template, (key, value) => {
    const problem = bindingProblem(key, value);
    if (problem !== undefined) problems.push(problem);
  });
  return problems;
}

type Build = (scope: PathScope) => Json;

// Templates are objects of a parsed definition, so a Map state with 10k items compiles its
// ItemSelector once; the WeakMap lets definitions that are no longer used be collected.
const compiledTemplates = new WeakMap<object, Build>();

function compileTemplate(template: Json): Build {
  if (template === null || typeof template !== 'object') return () => template;
  let build = compiledTemplates.get(template);
  if (build === undefined) {
    build = compileNode(template) ?? (() => template);
    compiledTemplates.set(template, build);
  }
  return build;
}

/** undefined when the subtree has no ".$" field: it is then returned as is, without copying. */
function compileNode(node: Json): Build | undefined {
  if (Array.isArray(node)) {
    const items = node.map(compileNode);
    if (items.every((item) => item === undefined)) return undefined;
    const builds = items.map((item, i) => item ?? constant(node[i]!));
    return (scope) => builds.map((build) => build(scope));
  }
  if (!isJsonObject(node)) return undefined;
  const fields: { key: string; build: Build }[] = [];
  let dynamic = false;
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith('.$')) {
      dynamic = true;
      fields.push({ key: key.slice(0, -2), build: compileBinding(key, value) });
    } else {
      const build = compileNode(value);
      if (build !== undefined) dynamic = true;
      fields.push({ key, build: build ?? constant(value) });
    }
  }
  if (!dynamic) return undefined;
  return (scope) => {
    const out: JsonObject = {};
    for (const field of fields) out[field.key] = field.build(scope);
    return out;
  };
}

function constant(value: Json): Build {
  return () => value;
}

function compileBinding(key: string, value: Json): Build {
  const problem = bindingProblem(key, value);
  if (problem !== undefined) {
    return () => {
      throw StatesError.runtime(problem);
    };
  }
  const expression = value as string;
  // The key goes along so that a path argument finding nothing is reported against this field, as a path is.
  if (isIntrinsicCall(expression)) return (scope) => evaluateIntrinsic(expression, scope, key);
  return (scope) => {
    const selected = readPath(expression, scope);
    if (selected !== undefined) return selected;
    // Recorded from AWS (the input shown is the data the path was applied to, as compact JSON):
    // The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'
    throw StatesError.runtime(
      `The JSONPath '${expression}' specified for the field '${key}' could not be found in the input '${showJson(pathRootValue(expression, scope))}'`,
    );
  };
}

// AWS refuses such a definition at creation with this message (SCHEMA_VALIDATION_FAILED).
function bindingProblem(key: string, value: Json): string | undefined {
  if (typeof value === 'string' && (isIntrinsicCall(value) ? intrinsicSyntaxError(value) === undefined : value.startsWith('$'))) return undefined;
  return `The value for the field '${key}' must be a valid JSONPath or a valid intrinsic function call`;
}

function visitBindings(node: Json, visit: (key: string, value: Json) => void): void {
  if (Array.isArray(node)) {
    for (const item of node) visitBindings(item, visit);
  } else if (isJsonObject(node)) {
    for (const [key, value] of Object.entries(node)) {
      if (key.endsWith('.$')) visit(key, value);
      else visitBindings(value, visit);
    }
  }
}
