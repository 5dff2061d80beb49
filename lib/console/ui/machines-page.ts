// The state machines: name, type, creation date, a page of 100 at a time.
import { listStateMachines } from '../api.js';
import { formatTime, h, link, machineHref } from './dom.js';
import { pager, type PageContext } from './pager.js';

export async function machinesPage(root: HTMLElement, context: PageContext): Promise<void> {
  const table = h('tbody');
  const list = pager(context, (token) => listStateMachines(token), (machines) => {
    table.replaceChildren(
      ...(machines.length === 0
        ? [h('tr', {}, h('td', { colspan: 3 }, 'No state machines yet. Create one with the API (CreateStateMachine), then reload this page.'))]
        : machines.map((m) => h('tr', {}, h('td', {}, link(machineHref(m.stateMachineArn), m.name)), h('td', {}, m.type), h('td', {}, formatTime(m.creationDate))))),
    );
  });
  root.replaceChildren(
    h('h1', {}, 'State machines'),
    list.status,
    h('table', { class: 'list', 'aria-label': 'State machines' }, h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Name'), h('th', { scope: 'col' }, 'Type'), h('th', { scope: 'col' }, 'Created'))), table),
    list.controls,
  );
  await list.load();
}
