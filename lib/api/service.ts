import type { Partition } from '../runtime/arns.js';
import type { Engine } from '../runtime/engine.js';
import type { ExpressRunner } from '../runtime/express.js';
import type { ActivityStore, Clock, ExecutionStore, IdSource, TaskTokenStore } from '../runtime/ports.js';
import type { Request } from './request.js';

/** What the API actions work on: the same in the local server and the API Gateway function. */
export interface ApiContext {
  readonly store: ExecutionStore;
  readonly engine: Engine;
  /** EXPRESS executions: StartSyncExecution runs them here. */
  readonly express: ExpressRunner;
  readonly clock: Clock;
  readonly ids: IdSource;
  readonly partition: Partition;
  readonly tokens: TaskTokenStore;
  readonly activities: ActivityStore;
  /** How long GetActivityTask waits for work (AWS's 60 s unless set). */
  readonly activityPollMs?: number;
}

/** `signal`: the caller went away (a long poll stops waiting). */
export type Action = (ctx: ApiContext, request: Request, signal?: AbortSignal) => Promise<Record<string, unknown>>;

/** AWS JSON 1.0 prints timestamps as epoch seconds. */
export function epochSeconds(ms: number): number {
  return ms / 1000;
}
