// "A Choice Rule ... consists of a comparison (a Variable, a comparison operator and a value) or a Boolean
// combination of rules" (ASL spec, "Choice Rules"): this file evaluates them in JSONPath mode.
//
// What AWS does beyond the spec, and what the recorded cases check:
// - a value of the wrong type for the operator makes the comparison false, never an error
//   (NumericEquals on "1", StringEquals on 0, BooleanEquals on null);
// - a Variable that selects nothing fails the state with States.Runtime, except under IsPresent;
// - IsNull is about JSON null only; IsNumeric, IsString, IsBoolean about the JSON type only, so "1" is
//   not numeric and "true" not a boolean.
import { StatesError } from '../errors.js';
import { isJsonObject } from '../json.js';
import type { Json, JsonObject } from '../json.js';
import { pathReader, type PathReader } from '../paths/json-path.js';
import type { PathScope } from '../paths/scope.js';
import { compareTimestamps, isChoiceTimestamp, parseChoiceTimestamp } from '../timestamp.js';
import { pathVariableName } from '../variables.js';
import { matchesWildcard } from './choice-string-matches.js';

type Family = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Relation = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

interface Comparison {
  readonly family: Family;
  readonly relation: Relation;
  /** The `…Path` form: the operand is a path to the value to compare with, not the value itself. */
  readonly viaPath: boolean;
}

const RELATIONS: readonly Relation[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];

const COMPARISONS: ReadonlyMap<string, Comparison> = new Map(
  (['String', 'Numeric', 'Timestamp', 'Boolean'] as const).flatMap((family) =>
    RELATIONS.filter((relation) => family !== 'Boolean' || relation === 'Equals').flatMap((relation): [string, Comparison][] => [
      [`${family}${relation}`, { family, relation, viaPath: false }],
      [`${family}${relation}Path`, { family, relation, viaPath: true }],
    ]),
  ),
);

const TYPE_TESTS: Readonly<Record<string, (value: Json) => boolean>> = {
  IsNull: (value) => value === null,
  IsNumeric: (value) => typeof value === 'number',
  IsString: (value) => typeof value === 'string',
  IsBoolean: (value) => typeof value === 'boolean',
  IsTimestamp: isChoiceTimestamp,
};

/** Every operator that tests the value at `Variable` (ASL spec, "Choice Rules"). */
export const CHOICE_COMPARISON_OPERATORS: readonly string[] = [
  ...COMPARISONS.keys(),
  'StringMatches',
  ...Object.keys(TYPE_TESTS),
  'IsPresent',
];

/** The operators that combine nested rules instead of testing a Variable. */
export const CHOICE_BOOLEAN_OPERATORS: readonly string[] = ['And', 'Or', 'Not'];

const OPERATORS: ReadonlySet<string> = new Set([...CHOICE_COMPARISON_OPERATORS, ...CHOICE_BOOLEAN_OPERATORS]);

/** The rule's operator (a comparison, or And/Or/Not); undefined when it has none. */
export function choiceRuleOperator(rule: JsonObject): string | undefined {
  return Object.keys(rule).find((key) => OPERATORS.has(key));
}

/** Whether a JSONPath-mode Choice Rule holds over `scope`; its `Next` and `Assign` are not looked at. */
export function evaluateChoiceRule(rule: JsonObject, scope: PathScope): boolean {
  let test = compiledRules.get(rule);
  if (test === undefined) {
    test = compileRule(rule);
    compiledRules.set(rule, test);
  }
  return test(scope);
}

type RuleTest = (scope: PathScope) => boolean;

// Rules are objects of a parsed definition, never changed: each is compiled once (its operator found,
// its paths compiled, a literal timestamp parsed; nested rules with it) and a loop that enters its
// Choice state 10,000 times only evaluates. A malformed rule compiles to a test that fails, when
// evaluated, as evaluating it always has.
const compiledRules = new WeakMap<JsonObject, RuleTest>();

function compileRule(rule: JsonObject): RuleTest {
  const operator = choiceRuleOperator(rule);
  switch (operator) {
    case undefined:
      return failing('The Choice Rule has no comparison operator and none of And, Or, Not');
    // Evaluation stops at the first deciding rule, so a later rule's missing Variable is never read.
    case 'And': {
      const nested = nestedRules(rule['And']);
      if (nested === undefined) return failing(NESTED_RULES_PROBLEM);
      const tests = nested.map(compileRule);
      return (scope) => {
        for (let i = 0; i < tests.length; i++) if (!tests[i]!(scope)) return false;
        return true;
      };
    }
    case 'Or': {
      const nested = nestedRules(rule['Or']);
      if (nested === undefined) return failing(NESTED_RULES_PROBLEM);
      const tests = nested.map(compileRule);
      return (scope) => {
        for (let i = 0; i < tests.length; i++) if (tests[i]!(scope)) return true;
        return false;
      };
    }
    case 'Not': {
      const nested = rule['Not'];
      if (!isJsonObject(nested)) return failing("The value of 'Not' must be a Choice Rule");
      const test = compileRule(nested);
      return (scope) => !test(scope);
    }
    default:
      return compileDataTest(rule, operator);
  }
}

function failing(problem: string): RuleTest {
  return () => {
    throw StatesError.runtime(problem);
  };
}

const NESTED_RULES_PROBLEM = 'And and Or take an array of Choice Rules';

function nestedRules(value: Json | undefined): JsonObject[] | undefined {
  return Array.isArray(value) && value.every(isJsonObject) ? value : undefined;
}

