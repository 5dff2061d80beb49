// The state graph as SVG: ELK (in a Web Worker, so a graph that takes long never freezes the page)
// places it, this draws it. States are focusable buttons; colours come from a status per state name.
import elkApi from 'elkjs/lib/elk-api.js';
import type { ElkEdgeSection, ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api.js';
import { buildStateGraph, type GraphEdge, type GraphGroup, type GraphNode, type StateGraph } from '../graph.js';
import { GROUP_HEADER, layoutStateGraph, LayoutError } from '../layout.js';
import type { StateStatus } from '../progress.js';
import { h, messageOf, notice, s } from './dom.js';

/** A layout that takes longer than this is abandoned (its worker ended) with a message. */
const LAYOUT_TIMEOUT_MS = 15_000;

export interface GraphView {
  /** Colours each state by its name's status (absent: not reached). */
  setStatuses(statuses: ReadonlyMap<string, StateStatus>): void;
  select(name: string | undefined): void;
}

const STATUS_WORDS: Readonly<Record<StateStatus, string>> = {
  succeeded: 'succeeded',
  failed: 'failed',
  caught: 'caught an error',
  running: 'running',
  aborted: 'aborted',
  notReached: 'not reached',
};

/** Draws the definition into `container` (replacing what is there); never throws: failures become a message. */
export async function drawGraph(container: HTMLElement, definitionText: string, onSelect?: (name: string) => void): Promise<GraphView> {
  const states: SVGGElement[] = [];
  let selected: string | undefined;
  const view: GraphView = {
    setStatuses(statuses) {
      for (const g of states) {
        const status = statuses.get(g.dataset['state'] ?? '') ?? 'notReached';
        g.dataset['status'] = status;
        g.setAttribute('aria-label', `${g.dataset['state']}, ${g.dataset['type']} state, ${STATUS_WORDS[status]}`);
      }
    },
    select(name) {
      selected = name;
      for (const g of states) g.classList.toggle('selected', g.dataset['state'] === selected);
    },
  };
  container.replaceChildren(notice('info', 'Laying out the graph…'));
  let graph: StateGraph;
  let laid: ElkNode;
  try {
    graph = buildStateGraph(definitionText);
    laid = await layoutInWorker(graph);
  } catch (e) {
    container.replaceChildren(notice('error', `The graph cannot be drawn. ${messageOf(e)} The definition is shown as JSON.`));
    return view;
  }
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const groups = new Map(graph.groups.map((g) => [g.id, g]));
  const edges = new Map(graph.edges.map((e) => [e.id, e]));
  const width = laid.width ?? 0;
  const height = laid.height ?? 0;
  const margin = 8;
  const svg = s('svg', { class: 'graph', viewBox: `${-margin} ${-margin} ${width + 2 * margin} ${height + 2 * margin}`, width: width + 2 * margin, height: height + 2 * margin, role: 'group', 'aria-label': 'State machine graph' });
  svg.append(
    s('defs', {}, s('marker', { id: 'arrow', viewBox: '0 0 10 10', refX: 9, refY: 5, markerWidth: 7, markerHeight: 7, orient: 'auto-start-reverse' }, s('path', { d: 'M0,0 L10,5 L0,10 z', class: 'arrowhead' }))),
  );
  const draw = (elk: ElkNode, into: SVGGElement): void => {
    for (const child of elk.children ?? []) {
      const g = s('g', { transform: `translate(${child.x ?? 0},${child.y ?? 0})` });
      into.append(g);
      const group = groups.get(child.id);
      const node = nodes.get(child.id);
      if (group) drawGroup(g, child, group);
      else if (node) {
        const drawn = drawNode(g, child, node);
        if (drawn) {
          states.push(drawn);
          // A state inside a Parallel or Map is drawn inside its node: the outer one must not take the event too.
          const choose = (event: Event) => {
            event.stopPropagation();
            view.select(node.name);
            onSelect?.(node.name);
          };
          drawn.addEventListener('click', choose);
          drawn.addEventListener('keydown', (event) => {
            if (event.key === 'Enter' || event.key === ' ') {
              event.preventDefault();
              choose(event);
            }
          });
        }
      }
      draw(child, g);
    }
    for (const edge of elk.edges ?? []) drawEdge(into, edge, edges.get(edge.id), nodes);
  };
  const root = s('g', {});
  svg.append(root);
  draw(laid, root);
  container.replaceChildren(h('div', { class: 'graph-scroll' }, svg), ...(graph.problems.length > 0 ? [notice('error', `Not drawn: ${graph.problems.join('; ')}`)] : []));
  view.setStatuses(new Map());
  return view;
}

async function layoutInWorker(graph: StateGraph): Promise<ElkNode> {
  // The package is CommonJS; its constructor is also its own `default`, which is what its types name.
  const elk = new elkApi.default({ workerUrl: new URL('elk-worker.min.js', document.baseURI).href });
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new LayoutError(`The layout took longer than ${LAYOUT_TIMEOUT_MS / 1000} s and was stopped.`)), LAYOUT_TIMEOUT_MS);
  });
  try {
    return await Promise.race([layoutStateGraph(elk, graph), timeout]);
  } finally {
    clearTimeout(timer);
    elk.terminateWorker();
  }
}

