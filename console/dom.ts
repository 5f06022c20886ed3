// Console (browser): building the page from elements and text only. Nothing here parses HTML, so the page's
// Content-Security-Policy can forbid every HTML-parsing sink (Trusted Types with no policy).

export type Child = Node | string | null | undefined | false | readonly Child[];
type Listener = (event: Event) => void;
export type Props = Record<string, string | number | boolean | Listener | null | undefined>;

/** Properties set as such (they hold live state), not as attributes. */
const PROPERTIES = new Set(['value', 'checked']);

function append(parent: Node, children: readonly Child[]): void {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(parent, child);
    else parent.appendChild(typeof child === 'string' ? document.createTextNode(child) : (child as Node));
  }
}

/** An element with attributes, `on…` listeners and children; text children are text nodes, never markup. */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, props: Props | null = null, ...children: Child[]): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(props ?? {})) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else if (PROPERTIES.has(name)) (element as unknown as Record<string, unknown>)[name] = value;
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  append(element, children);
  return element;
}

let nextId = 0;
/** A page-unique id, for label/for and aria-describedby. */
export const uniqueId = (prefix: string): string => `${prefix}-${(nextId += 1)}`;

/** Readable date and time in the person's own locale and time zone. */
export function formatTime(iso: string | null | undefined): string {
  if (iso === null || iso === undefined) return '—';
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  return date.toLocaleString(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** A message box; `status` is announced politely, `alert` at once. */
export const message = (text: string | Child[], kind: 'info' | 'success' | 'error' = 'info'): HTMLElement =>
  h('div', { class: 'message', 'data-kind': kind, role: kind === 'error' ? 'alert' : 'status', tabindex: -1 }, ...(typeof text === 'string' ? [h('p', null, text)] : text));

/** A link that looks like a button, for navigation to another screen. */
export const linkButton = (href: string, text: string, options: { secondary?: boolean; label?: string } = {}): HTMLAnchorElement =>
  h('a', { href, class: options.secondary ? 'button secondary' : 'button', 'aria-label': options.label }, text);
