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
}

export interface Machine {
  readonly definition: StateMachineDefinition;
  readonly queryLanguage: QueryLanguage;
  readonly scopes: ReadonlyMap<string, Scope>;
}

export function compileMachine(definition: StateMachineDefinition): Machine {
  const scopes = new Map<string, Scope>();
  const add = (key: string, sub: SubMachine): void => {
    const states = new Map(Object.entries(sub.States));
    scopes.set(key, { key, startAt: sub.StartAt, states });
    for (const [name, state] of states) {
      state.Branches?.forEach((branch, i) => add(branchScopeKey(key, name, i), branch));
      const processor = state.ItemProcessor ?? state.Iterator;
      if (processor) add(mapScopeKey(key, name), processor);
    }
  };
  add('', definition);
  return { definition, queryLanguage: definition.QueryLanguage ?? 'JSONPath', scopes };
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

export function stateOf(machine: Machine, scopeKey: string, name: string): StateDefinition {
  const state = scopeOf(machine, scopeKey).states.get(name);
  if (!state) throw new Error(`no state '${name}' in scope '${scopeKey}'`);
  return state;
}

export function queryLanguageOf(machine: Machine, state: StateDefinition): QueryLanguage {
  return state.QueryLanguage ?? machine.queryLanguage;
}
