/** The States.* error names, here and nowhere else (AWS guide, "Error names"). */
export const States = {
  ALL: 'States.ALL',
  Runtime: 'States.Runtime',
  Timeout: 'States.Timeout',
  HeartbeatTimeout: 'States.HeartbeatTimeout',
  TaskFailed: 'States.TaskFailed',
  Permissions: 'States.Permissions',
  DataLimitExceeded: 'States.DataLimitExceeded',
  ResultPathMatchFailure: 'States.ResultPathMatchFailure',
  ParameterPathFailure: 'States.ParameterPathFailure',
  BranchFailed: 'States.BranchFailed',
  NoChoiceMatched: 'States.NoChoiceMatched',
  IntrinsicFailure: 'States.IntrinsicFailure',
  ExceedToleratedFailureThreshold: 'States.ExceedToleratedFailureThreshold',
  ItemReaderFailed: 'States.ItemReaderFailed',
  ResultWriterFailed: 'States.ResultWriterFailed',
  QueryEvaluationError: 'States.QueryEvaluationError',
} as const;

/** A failure as AWS names it: `error` and `causeText` reach history, Catch output and DescribeExecution verbatim. */
export class StatesError extends Error {
  override readonly name = 'StatesError';
  // options.cause (ES2022) keeps the underlying exception for the logs; it never reaches AWS output.
  constructor(
    readonly error: string,
    readonly causeText?: string,
    options?: ErrorOptions,
  ) {
    super(causeText === undefined ? error : `${error}: ${causeText}`, options);
  }

  static runtime(causeText: string): StatesError {
    return new StatesError(States.Runtime, causeText);
  }

  static queryEvaluation(causeText: string): StatesError {
    return new StatesError(States.QueryEvaluationError, causeText);
  }

  static intrinsic(causeText: string): StatesError {
    return new StatesError(States.IntrinsicFailure, causeText);
  }

  /** States.ALL matches every error but the terminal States.Runtime and States.DataLimitExceeded
   *  (AWS guide, "Handling errors in Step Functions workflows"). */
  get matchedByAll(): boolean {
    return this.error !== States.Runtime && this.error !== States.DataLimitExceeded;
  }

  /** Whether ErrorEquals `name` names this error beyond its own name (see HeartbeatTimeout). */
  alsoNamed(_name: string): boolean {
    return false;
  }

  /** What a Catcher writes at its ResultPath; AWS binds "" when there is no cause. */
  toCatchOutput(): { Error: string | null; Cause: string | null } {
    return { Error: this.error, Cause: this.causeText ?? '' };
  }
}

/**
 * A task failed without a name: SendTaskFailure with neither error nor cause. AWS records TaskFailed
 * without them, and a Catcher (States.ALL, States.TaskFailed) sees `{"Error": null, "Cause": null}`.
 */
export class UnnamedTaskError extends StatesError {
  constructor(causeText?: string) {
    super('', causeText);
  }

  override toCatchOutput(): { Error: string | null; Cause: string | null } {
    return { Error: null, Cause: this.causeText ?? null };
  }
}

/**
 * A task that sent no heartbeat in time: AWS records it as `States.Timeout` (history, Catch output),
 * yet a Retrier or Catcher naming `States.HeartbeatTimeout` takes it too (AWS guide, "Error names").
 */
export class HeartbeatTimeoutError extends StatesError {
  constructor() {
    super(States.Timeout);
  }

  override alsoNamed(name: string): boolean {
    return name === States.HeartbeatTimeout;
  }
}