function drawGroup(g: SVGGElement, elk: ElkNode, group: GraphGroup): void {
  g.classList.add('group', `group-${group.kind}`);
  g.append(s('rect', { width: elk.width ?? 0, height: elk.height ?? 0, rx: 6 }), s('text', { x: 10, y: 18, class: 'group-label' }, group.label));
}

function drawNode(g: SVGGElement, elk: ElkNode, node: GraphNode): SVGGElement | undefined {
  const width = elk.width ?? 0;
  const height = elk.height ?? 0;
  if (node.kind !== 'state') {
    g.classList.add('terminal');
    g.dataset['terminal'] = node.kind;
    g.append(s('rect', { width, height, rx: height / 2 }), s('text', { x: width / 2, y: height / 2 + 5, 'text-anchor': 'middle' }, node.kind === 'start' ? 'Start' : 'End'));
    return undefined;
  }
  const compound = (elk.children?.length ?? 0) > 0;
  g.classList.add('state');
  if (compound) g.classList.add('compound');
  if (node.isStart) g.classList.add('is-start');
  if (node.isEnd) g.classList.add('is-end');
  g.dataset['state'] = node.name;
  g.dataset['type'] = node.type;
  g.setAttribute('tabindex', '0');
  g.setAttribute('role', 'button');
  g.append(s('title', {}, `${node.name} (${node.type})${node.isStart ? ', first state of its scope' : ''}${node.isEnd ? ', ends its scope' : ''}`));
  g.append(s('rect', { width, height, rx: 6, class: 'box' }));
  if (compound) {
    g.append(s('text', { x: 10, y: GROUP_HEADER - 8, class: 'name' }, node.name, s('tspan', { class: 'type' }, `  ${node.type}`)));
  } else {
    g.append(s('text', { x: width / 2, y: 19, 'text-anchor': 'middle', class: 'name' }, node.name), s('text', { x: width / 2, y: 36, 'text-anchor': 'middle', class: 'type' }, node.type));
  }
  if (node.isEnd) g.append(s('rect', { x: width - 10, y: height - 10, width: 6, height: 6, class: 'end-mark' }));
  return g;
}

function drawEdge(into: SVGGElement, edge: ElkExtendedEdge, model: GraphEdge | undefined, nodes: ReadonlyMap<string, GraphNode>): void {
  const kind = model?.kind ?? 'next';
  const source = nodes.get(model?.source ?? '');
  const target = nodes.get(model?.target ?? '');
  const g = s('g', { class: `edge edge-${kind}`, 'data-source': source?.name || source?.kind, 'data-target': target?.name || target?.kind, 'data-kind': kind });
  for (const section of edge.sections ?? []) g.append(s('path', { d: pathOf(section), 'marker-end': 'url(#arrow)' }));
  for (const label of edge.labels ?? []) {
    const x = label.x ?? 0;
    const y = label.y ?? 0;
    g.append(s('rect', { x, y, width: label.width ?? 0, height: label.height ?? 0, class: 'edge-label-bg', rx: 3 }), s('text', { x: x + 4, y: y + 12, class: 'edge-label' }, label.text ?? ''));
  }
  into.append(g);
}

function pathOf(section: ElkEdgeSection): string {
  const points = [section.startPoint, ...(section.bendPoints ?? []), section.endPoint];
  return points.map((p, i) => `${i === 0 ? 'M' : 'L'}${p.x},${p.y}`).join(' ');
}
