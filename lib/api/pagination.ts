import { ApiError } from './errors.js';

/** Opaque page tokens: the offset of the next item, base64url so callers treat them as opaque. */
export function paginate<T>(items: readonly T[], maxResults: number | undefined, nextToken: string | undefined, limit = 1000, maxTokenLength = 1024): { page: T[]; nextToken?: string } {
  if (nextToken !== undefined && nextToken.length > maxTokenLength) {
    throw new ApiError('ValidationException', `1 validation error detected: Value '${nextToken}' at 'nextToken' failed to satisfy constraint: Member must have length less than or equal to ${maxTokenLength}`);
  }
  if (maxResults !== undefined && (maxResults < 0 || maxResults > limit)) {
    throw new ApiError('ValidationException', `1 validation error detected: Value '${maxResults}' at 'maxResults' failed to satisfy constraint: Member must have value less than or equal to ${limit}`);
  }
  const size = maxResults === undefined || maxResults === 0 ? 100 : maxResults;
  let start = 0;
  if (nextToken !== undefined) {
    const decoded = /^\d+$/.test(Buffer.from(nextToken, 'base64url').toString()) ? Number(Buffer.from(nextToken, 'base64url').toString()) : NaN;
    if (!Number.isInteger(decoded) || decoded < 0 || decoded > items.length) throw new ApiError('InvalidToken', `Invalid Token: '${nextToken}'`);
    start = decoded;
  }
  const page = items.slice(start, start + size);
  const end = start + page.length;
  return end < items.length ? { page, nextToken: Buffer.from(String(end)).toString('base64url') } : { page };
}
