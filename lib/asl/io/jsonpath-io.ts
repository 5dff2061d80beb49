import type { JsonObject } from '../json.js';
import { applyInputPath, applyOutputPath } from '../paths/input-output-path.js';
import { evaluatePayloadTemplate } from '../paths/payload-template.js';
import { applyResultPath } from '../paths/result-path.js';
import { pathScope, type StateIo } from './state-io.js';


/** JSONPath data flow: InputPath → Parameters → work → ResultSelector → ResultPath → OutputPath. */
export const jsonPathIo: StateIo = {
  *inputPathOnly(state, rawInput, scope) {
    return state.InputPath === undefined ? rawInput : applyInputPath(state.InputPath, pathScope(rawInput, scope));
  },

  *effectiveInput(state, rawInput, scope) {
    // No scope object for a field that is absent (most are): this runs on every transition.
    const input = state.InputPath === undefined ? rawInput : applyInputPath(state.InputPath, pathScope(rawInput, scope));
    return state.Parameters === undefined ? input : evaluatePayloadTemplate(state.Parameters, pathScope(input, scope));
  },

  *selectResult(state, result, scope) {
    return state.ResultSelector === undefined ? result : evaluatePayloadTemplate(state.ResultSelector, pathScope(result, scope));
  },

  *output(state, rawInput, result, scope) {
    const combined = applyResultPath(rawInput, result, state.ResultPath);
    return state.OutputPath === undefined ? combined : applyOutputPath(state.OutputPath, pathScope(combined, scope));
  },

  *assign(assign, rawInput, result, scope, errorOutput) {
    // In JSONPath states `$` inside Assign is the state's result (a Catcher's: the error output).
    const subject = errorOutput ?? result ?? rawInput;
    return evaluatePayloadTemplate(assign, pathScope(subject, scope)) as JsonObject;
  },

  *catchOutput(catcher, rawInput, errorOutput) {
    return applyResultPath(rawInput, errorOutput, catcher.ResultPath);
  },

  *value(_field, value) {
    return value;
  },
};

