import type { ChoiceRule, StateDefinition } from '../definition.js';
import { States, StatesError } from '../errors.js';
import { evaluateJsonataExpecting, isJsonataExpression } from '../jsonata/index.js';
import { isJsonObject, type Json, type JsonObject } from '../json.js';
import { jsonataBindings } from '../io/jsonata-io.js';
import { pathScope } from '../io/state-io.js';
import type { PathScope } from '../paths/scope.js';
import type { Step } from '../step.js';
import { evaluateChoiceRule } from './choice-rules.js';
import { awaiting, type Op } from '../op.js';

/**
 * "A Choice state adds branching logic" (ASL spec): the first rule that matches names the next state,
 * else Default; with neither, States.NoChoiceMatched. A matching rule's Assign replaces the state's
 * own, which applies when Default is taken.
 */
export function* runChoice(step: Step): Op<void> {
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
  const next = matched ? (matched['Next'] as string) : state.Default;
  if (next === undefined) {
    throw new StatesError(States.NoChoiceMatched, `No Choice Rules matched and no default choice was specified.`);
  }
  const assign = matched ? (isJsonObject(matched['Assign']) ? (matched['Assign'] as JsonObject) : undefined) : state.Assign;
  const assigned = assign === undefined ? undefined : yield* io.assign(assign, raw, undefined, scope);
  // A matching rule's Output replaces the state's, which applies when Default is taken (as Assign).
  const ruleOutput = matched?.['Output'];
  const outputState = !matched || (ruleOutput === undefined && state.Output === undefined) ? state : ruleOutput === undefined ? withoutOutput(state) : { ...state, Output: ruleOutput };
  const output = yield* io.output(outputState, raw, input, scope);
  step.exit(output, assigned, next);
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
