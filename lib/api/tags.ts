import { parseExecutionArn, parseStateMachineArn } from '../runtime/arns.js';
import { ApiError, invalidArn } from './errors.js';
import type { Request } from './request.js';
import type { ApiContext } from './service.js';

export function tagsFrom(list: unknown[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of list ?? []) {
    const { key, value } = (tag ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || key.length === 0) throw new ApiError('ValidationException', 'Tag keys must be non-empty strings');
    tags[key] = typeof value === 'string' ? value : '';
  }
  return tags;
}

async function taggable(ctx: ApiContext, arn: string) {
  if (!parseStateMachineArn(arn)) {
    if (parseExecutionArn(arn)) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
    throw invalidArn(arn);
  }
  const sm = await ctx.store.getStateMachine(arn);
  if (!sm) throw new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);
  return sm;
}

export async function tagResource(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const sm = await taggable(ctx, req.string('resourceArn'));
  const tags = { ...sm.tags, ...tagsFrom(req.optionalArray('tags')) };
  if (Object.keys(tags).length > 50) throw new ApiError('TooManyTags', 'Too many tags: a resource can have at most 50');
  await ctx.store.putStateMachine({ ...sm, tags });
  return {};
}

export async function untagResource(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const sm = await taggable(ctx, req.string('resourceArn'));
  const tags = { ...sm.tags };
  for (const key of req.optionalArray('tagKeys') ?? []) delete tags[String(key)];
  await ctx.store.putStateMachine({ ...sm, tags });
  return {};
}

export async function listTagsForResource(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const sm = await taggable(ctx, req.string('resourceArn'));
  return { tags: Object.entries(sm.tags).map(([key, value]) => ({ key, value })) };
}
