import type { JsonObject } from '../json.js';
import { finished } from '../op.js';
import { applyInputPath, applyOutputPath } from '../paths/input-output-path.js';
import { evaluatePayloadTemplate } from '../paths/payload-template.js';
import { applyResultPath } from '../paths/result-path.js';
import { pathScope, type StateIo, type SyncStateIo } from './state-io.js';

/**
 * JSONPath data flow: InputPath → Parameters → work → ResultSelector → ResultPath → OutputPath.
 * It never waits, so it is written as plain functions: a state handler that knows its state is a
 * JSONPath one calls them directly; jsonPathIo gives them as Ops.
 */
export const jsonPathFlow: SyncStateIo = {
  inputPathOnly(state, rawInput, scope) {
    return state.InputPath === undefined ? rawInput : applyInputPath(state.InputPath, pathScope(rawInput, scope));
  },

  effectiveInput(state, rawInput, scope) {
    // No scope object for a field that is absent (most are): this runs on every transition.
    const input = state.InputPath === undefined ? rawInput : applyInputPath(state.InputPath, pathScope(rawInput, scope));
    return state.Parameters === undefined ? input : evaluatePayloadTemplate(state.Parameters, pathScope(input, scope));
  },

  selectResult(state, result, scope) {
    return state.ResultSelector === undefined ? result : evaluatePayloadTemplate(state.ResultSelector, pathScope(result, scope));
  },

  output(state, rawInput, result, scope) {
    const combined = applyResultPath(rawInput, result, state.ResultPath);
    return state.OutputPath === undefined ? combined : applyOutputPath(state.OutputPath, pathScope(combined, scope));
  },

  assign(assign, rawInput, result, scope, errorOutput) {
    // In JSONPath states `$` inside Assign is the state's result (a Catcher's: the error output).
    const subject = errorOutput ?? result ?? rawInput;
    return evaluatePayloadTemplate(assign, pathScope(subject, scope)) as JsonObject;
  },

  catchOutput(catcher, rawInput, errorOutput) {
    return applyResultPath(rawInput, errorOutput, catcher.ResultPath);
  },

  value(_field, value) {
    return value;
  },
};

/**
 * jsonPathFlow as a StateIo: each method returns a finished Op, not a generator (this runs on every
 * transition of a JSONPath state, several times).
 */
export const jsonPathIo: StateIo = {
  inputPathOnly: (state, rawInput, scope) => finished(jsonPathFlow.inputPathOnly(state, rawInput, scope)),
  effectiveInput: (state, rawInput, scope) => finished(jsonPathFlow.effectiveInput(state, rawInput, scope)),
  selectResult: (state, result, scope) => finished(jsonPathFlow.selectResult(state, result, scope)),
  output: (state, rawInput, result, scope) => finished(jsonPathFlow.output(state, rawInput, result, scope)),
  assign: (assign, rawInput, result, scope, errorOutput) => finished(jsonPathFlow.assign(assign, rawInput, result, scope, errorOutput)),
  catchOutput: (catcher, rawInput, errorOutput, scope) => finished(jsonPathFlow.catchOutput(catcher, rawInput, errorOutput, scope)),
  value: (field, value, rawInput, scope) => finished(jsonPathFlow.value(field, value, rawInput, scope)),
};
