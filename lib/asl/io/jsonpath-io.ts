import type { JsonObject } from '../json.js';
import { finished } from '../op.js';
import { applyInputPath, applyOutputPath } from '../paths/input-output-path.js';
import { evaluatePayloadTemplate } from '../paths/payload-template.js';
import { applyResultPath } from '../paths/result-path.js';
import { pathScope, type StateIo } from './state-io.js';

/**
 * JSONPath data flow: InputPath → Parameters → work → ResultSelector → ResultPath → OutputPath.
 * Synchronous throughout: each method returns a finished Op, not a generator (this runs on every
 * transition of a JSONPath state, several times).
 */
export const jsonPathIo: StateIo = {
  inputPathOnly(state, rawInput, scope) {
    return finished(state.InputPath === undefined ? rawInput : applyInputPath(state.InputPath, pathScope(rawInput, scope)));
  },

  effectiveInput(state, rawInput, scope) {
    // No scope object for a field that is absent (most are).
    const input = state.InputPath === undefined ? rawInput : applyInputPath(state.InputPath, pathScope(rawInput, scope));
    return finished(state.Parameters === undefined ? input : evaluatePayloadTemplate(state.Parameters, pathScope(input, scope)));
  },

  selectResult(state, result, scope) {
    return finished(state.ResultSelector === undefined ? result : evaluatePayloadTemplate(state.ResultSelector, pathScope(result, scope)));
  },

  output(state, rawInput, result, scope) {
    const combined = applyResultPath(rawInput, result, state.ResultPath);
    return finished(state.OutputPath === undefined ? combined : applyOutputPath(state.OutputPath, pathScope(combined, scope)));
  },

  assign(assign, rawInput, result, scope, errorOutput) {
    // In JSONPath states `$` inside Assign is the state's result (a Catcher's: the error output).
    const subject = errorOutput ?? result ?? rawInput;
    return finished(evaluatePayloadTemplate(assign, pathScope(subject, scope)) as JsonObject);
  },

  catchOutput(catcher, rawInput, errorOutput) {
    return finished(applyResultPath(rawInput, errorOutput, catcher.ResultPath));
  },

  value(_field, value) {
    return finished(value);
  },
};
