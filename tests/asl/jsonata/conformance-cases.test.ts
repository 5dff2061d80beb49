import { describe, expect, it } from 'vitest';
import type { Json, JsonObject } from '../../../lib/asl/json.js';
import {
  evaluateJsonataExpecting,
  evaluateJsonataTemplate,
  isJsonataExpression,
  QueryEvaluationError,
  type JsonataBindings,
} from '../../../lib/asl/jsonata/index.js';
import { haveConformanceCases, loadConformanceCases, type ConformanceCase } from '../../support/conformance-cases.js';
import { scriptedEntropy, variables } from './fixtures.js';

type StateDefinition = Record<string, unknown> & { Type?: string; Next?: string; End?: boolean };

/**
 * Just enough of a state machine to replay the recorded JSONata cases made of Pass states and
 * inline Maps of Pass states: each expression goes through this module as the states will use it.
 */
async function run(machine: Record<string, unknown>, input: Json): Promise<Json> {
  const states = machine['States'] as Record<string, StateDefinition>;
  const vars: Record<string, Json> = {};
  let name = machine['StartAt'] as string;
  let current: Json = input;
  for (;;) {
    const state = states[name]!;
    const b = (context: JsonObject = {}): JsonataBindings => ({
      states: { input: current, context },
      variables: variables({ ...vars }),
      entropy: scriptedEntropy(),
    });
    if (state.Type === 'Pass') {
      const assign = state['Assign'] === undefined ? {} : await evaluateJsonataTemplate(state['Assign'] as Json, 'Assign', b());
      const output = state['Output'] === undefined ? current : await evaluateJsonataTemplate(state['Output'] as Json, 'Output', b());
      Object.assign(vars, assign);
      current = output;
    } else if (state.Type === 'Map') {
      const itemsField = state['Items'];
      const items = isJsonataExpression(itemsField)
        ? await evaluateJsonataExpecting(itemsField, 'Items', 'array', b())
        : ((itemsField ?? current) as Json[]);
      const selector = state['ItemSelector'] as Json | undefined;
      const results: Json[] = [];
      for (const [index, value] of items.entries()) {
        results.push(selector === undefined ? value : await evaluateJsonataTemplate(selector, 'ItemSelector', b({ Map: { Item: { Index: index, Value: value } } })));
      }
      current = results;
    } else {
      throw new Error(`not replayable: ${state.Type}`);
    }
    if (state.End === true) return current;
    name = state.Next!;
  }
}

/** The cases this replay can run: every state a Pass or a Map whose processor is one Pass. */
function replayable(c: ConformanceCase): boolean {
  if (c.expected.status === undefined || !JSON.stringify(c.definition).includes('{%')) return false;
  // The Map state's own check of its input ("Map state input must be an array but was: 1") is not JSONata's.
  if (c.expected.cause?.includes('Map state input must be an array')) return false;
  if (c.definition['QueryLanguage'] !== 'JSONata') {
    const states = Object.values(c.definition['States'] as Record<string, StateDefinition>);
    if (!states.every((s) => s['QueryLanguage'] === 'JSONata')) return false;
  }
  return Object.values(c.definition['States'] as Record<string, StateDefinition>).every((state) => {
    if (state.Type === 'Pass') return true;
    if (state.Type !== 'Map') return false;
    const processor = state['ItemProcessor'] as { States: Record<string, StateDefinition> };
    return Object.values(processor.States).every((s) => s.Type === 'Pass' && s['Output'] === undefined);
  });
}

const CAUSE_PREFIX = /^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /;

describe.skipIf(!haveConformanceCases())('recorded AWS JSONata cases', () => {
  const cases = loadConformanceCases(replayable);

  it('finds the recorded cases', () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
  });

  it.each(cases.map((c) => [c.file, c] as const))('%s', async (_file, c) => {
    const outcome = run(c.definition, (c.input ?? {}) as Json);

    if (c.expected.status === 'SUCCEEDED') {
      await expect(outcome).resolves.toEqual(c.expected.output);
    } else {
      const error = await outcome.then(
        () => undefined,
        (thrown: unknown) => thrown,
      );
      expect(error).toBeInstanceOf(QueryEvaluationError);
      expect((error as QueryEvaluationError).error).toBe(c.expected.error);
      if (typeof c.expected.cause === 'string' && CAUSE_PREFIX.test(c.expected.cause)) {
        expect((error as QueryEvaluationError).causeText).toBe(c.expected.cause.replace(CAUSE_PREFIX, ''));
      }
    }
  });
});
