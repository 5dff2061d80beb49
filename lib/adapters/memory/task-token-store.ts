import type { TaskTokenRecord, TaskTokenStore } from '../../runtime/ports.js';

/** Task tokens in the process (the local home). Expired tokens are swept as the TTL would sweep them. */
export class MemoryTaskTokenStore implements TaskTokenStore {
  private readonly tokens = new Map<string, TaskTokenRecord>();

  constructor(private readonly now: () => number = Date.now) {}

  async putToken(record: TaskTokenRecord): Promise<void> {
    if (!this.tokens.has(record.token)) this.tokens.set(record.token, record);
    if (this.tokens.size % 1024 === 0) this.sweep();
  }

  async getToken(token: string): Promise<TaskTokenRecord | undefined> {
    return this.live(token);
  }

  // Read and write with no await between: of two racing calls, the second sees the first's write.
  async heartbeat(token: string, heartbeatDeadline: number, expiresAt: number): Promise<boolean> {
    const record = this.live(token);
    if (!record || record.status !== 'open') return false;
    this.tokens.set(token, { ...record, heartbeatDeadline, expiresAt: Math.max(record.expiresAt, expiresAt) });
    return true;
  }

  async closeToken(token: string): Promise<boolean> {
    const record = this.live(token);
    if (!record || record.status !== 'open') return false;
    this.tokens.set(token, { ...record, status: 'closed' });
    return true;
  }

  async reopenToken(token: string): Promise<void> {
    const record = this.tokens.get(token);
    if (record) this.tokens.set(token, { ...record, status: 'open' });
  }

  private live(token: string): TaskTokenRecord | undefined {
    const record = this.tokens.get(token);
    return record && record.expiresAt * 1000 > this.now() ? record : undefined;
  }

  private sweep(): void {
    const now = this.now();
    for (const [token, record] of this.tokens) if (record.expiresAt * 1000 <= now) this.tokens.delete(token);
  }
}
