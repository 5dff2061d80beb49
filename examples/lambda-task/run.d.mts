// Types of run.mjs for TypeScript importers (the project's tsconfig does not check JavaScript).
import type { ExecutionResult, Log } from '../common.mjs';

export declare const SAMPLE_ORDER: {
  orderId: string;
  customer: string;
  items: { sku: string; quantity: number; unitPrice: number }[];
};

export interface Options {
  /** The Step Functions endpoint (STEPWISE_ENDPOINT or http://127.0.0.1:8083). */
  endpoint?: string;
  /** The execution's input (SAMPLE_ORDER). */
  input?: unknown;
  /** Where the JSON lines go (stdout). */
  log?: Log;
}

export declare function main(options?: Options): Promise<ExecutionResult & { stateMachineArn: string }>;
