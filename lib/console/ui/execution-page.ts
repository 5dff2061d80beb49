// One execution: its graph coloured by what happened (updated while it runs), the states' inputs
// and outputs, the history a page at a time, and the actions: stop, answer a waiting task.
import { describeExecution, describeStateMachineForExecution, getExecutionHistory, sendTaskFailure, sendTaskSuccess, stopExecution, type Execution } from '../api.js';
import { eventDetails, executionProgress, waitingTasks, type ExecutionProgress, type HistoryEvent, type StateVisit, type WaitingTask } from '../progress.js';
import { drawGraph, type GraphView } from './graph-view.js';
import { formatTime, h, link, machineHref, messageOf, notice, prettyJson, statusBadge } from './dom.js';
import type { PageContext } from './pager.js';

const HISTORY_PAGE_SIZE = 100;
/** Visits listed for one state (a Map of ten thousand items lists the first ones and says so). */
const MAX_VISITS_SHOWN = 100;

export async function executionPage(root: HTMLElement, context: PageContext, executionArn: string): Promise<void> {
  root.replaceChildren(notice('info', 'Loading the execution…'));
  let execution: Execution;
  try {
    execution = await describeExecution(executionArn);
  } catch (e) {
    root.replaceChildren(h('h1', {}, 'Execution'), notice('error', messageOf(e)), h('p', {}, link('#/', 'Back to the state machines')));
    return;
  }
  let definition = '';
  const live = h('div', { class: 'live', 'aria-live': 'polite' });
  const header = h('div', { class: 'execution-header' });
  const callbacks = h('section', { class: 'card callbacks', 'aria-label': 'Waiting tasks', hidden: true });
  const graphPane = h('div', { class: 'graph-pane' });
  const details = h('section', { class: 'card state-details', 'aria-label': 'State details' }, h('h2', {}, 'State'), h('p', {}, 'Select a state in the graph (click, or Tab to it and press Enter) to see its input and output.'));
  const io = h('section', { class: 'card', 'aria-label': 'Execution input and output' });
  const history = historyTable();
  // The graph first; beside it what waits for an answer, then the selected state.
  root.replaceChildren(header, live, h('div', { class: 'split' }, h('section', { 'aria-label': 'Graph' }, h('h2', {}, 'Graph'), legend(), graphPane), h('div', { class: 'side' }, callbacks, details)), io, history.element);

  let events: HistoryEvent[] = [];
  let progress: ExecutionProgress = executionProgress([], execution.status);
  let selected: string | undefined;
  let graph: GraphView | undefined;
  let callbacksKey = '';

  const render = (): void => {
    header.replaceChildren(
      h('h1', {}, execution.name, ' ', statusBadge(execution.status), execution.status === 'RUNNING' ? stopControl() : ''),
      h('p', { class: 'meta' }, 'State machine ', link(machineHref(execution.stateMachineArn), execution.stateMachineArn.split(':').at(-1) ?? ''), ` · started ${formatTime(execution.startDate)} · stopped ${formatTime(execution.stopDate)}`),
    );
    io.replaceChildren(
      h('h2', {}, 'Input and output'),
      h('div', { class: 'split' }, h('div', {}, h('h3', {}, 'Input'), h('pre', { class: 'json', tabindex: 0 }, prettyJson(execution.input))), h('div', {}, h('h3', {}, execution.error !== undefined ? 'Error' : 'Output'), h('pre', { class: 'json', tabindex: 0 }, execution.error !== undefined ? `${execution.error}\n${execution.cause ?? ''}` : prettyJson(execution.output)))),
    );
    graph?.setStatuses(progress.statusByName);
    if (selected !== undefined) showState(selected);
    history.show(events, progress);
    const waiting = waitingTasks(progress, definition);
    const key = waiting.map((w) => `${w.visit.enteredEventId}:${w.visit.scheduled?.id}`).join(',');
    if (key !== callbacksKey) {
      callbacksKey = key;
      callbacks.hidden = waiting.length === 0;
      callbacks.replaceChildren(h('h2', {}, 'Waiting for an answer'), ...waiting.map((w) => callbackForm(w, () => void refresh())));
    }
  };

  const stopControl = (): HTMLElement => {
    const button = h('button', { type: 'button', class: 'danger' }, 'Stop execution');
    const result = h('span');
    button.addEventListener('click', () => {
      button.disabled = true;
      stopExecution(execution.executionArn)
        .then(() => refresh())
        .catch((e: unknown) => {
          result.replaceChildren(notice('error', messageOf(e)));
          button.disabled = false;
        });
    });
    return h('span', { class: 'toolbar' }, button, result);
  };

  const showState = (name: string): void => {
    selected = name;
    const visits = progress.visits.filter((v) => v.name === name);
    details.replaceChildren(
      h('h2', {}, `State ${name}`),
      visits.length === 0 ? h('p', {}, 'Not reached.') : '',
      ...visits.slice(0, MAX_VISITS_SHOWN).map((visit, i) => visitDetails(visit, i, progress)),
      visits.length > MAX_VISITS_SHOWN ? h('p', {}, `…and ${visits.length - MAX_VISITS_SHOWN} more visits (see the history).`) : '',
    );
  };

  /** Reads the execution and its whole history again; a failure is said and retried, the page stays. */
  const refresh = async (): Promise<void> => {
    const [described, read] = await Promise.all([
      describeExecution(executionArn),
      getExecutionHistory(executionArn, (n) => {
        if (events.length === 0) live.replaceChildren(notice('info', `Loaded ${n} history events…`));
      }, context.signal),
    ]);
    if (context.signal.aborted) return;
    // Nothing new: leave the page as it is (a reader's scroll position, an open panel).
    if (read.length === events.length && described.status === execution.status && events.length > 0) return;
    execution = described;
    events = read;
    progress = executionProgress(events, execution.status);
    live.replaceChildren();
    render();
  };

  try {
    definition = (await describeStateMachineForExecution(executionArn)).definition;
  } catch (e) {
    graphPane.replaceChildren(notice('error', `The definition cannot be read: ${messageOf(e)}`));
  }
  render();
  const drawing = definition === '' ? Promise.resolve(undefined) : drawGraph(graphPane, definition, showState);
  await refresh().catch((e: unknown) => live.replaceChildren(notice('error', messageOf(e))));
  graph = await drawing;
  graph?.setStatuses(progress.statusByName);
  void followWhileRunning(context, () => execution.status === 'RUNNING', () => events.length, refresh, live);
}

