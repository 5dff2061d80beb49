import type { QueryLanguage, StateDefinition, StateMachineDefinition, SubMachine } from './definition.js';

/**
 * A definition indexed for stepping: every set of states (the top level, each Parallel branch, each
 * Map item processor) is a *scope* with a key, so a frame names where it runs with one string.
 * Keys: '' for the top level; `<parent>/<state>#<branch index>` for a branch; `<parent>/<state>` for a
 * Map's processor. State names are unique machine-wide (AWS requires it), so keys are unambiguous.
 */
export interface Scope {
  readonly key: string;
  readonly startAt: string;
  /**
   * The scope's states by name: a Map finds a state by a name read from `Next` (a string that is not
   * the definition's key itself) without the string-table lookup a property access by it costs.
   */
  readonly states: ReadonlyMap<string, StateDefinition>;
  /** The scope's Pass states that only pass data on, by name (PassThrough). */
  readonly passThrough: ReadonlyMap<string, PassThrough>;
  /**
   * Its states never wait: every one is JSONPath and a Pass, Choice, Succeed or Fail, or a Parallel or
   * Map whose own scopes are instant. A frame here runs to its end in one step (or fails, or runs out
   * of the step's states): the step that starts it may run it too (step.ts, runChildren).
   */
  readonly instant: boolean;
  /**
   * The scopes under each of its Parallel and Map states, by state name: a Parallel's branches in
   * order, a Map's item processor. Found here, not keyed and looked up for each child started.
   */
  readonly children: ReadonlyMap<string, readonly Scope[]>;
}

/**
 * A state that only passes data on (JSONPath, no Assign, nothing else to do): a Pass (its output is its
 * input through its paths, Parameters and Result), a Choice whose rules neither assign nor are JSONata's
 * (it moves on to the state its rules pick, its output its input through its paths), a Succeed (it ends
 * its frame). Linked to the next state when that is one too, so that a sequence of them runs as one loop
 * (Step.passThrough) instead of one state's handlers each.
 */
export interface PassThrough {
  readonly name: string;
  readonly state: StateDefinition;
  readonly type: 'Pass' | 'Choice' | 'Succeed';
  /** Its history events' types: `PassStateEntered`, `PassStateExited`, … */
  readonly entered: string;
  readonly exited: string;
  /** It leaves with its input as it is (no path, Parameters or Result), and reads nothing but (Choice) its rules' paths. */
  readonly plain: boolean;
  /** The state it moves on to; undefined where it ends its frame or (Choice) its rules choose. */
  readonly next: string | undefined;
  /** That next state, when it is a pass-through one too. */
  readonly then: PassThrough | undefined;
}

export interface Machine {
  readonly definition: StateMachineDefinition;
  readonly queryLanguage: QueryLanguage;
  readonly scopes: ReadonlyMap<string, Scope>;
}

export function compileMachine(definition: StateMachineDefinition): Machine {
  const scopes = new Map<string, Scope>();
  const language = definition.QueryLanguage ?? 'JSONPath';
  // A scope is instant or not by the scopes under it: they are added first.
  const add = (key: string, sub: SubMachine): Scope => {
    const states = new Map(Object.entries(sub.States));
    const children = new Map<string, Scope[]>();
    let instant = true;
    for (const [name, state] of states) {
      const inner = [
        ...(state.Branches ?? []).map((branch, i) => add(branchScopeKey(key, name, i), branch)),
        ...[state.ItemProcessor ?? state.Iterator].filter((processor) => processor !== undefined).map((processor) => add(mapScopeKey(key, name), processor)),
      ];
      if (inner.length > 0) children.set(name, inner);
      instant &&= (state.QueryLanguage ?? language) === 'JSONPath' && INSTANT_TYPES.has(state.Type) && inner.every((scope) => scope.instant);
    }
    const scope: Scope = { key, startAt: sub.StartAt, states, passThrough: passThroughStates(states, language), instant, children };
    scopes.set(key, scope);
    return scope;
  };
  add('', definition);
  return { definition, queryLanguage: language, scopes };
}

/** State types that never wait in themselves (a Parallel's or Map's children may). */
const INSTANT_TYPES = new Set<StateDefinition['Type']>(['Pass', 'Choice', 'Succeed', 'Fail', 'Parallel', 'Map']);

function passThroughStates(states: ReadonlyMap<string, StateDefinition>, machineLanguage: QueryLanguage): Map<string, PassThrough> {
  const links = new Map<string, { -readonly [K in keyof PassThrough]: PassThrough[K] }>();
  for (const [name, state] of states) {
    const type = state.Type;
    if ((type !== 'Pass' && type !== 'Choice' && type !== 'Succeed') || (state.QueryLanguage ?? machineLanguage) !== 'JSONPath' || state.Assign !== undefined) continue;
    if (type === 'Choice' && !(state.Choices ?? []).every((rule) => rule['Assign'] === undefined && rule['Condition'] === undefined && rule['Output'] === undefined)) continue;
    const plain = state.InputPath === undefined && state.Parameters === undefined && state.Result === undefined && state.ResultPath === undefined && state.OutputPath === undefined;
    const next = type === 'Pass' ? state.Next : undefined;
    links.set(name, { name, state, type, entered: `${type}StateEntered`, exited: `${type}StateExited`, plain, next, then: undefined });
  }
  for (const link of links.values()) if (link.next !== undefined) link.then = links.get(link.next);
  return links;
}

export function branchScopeKey(parent: string, stateName: string, index: number): string {
  return `${parent}/${stateName}#${index}`;
}

export function mapScopeKey(parent: string, stateName: string): string {
  return `${parent}/${stateName}`;
}

export function scopeOf(machine: Machine, key: string): Scope {
  const scope = machine.scopes.get(key);
  if (!scope) throw new Error(`no scope '${key}' in this state machine`);
  return scope;
}

/** The scopes under a Parallel (its branches, in order) or a Map (its item processor) of the scope `scopeKey`. */
export function childScopesOf(machine: Machine, scopeKey: string, stateName: string): readonly Scope[] {
  return scopeOf(machine, scopeKey).children.get(stateName) ?? NO_SCOPES;
}

const NO_SCOPES: readonly Scope[] = [];

export function stateOf(machine: Machine, scopeKey: string, name: string): StateDefinition {
  const state = scopeOf(machine, scopeKey).states.get(name);
  if (!state) throw new Error(`no state '${name}' in scope '${scopeKey}'`);
  return state;
}

export function queryLanguageOf(machine: Machine, state: StateDefinition): QueryLanguage {
  return state.QueryLanguage ?? machine.queryLanguage;
}
