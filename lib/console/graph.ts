// A state machine definition as a graph: one node per state, edges for Next, Default, each Choice
// rule and each Catch, Parallel branches and Map item processors as nested groups. Pure: the
// console draws it (layout.ts, render-graph.ts), the tests check it without a browser.

/** The parts of an ASL state the graph needs; everything else is ignored. */
interface StateJson {
  readonly Type?: unknown;
  readonly Next?: unknown;
  readonly End?: unknown;
  readonly Default?: unknown;
  readonly Choices?: unknown;
  readonly Catch?: unknown;
  readonly Branches?: unknown;
  readonly ItemProcessor?: unknown;
  readonly Iterator?: unknown;
}

export type EdgeKind = 'start' | 'next' | 'default' | 'choice' | 'catch' | 'end';

export interface GraphNode {
  readonly id: string;
  /** The state's name (unique in a whole state machine, as the ASL specification requires); '' for start and end. */
  readonly name: string;
  readonly kind: 'state' | 'start' | 'end';
  /** The ASL Type of a state ('Task', 'Map', …). */
  readonly type: string;
  /** The group the node sits in ('' at the top level). */
  readonly scope: string;
  /** The first state of its scope (StartAt). */
  readonly isStart: boolean;
  /** A state that ends its scope (End: true, Succeed, Fail). */
  readonly isEnd: boolean;
}

/** A Parallel branch or a Map item processor: a States object drawn inside its state's node. */
export interface GraphGroup {
  readonly id: string;
  readonly label: string;
  readonly kind: 'branch' | 'processor';
  /** The Parallel or Map node that holds it. */
  readonly owner: string;
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  readonly target: string;
  readonly kind: EdgeKind;
  readonly label: string;
  /** The group both ends sit in ('' at the top level). */
  readonly scope: string;
}

export interface StateGraph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
  readonly groups: readonly GraphGroup[];
  /** What could not be drawn (a Next naming no state, …): shown beside the graph. */
  readonly problems: readonly string[];
}

export const START_ID = 'start';
export const END_ID = 'end';

/** Thrown for a definition that is not an ASL object at all (no States, not JSON). */
export class DefinitionShapeError extends Error {}

