import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivityRecord, ActivityStore, ActivityTask, TaskTokenRecord, TaskTokenStore } from '../../../lib/runtime/ports.js';

const EXECUTION_ARN = 'arn:aws:states:us-east-1:123456789012:execution:contract:tokens';
const ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:contract';
const OTHER_ACTIVITY_ARN = 'arn:aws:states:us-east-1:123456789012:activity:other';

/**
 * Now, near the real time: DynamoDB Local's TTL sweeper really deletes items past `expiresAt`, so
 * the tokens here expire by the test's clock only, an hour after it starts.
 */
const T0 = Math.floor(Date.now() / 1000) * 1000;
const HOUR = 3600;

/** A clock the test moves; the stores read it to decide that a token is past its TTL. */
export interface TestClock {
  now: number;
}

/** What TagResource needs of an activity store, which both adapters have beside the port. */
export interface TaggableActivities extends ActivityStore {
  putActivityTags(arn: string, tags: Record<string, string>): Promise<boolean>;
}

export interface TaskStores {
  readonly tokens: TaskTokenStore;
  readonly activities: TaggableActivities;
}

export interface TaskStoresOptions {
  /** The store wakes a waiting long poll when a task arrives (memory); DynamoDB cannot, it just waits a while. */
  readonly wakesOnEnqueue: boolean;
}

function aToken(token: string, overrides: Partial<TaskTokenRecord> = {}): TaskTokenRecord {
  return { token, executionArn: EXECUTION_ARN, frameId: 'root', taskId: 5, status: 'open', expiresAt: T0 / 1000 + HOUR, ...overrides };
}

function anActivity(overrides: Partial<ActivityRecord> = {}): ActivityRecord {
  return { activityArn: ACTIVITY_ARN, name: 'contract', creationDate: T0, tags: {}, ...overrides };
}

function aTask(token: string, scheduledAt: number, overrides: Partial<ActivityTask> = {}): ActivityTask {
  return { activityArn: ACTIVITY_ARN, token, input: JSON.stringify({ token }), scheduledAt, ...overrides };
}

async function claimAll(activities: ActivityStore, arn = ACTIVITY_ARN): Promise<ActivityTask[]> {
  const claimed: ActivityTask[] = [];
  for (let task = await activities.claimTask(arn); task; task = await activities.claimTask(arn)) claimed.push(task);
  return claimed;
}

async function elapsed(work: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await work();
  return performance.now() - start;
}

