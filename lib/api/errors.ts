/** An API fault as AWS JSON 1.0 returns it: `{"__type": "com.amazonaws.states#<code>", "message"}`. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }

  toBody(): { __type: string; message: string } {
    return { __type: `com.amazonaws.states#${this.code}`, message: this.message };
  }
}

export const invalidArn = (arn: unknown): ApiError =>
  new ApiError('InvalidArn', String(arn).startsWith('arn:') ? `Invalid Arn: '${String(arn)}'` : `Invalid Arn: 'Invalid ARN prefix: ${String(arn)}'`);
export const stateMachineDoesNotExist = (arn: string): ApiError => new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
export const executionDoesNotExist = (arn: string): ApiError => new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
