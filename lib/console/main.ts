// The console's entry point: a hash router over three pages. Leaving a page aborts its signal (its
// polling stops); a page that fails says so in place, and the header's links always work.
import { executionPage } from './ui/execution-page.js';
import { h, messageOf, notice } from './ui/dom.js';
import { machinePage } from './ui/machine-page.js';
import { machinesPage } from './ui/machines-page.js';

const main = document.getElementById('main')!;
let current: AbortController | undefined;

async function route(): Promise<void> {
  current?.abort();
  const page = new AbortController();
  current = page;
  const hash = location.hash.replace(/^#\/?/, '');
  const [kind, ...rest] = hash.split('/');
  const arn = decodeURIComponent(rest.join('/'));
  try {
    if (kind === 'state-machines' && arn !== '') await machinePage(main, page, arn);
    else if (kind === 'executions' && arn !== '') await executionPage(main, page, arn);
    else await machinesPage(main, page);
    document.title = `${main.querySelector('h1')?.textContent ?? 'Console'} · Stepwise`;
  } catch (e) {
    if (page.signal.aborted) return;
    main.replaceChildren(notice('error', `This page could not be shown: ${messageOf(e)}`, h('button', { type: 'button', onClick: () => void route() }, 'Retry')));
  }
}

window.addEventListener('hashchange', () => void route());
void route();
