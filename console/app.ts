// Console (browser): the shell every screen appears in (header, navigation, breadcrumb, one h1), the hash router
// that picks the screen, and what the console remembers of the signed-in administrator, in memory only.
import { ApiError, api, forgetSession, isSignedIn } from './api';
import type { Admin } from './api-types';
import { h, message, type Child } from './dom';
import { SIGN_IN } from './sign-in-link';

export interface Crumb {
  readonly text: string;
  readonly href?: string;
}

/** What a screen shows: its title (the page's one h1), where it sits, and its content. */
export interface ScreenView {
  readonly title: string;
  readonly trail?: readonly Crumb[];
  readonly body: readonly Child[];
}

export type Screen = (params: Readonly<Record<string, string>>, query: URLSearchParams) => Promise<ScreenView>;

/** The signed-in administrator and whether the company's policy settings exist for him; null when signed out. */
export const account: { me: Admin | null; policyEditable: boolean } = { me: null, policyEditable: false };

export const isMaster = (): boolean => account.me?.role === 'master';

/** Reads the signed-in administrator again (a master may have changed his permission since). */
export async function refreshAccount(): Promise<Admin> {
  const [me, policy] = await Promise.all([api.me(), api.passwordPolicy()]);
  account.me = me;
  account.policyEditable = policy.editable;
  return me;
}

export const ROLE_NAMES = { master: 'Master administrator', general: 'General administrator' } as const;

interface Route {
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly screen: Screen;
  readonly public: boolean;
}

const table: Route[] = [];

/** Declares a screen at a path such as /settings/admins/:adminId. Public screens need no session. */
export function route(path: string, screen: Screen, options: { public?: boolean } = {}): void {
  const keys: string[] = [];
  const pattern = new RegExp(
    `^${path.replace(/:(\w+)/g, (_match, key: string) => {
      keys.push(key);
      return '([^/]+)';
    })}$`,
  );
  table.push({ pattern, keys, screen, public: options.public ?? false });
}

export const HOME = '/settings';
export { SIGN_IN };

let pendingNotice: { text: string | Child[]; kind: 'info' | 'success' | 'error' } | null = null;
/** A message for the next screen shown (what just happened, after a move to another screen). */
export function notify(text: string | Child[], kind: 'info' | 'success' | 'error' = 'success'): void {
  pendingNotice = { text, kind };
}

let afterSignIn: string = HOME;
/** Counts screen changes, so that only the latest one shows. */
let shown = 0;

