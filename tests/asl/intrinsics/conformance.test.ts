import { describe, expect, it } from 'vitest';
import { evaluateIntrinsic, isIntrinsicCall } from '../../../lib/asl/intrinsics/index.js';
import type { Json, JsonObject } from '../../../lib/asl/json.js';
import { readPath } from '../../../lib/asl/paths/json-path.js';
import { haveConformanceCases, loadConformanceCases } from '../../support/conformance-cases.js';
import { scopeOf } from './scope.js';

// Each recorded case is a single Pass state whose Parameters bind intrinsic calls against the input;
// the state's output is the Parameters template evaluated (none of these cases has a ResultPath).
// The JSONata-mode recordings ($partition, $range, $parse) belong to lib/asl/jsonata.
const cases = loadConformanceCases((c) => c.category === 'intrinsic_functions' && !usesJsonata(c.definition));

function usesJsonata(definition: Record<string, unknown>): boolean {
  return JSON.stringify(definition).includes('"QueryLanguage":"JSONata"');
}

function passOutput(parameters: JsonObject, input: Json): JsonObject {
  const scope = scopeOf(input);
  const output: JsonObject = {};
  for (const [key, value] of Object.entries(parameters)) {
    if (!key.endsWith('.$')) {
      output[key] = value;
    } else if (typeof value === 'string' && isIntrinsicCall(value)) {
      output[key.slice(0, -2)] = evaluateIntrinsic(value, scope, key);
    } else {
      output[key.slice(0, -2)] = readPath(value as string, scope) as Json;
    }
  }
  return output;
}

describe.skipIf(!haveConformanceCases())('intrinsic functions against AWS recordings', () => {
  it('finds the recorded JSONPath intrinsic cases', () => {
    expect(cases.length).toBe(60);
  });

  it.each(cases.map((c) => [c.file, c] as const))('produces what AWS recorded for %s', (_file, c) => {
    const states = c.definition['States'] as Record<string, JsonObject>;
    const start = states[c.definition['StartAt'] as string] as JsonObject;
    expect(start['Type']).toBe('Pass');
    expect(start['ResultPath']).toBeUndefined();

    const output = passOutput(start['Parameters'] as JsonObject, (c.input ?? {}) as Json);

    expect(c.expected.status).toBe('SUCCEEDED');
    expect(output).toEqual(c.expected.output);
  });
});
