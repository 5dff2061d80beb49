// Payload templates (ASL spec, "Payload Template"): Parameters, ResultSelector, ItemSelector and Assign in
// JSONPath states. A field whose name ends in ".$", however deeply nested (in objects and in arrays),
// takes its value from a path or an intrinsic function call and loses the ".$"; every other value is copied.
import { StatesError } from '../errors.js';
import { isJsonObject, showJson } from '../json.js';
import type { Json, JsonObject } from '../json.js';
import { compileIntrinsic, intrinsicSyntaxError, isIntrinsicCall } from '../intrinsics/index.js';
import { pathReader, pathRootValue, type PathReader } from './json-path.js';
import type { PathScope } from './scope.js';

/** The payload `template` builds from `scope`. The result may share unchanged parts with the template and input. */
export function evaluatePayloadTemplate(template: Json, scope: PathScope): Json {
  if (template === null || typeof template !== 'object') return template;
  let build = compiledTemplates.get(template);
  if (build === undefined) {
    build = compileNode(template) ?? constant(template);
    compiledTemplates.set(template, build);
  }
  return build(scope);
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

/**
 * One field of an object template. A path binding is read here rather than through a Build of its
 * own: it is the most common field, and each call saved counts in a cold process.
 */
interface Field {
  /** The output key (a binding's without its ".$"). */
  readonly key: string;
  /** A path binding: its reader, and the source and key its failure names; otherwise `build`. */
  readonly read: PathReader | undefined;
  readonly source: string;
  readonly bindingKey: string;
  readonly build: Build;
}

/** undefined when the subtree has no ".$" field: it is then returned as is, without copying. */
function compileNode(node: Json): Build | undefined {
  if (Array.isArray(node)) {
    const items = node.map(compileNode);
    if (items.every((item) => item === undefined)) return undefined;
    const builds = items.map((item, i) => item ?? constant(node[i]!));
    return (scope) => {
      const out: Json[] = [];
      for (let i = 0; i < builds.length; i++) out.push(builds[i]!(scope));
      return out;
    };
  }
  if (!isJsonObject(node)) return undefined;
  const fields: Field[] = [];
  let dynamic = false;
  for (const [key, value] of Object.entries(node)) {
    if (key.endsWith('.$')) {
      dynamic = true;
      fields.push(compileBinding(key, value));
    } else {
      const build = compileNode(value);
      if (build !== undefined) dynamic = true;
      fields.push({ key, read: undefined, source: '', bindingKey: key, build: build ?? constant(value) });
    }
  }
  if (!dynamic) return undefined;
  return (scope) => {
    const out: JsonObject = {};
    for (let i = 0; i < fields.length; i++) {
      const field = fields[i]!;
      if (field.read === undefined) {
        out[field.key] = field.build(scope);
        continue;
      }
      const selected = field.read(scope);
      if (selected === undefined) throw pathNotFound(field.source, field.bindingKey, scope);
      out[field.key] = selected;
    }
    return out;
  };
}

/** The build of a path binding's field, which the object's loop reads itself. */
const READ_INSTEAD: Build = () => null;

function constant(value: Json): Build {
  return () => value;
}

function compileBinding(key: string, value: Json): Field {
  const outputKey = key.slice(0, -2);
  const problem = bindingProblem(key, value);
  if (problem !== undefined) {
    const fail = () => {
      throw StatesError.runtime(problem);
    };
    return { key: outputKey, read: undefined, source: '', bindingKey: key, build: fail };
  }
  const expression = value as string;
  if (isIntrinsicCall(expression)) {
    // The key goes along so that a path argument finding nothing is reported against this field, as a path is.
    const call = compileIntrinsic(expression);
    return { key: outputKey, read: undefined, source: expression, bindingKey: key, build: (scope) => call(scope, key) };
  }
  return { key: outputKey, read: pathReader(expression), source: expression, bindingKey: key, build: READ_INSTEAD };
}

function pathNotFound(expression: string, key: string, scope: PathScope): StatesError {
  // Recorded from AWS (the input shown is the data the path was applied to, as compact JSON):
  // The JSONPath '$.no_such_jsonpath' specified for the field 'value.$' could not be found in the input '{"int-literal":0}'
  return StatesError.runtime(
    `The JSONPath '${expression}' specified for the field '${key}' could not be found in the input '${showJson(pathRootValue(expression, scope))}'`,
  );
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
