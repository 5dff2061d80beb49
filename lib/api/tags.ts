import { parseActivityArn, parseExecutionArn, parseStateMachineArn } from '../runtime/arns.js';

import { ApiError, invalidArn } from './errors.js';
import type { Request } from './request.js';
import type { ApiContext } from './service.js';

/** AWS's limit of tags on one resource. */
export const MAX_TAGS = 50;

export function tagsFrom(list: unknown[] | undefined): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of list ?? []) {
    const { key, value } = (tag ?? {}) as { key?: unknown; value?: unknown };
    if (typeof key !== 'string' || key.length === 0) throw new ApiError('ValidationException', 'Tag keys must be non-empty strings');
    tags[key] = typeof value === 'string' ? value : '';
  }
  return tags;
}

export function checkTagCount(tags: Record<string, string>): Record<string, string> {
  if (Object.keys(tags).length > MAX_TAGS) throw new ApiError('TooManyTags', `Too many tags: a resource can have at most ${MAX_TAGS}`);
  return tags;
}

/** A resource that carries tags: a state machine or an activity. */
interface Taggable {
  readonly tags: Record<string, string>;
  save(tags: Record<string, string>): Promise<void>;
}

const notFound = (arn: string): ApiError => new ApiError('ResourceNotFound', `Resource not found: '${arn}'`);

async function taggable(ctx: ApiContext, arn: string): Promise<Taggable> {
  if (parseStateMachineArn(arn)) {
    const sm = await ctx.store.getStateMachine(arn);
    if (!sm) throw notFound(arn);
    return { tags: sm.tags, save: (tags) => ctx.store.putStateMachine({ ...sm, tags }) };
  }
  if (parseActivityArn(arn)) {
    const activity = await ctx.activities.getActivity(arn);
    if (!activity) throw notFound(arn);
    return {
      tags: activity.tags,
      save: async (tags) => {
        if (!(await ctx.activities.putActivityTags(arn, tags))) throw notFound(arn);
      },
    };
  }
  if (parseExecutionArn(arn)) throw notFound(arn);
  throw invalidArn(arn);
}

export async function tagResource(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const resource = await taggable(ctx, req.string('resourceArn'));
  await resource.save(checkTagCount({ ...resource.tags, ...tagsFrom(req.optionalArray('tags')) }));
  return {};
}

export async function untagResource(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const resource = await taggable(ctx, req.string('resourceArn'));
  const tags = { ...resource.tags };
  for (const key of req.optionalArray('tagKeys') ?? []) delete tags[String(key)];
  await resource.save(tags);
  return {};
}

export async function listTagsForResource(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const resource = await taggable(ctx, req.string('resourceArn'));
  return { tags: Object.entries(resource.tags).map(([key, value]) => ({ key, value })) };
}
