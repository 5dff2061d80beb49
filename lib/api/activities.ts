import type { ActivityRecord } from '../runtime/ports.js';
import { activityArn, parseActivityArn } from '../runtime/arns.js';
import { ApiError, invalidArn } from './errors.js';
import { checkName } from './names.js';
import { paginate } from './pagination.js';
import type { Request } from './request.js';
import { epochSeconds, type ApiContext } from './service.js';
import { checkTagCount, tagsFrom } from './tags.js';

export const activityDoesNotExist = (arn: string): ApiError => new ApiError('ActivityDoesNotExist', `Activity Does Not Exist: '${arn}'`);

/** What DescribeActivity reports: activities here are encrypted as AWS's default is (an AWS owned key). */
const ENCRYPTION = { type: 'AWS_OWNED_KEY' };

/**
 * AWS: "CreateActivity is an idempotent API … based on the activity name. If a following request has
 * different tags values, Step Functions will ignore these differences … tags will not be updated."
 * The second call answers with the first one's creation date.
 */
export async function createActivity(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const name = req.string('name');
  checkName(name);
  const tags = checkTagCount(tagsFrom(req.optionalArray('tags')));
  checkEncryption(req.optionalObject('encryptionConfiguration'));
  const arn = activityArn(ctx.partition, name);
  const record: ActivityRecord = { activityArn: arn, name, creationDate: ctx.clock.now(), tags };
  // Put first: of two racing creates, the one that loses answers with the winner's date.
  const created = await ctx.activities.putActivity(record);
  const activity = created ? record : await ctx.activities.getActivity(arn);
  // Deleted again between the two calls: this create stands as made (the next describe says otherwise).
  return { activityArn: arn, creationDate: epochSeconds((activity ?? record).creationDate) };
}

export async function describeActivity(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const activity = await existingActivity(ctx, req.string('activityArn'));
  return { activityArn: activity.activityArn, name: activity.name, creationDate: epochSeconds(activity.creationDate), encryptionConfiguration: ENCRYPTION };
}

/** Deleting an activity that is not there succeeds, as on AWS; its waiting tasks go with it. */
export async function deleteActivity(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const arn = req.string('activityArn');
  if (!parseActivityArn(arn)) throw invalidArn(arn);
  await ctx.activities.deleteActivity(arn);
  return {};
}

/** Oldest first, the order AWS listed three activities created one after another in (LocalStack's recording). */
export async function listActivities(ctx: ApiContext, req: Request): Promise<Record<string, unknown>> {
  const all = (await ctx.activities.listActivities()).sort((a, b) => a.creationDate - b.creationDate || a.activityArn.localeCompare(b.activityArn));
  const { page, nextToken } = paginate(all, req.optionalNumber('maxResults'), req.optionalString('nextToken'));
  return {
    activities: page.map((a) => ({ activityArn: a.activityArn, name: a.name, creationDate: epochSeconds(a.creationDate) })),
    ...(nextToken === undefined ? {} : { nextToken }),
  };
}

export async function existingActivity(ctx: ApiContext, arn: string): Promise<ActivityRecord> {
  if (!parseActivityArn(arn)) throw invalidArn(arn);
  const activity = await ctx.activities.getActivity(arn);
  if (!activity) throw activityDoesNotExist(arn);
  return activity;
}

/**
 * AWS owned keys only: a customer managed KMS key needs KMS, which Stepwise does not call. The
 * configuration is checked as AWS checks it, then refused rather than silently not applied.
 */
function checkEncryption(value: Record<string, unknown> | undefined): void {
  if (value === undefined) return;
  const type = value['type'];
  if (type === 'AWS_OWNED_KEY') return;
  if (type === undefined || type === null) {
    throw new ApiError('ValidationException', "1 validation error detected: Value null at 'encryptionConfiguration.type' failed to satisfy constraint: Member must not be null");
  }
  if (type !== 'CUSTOMER_MANAGED_KMS_KEY') {
    throw new ApiError('ValidationException', `1 validation error detected: Value '${String(type)}' at 'encryptionConfiguration.type' failed to satisfy constraint: Member must satisfy enum value set: [CUSTOMER_MANAGED_KMS_KEY, AWS_OWNED_KEY]`);
  }
  throw new ApiError('InvalidEncryptionConfiguration', 'Stepwise supports only AWS_OWNED_KEY encryption');
}
