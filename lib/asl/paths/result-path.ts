// ResultPath places a state's result into its raw input (ASL spec, "ResultPath"): absent means `$`
// (the result replaces the input), null discards the result, a Reference Path writes it at that node.
import { StatesError, States } from '../errors.js';
import { isJsonObject, showJson } from '../json.js';
import type { Json } from '../json.js';
import { referencePathSteps } from './json-path.js';

/** The state output before OutputPath. The input is never mutated: only the objects along the path are copied. */
export function applyResultPath(stateInput: Json, result: Json, resultPath: string | null | undefined): Json {
  if (resultPath === undefined || resultPath === '$') return result;
  if (resultPath === null) return stateInput;
  const steps = referenceSteps(resultPath);
  const written = writeAt(stateInput, steps, 0, result);
  if (written === undefined) {
    // AWS's cause, as users report it: Unable to apply ReferencePath $.x to input "<input as JSON>".
    throw new StatesError(
      States.ResultPathMatchFailure,
      `Unable to apply ReferencePath ${resultPath} to input ${showJson(stateInput)}`,
    );
  }
  return written;
}

type Step = string | number;

const stepsCache = new Map<string, readonly Step[]>();

/** `$.a[0]['b']` → ['a', 0, 'b'], cached: ResultPath runs on every state that has one. */
function referenceSteps(path: string): readonly Step[] {
  let steps = stepsCache.get(path);
  if (steps !== undefined) return steps;
  const parsed = referencePathSteps(path);
  if (parsed === undefined) {
    // Definition validation rejects such a ResultPath first; this guards hand-built definitions.
    throw new StatesError(States.ResultPathMatchFailure, `Invalid ResultPath '${path}': not a Reference Path`);
  }
  steps = parsed;
  stepsCache.set(path, steps);
  return steps;
}

/** A copy of `node` with `value` at steps[i..], creating missing objects; undefined when impossible. */
function writeAt(node: Json, steps: readonly Step[], i: number, value: Json): Json | undefined {
  if (i === steps.length) return value;
  const key = steps[i]!;
  if (typeof key === 'number') {
    if (!Array.isArray(node)) return undefined;
    const index = key < 0 ? node.length + key : key;
    if (index < 0 || index >= node.length) return undefined;
    const child = writeAt(node[index]!, steps, i + 1, value);
    if (child === undefined) return undefined;
    const copy = node.slice();
    copy[index] = child;
    return copy;
  }
  if (!isJsonObject(node)) return undefined;
  const existing = node[key];
  const child = writeAt(existing === undefined ? {} : existing, steps, i + 1, value);
  if (child === undefined) return undefined;
  return { ...node, [key]: child };
}
