import type { ChoiceRule, StateDefinition } from '../definition.js';
import { States, StatesError } from '../errors.js';
import { evaluateJsonataExpecting, isJsonataExpression } from '../jsonata/index.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { jsonataBindings } from '../io/jsonata-io.js';
import { jsonPathFlow } from '../io/jsonpath-io.js';
import { pathScope, type IoScope } from '../io/state-io.js';
import type { PathScope } from '../paths/scope.js';
import type { Step } from '../step.js';
import { evaluateChoiceRule } from './choice-rules.js';
import { awaiting, type Op } from '../op.js';

/**
 * "A Choice state adds branching logic" (ASL spec): the first rule that matches names the next state,
 * else Default; with neither, States.NoChoiceMatched. A matching rule's Assign replaces the state's
 * own, which applies when Default is taken.
 */
export function runChoice(step: Step): Op<void> | undefined {
  return step.queryLanguage === 'JSONPath' ? runJsonPathChoice(step) : runAnyChoice(step);
}

/**
 * A JSONPath Choice never waits: it runs here as plain code (no generator, no Op per data-flow step),
 * which is what most of a Choice state's cost was in a loop that enters it 10,000 times. It returns
 * an Op only when it hands the state to the general path.
 */
function runJsonPathChoice(step: Step): Op<void> | undefined {
  const { state } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const input = jsonPathFlow.inputPathOnly(state, raw, scope);
  const rules = state.Choices ?? NO_RULES;
  // A Condition is JSONata's (definitions with one here are refused at creation); should one come,
  // the general path evaluates the state as it always has.
  for (let i = 0; i < rules.length; i++) if (rules[i]!['Condition'] !== undefined) return runAnyChoice(step);
  const matched = matchingRule(rules, input, scope);
  const next = nextState(state, matched);
  const assign = assignOf(state, matched);
  const assigned = assign === undefined ? undefined : jsonPathFlow.assign(assign, raw, undefined, scope);
  step.exit(jsonPathFlow.output(outputStateOf(state, matched), raw, input, scope), assigned, next);
  return undefined;
}

/** The first of JSONPath rules that holds for `input` (the state's input after InputPath). */
function matchingRule(rules: readonly ChoiceRule[], input: Json, scope: IoScope): ChoiceRule | undefined {
  let paths: PathScope | undefined;
  for (let i = 0; i < rules.length; i++) if (evaluateChoiceRule(rules[i]!, (paths ??= pathScope(input, scope)))) return rules[i];
  return undefined;
}

/**
 * The state a JSONPath Choice whose rules have no Condition moves on to, for `input` (after InputPath):
 * undefined where no rule matches and there is no Default (runChoice raises States.NoChoiceMatched).
 * Step.passThrough runs such states with it.
 */
export function jsonPathChoiceNext(state: StateDefinition, input: Json, scope: IoScope): string | undefined {
  const matched = matchingRule(state.Choices ?? NO_RULES, input, scope);
  return matched ? (matched['Next'] as string) : state.Default;
}

function* runAnyChoice(step: Step): Op<void> {
  const { state, io } = step;
  const raw = step.frame.input;
  const scope = step.scope();
  const input = yield* io.inputPathOnly(state, raw, scope);

  let matched: ChoiceRule | undefined;
  const rules = state.Choices ?? NO_RULES;
  // JSONPath rules are evaluated here, synchronously, against one path scope: no generator per rule.
  let paths: PathScope | undefined;
  for (let i = 0; i < rules.length; i++) {
    const rule = rules[i]!;
    const holds = rule['Condition'] === undefined ? evaluateChoiceRule(rule, (paths ??= pathScope(input, scope))) : yield* conditionHolds(step, rule['Condition']);
    if (holds) {
      matched = rule;
      break;
    }
  }
  const next = nextState(state, matched);
  const assign = assignOf(state, matched);
  const assigned = assign === undefined ? undefined : yield* io.assign(assign, raw, undefined, scope);
  const output = yield* io.output(outputStateOf(state, matched), raw, input, scope);
  step.exit(output, assigned, next);
}

function nextState(state: StateDefinition, matched: ChoiceRule | undefined): string {
  const next = matched ? (matched['Next'] as string) : state.Default;
  if (next === undefined) {
    throw new StatesError(States.NoChoiceMatched, `No Choice Rules matched and no default choice was specified.`);
  }
  return next;
}

function assignOf(state: StateDefinition, matched: ChoiceRule | undefined): JsonObject | undefined {
  return matched ? (isJsonObject(matched['Assign']) ? (matched['Assign'] as JsonObject) : undefined) : state.Assign;
}

/** A matching rule's Output replaces the state's, which applies when Default is taken (as Assign). */
function outputStateOf(state: StateDefinition, matched: ChoiceRule | undefined): StateDefinition {
  const ruleOutput = matched?.['Output'];
  if (!matched || (ruleOutput === undefined && state.Output === undefined)) return state;
  return ruleOutput === undefined ? withoutOutput(state) : { ...state, Output: ruleOutput };
}

/** A JSONata rule's Condition. */
function* conditionHolds(step: Step, condition: Json): Op<boolean> {
  if (typeof condition === 'boolean') return condition;
  if (!isJsonataExpression(condition)) return false;
  return yield* awaiting(evaluateJsonataExpecting(condition, 'Condition', 'boolean', jsonataBindings(step.scope(), { input: step.frame.input })));
}

const NO_RULES: readonly ChoiceRule[] = [];

function withoutOutput(state: StateDefinition): StateDefinition {
  const { Output: _stateOutput, ...rest } = state;
  return rest;
}
