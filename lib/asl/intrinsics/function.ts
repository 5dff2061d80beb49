import type { Json } from '../json.js';
import type { PathScope } from '../paths/scope.js';
import type { IntrinsicCall } from './parse.js';

export interface IntrinsicFunction {
  /** Argument counts AWS accepts; checked when the definition is parsed. */
  readonly minArgs: number;
  readonly maxArgs: number;
  /**
   * Throws StatesError when the arguments are of the wrong type or out of range. `call` is the parsed
   * call, for functions that read their arguments' source (States.Format's template).
   */
  apply(args: readonly Json[], scope: PathScope, call: IntrinsicCall): Json;
}
