import type { ActivityRecord, ActivityStore, ActivityTask } from '../../runtime/ports.js';

/** Activities and their waiting tasks in the process (the local home); long polls wake as tasks arrive. */
export class MemoryActivityStore implements ActivityStore {
  private readonly activities = new Map<string, ActivityRecord>();
  private readonly waiting = new Map<string, ActivityTask[]>();
  private readonly tokens = new Set<string>();
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
    for (const task of this.waiting.get(arn) ?? []) this.tokens.delete(task.token);
    this.waiting.delete(arn);
  }

  async listActivities(): Promise<ActivityRecord[]> {
    return [...this.activities.values()];
  }

  async enqueueTask(task: ActivityTask): Promise<void> {
    if (this.tokens.has(task.token)) return;
    this.tokens.add(task.token);
    const list = this.waiting.get(task.activityArn) ?? [];
    list.push(task);
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
    if ((this.waiting.get(activityArn)?.length ?? 0) > 0) return Promise.resolve();
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
