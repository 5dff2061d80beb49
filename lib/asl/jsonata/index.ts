import { jsonataSyntaxProblem } from './compile.js';
import { jsonataExpressionText } from './expression.js';

export { isJsonataExpression, jsonataExpressionText } from './expression.js';
export {
  evaluateJsonataExpecting,
  evaluateJsonataExpression,
  evaluateJsonataTemplate,
  type JsonataBindings,
  type JsonTypeName,
} from './evaluate.js';
export { QueryEvaluationError, unexpectedResultType } from './query-evaluation-error.js';

/**
 * For the validator: why an expression ('{% ... %}' or its inner text) is not JSONata 2.0.6, as
 * JSONata's `code: message` (e.g. 'S0201: Syntax error: ")"'); undefined when it is valid.
 */
export function jsonataSyntaxError(expression: string): string | undefined {
  return jsonataSyntaxProblem(jsonataExpressionText(expression));
}
