import { States, StatesError } from '../errors.js';
import { showJson, type Json } from '../json.js';

/** States.QueryEvaluationError that also knows the field it came from: AWS records it as the
 *  `location` of the EvaluationFailed history event ("Output/result", "Items", ...). */
export class QueryEvaluationError extends StatesError {
  constructor(
    readonly location: string,
    causeText: string,
    options?: ErrorOptions,
  ) {
    super(States.QueryEvaluationError, causeText, options);
  }
}

// The cause texts below are AWS's, recorded character for character (conformance cases under
// assign/, scenarios/ and LocalStack's test_math_operations_jsonata snapshot).

function subject(expression: string, field: string): string {
  return `The JSONata expression '${expression}' specified for the field '${field}'`;
}

export function returnedNothing(expression: string, field: string): QueryEvaluationError {
  return new QueryEvaluationError(field, `${subject(expression, field)} returned nothing (undefined).`);
}

export function unsupportedResultType(expression: string, field: string): QueryEvaluationError {
  return new QueryEvaluationError(field, `${subject(expression, field)} returned an unsupported result type.`);
}

export function unexpectedResultType(
  expression: string,
  field: string,
  expected: string,
  actual: string,
  value: Json,
): QueryEvaluationError {
  return new QueryEvaluationError(
    field,
    `${subject(expression, field)} returned an unexpected result type. Expected '${expected}', but was '${actual}' for value: ${showJson(value)}`,
  );
}

/** A JSONata error object ({ code, message, ... }), or anything a function threw. */
export function threwDuringEvaluation(expression: string, field: string, thrown: unknown): QueryEvaluationError {
  return new QueryEvaluationError(field, `${subject(expression, field)} threw an error during evaluation. ${describeJsonataError(thrown)}`, {
    cause: thrown,
  });
}

/** JSONata's own errors print as 'T1006: Attempted to invoke a non-function', as AWS shows them. */
export function describeJsonataError(thrown: unknown): string {
  if (typeof thrown === 'object' && thrown !== null) {
    const { code, message } = thrown as { code?: unknown; message?: unknown };
    const text = typeof message === 'string' ? message : '';
    if (typeof code === 'string' && code !== '') return text === '' ? code : `${code}: ${text}`;
    if (text !== '') return text;
  }
  return String(thrown);
}
