// InputPath selects the part of the raw input a state works on; OutputPath the part of its output passed on.
// Both are Paths (ASL spec): absent means `$`, null means an empty object.
import { StatesError } from '../errors.js';
import type { Json } from '../json.js';
import { describePathMiss, readPath } from './json-path.js';
import type { PathScope } from './scope.js';

/** The effective input: `scope.input` narrowed by InputPath. */
export function applyInputPath(path: string | null | undefined, scope: PathScope): Json {
  return selectWithPath(path, scope);
}

/** The effective output: `scope.input` (here the state's output so far) narrowed by OutputPath. */
export function applyOutputPath(path: string | null | undefined, scope: PathScope): Json {
  return selectWithPath(path, scope);
}

function selectWithPath(path: string | null | undefined, scope: PathScope): Json {
  if (path === undefined || path === '$') return scope.input;
  if (path === null) return {};
  const value = readPath(path, scope);
  if (value === undefined) {
    // Recorded from AWS: "Invalid path '$.NoSuchInputPath' : No results for path: $['NoSuchInputPath']".
    throw StatesError.runtime(`Invalid path '${path}' : ${describePathMiss(path, scope)}`);
  }
  return value;
}
