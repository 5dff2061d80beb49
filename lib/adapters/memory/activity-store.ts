import type { ActivityRecord, ActivityStore, ActivityTask } from '../../runtime/ports.js';

/** Activities and their waiting tasks in the process (the local home); long polls wake as tasks arrive. */
export class MemoryActivityStore implements ActivityStore {
  private readonly activities = new Map<string, ActivityRecord>();
  private readonly waiting = new Map<string, ActivityTask[]>();
  /** Every token queued per activity, taken or not: a step that runs again must not queue its task again. */
  private readonly queued = new Map<string, Set<string>>();
  private readonly wakers = new Map<string, Set<() => void>>();

  async putActivity(record: ActivityRecord): Promise<boolean> {
    if (this.activities.has(record.activityArn)) return false;
    this.activities.set(record.activityArn, record);
    return true;
  }

  async getActivity(arn: string): Promise<ActivityRecord | undefined> {
    return this.activities.get(arn);
  }

  async deleteActivity(arn: string): Promise<void> {
    this.activities.delete(arn);
    this.waiting.delete(arn);
    this.queued.delete(arn);
  }

  /** Replaces an activity's tags (TagResource, UntagResource); false when there is no such activity. */
  async putActivityTags(arn: string, tags: Record<string, string>): Promise<boolean> {
    const record = this.activities.get(arn);
    if (record) this.activities.set(arn, { ...record, tags });
    return record !== undefined;
  }

  async listActivities(): Promise<ActivityRecord[]> {
    return [...this.activities.values()];
  }

  async enqueueTask(task: ActivityTask): Promise<void> {
    const queued = this.queued.get(task.activityArn) ?? new Set<string>();
    if (queued.has(task.token)) return;
    this.queued.set(task.activityArn, queued.add(task.token));
    const list = this.waiting.get(task.activityArn) ?? [];
    // Oldest scheduledAt first, as DynamoDB's key order has them (arrival order, nearly always).
    let at = list.length;
    while (at > 0 && before(task, list[at - 1]!)) at--;
    list.splice(at, 0, task);
    this.waiting.set(task.activityArn, list);
    // One waiting poller per task is enough: it claims it, the others keep waiting.
    const wakers = this.wakers.get(task.activityArn);
    const first = wakers?.values().next().value;
    if (first) first();
  }

  async claimTask(activityArn: string): Promise<ActivityTask | undefined> {
    const list = this.waiting.get(activityArn);
    const task = list?.shift();
    if (list && list.length === 0) this.waiting.delete(activityArn);
    return task;
  }

  taskMayBeWaiting(activityArn: string, ms: number, signal?: AbortSignal): Promise<void> {
    if ((this.waiting.get(activityArn)?.length ?? 0) > 0 || signal?.aborted) return Promise.resolve();
    return new Promise((resolve) => {
      const wakers = this.wakers.get(activityArn) ?? new Set<() => void>();
      this.wakers.set(activityArn, wakers);
      const done = () => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        wakers.delete(done);
        if (wakers.size === 0) this.wakers.delete(activityArn);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done);
      wakers.add(done);
    });
  }
}

function before(a: ActivityTask, b: ActivityTask): boolean {
  return a.scheduledAt < b.scheduledAt || (a.scheduledAt === b.scheduledAt && a.token < b.token);
}