function currentPath(): { path: string; query: URLSearchParams } {
  const raw = location.hash.replace(/^#/, '') || HOME;
  const [path = HOME, search = ''] = raw.split('?', 2);
  return { path, query: new URLSearchParams(search) };
}

/** Moves to a screen; the hash keeps the browser's back and forward buttons working. */
export function go(path: string): void {
  // A screen still loading is now out of date: it must not show itself, nor take the notice meant for this one.
  shown += 1;
  const target = `#${path}`;
  if (location.hash === target) void render();
  else location.hash = target;
}

/** After sign-in: the screen that was asked for before it, or Settings. */
export function goAfterSignIn(): void {
  const target = afterSignIn;
  afterSignIn = HOME;
  go(target);
}

/**
 * Forgets the session and everything the console read with it, and shows the sign-in screen; `comeBack` returns to
 * the current screen after the next sign-in (when the session ended by itself).
 */
export function signedOut(text: string, kind: 'info' | 'error' = 'info', comeBack = false): void {
  if (comeBack) {
    const { path, query } = currentPath();
    afterSignIn = `${path}${query.size > 0 ? `?${query}` : ''}`;
  }
  forgetSession();
  account.me = null;
  account.policyEditable = false;
  notify(text, kind);
  go(SIGN_IN);
}

// ---- The shell ----

const main = h('main', { id: 'main', tabindex: -1 });
const navigation = h('nav', { class: 'topnav', 'aria-label': 'Main' });
const who = h('p', { class: 'who' });

function skipLink(): HTMLElement {
  return h(
    'a',
    {
      class: 'skip',
      href: '#main',
      onclick: (event: Event) => {
        event.preventDefault();
        (main.querySelector('h1') ?? main).focus();
      },
    },
    'Skip to content',
  );
}

function renderNavigation(path: string): void {
  const me = account.me;
  if (me === null) {
    navigation.replaceChildren();
    who.replaceChildren();
    return;
  }
  const link = (href: string, text: string) =>
    h('li', null, h('a', { href: `#${href}`, 'aria-current': path === href || (href !== HOME && path.startsWith(`${href}/`)) ? 'page' : undefined }, text));
  navigation.replaceChildren(
    h(
      'ul',
      null,
      link(HOME, 'Settings'),
      isMaster() ? link('/settings/admins', 'Admin settings') : null,
      link('/my-account', 'My account'),
      h(
        'li',
        null,
        h(
          'button',
          {
            type: 'button',
            class: 'link-like',
            onclick: async () => {
              await api.signOut().catch(() => undefined);
              signedOut('You are signed out.');
            },
          },
          'Sign out',
        ),
      ),
    ),
  );
  who.replaceChildren(`Signed in as ${me.name} (${ROLE_NAMES[me.role]}), company ${me.companyId}`);
}

function breadcrumb(trail: readonly Crumb[], title: string): HTMLElement | null {
  if (trail.length === 0) return null;
  return h(
    'nav',
    { class: 'breadcrumb', 'aria-label': 'Breadcrumb' },
    h(
      'ol',
      null,
      ...trail.map((crumb) => h('li', null, crumb.href === undefined ? crumb.text : h('a', { href: `#${crumb.href}` }, crumb.text))),
      h('li', { 'aria-current': 'page' }, title),
    ),
  );
}

function failureView(error: unknown): ScreenView {
  const text = error instanceof ApiError ? error.message : 'Something went wrong in the console. Reload the page and try again.';
  if (!(error instanceof ApiError)) console.error(error);
  return {
    title: 'This screen cannot be shown',
    body: [message(text, 'error'), h('p', null, h('a', { href: `#${HOME}` }, 'Back to Settings'))],
  };
}

/** Shows the screen of the current address; a slower, older render never overwrites a newer one. */
export async function render(): Promise<void> {
  const ticket = (shown += 1);
  let { path, query } = currentPath();
  let found = table.find((candidate) => candidate.pattern.test(path));
  if (found !== undefined && !found.public && !isSignedIn()) {
    if (path !== SIGN_IN) afterSignIn = `${path}${query.size > 0 ? `?${query}` : ''}`;
    history.replaceState(null, '', `#${SIGN_IN}`);
    ({ path, query } = currentPath());
    found = table.find((candidate) => candidate.pattern.test(path));
  }
  if (isSignedIn() && found?.public === true) {
    // Signed in already: the sign-in screens have nothing to offer.
    history.replaceState(null, '', `#${HOME}`);
    ({ path, query } = currentPath());
    found = table.find((candidate) => candidate.pattern.test(path));
  }
  main.setAttribute('aria-busy', 'true');
  let view: ScreenView;
  if (found === undefined) {
    view = { title: 'Page not found', body: [h('p', null, 'There is no such screen. '), h('p', null, h('a', { href: `#${HOME}` }, 'Go to Settings'))] };
  } else {
    const values = found.pattern.exec(path)?.slice(1) ?? [];
    try {
      const params = Object.fromEntries(found.keys.map((key, index) => [key, decodeURIComponent(values[index] ?? '')]));
      view = await found.screen(params, query);
    } catch (error) {
      view = failureView(error);
    }
  }
  if (ticket !== shown) return;
  const notice = pendingNotice === null ? null : message(pendingNotice.text, pendingNotice.kind);
  pendingNotice = null;
  const heading = h('h1', { tabindex: -1 }, view.title);
  main.replaceChildren(breadcrumb(view.trail ?? [], view.title) ?? '', heading, notice ?? '', ...flatten(view.body));
  main.removeAttribute('aria-busy');
  renderNavigation(path);
  document.title = `${view.title} – adminpass console`;
  // A screen change moves the focus to what changed: the notice when there is one, else the new heading.
  (notice ?? heading).focus();
}

const flatten = (children: readonly Child[]): (Node | string)[] =>
  children.flatMap((child): (Node | string)[] => {
    if (child === null || child === undefined || child === false) return [];
    if (Array.isArray(child)) return flatten(child);
    return [child as Node | string];
  });

/** Puts the shell into the page and shows the first screen. */
export function start(root: HTMLElement): void {
  root.replaceChildren(
    skipLink(),
    h('header', { class: 'topbar' }, h('div', { class: 'topbar-inner' }, h('p', { class: 'brand' }, 'adminpass console'), navigation, who)),
    main,
  );
  window.addEventListener('hashchange', () => void render());
  // A link to the screen already shown changes no hash; it still shows the screen afresh (read again).
  root.addEventListener('click', (event) => {
    const anchor = (event.target as Element | null)?.closest?.('a[href^="#/"]');
    if (anchor instanceof HTMLAnchorElement && anchor.getAttribute('href') === location.hash) {
      event.preventDefault();
      void render();
    }
  });
  void render();
}
