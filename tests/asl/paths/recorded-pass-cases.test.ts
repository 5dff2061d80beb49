import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../lib/asl/errors.js';
import type { Json, JsonObject } from '../../../lib/asl/json.js';
import { applyInputPath, applyOutputPath } from '../../../lib/asl/paths/input-output-path.js';
import { evaluatePayloadTemplate } from '../../../lib/asl/paths/payload-template.js';
import { applyResultPath } from '../../../lib/asl/paths/result-path.js';
import { haveConformanceCases, loadConformanceCases, type ConformanceCase } from '../../support/conformance-cases.js';
import { scopeOf } from './scope.js';

// Recorded AWS executions made only of JSONPath Pass states: they exercise exactly the path pipeline
// (InputPath → Parameters or Result → ResultPath → OutputPath), so this module can replay them alone.
const PASS_FIELDS = new Set(['Type', 'Comment', 'Next', 'End', 'InputPath', 'Parameters', 'Result', 'ResultPath', 'OutputPath']);

function passOnly(c: ConformanceCase): boolean {
  const { definition } = c;
  if (definition['QueryLanguage'] !== undefined || c.expected.createError !== undefined) return false;
  const states = Object.values(definition['States'] as Record<string, Record<string, unknown>>);
  return states.every((s) => s['Type'] === 'Pass' && Object.keys(s).every((k) => PASS_FIELDS.has(k)))
    && !JSON.stringify(states).includes('$$');
}

/** The execution's output, or the error and the cause without the prefix only the runtime knows. */
function run(c: ConformanceCase): { output: Json } | { error: string; cause: string | undefined } {
  const states = c.definition['States'] as Record<string, JsonObject>;
  let name = c.definition['StartAt'] as string;
  let input = (c.input ?? {}) as Json;
  try {
    for (;;) {
      const state = states[name]!;
      const effective = applyInputPath(state['InputPath'] as string | null | undefined, scopeOf(input));
      const result =
        state['Parameters'] !== undefined ? evaluatePayloadTemplate(state['Parameters'], scopeOf(effective))
        : state['Result'] !== undefined ? state['Result']
        : effective;
      const output = applyOutputPath(state['OutputPath'] as string | null | undefined, scopeOf(applyResultPath(input, result, state['ResultPath'] as string | null | undefined)));
      if (state['End'] === true) return { output };
      input = output;
      name = state['Next'] as string;
    }
  } catch (error) {
    if (!(error instanceof StatesError)) throw error;
    return { error: error.error, cause: error.causeText };
  }
}

describe.skipIf(!haveConformanceCases())('recorded AWS executions of JSONPath Pass states', () => {
  const cases = loadConformanceCases(passOnly);

  it('finds such cases among the recordings', () => {
    expect(cases.length).toBeGreaterThan(5);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    const outcome = run(c);

    if (c.expected.status === 'SUCCEEDED') {
      expect(outcome).toEqual({ output: c.expected.output });
    } else {
      expect(outcome).toMatchObject({ error: c.expected.error });
      if (typeof c.expected.cause === 'string') {
        const cause = c.expected.cause.replace(/^An error occurred while executing the state '[^']*' \(entered at the event id #\d+\)\. /, '');
        expect(outcome).toMatchObject({ cause });
      }
    }
  });
});