/** While the execution runs: read it again every second (every 5 s past 5,000 events); back off while the server does not answer. */
async function followWhileRunning(context: PageContext, running: () => boolean, size: () => number, refresh: () => Promise<void>, live: HTMLElement): Promise<void> {
  let failures = 0;
  while (!context.signal.aborted && running()) {
    const wait = failures > 0 ? Math.min(10_000, 1000 * 2 ** failures) : size() > 5000 ? 5000 : 1000;
    await new Promise((resolve) => setTimeout(resolve, wait));
    if (context.signal.aborted) return;
    try {
      await refresh();
      failures = 0;
    } catch (e) {
      if (context.signal.aborted) return;
      failures++;
      live.replaceChildren(notice('error', `Live updates paused: ${messageOf(e)} Trying again…`));
    }
  }
}

function legend(): HTMLElement {
  const items: [string, string][] = [['succeeded', 'Succeeded'], ['failed', 'Failed'], ['caught', 'Caught error'], ['running', 'Running'], ['aborted', 'Aborted'], ['notReached', 'Not reached']];
  return h('ul', { class: 'legend', 'aria-label': 'Colours' }, ...items.map(([status, text]) => h('li', { 'data-status': status }, h('span', { class: 'swatch' }), text)));
}

function visitDetails(visit: StateVisit, index: number, progress: ExecutionProgress): HTMLElement {
  const where = [visit.iteration !== undefined ? `Map iteration ${visit.iteration}` : '', visit.parent ? `in ${visit.parent.type} ${visit.parent.name}` : ''].filter(Boolean).join(' ');
  const iterations = visit.type === 'Map' ? mapIterations(visit, progress) : [];
  const branches = visit.type === 'Parallel' ? progress.visits.filter((v) => v.parent === visit) : [];
  return h(
    'article',
    { class: 'visit', 'data-status': visit.status },
    h('h3', {}, `Visit ${index + 1}${where ? ` (${where})` : ''}: `, statusBadge(visit.status)),
    visit.error ? h('p', { class: 'error-text' }, `${visit.error.error}${visit.error.cause ? `: ${visit.error.cause}` : ''}`) : '',
    h('h4', {}, 'Input'),
    h('pre', { class: 'json', tabindex: 0 }, prettyJson(visit.input)),
    h('h4', {}, 'Output'),
    h('pre', { class: 'json', tabindex: 0 }, visit.output === undefined ? '(none yet)' : prettyJson(visit.output)),
    iterations.length > 0 ? h('h4', {}, 'Iterations') : '',
    iterations.length > 0 ? h('ol', { class: 'iterations', start: 0 }, ...iterations.slice(0, MAX_VISITS_SHOWN).map(([i, status]) => h('li', { value: i }, `Iteration ${i}: `, statusBadge(status)))) : '',
    branches.length > 0 ? h('h4', {}, 'States run in its branches') : '',
    branches.length > 0 ? h('ul', {}, ...branches.slice(0, MAX_VISITS_SHOWN).map((v) => h('li', {}, `${v.name}: `, statusBadge(v.status)))) : '',
  );
}

