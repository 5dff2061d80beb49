/** A JSON value as ASL sees it: state input, output, Result, variables. */
export type Json = null | boolean | number | string | Json[] | JsonObject;
export interface JsonObject {
  [key: string]: Json;
}

export function isJsonObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** AWS's name for a JSON value's type, as its error messages print it. */
export function jsonTypeName(value: Json | undefined): string {
  if (value === undefined) return 'undefined';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Compact JSON text as AWS prints values inside causes. */
export function showJson(value: Json | undefined): string {
  return value === undefined ? 'undefined' : JSON.stringify(value);
}
