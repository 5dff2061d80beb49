import { randomUUID } from 'node:crypto';
import {
  CreateActivityCommand,
  DeleteActivityCommand,
  DescribeActivityCommand,
  ListActivitiesCommand,
  ListTagsForResourceCommand,
  TagResourceCommand,
  UntagResourceCommand,
  type ActivityListItem,
  type SFNClient,
} from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOTH_HOMES, errorOf, type Home } from '../support/homes.js';
import { sfnClient } from '../support/sfn-client.js';

let server: Home;
let sfn: SFNClient;

const PREFIX = 'arn:aws:states:us-east-1:123456789012:activity:';


describe.each(BOTH_HOMES)('activities in the Step Functions API (%s)', (_home, start) => {
  beforeAll(async () => {
    server = await start();
    sfn = sfnClient(server.endpoint);
  });

  afterAll(async () => {
    sfn.destroy();
    await server.stop();
  });

  it('creates, describes and deletes an activity', async () => {
    const created = await sfn.send(new CreateActivityCommand({ name: 'lifecycle' }));
    expect(created.activityArn).toBe(`${PREFIX}lifecycle`);
    expect(created.creationDate).toBeInstanceOf(Date);

    const described = await sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn }));
    expect(described).toMatchObject({ activityArn: created.activityArn, name: 'lifecycle', creationDate: created.creationDate, encryptionConfiguration: { type: 'AWS_OWNED_KEY' } });

    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));

    const gone = await errorOf(sfn.send(new DescribeActivityCommand({ activityArn: created.activityArn })));
    expect(gone).toEqual({ name: 'ActivityDoesNotExist', message: `Activity Does Not Exist: '${PREFIX}lifecycle'` });
  });

  it('answers a second create of the same name with the first one, its date and its tags', async () => {
    const first = await sfn.send(new CreateActivityCommand({ name: 'idempotent', tags: [{ key: 'team', value: 'core' }] }));
    await new Promise((resolve) => setTimeout(resolve, 5));

    const second = await sfn.send(new CreateActivityCommand({ name: 'idempotent', tags: [{ key: 'team', value: 'other' }, { key: 'extra', value: 'x' }] }));

    expect(second).toMatchObject({ activityArn: first.activityArn, creationDate: first.creationDate });
    const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: first.activityArn }));
    expect(tags).toEqual([{ key: 'team', value: 'core' }]);
  });

  it('takes the names AWS takes, and refuses the others with InvalidName', async () => {
    for (const name of ['activity.name.v2', 'activity-name_123', 'a'.repeat(80)]) {
      expect((await sfn.send(new CreateActivityCommand({ name }))).activityArn).toBe(`${PREFIX}${name}`);
    }
    for (const name of ['activity name', 'activity<name', 'activity*name', 'activity#name', 'activity:name', 'activity/name', 'activity\u007f', 'activity\uffff', 'activity\ud800']) {
      expect(await errorOf(sfn.send(new CreateActivityCommand({ name })))).toEqual({ name: 'InvalidName', message: `Invalid Name: '${name}'` });
    }
    // The length is the model's constraint, in code points: 80 emoji are a name, 81 are not.
    expect((await sfn.send(new CreateActivityCommand({ name: '\u{1F600}'.repeat(80) }))).activityArn).toBe(`${PREFIX}${'\u{1F600}'.repeat(80)}`);
    const long = 'a'.repeat(81);
    expect(await errorOf(sfn.send(new CreateActivityCommand({ name: long })))).toEqual({
      name: 'ValidationException',
      message: `1 validation error detected: Value '${long}' at 'name' failed to satisfy constraint: Member must have length less than or equal to 80`,
    });
  });

  it('refuses a malformed ARN with InvalidArn, as AWS words it', async () => {
    expect(await errorOf(sfn.send(new DescribeActivityCommand({ activityArn: 'no_an_activity_arn' })))).toEqual({ name: 'InvalidArn', message: "Invalid Arn: 'Invalid ARN prefix: no_an_activity_arn'" });
    expect((await errorOf(sfn.send(new DescribeActivityCommand({ activityArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:x' })))).name).toBe('InvalidArn');
    expect((await errorOf(sfn.send(new DeleteActivityCommand({ activityArn: 'no_an_activity_arn' })))).name).toBe('InvalidArn');
  });

  it('deletes an activity that is not there without complaint', async () => {
    await sfn.send(new DeleteActivityCommand({ activityArn: `${PREFIX}never-made` }));
    const created = await sfn.send(new CreateActivityCommand({ name: 'deleted-twice' }));

    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));
    await sfn.send(new DeleteActivityCommand({ activityArn: created.activityArn }));

    expect((await errorOf(sfn.send(new DescribeActivityCommand({ activityArn: `${PREFIX}never-made` })))).name).toBe('ActivityDoesNotExist');
  });

  it('lists activities oldest first, a page at a time', async () => {
    const run = randomUUID().slice(0, 8);
    const names = [1, 2, 3].map((i) => `listed-${run}-${i}`);
    for (const name of names) {
      await sfn.send(new CreateActivityCommand({ name }));
      await new Promise((resolve) => setTimeout(resolve, 5));
    }

    const listed: ActivityListItem[] = [];
    let nextToken: string | undefined;
    let pages = 0;
    do {
      const page = await sfn.send(new ListActivitiesCommand({ maxResults: 2, ...(nextToken === undefined ? {} : { nextToken }) }));
      expect(page.activities!.length).toBeLessThanOrEqual(2);
      listed.push(...page.activities!);
      nextToken = page.nextToken;
      pages++;
    } while (nextToken !== undefined);

    const ours = listed.filter((a) => a.name!.startsWith(`listed-${run}-`));
    expect(ours.map((a) => a.name)).toEqual(names);
    expect(ours[0]).toEqual({ activityArn: `${PREFIX}${names[0]}`, name: names[0], creationDate: expect.any(Date) });
    expect(pages).toBeGreaterThanOrEqual(2);
    expect((await errorOf(sfn.send(new ListActivitiesCommand({ nextToken: 'not-a-token' })))).name).toBe('InvalidToken');
  });

  it('tags, lists the tags of and untags an activity', async () => {
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'tagged', tags: [{ key: 'team', value: 'core' }] }));

    await sfn.send(new TagResourceCommand({ resourceArn: activityArn, tags: [{ key: 'env', value: 'dev' }, { key: 'team', value: 'platform' }] }));
    await sfn.send(new UntagResourceCommand({ resourceArn: activityArn, tagKeys: ['env'] }));

    const { tags } = await sfn.send(new ListTagsForResourceCommand({ resourceArn: activityArn }));
    expect(tags).toEqual([{ key: 'team', value: 'platform' }]);
    const missing = await errorOf(sfn.send(new TagResourceCommand({ resourceArn: `${PREFIX}never-made`, tags: [{ key: 'a', value: 'b' }] })));
    expect(missing).toEqual({ name: 'ResourceNotFound', message: `Resource not found: '${PREFIX}never-made'` });
  });

  it('refuses more than 50 tags, and encryption by a customer managed key', async () => {
    const tags = Array.from({ length: 51 }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect((await errorOf(sfn.send(new CreateActivityCommand({ name: 'too-many-tags', tags })))).name).toBe('TooManyTags');
    const { activityArn } = await sfn.send(new CreateActivityCommand({ name: 'fifty-tags', tags: tags.slice(0, 50) }));
    expect((await errorOf(sfn.send(new TagResourceCommand({ resourceArn: activityArn, tags: [{ key: 'one-more', value: 'v' }] })))).name).toBe('TooManyTags');

    const kms = await errorOf(sfn.send(new CreateActivityCommand({ name: 'kms', encryptionConfiguration: { type: 'CUSTOMER_MANAGED_KMS_KEY', kmsKeyId: 'alias/x' } })));
    expect(kms.name).toBe('InvalidEncryptionConfiguration');
    await sfn.send(new CreateActivityCommand({ name: 'owned-key', encryptionConfiguration: { type: 'AWS_OWNED_KEY' } }));
  });
});