/** A Map visit's iterations: each one's worst status over the states it ran. */
function mapIterations(map: StateVisit, progress: ExecutionProgress): [number, string][] {
  const order = ['succeeded', 'caught', 'aborted', 'failed', 'running'];
  const byIndex = new Map<number, string>();
  for (const v of progress.visits) {
    if (v.parent !== map || v.iteration === undefined) continue;
    const known = byIndex.get(v.iteration);
    if (known === undefined || order.indexOf(v.status) > order.indexOf(known)) byIndex.set(v.iteration, v.status);
  }
  return [...byIndex].sort((a, b) => a[0] - b[0]);
}

/** SendTaskSuccess with an output, or SendTaskFailure with an error and a cause, for one waiting task. */
function callbackForm(task: WaitingTask, answered: () => void): HTMLElement {
  const id = `task-${task.visit.enteredEventId}`;
  const token = h('input', { id: `${id}-token`, type: 'text', autocomplete: 'off', spellcheck: 'false', value: task.taskToken ?? '' });
  const output = h('textarea', { id: `${id}-output`, rows: 3, spellcheck: 'false' }, '{"approved": true}');
  const error = h('input', { id: `${id}-error`, type: 'text', value: 'Rejected' });
  const cause = h('input', { id: `${id}-cause`, type: 'text' });
  const result = h('div', { 'aria-live': 'polite' });
  const hint =
    task.taskToken !== undefined
      ? 'The token is the one the definition passed to the task ($$.Task.Token).'
      : task.kind === 'activity'
        ? 'An activity’s token goes only to the worker that took the task (GetActivityTask): paste it here.'
        : 'The history does not show this task’s token (the definition does not pass $$.Task.Token in its parameters): paste it here.';
  const send = (call: () => Promise<unknown>, what: string) => () => {
    if (token.value.trim() === '') return result.replaceChildren(notice('error', 'A task token is needed.'));
    call()
      .then(() => {
        result.replaceChildren(notice('info', `${what} sent.`));
        answered();
      })
      .catch((e: unknown) => result.replaceChildren(notice('error', messageOf(e))));
  };
  const success = send(() => {
    try {
      JSON.parse(output.value);
    } catch (e) {
      return Promise.reject(new Error(`The output is not JSON: ${messageOf(e)}`));
    }
    return sendTaskSuccess(token.value.trim(), output.value);
  }, 'SendTaskSuccess');
  const failure = send(() => sendTaskFailure(token.value.trim(), error.value.trim() || undefined, cause.value.trim() || undefined), 'SendTaskFailure');
  return h(
    'article',
    { class: 'callback', 'data-state': task.visit.name },
    h('h3', {}, `${task.visit.name}${task.visit.iteration !== undefined ? ` (Map iteration ${task.visit.iteration})` : ''} — ${task.kind === 'activity' ? 'activity' : task.resource}`),
    h('p', { class: 'hint' }, hint),
    h('label', { for: token.id }, 'Task token'),
    token,
    h('label', { for: output.id }, 'Output (JSON)'),
    output,
    h('button', { type: 'button', onClick: success }, 'Send success'),
    h('details', {}, h('summary', {}, 'Fail the task instead'), h('label', { for: error.id }, 'Error'), error, h('label', { for: cause.id }, 'Cause'), cause, h('button', { type: 'button', class: 'danger', onClick: failure }, 'Send failure')),
    result,
  );
}

