import type { Json } from '../json.js';

/** Where ASL's nondeterminism comes from: handed in by the runtime, never read inside lib/asl. */
export interface Entropy {
  /** A number in [0, 1). */
  random(): number;
  /** A version-4 UUID. */
  uuid(): string;
  /** A new task token: unguessable and URL-safe (`$$.Task.Token`). */
  taskToken(): string;
}

/** Variables visible to a state: its own frame's, then the enclosing Map/Parallel frames' (outward). */
export interface Variables {
  /** undefined when no variable of that name is in scope. */
  get(name: string): Json | undefined;
}

/** What a JSONPath expression, a payload template or an intrinsic function can read. */
export interface PathScope {
  /** `$`: the value the path is applied to (state input, raw result, ...). */
  readonly input: Json;
  /** `$$`: the context object (Execution, State, StateMachine, Task, Map.Item). */
  readonly context: Json;
  /** `$name`: workflow variables. */
  readonly variables: Variables;
  readonly entropy: Entropy;
}
