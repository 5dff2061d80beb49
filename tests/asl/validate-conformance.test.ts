import { describe, expect, it } from 'vitest';
import { invalidDefinitionMessage, validateDefinition } from '../../lib/asl/validate.js';
import { haveConformanceCases, loadConformanceCases } from '../support/conformance-cases.js';

function errorsFor(definitionText: string, type: 'STANDARD' | 'EXPRESS') {
  return validateDefinition(definitionText, { type }).diagnostics.filter((d) => d.severity === 'ERROR');
}

describe.skipIf(!haveConformanceCases())('validateDefinition against the recorded AWS cases', () => {
  const cases = loadConformanceCases();
  const rejected = cases.filter((c) => c.expected.createError !== undefined);
  const accepted = cases.filter((c) => c.expected.createError === undefined);

  it('has the recorded cases of both kinds to check', () => {
    expect(rejected.length).toBeGreaterThan(0);
    expect(accepted.length).toBeGreaterThan(0);
  });

  it.each(rejected.map((c) => [c.id, c] as const))('rejects what AWS rejected at CreateStateMachine: %s', (_id, c) => {
    const errors = errorsFor(c.definitionText ?? JSON.stringify(c.definition), c.type);

    expect(c.expected.createError).toBe('InvalidDefinition');
    expect(errors).not.toEqual([]);
    expect(invalidDefinitionMessage(errors)).toMatch(/^Invalid State Machine Definition: '.+'$/s);
  });

  // The label cases record "Error=ValueError Args=[…] in definition '…'", a Python exception text that
  // cannot be AWS's own, so only messages in AWS's InvalidDefinition form are compared.
  const withMessage = rejected.flatMap((c) => {
    const message = (c.expected as { createErrorMessage?: unknown }).createErrorMessage;
    return typeof message === 'string' && message.startsWith('Invalid State Machine Definition: ') ? [[c.id, c, message] as const] : [];
  });

  it.each(withMessage)('gives the message AWS gave at CreateStateMachine: %s', (_id, c, message) => {
    expect(invalidDefinitionMessage(errorsFor(c.definitionText ?? JSON.stringify(c.definition), c.type))).toBe(message);
  });

  it.each(accepted.map((c) => [c.id, c] as const))('accepts a definition AWS ran: %s', (_id, c) => {
    const errors = errorsFor(c.definitionText ?? JSON.stringify(c.definition), c.type);

    expect(errors).toEqual([]);
  });
});