/** The history, a page of 100 rows at a time (25,000 events stay quick), each row's details on demand. */
function historyTable(): { element: HTMLElement; show(events: readonly HistoryEvent[], progress: ExecutionProgress): void } {
  let page = -1; // -1: not yet shown
  let events: readonly HistoryEvent[] = [];
  let progress: ExecutionProgress | undefined;
  const expanded = new Set<number>();
  const body = h('tbody');
  const where = h('span', { 'aria-live': 'polite' });
  const pages = (): number => Math.max(1, Math.ceil(events.length / HISTORY_PAGE_SIZE));
  const go = (to: number) => () => {
    page = Math.max(0, Math.min(pages() - 1, to));
    draw();
  };
  const buttons = {
    first: h('button', { type: 'button', onClick: () => go(0)() }, '« First'),
    previous: h('button', { type: 'button', onClick: () => go(page - 1)() }, '‹ Previous'),
    next: h('button', { type: 'button', onClick: () => go(page + 1)() }, 'Next ›'),
    last: h('button', { type: 'button', onClick: () => go(pages() - 1)() }, 'Last »'),
  };
  const draw = (): void => {
    const start = events[0]?.timestamp ?? 0;
    const rows: HTMLElement[] = [];
    for (const event of events.slice(page * HISTORY_PAGE_SIZE, (page + 1) * HISTORY_PAGE_SIZE)) {
      const open = expanded.has(event.id);
      const toggle = h('button', { type: 'button', class: 'toggle', 'aria-expanded': String(open), 'aria-label': `Details of event ${event.id}` }, open ? '▾' : '▸');
      toggle.addEventListener('click', () => {
        if (expanded.has(event.id)) expanded.delete(event.id);
        else expanded.add(event.id);
        draw();
      });
      rows.push(
        h('tr', { 'data-event-id': event.id }, h('td', {}, toggle, ` ${event.id}`), h('td', {}, event.type), h('td', {}, formatTime(event.timestamp)), h('td', { class: 'number' }, `${Math.round((event.timestamp - start) * 1000)} ms`), h('td', {}, progress?.stateOfEvent.get(event.id) ?? '')),
      );
      if (open) rows.push(h('tr', { class: 'event-details' }, h('td', { colspan: 5 }, h('pre', { class: 'json', tabindex: 0 }, JSON.stringify(detailsOf(event), null, 2)))));
    }
    body.replaceChildren(...rows);
    where.textContent = `Events ${events.length === 0 ? 0 : page * HISTORY_PAGE_SIZE + 1}–${Math.min(events.length, (page + 1) * HISTORY_PAGE_SIZE)} of ${events.length} (page ${page + 1} of ${pages()})`;
    buttons.first.disabled = buttons.previous.disabled = page === 0;
    buttons.next.disabled = buttons.last.disabled = page >= pages() - 1;
  };
  const element = h(
    'section',
    { class: 'card', 'aria-label': 'History' },
    h('h2', {}, 'History'),
    h('div', { class: 'table-scroll' }, h('table', { class: 'list history', 'aria-label': 'History events' }, h('thead', {}, h('tr', {}, ...['ID', 'Type', 'Time', 'Elapsed', 'State'].map((t) => h('th', { scope: 'col' }, t)))), body)),
    h('nav', { class: 'pager', 'aria-label': 'History pages' }, buttons.first, buttons.previous, where, buttons.next, buttons.last),
  );
  return {
    element,
    show(next, nextProgress) {
      const changed = page === -1 || next.length !== events.length;
      events = next;
      progress = nextProgress;
      page = Math.max(0, Math.min(page, pages() - 1));
      if (changed) draw();
    },
  };
}

/** An event's details (or the whole event when it has none), for the expanded row. */
function detailsOf(event: HistoryEvent): unknown {
  const details = eventDetails(event);
  if (details === undefined) return event;
  const parsed: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(details)) {
    if (typeof value === 'string' && /^(input|output|parameters)$/.test(key)) {
      try {
        parsed[key] = JSON.parse(value);
        continue;
      } catch {
        // Not JSON: shown as it is.
      }
    }
    parsed[key] = value;
  }
  return parsed;
}
