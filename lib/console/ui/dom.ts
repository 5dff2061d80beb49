// Small DOM helpers: the console is plain TypeScript over the DOM, no view library.

type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | undefined | ((event: Event) => void)>;

function apply(element: Element, attributes: Attributes | undefined, children: Child[]): void {
  for (const [key, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(key.slice(2).toLowerCase(), value);
    else element.setAttribute(key, value === true ? '' : String(value));
  }
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    element.append(typeof child === 'object' ? child : String(child));
  }
}

/** An HTML element: `h('button', { class: 'x', onClick: … }, 'Label')`. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  apply(element, attributes, children);
  return element;
}

export function s<K extends keyof SVGElementTagNameMap>(tag: K, attributes?: Attributes, ...children: Child[]): SVGElementTagNameMap[K] {
  const element = document.createElementNS('http://www.w3.org/2000/svg', tag);
  apply(element, attributes, children);
  return element;
}

/** Epoch seconds (AWS JSON) as a local date and time with milliseconds. */
export function formatTime(epochSeconds: number | undefined): string {
  if (epochSeconds === undefined) return '—';
  const date = new Date(epochSeconds * 1000);
  const pad = (n: number, width = 2) => String(n).padStart(width, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}.${pad(date.getMilliseconds(), 3)}`;
}

/** JSON text indented for reading; text that is not JSON as it is. */
export function prettyJson(text: string | undefined): string {
  if (text === undefined) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

export const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

/** A message the screen reader announces; `kind` sets its colour. */
export function notice(kind: 'error' | 'info', text: string, ...extra: Child[]): HTMLElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, h('span', {}, text), ...extra);
}

export function statusBadge(status: string): HTMLElement {
  return h('span', { class: `badge badge-${status.toLowerCase()}` }, status);
}

export const link = (href: string, text: string, attributes: Attributes = {}): HTMLAnchorElement => h('a', { href, ...attributes }, text);
export const machineHref = (arn: string): string => `#/state-machines/${encodeURIComponent(arn)}`;
export const executionHref = (arn: string): string => `#/executions/${encodeURIComponent(arn)}`;
