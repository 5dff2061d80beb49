// Types of common.mjs for TypeScript importers (the project's tsconfig does not check JavaScript).
import type { SFNClient } from '@aws-sdk/client-sfn';

export declare const DEFAULT_ENDPOINT: string;
export declare const ROLE_ARN: string;

/** One result, event or progress report: printed by default as one JSON line on stdout. */
export type Log = (line: Record<string, unknown>) => void;
export declare const printJson: Log;

export interface ExecutionResult {
  executionArn: string;
  /** SUCCEEDED, FAILED, TIMED_OUT or ABORTED. */
  status: string;
  /** The parsed output of a SUCCEEDED execution. */
  output?: unknown;
  error?: string;
  cause?: string;
}

export declare function sfnClient(endpoint: string): SFNClient;
export declare function readDefinition(url: string | URL): Promise<Record<string, unknown>>;
export declare function createStateMachine(sfn: SFNClient, name: string, definition: Record<string, unknown>): Promise<string>;
export declare function waitForExecution(sfn: SFNClient, executionArn: string, options?: { pollMs?: number; timeoutMs?: number }): Promise<ExecutionResult>;
export declare function sleep(ms: number, signal?: AbortSignal): Promise<void>;