/** What every TaskTokenStore and ActivityStore must do, whatever keeps the data (memory, DynamoDB). */
export function taskStoresContract(adapter: string, open: (clock: TestClock) => Promise<TaskStores>, options: TaskStoresOptions): void {
  describe(`TaskTokenStore contract (${adapter})`, () => {
    let clock: TestClock;
    let tokens: TaskTokenStore;
    beforeEach(async () => {
      clock = { now: T0 };
      ({ tokens } = await open(clock));
    });

    it('keeps a token as it was put, optional fields and all', async () => {
      const plain = aToken('plain');
      const full = aToken('full', { heartbeatSeconds: 30, heartbeatDeadline: T0 + 30_000, activityArn: ACTIVITY_ARN });

      await tokens.putToken(plain);
      await tokens.putToken(full);

      expect(await tokens.getToken('plain')).toEqual(plain);
      expect(await tokens.getToken('full')).toEqual(full);
      expect(await tokens.getToken('missing')).toBeUndefined();
    });

    it('keeps the first of two puts of one token (a step that runs twice)', async () => {
      await tokens.putToken(aToken('twice', { taskId: 1 }));
      await tokens.closeToken('twice');

      await tokens.putToken(aToken('twice', { taskId: 2 }));

      expect(await tokens.getToken('twice')).toMatchObject({ taskId: 1, status: 'closed' });
    });

    it('moves an open token\'s heartbeat deadline and TTL', async () => {
      await tokens.putToken(aToken('beat', { heartbeatSeconds: 10, heartbeatDeadline: T0 + 10_000 }));

      expect(await tokens.heartbeat('beat', T0 + 20_000, T0 / 1000 + 2 * HOUR)).toBe(true);

      expect(await tokens.getToken('beat')).toMatchObject({ status: 'open', heartbeatDeadline: T0 + 20_000, expiresAt: T0 / 1000 + 2 * HOUR });
    });

    it('never moves the TTL earlier on a heartbeat, though the deadline moves', async () => {
      await tokens.putToken(aToken('late-ttl', { heartbeatDeadline: T0 + 10_000, expiresAt: T0 / 1000 + 3 * HOUR }));

      expect(await tokens.heartbeat('late-ttl', T0 + 20_000, T0 / 1000 + HOUR)).toBe(true);

      expect(await tokens.getToken('late-ttl')).toMatchObject({ heartbeatDeadline: T0 + 20_000, expiresAt: T0 / 1000 + 3 * HOUR });
    });

    it('refuses a heartbeat for a closed token or a missing one', async () => {
      await tokens.putToken(aToken('closed', { heartbeatDeadline: T0 + 10_000 }));
      await tokens.closeToken('closed');

      expect(await tokens.heartbeat('closed', T0 + 20_000, T0 / 1000 + 2 * HOUR)).toBe(false);
      expect(await tokens.heartbeat('missing', T0 + 20_000, T0 / 1000 + 2 * HOUR)).toBe(false);
      expect(await tokens.getToken('closed')).toMatchObject({ heartbeatDeadline: T0 + 10_000, expiresAt: T0 / 1000 + HOUR });
      expect(await tokens.getToken('missing')).toBeUndefined();
    });

    it('closes a token once: the first answer wins', async () => {
      await tokens.putToken(aToken('answer'));

      expect(await tokens.closeToken('answer')).toBe(true);
      expect(await tokens.closeToken('answer')).toBe(false);
      expect(await tokens.closeToken('missing')).toBe(false);
      expect((await tokens.getToken('answer'))?.status).toBe('closed');
    });

    it('lets exactly one of ten racing answers close a token', async () => {
      await tokens.putToken(aToken('race'));

      const closed = await Promise.all(Array.from({ length: 10 }, () => tokens.closeToken('race')));

      expect(closed.filter(Boolean)).toHaveLength(1);
    });

    it('opens a token again whose answer could not be delivered', async () => {
      await tokens.putToken(aToken('again'));
      await tokens.closeToken('again');

      await tokens.reopenToken('again');
      await tokens.reopenToken('missing');

      expect((await tokens.getToken('again'))?.status).toBe('open');
      expect(await tokens.closeToken('again')).toBe(true);
      expect(await tokens.getToken('missing')).toBeUndefined();
    });

    it('treats a token past its expiresAt as gone, whether or not the TTL has swept it yet', async () => {
      await tokens.putToken(aToken('expiring', { expiresAt: T0 / 1000 + 60 }));
      await tokens.putToken(aToken('staying', { expiresAt: T0 / 1000 + 2 * HOUR }));

      clock.now = T0 + 60_000;

      expect(await tokens.getToken('expiring')).toBeUndefined();
      expect(await tokens.heartbeat('expiring', clock.now + 10_000, T0 / 1000 + HOUR)).toBe(false);
      expect(await tokens.closeToken('expiring')).toBe(false);
      expect(await tokens.getToken('staying')).toMatchObject({ status: 'open' });
      expect(await tokens.closeToken('staying')).toBe(true);
    });
  });

  describe(`ActivityStore contract (${adapter})`, () => {
    let activities: TaggableActivities;
    beforeEach(async () => {
      ({ activities } = await open({ now: T0 }));
    });

    it('creates an activity once and refuses a second one of the same ARN', async () => {
      const first = anActivity({ tags: { team: 'a' } });

      expect(await activities.putActivity(first)).toBe(true);
      expect(await activities.putActivity(anActivity({ creationDate: T0 + 1, tags: { team: 'b' } }))).toBe(false);

      expect(await activities.getActivity(ACTIVITY_ARN)).toEqual(first);
      expect(await activities.getActivity(OTHER_ACTIVITY_ARN)).toBeUndefined();
    });

    it('lists the activities there are', async () => {
      await activities.putActivity(anActivity());
      await activities.putActivity(anActivity({ activityArn: OTHER_ACTIVITY_ARN, name: 'other', creationDate: T0 + 1 }));

      const listed = await activities.listActivities();

      expect(listed.map((a) => a.activityArn).sort()).toEqual([ACTIVITY_ARN, OTHER_ACTIVITY_ARN]);
      expect(listed.find((a) => a.name === 'other')).toEqual(anActivity({ activityArn: OTHER_ACTIVITY_ARN, name: 'other', creationDate: T0 + 1 }));
    });

    it('replaces an activity\'s tags, and says when there is no such activity', async () => {
      await activities.putActivity(anActivity({ tags: { a: '1' } }));

      expect(await activities.putActivityTags(ACTIVITY_ARN, { b: '2', c: '' })).toBe(true);
      expect(await activities.putActivityTags(OTHER_ACTIVITY_ARN, { b: '2' })).toBe(false);

      expect((await activities.getActivity(ACTIVITY_ARN))?.tags).toEqual({ b: '2', c: '' });
      expect(await activities.getActivity(OTHER_ACTIVITY_ARN)).toBeUndefined();
    });

    it('hands out nothing when no task waits', async () => {
      await activities.putActivity(anActivity());

      expect(await activities.claimTask(ACTIVITY_ARN)).toBeUndefined();
      expect(await activities.claimTask(OTHER_ACTIVITY_ARN)).toBeUndefined();
    });

    it('hands out waiting tasks oldest first, each once, and only to their own activity', async () => {
      await activities.enqueueTask(aTask('first', T0));
      await activities.enqueueTask(aTask('other', T0, { activityArn: OTHER_ACTIVITY_ARN }));
      await activities.enqueueTask(aTask('second', T0 + 1));
      await activities.enqueueTask(aTask('third', T0 + 20));

      const claimed = await claimAll(activities);

      expect(claimed).toEqual([aTask('first', T0), aTask('second', T0 + 1), aTask('third', T0 + 20)]);
      expect(await claimAll(activities, OTHER_ACTIVITY_ARN)).toEqual([aTask('other', T0, { activityArn: OTHER_ACTIVITY_ARN })]);
    });

    it('queues a task once however often its step enqueues it, at whatever time', async () => {
      await activities.enqueueTask(aTask('dup', T0));
      await activities.enqueueTask(aTask('dup', T0));
      await activities.enqueueTask(aTask('dup', T0 + 5));
      await Promise.all([activities.enqueueTask(aTask('racing', T0 + 1)), activities.enqueueTask(aTask('racing', T0 + 2))]);

      expect((await claimAll(activities)).map((task) => [task.token, task.scheduledAt])).toEqual([['dup', T0], ['racing', expect.any(Number)]]);
    });

    it('does not queue a task again once a worker took it (its step ran again)', async () => {
      await activities.enqueueTask(aTask('taken', T0));
      expect((await activities.claimTask(ACTIVITY_ARN))?.token).toBe('taken');

      await activities.enqueueTask(aTask('taken', T0 + 1000));

      expect(await activities.claimTask(ACTIVITY_ARN)).toBeUndefined();
    });

    it('keeps a large input whole (256 KiB, past the size kept uncompressed)', async () => {
      const input = JSON.stringify({ rows: Array.from({ length: 4000 }, (_, i) => ({ i, text: `row ${i} ${'x'.repeat(40)}` })) }).slice(0, 250_000);
      const task = aTask('large', T0, { input: JSON.stringify(input) });
      expect(task.input.length).toBeGreaterThan(200_000);

      await activities.enqueueTask(task);

      expect(await activities.claimTask(ACTIVITY_ARN)).toEqual(task);
    });

    it('gives each of 500 tasks to exactly one of 20 racing workers', async () => {
      const tasks = Array.from({ length: 500 }, (_, i) => aTask(`t${String(i).padStart(3, '0')}`, T0 + i));
      for (let i = 0; i < tasks.length; i += 50) await Promise.all(tasks.slice(i, i + 50).map((task) => activities.enqueueTask(task)));

      const perWorker = await Promise.all(Array.from({ length: 20 }, () => claimAll(activities)));

      const tokens = perWorker.flat().map((task) => task.token);
      expect(tokens).toHaveLength(500);
      expect(new Set(tokens)).toEqual(new Set(tasks.map((task) => task.token)));
      expect(await activities.claimTask(ACTIVITY_ARN)).toBeUndefined();
    }, 120_000);

    it('drops an activity\'s waiting tasks with it, and no other activity\'s', async () => {
      await activities.putActivity(anActivity());
      await activities.enqueueTask(aTask('a', T0));
      await activities.enqueueTask(aTask('b', T0 + 1));
      await activities.enqueueTask(aTask('kept', T0, { activityArn: OTHER_ACTIVITY_ARN }));

      await activities.deleteActivity(ACTIVITY_ARN);
      await activities.deleteActivity(ACTIVITY_ARN);

      expect(await activities.getActivity(ACTIVITY_ARN)).toBeUndefined();
      expect(await activities.listActivities()).toEqual([]);
      expect(await activities.claimTask(ACTIVITY_ARN)).toBeUndefined();
      expect((await activities.claimTask(OTHER_ACTIVITY_ARN))?.token).toBe('kept');
    });

    it('ends a long poll\'s wait on its signal', async () => {
      const controller = new AbortController();
      setTimeout(() => controller.abort(), 20);

      const took = await elapsed(() => activities.taskMayBeWaiting(ACTIVITY_ARN, 30_000, controller.signal));

      expect(took).toBeLessThan(1000);
      expect(await elapsed(() => activities.taskMayBeWaiting(ACTIVITY_ARN, 30_000, controller.signal))).toBeLessThan(100);
    });

    it('ends a long poll\'s wait when its time is up', async () => {
      expect(await elapsed(() => activities.taskMayBeWaiting(ACTIVITY_ARN, 50))).toBeLessThan(1000);
    });

    if (options.wakesOnEnqueue) {
      it('wakes a long poll when a task arrives, and does not wait while one waits already', async () => {
        const waiting = elapsed(() => activities.taskMayBeWaiting(ACTIVITY_ARN, 30_000));
        setTimeout(() => void activities.enqueueTask(aTask('wake', T0)), 20);

        expect(await waiting).toBeLessThan(1000);
        expect(await elapsed(() => activities.taskMayBeWaiting(ACTIVITY_ARN, 30_000))).toBeLessThan(100);
      });
    }
  });
}