/** The graph of a definition (its JSON text, as DescribeStateMachine returns it). */
export function buildStateGraph(definitionText: string): StateGraph {
  let definition: unknown;
  try {
    definition = JSON.parse(definitionText);
  } catch (e) {
    throw new DefinitionShapeError(`The definition is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  const nodes: GraphNode[] = [];
  const edges: GraphEdge[] = [];
  const groups: GraphGroup[] = [];
  const problems: string[] = [];
  const top = asStates(definition, 'the definition');
  nodes.push({ id: START_ID, name: '', kind: 'start', type: 'Start', scope: '', isStart: false, isEnd: false });
  const ends = addScope(top, '', '', { nodes, edges, groups, problems });
  nodes.push({ id: END_ID, name: '', kind: 'end', type: 'End', scope: '', isStart: false, isEnd: false });
  const startAt = typeof top.StartAt === 'string' ? top.StartAt : undefined;
  if (startAt !== undefined && top.States[startAt] !== undefined) edges.push(edge(START_ID, stateId('', startAt), 'start', '', ''));
  for (const id of ends) edges.push(edge(id, END_ID, 'end', '', ''));
  return { nodes, edges, groups, problems };
}

interface Sink {
  readonly nodes: GraphNode[];
  readonly edges: GraphEdge[];
  readonly groups: GraphGroup[];
  readonly problems: string[];
}

interface StatesJson {
  readonly StartAt?: unknown;
  readonly States: Readonly<Record<string, StateJson>>;
}

function asStates(value: unknown, where: string): StatesJson {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new DefinitionShapeError(`${where} is not a JSON object`);
  const states = (value as { States?: unknown }).States;
  if (typeof states !== 'object' || states === null || Array.isArray(states)) throw new DefinitionShapeError(`${where} has no States object`);
  return value as StatesJson;
}

const stateId = (scope: string, name: string): string => (scope === '' ? `s:${name}` : `${scope}/${name}`);

function edge(source: string, target: string, kind: EdgeKind, label: string, scope: string): GraphEdge {
  return { id: `${source}->${target}:${kind}:${label}`, source, target, kind, label, scope };
}

/** Adds one States object's nodes and edges; returns the ids of its states that end it. */
function addScope(states: StatesJson, scope: string, idPrefix: string, sink: Sink): string[] {
  const ends: string[] = [];
  const names = Object.keys(states.States);
  const target = (from: string, to: unknown, what: string): string | undefined => {
    if (typeof to === 'string' && states.States[to] !== undefined) return stateId(idPrefix, to);
    sink.problems.push(`${from}: ${what} ${JSON.stringify(to)} is not a state${scope === '' ? '' : ' of its branch'}`);
    return undefined;
  };
  const link = (from: string, to: unknown, kind: EdgeKind, label: string, what: string): void => {
    const id = target(from, to, what);
    if (id !== undefined) sink.edges.push(edge(stateId(idPrefix, from), id, kind, label, scope));
  };
  for (const name of names) {
    const state = states.States[name]!;
    const type = typeof state.Type === 'string' ? state.Type : '?';
    const id = stateId(idPrefix, name);
    const isEnd = state.End === true || type === 'Succeed' || type === 'Fail';
    sink.nodes.push({ id, name, kind: 'state', type, scope, isStart: states.StartAt === name, isEnd });
    if (isEnd) ends.push(id);
    if (state.Next !== undefined) link(name, state.Next, 'next', '', 'Next');
    if (type === 'Choice') {
      const rules = Array.isArray(state.Choices) ? (state.Choices as unknown[]) : [];
      rules.forEach((rule, index) => link(name, (rule as { Next?: unknown } | null)?.Next, 'choice', choiceLabel(rule, index), `Choices[${index}].Next`));
      if (state.Default !== undefined) link(name, state.Default, 'default', 'Default', 'Default');
    }
    const catchers = Array.isArray(state.Catch) ? (state.Catch as unknown[]) : [];
    catchers.forEach((catcher, index) => {
      const errors = (catcher as { ErrorEquals?: unknown } | null)?.ErrorEquals;
      link(name, (catcher as { Next?: unknown } | null)?.Next, 'catch', `Catch ${Array.isArray(errors) ? errors.join(', ') : ''}`.trim(), `Catch[${index}].Next`);
    });
    if (type === 'Parallel') {
      const branches = Array.isArray(state.Branches) ? (state.Branches as unknown[]) : [];
      branches.forEach((branch, index) => addGroup(id, `${id}#${index}`, `Branch ${index + 1}`, 'branch', branch, `${name}: Branches[${index}]`, sink));
    }
    if (type === 'Map') {
      const processor = state.ItemProcessor ?? state.Iterator;
      addGroup(id, `${id}#items`, 'Item processor', 'processor', processor, `${name}: ItemProcessor`, sink);
    }
  }
  return ends;
}

function addGroup(owner: string, id: string, label: string, kind: GraphGroup['kind'], value: unknown, where: string, sink: Sink): void {
  let states: StatesJson;
  try {
    states = asStates(value, where);
  } catch (e) {
    sink.problems.push((e as Error).message);
    return;
  }
  sink.groups.push({ id, label, kind, owner });
  addScope(states, id, id, sink);
}

const MAX_LABEL = 36;

/** A Choice rule in a few words: its comparison (JSONPath) or its condition (JSONata). */
export function choiceLabel(rule: unknown, index: number): string {
  const r = (rule ?? {}) as Record<string, unknown>;
  let text: string;
  if (typeof r['Condition'] === 'string') text = r['Condition'];
  else if (Array.isArray(r['And'])) text = `And(${r['And'].length} rules)`;
  else if (Array.isArray(r['Or'])) text = `Or(${r['Or'].length} rules)`;
  else if (r['Not'] !== undefined) text = 'Not(…)';
  else {
    const operator = Object.keys(r).find((k) => k !== 'Variable' && k !== 'Next' && k !== 'Comment' && k !== 'Assign' && k !== 'Output');
    text = typeof r['Variable'] === 'string' && operator !== undefined ? `${r['Variable']} ${operator} ${JSON.stringify(r[operator])}` : `Rule ${index + 1}`;
  }
  return text.length > MAX_LABEL ? `${text.slice(0, MAX_LABEL - 1)}…` : text;
}
