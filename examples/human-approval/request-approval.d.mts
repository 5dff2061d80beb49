// Types of request-approval.mjs for TypeScript importers (the project's tsconfig does not check JavaScript).

export interface ApprovalEvent {
  /** `$$.Task.Token` */
  taskToken: string;
  /** `$$.Execution.Id` */
  executionArn: string;
  /** The execution's input: what is to be approved. */
  request: Record<string, unknown>;
}

/** The aws CLI commands that answer a task token. */
export declare function approvalCommands(endpoint: string, taskToken: string): { approve: string; reject: string };
/** The endpoint of the local server the function runs in (STEPWISE_ENDPOINT, else 127.0.0.1 and PORT or 8083). */
export declare function localEndpoint(): string;
export declare function handler(event: ApprovalEvent, context: { awsRequestId: string }): Promise<{ notified: true; executionArn: string }>;
