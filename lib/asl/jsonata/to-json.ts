import type { Json, JsonObject } from '../json.js';

/** Thrown when a JSONata result holds something JSON cannot carry: a function, a regex, ±Infinity, NaN. */
export class UnsupportedJsonataValue extends Error {
  override readonly name = 'UnsupportedJsonataValue';
}

/**
 * A JSONata result as the JSON value AWS hands on. JSONata sequences become plain arrays, its
 * null-prototype objects plain objects, and `undefined` inside objects and arrays disappears (as
 * JSON.stringify drops it); -0 becomes 0 (AWS prints `$parse('-0')` as 0). The top-level
 * `undefined` is returned for the caller to report as "returned nothing".
 */
export function jsonataResultToJson(value: unknown): Json | undefined {
  if (value === undefined) return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new UnsupportedJsonataValue(`non-finite number ${value}`);
    return Object.is(value, -0) ? 0 : value;
  }
  if (Array.isArray(value)) {
    const items: Json[] = [];
    for (const item of value as unknown[]) {
      const converted = jsonataResultToJson(item);
      if (converted !== undefined) items.push(converted);
    }
    return items;
  }
  if (typeof value === 'object' && !isJsonataFunction(value)) {
    const object: JsonObject = {};
    for (const [key, item] of Object.entries(value)) {
      const converted = jsonataResultToJson(item);
      if (converted !== undefined) object[key] = converted;
    }
    return object;
  }
  throw new UnsupportedJsonataValue(`unsupported ${typeof value}`);
}

/** Lambdas (`function($x){...}`) and built-ins (`$sum`) evaluate to marked objects, regexes to functions. */
function isJsonataFunction(value: object): boolean {
  const marks = value as { _jsonata_lambda?: unknown; _jsonata_function?: unknown };
  return marks._jsonata_lambda === true || marks._jsonata_function === true;
}
