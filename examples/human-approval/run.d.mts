// Types of run.mjs for TypeScript importers (the project's tsconfig does not check JavaScript).
import type { ExecutionResult, Log } from '../common.mjs';

export declare const SAMPLE_REQUEST: Record<string, unknown>;

export interface Options {
  /** The Step Functions endpoint (STEPWISE_ENDPOINT or http://127.0.0.1:8083). */
  endpoint?: string;
  /** The request to approve (SAMPLE_REQUEST). */
  input?: unknown;
  /** Answer with SendTaskSuccess {"approved": true, …} instead of waiting for a person. */
  approve?: boolean;
  /** Answer with SendTaskFailure (error "Rejected") instead of waiting for a person. */
  reject?: boolean;
  /** The answer's comment (approve) or cause (reject). */
  comment?: string;
  /** The approval Task's TimeoutSeconds (the definition's 3600 otherwise). */
  timeoutSeconds?: number;
  /** Where the JSON lines go (stdout); `{event: 'waiting for approval', taskToken, approve, reject}` carries the token. */
  log?: Log;
}

export declare function main(options?: Options): Promise<ExecutionResult & { stateMachineArn: string; taskToken?: string }>;
