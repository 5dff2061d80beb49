// Every States.* intrinsic by name: its accepted argument counts and its implementation.
import {
  statesArray,
  statesArrayContains,
  statesArrayGetItem,
  statesArrayLength,
  statesArrayPartition,
  statesArrayRange,
  statesArrayUnique,
} from './array.js';
import { statesBase64Decode, statesBase64Encode } from './encoding.js';
import type { IntrinsicFunction } from './function.js';
import { statesHash } from './hash.js';
import { statesJsonMerge, statesJsonToString, statesStringToJson } from './json.js';
import { statesMathAdd, statesMathRandom } from './math.js';
import { statesFormat, statesStringSplit } from './string.js';
import { statesUuid } from './uuid.js';

const REGISTRY: ReadonlyMap<string, IntrinsicFunction> = new Map([
  ['States.Array', statesArray],
  ['States.ArrayPartition', statesArrayPartition],
  ['States.ArrayContains', statesArrayContains],
  ['States.ArrayRange', statesArrayRange],
  ['States.ArrayGetItem', statesArrayGetItem],
  ['States.ArrayLength', statesArrayLength],
  ['States.ArrayUnique', statesArrayUnique],
  ['States.Base64Encode', statesBase64Encode],
  ['States.Base64Decode', statesBase64Decode],
  ['States.Hash', statesHash],
  ['States.JsonMerge', statesJsonMerge],
  ['States.StringToJson', statesStringToJson],
  ['States.JsonToString', statesJsonToString],
  ['States.MathRandom', statesMathRandom],
  ['States.MathAdd', statesMathAdd],
  ['States.StringSplit', statesStringSplit],
  ['States.UUID', statesUuid],
  ['States.Format', statesFormat],
]);

/** undefined for a name AWS does not know. */
export function intrinsicFunction(name: string): IntrinsicFunction | undefined {
  return REGISTRY.get(name);
}

export function intrinsicSignature(name: string): { minArgs: number; maxArgs: number } | undefined {
  return REGISTRY.get(name);
}

export const INTRINSIC_FUNCTION_NAMES: readonly string[] = [...REGISTRY.keys()];
