import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../lib/asl/errors.js';
import type { Json, JsonObject } from '../../../lib/asl/json.js';
import { evaluateChoiceRule } from '../../../lib/asl/states/choice-rules.js';
import { haveConformanceCases, loadConformanceCases } from '../../support/conformance-cases.js';
import type { ConformanceCase } from '../../support/conformance-cases.js';
import { choiceScope } from './choice-scope.js';

// Every recorded case that starts with a JSONPath Choice state whose branches end at once: a Pass with
// End (its static Result, or its input, is the output; "TestResult.$" inside Result is NOT evaluated),
// a Succeed, or a Fail. That is all 236 choice_operators recordings plus the scenarios that branch on
// Not, And and a single-rule And.
interface SimpleChoiceCase {
  readonly case: ConformanceCase;
  readonly choices: JsonObject[];
  readonly defaultState: string | undefined;
  readonly states: Record<string, JsonObject>;
}

const cases: SimpleChoiceCase[] = loadConformanceCases()
  .map(asSimpleChoiceCase)
  .filter((c): c is SimpleChoiceCase => c !== undefined);

function asSimpleChoiceCase(c: ConformanceCase): SimpleChoiceCase | undefined {
  if (c.definition['QueryLanguage'] !== undefined || c.expected.status === undefined) return undefined;
  const states = c.definition['States'] as Record<string, JsonObject>;
  const start = states[c.definition['StartAt'] as string];
  if (start?.['Type'] !== 'Choice' || start['QueryLanguage'] !== undefined || start['InputPath'] !== undefined) return undefined;
  const choices = start['Choices'] as JsonObject[];
  const defaultState = start['Default'] as string | undefined;
  const targets = [...choices.map((rule) => rule['Next'] as string), ...(defaultState === undefined ? [] : [defaultState])];
  if (!targets.every((name) => endsAtOnce(states[name]))) return undefined;
  return { case: c, choices, defaultState, states };
}

function endsAtOnce(state: JsonObject | undefined): boolean {
  if (state === undefined) return false;
  if (state['Type'] === 'Succeed' || state['Type'] === 'Fail') return true;
  const transforms = ['InputPath', 'Parameters', 'ResultPath', 'OutputPath', 'ResultSelector', 'Assign'];
  return state['Type'] === 'Pass' && state['End'] === true && transforms.every((field) => state[field] === undefined);
}

type Outcome = { status: 'SUCCEEDED'; output: Json } | { status: 'FAILED'; error: string; cause: string | undefined };

function run(c: SimpleChoiceCase): Outcome {
  const input = (c.case.input ?? {}) as Json;
  let next: string | undefined;
  try {
    next = c.choices.find((rule) => evaluateChoiceRule(rule, choiceScope(input)))?.['Next'] as string | undefined;
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    return { status: 'FAILED', error: error.error, cause: error.causeText };
  }
  next ??= c.defaultState;
  if (next === undefined) return { status: 'FAILED', error: 'States.NoChoiceMatched', cause: undefined };
  const state = c.states[next]!;
  if (state['Type'] === 'Fail') return { status: 'FAILED', error: state['Error'] as string, cause: state['Cause'] as string | undefined };
  return { status: 'SUCCEEDED', output: state['Result'] !== undefined ? state['Result'] : input };
}

// The runtime puts "An error occurred while executing the state 'X' (entered at the event id #N). " before
// a States.Runtime cause; the rule evaluation only knows what follows.
function withoutStatePrefix(cause: string | null | undefined): string | null | undefined {
  return cause?.replace(/^An error occurred while executing the state '.*?' \(entered at the event id #\d+\)\. /, '');
}

describe.skipIf(!haveConformanceCases())('Choice rules against AWS recordings', () => {
  it('finds every recorded choice operator case and the simple Choice scenarios', () => {
    expect(cases.filter((c) => c.case.file.includes('choice_operators'))).toHaveLength(236);
    expect(cases).toHaveLength(239);
  });

  it.each(cases.map((c) => [c.case.file, c] as const))('takes the branch AWS took for %s', (_file, c) => {
    const outcome = run(c);

    expect(outcome.status).toBe(c.case.expected.status);
    if (outcome.status === 'SUCCEEDED') {
      expect(outcome.output).toEqual(c.case.expected.output);
    } else {
      expect(outcome.error).toBe(c.case.expected.error);
      if (c.case.expected.cause !== undefined) expect(outcome.cause).toBe(withoutStatePrefix(c.case.expected.cause) ?? undefined);
    }
  });
});
