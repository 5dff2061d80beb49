import { ApiError } from './errors.js';

/** Typed reads of a request's fields, failing with AWS's ValidationException wording. */
export class Request {
  constructor(
    readonly action: string,
    private readonly body: Record<string, unknown>,
  ) {}

  has(key: string): boolean {
    return this.body[key] !== undefined && this.body[key] !== null;
  }

  string(key: string): string {
    const value = this.optionalString(key);
    if (value === undefined) {
      throw new ApiError('ValidationException', `1 validation error detected: Value null at '${lowerFirst(key)}' failed to satisfy constraint: Member must not be null`);
    }
    return value;
  }

  optionalString(key: string): string | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'string') throw new ApiError('SerializationException', `Expected a string for '${key}'`);
    return value;
  }

  optionalNumber(key: string): number | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'number' || !Number.isInteger(value)) throw new ApiError('SerializationException', `Expected an integer for '${key}'`);
    return value;
  }

  optionalBoolean(key: string): boolean | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'boolean') throw new ApiError('SerializationException', `Expected a boolean for '${key}'`);
    return value;
  }

  optionalObject(key: string): Record<string, unknown> | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return undefined;
    if (typeof value !== 'object' || Array.isArray(value)) throw new ApiError('SerializationException', `Expected an object for '${key}'`);
    return value as Record<string, unknown>;
  }

  optionalArray(key: string): unknown[] | undefined {
    const value = this.body[key];
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new ApiError('SerializationException', `Expected a list for '${key}'`);
    return value;
  }
}

function lowerFirst(s: string): string {
  return s.charAt(0).toLowerCase() + s.slice(1);
}
