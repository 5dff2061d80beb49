// A list read a page at a time with the API's nextToken: Previous / Next, and a failed call shown
// as a message with a Retry button (the rest of the page stays as it was).
import type { Page } from '../api.js';
import { h, messageOf, notice } from './dom.js';

/** What a page is given: its signal aborts when the user leaves it (polling stops). */
export interface PageContext {
  readonly signal: AbortSignal;
}

export interface Pager {
  readonly status: HTMLElement;
  readonly controls: HTMLElement;
  load(): Promise<void>;
  /** Back to the first page (a new filter, a refresh). */
  reset(): Promise<void>;
}

export function pager<T>(context: PageContext, fetchPage: (nextToken: string | undefined) => Promise<Page<T>>, render: (items: readonly T[]) => void): Pager {
  const tokens: (string | undefined)[] = [undefined];
  let index = 0;
  const status = h('div', { class: 'list-status' });
  const where = h('span', { class: 'page-number', 'aria-live': 'polite' }, 'Page 1');
  const previous = h('button', { type: 'button', disabled: true, onClick: () => void go(index - 1) }, '‹ Previous page');
  const next = h('button', { type: 'button', disabled: true, onClick: () => void go(index + 1) }, 'Next page ›');
  const go = async (to: number): Promise<void> => {
    index = to;
    await load();
  };
  const load = async (): Promise<void> => {
    try {
      const page = await fetchPage(tokens[index]);
      if (context.signal.aborted) return;
      status.replaceChildren();
      tokens.length = index + 1;
      if (page.nextToken) tokens.push(page.nextToken);
      render(page.items);
      where.textContent = `Page ${index + 1}`;
      previous.disabled = index === 0;
      next.disabled = page.nextToken === undefined;
    } catch (e) {
      if (context.signal.aborted) return;
      status.replaceChildren(notice('error', messageOf(e), h('button', { type: 'button', onClick: () => void load() }, 'Retry')));
    }
  };
  return {
    status,
    controls: h('nav', { class: 'pager', 'aria-label': 'Pages' }, previous, where, next),
    load,
    reset: () => go(0),
  };
}
