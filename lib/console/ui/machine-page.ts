// One state machine: its graph beside its definition, a form to start an execution, and its
// executions with a status filter, a page at a time.
import { describeStateMachine, listExecutions, startExecution, type StateMachine } from '../api.js';
import { drawGraph } from './graph-view.js';
import { executionHref, formatTime, h, link, messageOf, notice, prettyJson, statusBadge } from './dom.js';
import { pager, type PageContext } from './pager.js';

const STATUSES = ['RUNNING', 'SUCCEEDED', 'FAILED', 'TIMED_OUT', 'ABORTED', 'PENDING_REDRIVE'];

export async function machinePage(root: HTMLElement, context: PageContext, stateMachineArn: string): Promise<void> {
  root.replaceChildren(notice('info', 'Loading the state machine…'));
  let machine: StateMachine;
  try {
    machine = await describeStateMachine(stateMachineArn);
  } catch (e) {
    root.replaceChildren(h('h1', {}, 'State machine'), notice('error', `${messageOf(e)}`), h('p', {}, link('#/', 'Back to the state machines')));
    return;
  }
  const graph = h('div', { class: 'graph-pane' });
  root.replaceChildren(
    h('h1', {}, machine.name),
    h('p', { class: 'meta' }, `${machine.type} · created ${formatTime(machine.creationDate)} · `, h('code', {}, machine.stateMachineArn)),
    h('div', { class: 'split' }, h('section', { 'aria-label': 'Graph' }, h('h2', {}, 'Graph'), graph), h('section', { 'aria-label': 'Definition' }, h('h2', {}, 'Definition'), h('pre', { class: 'json', tabindex: 0 }, prettyJson(machine.definition)))),
    startForm(machine),
    await executionsList(context, machine),
  );
  await drawGraph(graph, machine.definition);
}

/** Name and input (checked as JSON while typed); Start opens the new execution's page. */
function startForm(machine: StateMachine): HTMLElement {
  const name = h('input', { id: 'execution-name', type: 'text', placeholder: 'a generated UUID', autocomplete: 'off' });
  const input = h('textarea', { id: 'execution-input', rows: 6, spellcheck: 'false' }, '{}');
  const problem = h('p', { class: 'field-error', id: 'execution-input-error', 'aria-live': 'polite' });
  const result = h('div');
  const start = h('button', { type: 'submit' }, 'Start execution');
  const check = (): boolean => {
    try {
      JSON.parse(input.value);
      problem.textContent = '';
      input.removeAttribute('aria-invalid');
      start.disabled = false;
      return true;
    } catch (e) {
      problem.textContent = `The input is not JSON: ${messageOf(e)}`;
      input.setAttribute('aria-invalid', 'true');
      start.disabled = true;
      return false;
    }
  };
  input.setAttribute('aria-describedby', 'execution-input-error');
  input.addEventListener('input', check);
  const form = h(
    'form',
    { class: 'card', 'aria-label': 'Start an execution' },
    h('h2', {}, 'Start an execution'),
    h('label', { for: 'execution-name' }, 'Name (optional)'),
    name,
    h('label', { for: 'execution-input' }, 'Input (JSON)'),
    input,
    problem,
    start,
    result,
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    if (!check()) return;
    start.disabled = true;
    result.replaceChildren();
    startExecution(machine.stateMachineArn, input.value, name.value.trim() || undefined)
      .then(({ executionArn }) => {
        location.hash = executionHref(executionArn);
      })
      .catch((e: unknown) => result.replaceChildren(notice('error', messageOf(e))))
      .finally(() => {
        start.disabled = false;
      });
  });
  return form;
}

async function executionsList(context: PageContext, machine: StateMachine): Promise<HTMLElement> {
  const filter = h('select', { id: 'status-filter' }, h('option', { value: '' }, 'All statuses'), ...STATUSES.map((s) => h('option', { value: s }, s)));
  const rows = h('tbody');
  const list = pager(
    context,
    (token) => listExecutions(machine.stateMachineArn, filter.value || undefined, token),
    (executions) =>
      rows.replaceChildren(
        ...(executions.length === 0
          ? [h('tr', {}, h('td', { colspan: 4 }, 'No executions.'))]
          : executions.map((e) => h('tr', {}, h('td', {}, link(executionHref(e.executionArn), e.name)), h('td', {}, statusBadge(e.status)), h('td', {}, formatTime(e.startDate)), h('td', {}, formatTime(e.stopDate))))),
      ),
  );
  filter.addEventListener('change', () => void list.reset());
  await list.load();
  return h(
    'section',
    { class: 'card', 'aria-label': 'Executions' },
    h('h2', {}, 'Executions'),
    h('div', { class: 'toolbar' }, h('label', { for: 'status-filter' }, 'Status'), filter, h('button', { type: 'button', onClick: () => void list.reset() }, 'Refresh')),
    list.status,
    h('table', { class: 'list', 'aria-label': 'Executions' }, h('thead', {}, h('tr', {}, ...['Name', 'Status', 'Started', 'Stopped'].map((t) => h('th', { scope: 'col' }, t)))), rows),
    list.controls,
  );
}
