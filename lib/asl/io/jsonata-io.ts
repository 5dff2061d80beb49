import type { JsonObject } from '../json.js';
import { evaluateJsonataTemplate, type JsonataBindings } from '../jsonata/index.js';
import type { IoScope, StateIo } from './state-io.js';
import { awaiting } from '../op.js';

/** `$states` (with the context object), the variables, and the step's entropy and time. */
export function jsonataBindings(scope: IoScope, states: JsonObject): JsonataBindings {
  return { states: { ...states, context: scope.context }, variables: scope.variables, entropy: scope.entropy, now: new Date(scope.now) };
}

/** JSONata data flow: `$states.input` → Arguments → work → `$states.result` → Output. */
export const jsonataIo: StateIo = {
  *inputPathOnly(_state, rawInput) {
    return rawInput;
  },

  *effectiveInput(state, rawInput, scope) {
    if (state.Arguments === undefined) return rawInput;
    return yield* awaiting(evaluateJsonataTemplate(state.Arguments, 'Arguments', jsonataBindings(scope, { input: rawInput })));
  },

  *selectResult(_state, result) {
    return result;
  },

  *output(state, rawInput, result, scope) {
    if (state.Output === undefined) return result;
    return yield* awaiting(evaluateJsonataTemplate(state.Output, 'Output', jsonataBindings(scope, { input: rawInput, result })));
  },

  *assign(assign, rawInput, result, scope, errorOutput) {
    const states: JsonObject = { input: rawInput };
    if (result !== undefined) states['result'] = result;
    if (errorOutput !== undefined) states['errorOutput'] = errorOutput;
    return (yield* awaiting(evaluateJsonataTemplate(assign, 'Assign', jsonataBindings(scope, states)))) as JsonObject;
  },

  *catchOutput(catcher, rawInput, errorOutput, scope) {
    if (catcher.Output === undefined) return errorOutput;
    return yield* awaiting(evaluateJsonataTemplate(catcher.Output, 'Output', jsonataBindings(scope, { input: rawInput, errorOutput })));
  },

  *value(field, value, rawInput, scope) {
    return yield* awaiting(evaluateJsonataTemplate(value, field, jsonataBindings(scope, { input: rawInput })));
  },
};

