// Types of run.mjs for TypeScript importers (the project's tsconfig does not check JavaScript).
import type { ExecutionResult, Log } from '../common.mjs';

export declare const SAMPLE_JOBS: { jobId: string; text: unknown; simulatedWorkMs?: number }[];

export interface Options {
  /** The Step Functions endpoint (STEPWISE_ENDPOINT or http://127.0.0.1:8083). */
  endpoint?: string;
  /** The executions' inputs (SAMPLE_JOBS). */
  jobs?: unknown[];
  /** How many workers to run in this process (2). */
  workers?: number;
  /** The workers' heartbeat interval in ms (1000; the state's HeartbeatSeconds is 5). */
  heartbeatMs?: number;
  /** Where the JSON lines go (stdout). */
  log?: Log;
}

export interface WorkerStats {
  workerName: string;
  tasks: number;
  succeeded: number;
  failed: number;
}

export declare function main(options?: Options): Promise<{
  activityArn: string;
  stateMachineArn: string;
  executions: (ExecutionResult & { input: unknown })[];
  workers: WorkerStats[];
}>;
