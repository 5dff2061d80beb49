// The state graph as an ELK graph (elkjs places it: layered, top to bottom): Parallel and Map
// nodes hold their branches / item processor as child nodes, each edge sits in the group both its
// ends share, so every coordinate ELK returns is relative to the node that holds it.
import type { ElkExtendedEdge, ElkNode, LayoutOptions } from 'elkjs/lib/elk-api.js';
import type { GraphEdge, GraphNode, StateGraph } from './graph.js';

/** Beyond this many states the layout is not attempted: the page says so and shows the definition. */
export const MAX_DRAWN_STATES = 600;

export const NODE_HEIGHT = 46;
const CHAR_WIDTH = 7.2;
const LABEL_HEIGHT = 16;
export const GROUP_HEADER = 26;

const LAYERED: LayoutOptions = {
  'elk.algorithm': 'layered',
  'elk.direction': 'DOWN',
  'elk.layered.spacing.nodeNodeBetweenLayers': '36',
  'elk.spacing.nodeNode': '28',
  'elk.spacing.edgeLabel': '4',
  'elk.edgeLabels.placement': 'CENTER',
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.padding': `[top=${GROUP_HEADER + 8},left=14,bottom=14,right=14]`,
};

/** A state's box: wide enough for its name and type. */
export function nodeWidth(node: GraphNode): number {
  if (node.kind !== 'state') return 64;
  return Math.max(120, Math.ceil(Math.max(node.name.length, node.type.length + 2) * CHAR_WIDTH) + 28);
}

export function toElkGraph(graph: StateGraph): ElkNode {
  const childrenOf = new Map<string, ElkNode[]>();
  const edgesOf = new Map<string, ElkExtendedEdge[]>();
  const push = <T>(map: Map<string, T[]>, key: string, value: T): void => {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
  };
  for (const node of graph.nodes) push(childrenOf, node.scope, { id: node.id, width: nodeWidth(node), height: node.kind === 'state' ? NODE_HEIGHT : 32 });
  for (const edge of graph.edges) push(edgesOf, edge.scope, elkEdge(edge));
  const groupsOf = new Map<string, ElkNode[]>();
  for (const group of graph.groups) push(groupsOf, group.owner, { id: group.id, layoutOptions: LAYERED });
  const fill = (node: ElkNode): ElkNode => {
    const groups = groupsOf.get(node.id);
    if (groups) {
      // A Parallel or Map: its groups side by side, its own size from them.
      node.children = groups.map(fill);
      // Unconnected groups all fall in the first layer: one row, side by side.
      node.layoutOptions = { ...LAYERED, 'elk.separateConnectedComponents': 'false' };
      delete node.width;
      delete node.height;
    } else if (childrenOf.has(node.id)) {
      node.children = childrenOf.get(node.id)!.map(fill);
      node.edges = edgesOf.get(node.id) ?? [];
    }
    return node;
  };
  const root: ElkNode = { id: 'root', layoutOptions: { ...LAYERED, 'elk.padding': '[top=12,left=12,bottom=12,right=12]' }, children: (childrenOf.get('') ?? []).map(fill), edges: edgesOf.get('') ?? [] };
  return root;
}

function elkEdge(edge: GraphEdge): ElkExtendedEdge {
  const out: ElkExtendedEdge = { id: edge.id, sources: [edge.source], targets: [edge.target] };
  if (edge.label !== '') out.labels = [{ id: `${edge.id}:label`, text: edge.label, width: Math.ceil(edge.label.length * 6.2) + 8, height: LABEL_HEIGHT }];
  return out;
}

export interface Layouter {
  layout(graph: ElkNode): Promise<ElkNode>;
}

/** Lays the graph out, or says in a sentence why it could not be. */
export async function layoutStateGraph(elk: Layouter, graph: StateGraph): Promise<ElkNode> {
  const states = graph.nodes.filter((n) => n.kind === 'state').length;
  if (states > MAX_DRAWN_STATES) throw new LayoutError(`This state machine has ${states} states; the console draws up to ${MAX_DRAWN_STATES}.`);
  try {
    return await elk.layout(toElkGraph(graph));
  } catch (e) {
    throw new LayoutError(`The layout engine could not place this graph: ${e instanceof Error ? e.message : String(e)}`);
  }
}

export class LayoutError extends Error {}
