// Between a state's JSON and the SDK's values: what Step Functions' own (Java) SDK does to requests
// and responses, for the services here. Blobs are base64 text in JSON (DynamoDB `B`/`BS`, message
// attributes' `BinaryValue`) except a response body, which is its text (Lambda's `Payload`);
// timestamps are ISO-8601 instants; absent values are left out. Step Functions records an
// optimised integration's response with its keys in alphabetical order (Java's bean properties).
import type { Json, JsonObject } from '../asl/json.js';
import type { HttpCapture } from './sdk-clients.js';

/** The request as the SDK takes it: base64 blobs decoded where the services here have them. */
export function toSdkInput(value: Json): unknown {
  if (Array.isArray(value)) return value.map(toSdkInput);
  if (value === null || typeof value !== 'object') return value;
  const keys = Object.keys(value);
  // A DynamoDB binary attribute value: { "B": "<base64>" } or { "BS": ["<base64>", …] }.
  if (keys.length === 1 && keys[0] === 'B' && typeof value['B'] === 'string') return { B: Buffer.from(value['B'], 'base64') };
  if (keys.length === 1 && keys[0] === 'BS' && Array.isArray(value['BS']) && value['BS'].every((b) => typeof b === 'string')) {
    return { BS: value['BS'].map((b) => Buffer.from(b as string, 'base64')) };
  }
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (key === 'BinaryValue' && typeof v === 'string') out[key] = Buffer.from(v, 'base64');
    else if (key === 'BinaryListValues' && Array.isArray(v)) out[key] = v.map((b) => (typeof b === 'string' ? Buffer.from(b, 'base64') : b));
    else out[key] = toSdkInput(v);
  }
  return out;
}

/** An SDK response as JSON, without the SDK's `$metadata`. */
export function fromSdkOutput(output: Record<string, unknown>): JsonObject {
  const { $metadata: _, ...rest } = output;
  return toJson(rest, undefined) as JsonObject;
}

function toJson(value: unknown, key: string | undefined): Json | undefined {
  if (value === undefined || typeof value === 'function' || typeof value === 'symbol') return undefined;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof Date) return instant(value);
  if (value instanceof Uint8Array) {
    const bytes = Buffer.from(value.buffer, value.byteOffset, value.byteLength);
    return key === 'B' || key === 'BS' || key === 'BinaryValue' || key === 'BinaryListValues' ? bytes.toString('base64') : bytes.toString('utf8');
  }
  if (Array.isArray(value)) return value.map((v) => toJson(v, key) ?? null);
  if (value instanceof Set) return [...value].map((v) => toJson(v, key) ?? null);
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    const json = toJson(v, k);
    if (json !== undefined) out[k] = json;
  }
  return out;
}

/** Java's Instant.toString(): milliseconds only when there are some. */
export function instant(date: Date): string {
  return date.toISOString().replace('.000Z', 'Z');
}

/** The object with its keys in alphabetical (code unit) order; `deep` sorts nested objects too. */
export function sortKeys(value: JsonObject, deep = false): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(value).sort()) {
    const v = value[key]!;
    out[key] = deep ? sortDeep(v) : v;
  }
  return out;
}

function sortDeep(value: Json): Json {
  if (Array.isArray(value)) return value.map(sortDeep);
  if (value !== null && typeof value === 'object') return sortKeys(value, true);
  return value;
}

/**
 * `SdkHttpMetadata` as Step Functions records it: every header with its values (as received),
 * the headers with one value each ordered case-insensitively, and the status code.
 */
export function sdkHttpMetadata(http: HttpCapture | undefined): JsonObject {
  const all: Record<string, string[]> = {};
  for (const [name, value] of http?.headers ?? []) (all[name] ??= []).push(value);
  const single: JsonObject = {};
  const seen = new Set<string>();
  for (const name of Object.keys(all).sort((a, b) => (a.toLowerCase() < b.toLowerCase() ? -1 : a.toLowerCase() > b.toLowerCase() ? 1 : 0))) {
    if (seen.has(name.toLowerCase())) continue;
    seen.add(name.toLowerCase());
    single[name] = all[name]![0]!;
  }
  return { AllHttpHeaders: all, HttpHeaders: single, HttpStatusCode: http?.statusCode ?? 200 };
}

/** The metadata the optimised integrations add to the service's response. */
export function withSdkMetadata(body: JsonObject, http: HttpCapture | undefined, requestId: string | undefined): JsonObject {
  return sortKeys({ ...body, SdkHttpMetadata: sdkHttpMetadata(http), SdkResponseMetadata: { RequestId: requestId ?? null } });
}

/** JSON text of a value that a string field was given (Step Functions stringifies it); strings and null pass. */
export function stringified(value: Json | undefined): Json | undefined {
  return value === undefined || value === null || typeof value === 'string' ? value : JSON.stringify(value);
}
