import type { Json } from '../json.js';
import type { PathScope } from '../paths/scope.js';
import type { IntrinsicCall } from './parse.js';

/** What an implementation sees besides its evaluated arguments. */
export interface IntrinsicContext {
  readonly scope: PathScope;
  /** The parsed call, for functions that read their arguments' source (States.Format's template). */
  readonly call: IntrinsicCall;
}

export interface IntrinsicFunction {
  /** Argument counts AWS accepts; checked when the definition is parsed. */
  readonly minArgs: number;
  readonly maxArgs: number;
  /** Throws StatesError when the arguments are of the wrong type or out of range. */
  apply(args: readonly Json[], context: IntrinsicContext): Json;
}
