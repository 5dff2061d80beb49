import type { StateDefinition } from '../definition.js';
import type { Op } from '../op.js';
import type { Json, JsonObject } from '../json.js';
import type { Entropy, PathScope, Variables } from '../paths/scope.js';

/** Everything a state's data processing may read. */
export interface IoScope {
  readonly context: JsonObject;
  readonly variables: Variables;
  readonly entropy: Entropy;
  /** Epoch ms of this step: what JSONata's $now() and $millis() report. */
  readonly now: number;
}

/**
 * A state's data flow in one query language (AWS guide, "Processing input and output"):
 * raw input → effective input → (the state's work) → result → output, plus Assign.
 * jsonpath-io.ts and jsonata-io.ts are the two implementations.
 */
export interface StateIo {
  /** JSONPath: InputPath then Parameters; JSONata: Arguments (or the raw input). */
  effectiveInput(state: StateDefinition, rawInput: Json, scope: IoScope): Op<Json>;
  /** JSONPath: InputPath only (Map's ItemsPath and Parallel read from here); JSONata: the raw input. */
  inputPathOnly(state: StateDefinition, rawInput: Json, scope: IoScope): Op<Json>;
  /** JSONPath: ResultSelector; JSONata: the result as it is. What Assign sees as the result. */
  selectResult(state: StateDefinition, result: Json, scope: IoScope): Op<Json>;
  /** JSONPath: ResultPath, OutputPath (over a selected result); JSONata: Output (default: the result). */
  output(state: StateDefinition, rawInput: Json, result: Json, scope: IoScope): Op<Json>;
  /** Values of `Assign` (state-level, a Choice rule's or a Catcher's), evaluated with the values at state entry. */
  assign(assign: JsonObject, rawInput: Json, result: Json | undefined, scope: IoScope, errorOutput?: JsonObject): Op<JsonObject>;
  /** A Catcher's output: JSONPath ResultPath over the raw input; JSONata Output (default: the error output). */
  catchOutput(catcher: { ResultPath?: string | null; Output?: Json }, rawInput: Json, errorOutput: JsonObject, scope: IoScope): Op<Json>;
  /** A field that is a number or, in JSONata, an expression (Wait Seconds, MaxConcurrency, ...). */
  value(field: string, value: Json, rawInput: Json, scope: IoScope): Op<Json>;
}

/** A StateIo whose results come back directly: the JSONPath data flow, which never waits. */
export type SyncStateIo = {
  [K in keyof StateIo]: (...args: Parameters<StateIo[K]>) => ReturnType<StateIo[K]> extends Op<infer T> ? T : never;
};

/** A state's scope seen by JSONPath: `$` is `input`; the context object is built only if `$$` is read. */
export function pathScope(input: Json, scope: IoScope): PathScope {
  return new PathScopeView(input, scope);
}

// A class rather than an object literal with a getter: V8 keeps one shape for every instance.
class PathScopeView implements PathScope {
  constructor(
    readonly input: Json,
    private readonly scope: IoScope,
  ) {}

  get context(): Json {
    return this.scope.context;
  }

  get variables(): Variables {
    return this.scope.variables;
  }

  get entropy(): Entropy {
    return this.scope.entropy;
  }
}