function compileDataTest(rule: JsonObject, operator: string): RuleTest {
  const variable = rule['Variable'];
  if (typeof variable !== 'string') return failing(`The Choice Rule's '${operator}' needs a 'Variable' path`);
  const operand = rule[operator] as Json;
  const read = lookup(variable);

  if (operator === 'IsPresent') return (scope) => (read(scope) !== undefined) === operand;
  const typeTest = TYPE_TESTS[operator];
  if (typeTest !== undefined) return (scope) => typeTest(valueAt(variable, read, scope)) === operand;
  if (operator === 'StringMatches') {
    return (scope) => {
      const value = valueAt(variable, read, scope);
      return typeof value === 'string' && typeof operand === 'string' && matchesWildcard(value, operand);
    };
  }
  const comparison = COMPARISONS.get(operator)!;
  const holds = RELATION_HOLDS[comparison.relation];
  if (comparison.viaPath) {
    const readOther = typeof operand === 'string' ? lookup(operand) : undefined;
    return (scope) => {
      const value = valueAt(variable, read, scope);
      const other = comparandAt(operand, readOther, comparison, scope);
      const order = orderOf(comparison.family, value, other);
      return order !== undefined && holds(order);
    };
  }
  if (comparison.family === 'Timestamp') {
    // A literal timestamp is parsed once, not at each evaluation.
    const other = typeof operand === 'string' ? parseChoiceTimestamp(operand) : undefined;
    return (scope) => {
      const value = valueAt(variable, read, scope);
      const parsed = other !== undefined && typeof value === 'string' ? parseChoiceTimestamp(value) : undefined;
      return parsed !== undefined && holds(compareTimestamps(parsed, other!));
    };
  }
  return (scope) => {
    const order = orderOf(comparison.family, valueAt(variable, read, scope), operand);
    return order !== undefined && holds(order);
  };
}

/** The value at the rule's Variable; a Variable that selects nothing fails the state (IsPresent aside). */
function valueAt(variable: string, read: PathReader, scope: PathScope): Json {
  const value = read(scope);
  if (value === undefined) throw invalidConditionPath(variable);
  return value;
}

const RELATION_HOLDS: Readonly<Record<Relation, (order: number) => boolean>> = {
  Equals: (order) => order === 0,
  LessThan: (order) => order < 0,
  GreaterThan: (order) => order > 0,
  LessThanEquals: (order) => order <= 0,
  GreaterThanEquals: (order) => order >= 0,
};

/**
 * The value a `…Path` operator compares with. Missing, it fails the state as a missing Variable does.
 * Of the wrong type, it makes an Equals comparison false but an ordering one an error. No recorded case
 * covers this; the evidence is a public "Testing Choice failures" state machine from the floe project,
 * whose comments note what AWS answered: NumericEqualsPath on a string matched nothing, StringGreaterThanPath
 * on a number failed with "Invalid value provided at path '$.num2'".
 */
function comparandAt(path: Json, read: PathReader | undefined, comparison: Comparison, scope: PathScope): Json {
  if (read === undefined) throw StatesError.runtime(`The value of a …Path operator must be a path, not ${JSON.stringify(path)}`);
  const value = read(scope);
  if (value === undefined) throw invalidConditionPath(path as string);
  if (comparison.relation !== 'Equals' && !fitsFamily(comparison.family, value)) {
    throw StatesError.runtime(`Invalid value provided at path '${path as string}'`);
  }
  return value;
}

function invalidConditionPath(path: string): StatesError {
  return StatesError.runtime(`Invalid path '${path}': The choice state's condition path references an invalid value.`);
}

// readPath fails on a variable that is not in scope; for a Choice that is a path selecting nothing, which
// IsPresent answers with false.
function lookup(path: string): PathReader {
  const read = pathReader(path);
  const variable = pathVariableName(path);
  if (variable === undefined) return read;
  return (scope) => (scope.variables.get(variable) === undefined ? undefined : read(scope));
}

function fitsFamily(family: Family, value: Json): boolean {
  switch (family) {
    case 'String':
      return typeof value === 'string';
    case 'Numeric':
      return typeof value === 'number';
    case 'Boolean':
      return typeof value === 'boolean';
    case 'Timestamp':
      return isChoiceTimestamp(value);
  }
}

/** Negative, zero or positive as `a` sorts before, with or after `b`; undefined when either is not of the family. */
function orderOf(family: Family, a: Json, b: Json): number | undefined {
  switch (family) {
    case 'String':
      // UTF-16 code unit order, as Java's String.compareTo (the AWS guide points there for string comparisons).
      return typeof a === 'string' && typeof b === 'string' ? (a < b ? -1 : a > b ? 1 : 0) : undefined;
    case 'Numeric':
      // JSON numbers are doubles here, so 1 and 1.0 are the same value, as AWS compares them.
      return typeof a === 'number' && typeof b === 'number' ? (a < b ? -1 : a > b ? 1 : 0) : undefined;
    case 'Boolean':
      return typeof a === 'boolean' && typeof b === 'boolean' ? (a === b ? 0 : 1) : undefined;
    case 'Timestamp': {
      const left = typeof a === 'string' ? parseChoiceTimestamp(a) : undefined;
      const right = typeof b === 'string' ? parseChoiceTimestamp(b) : undefined;
      return left !== undefined && right !== undefined ? compareTimestamps(left, right) : undefined;
    }
  }
}
