// States.StringToJson, States.JsonToString, States.JsonMerge.
import { isJsonObject, type Json } from '../json.js';
import { invalidArguments } from './failure.js';
import type { IntrinsicFunction } from './function.js';

export const statesStringToJson: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  apply([text]) {
    if (typeof text !== 'string') throw invalidArguments('States.StringToJson');
    // A blank string parses to null rather than failing (LocalStack, mirroring AWS).
    if (text.trim() === '') return null;
    try {
      return JSON.parse(text) as Json;
    } catch {
      throw invalidArguments('States.StringToJson');
    }
  },
};

export const statesJsonToString: IntrinsicFunction = {
  minArgs: 1,
  maxArgs: 1,
  apply: ([value]) => JSON.stringify(value),
};

export const statesJsonMerge: IntrinsicFunction = {
  minArgs: 3,
  maxArgs: 3,
  apply([first, second, deep]) {
    // "Currently, Step Functions only supports the shallow merging mode; therefore, you must specify
    // the boolean value as false."
    if (!isJsonObject(first) || !isJsonObject(second) || deep !== false) throw invalidArguments('States.JsonMerge');
    return { ...first, ...second };
  },
};
