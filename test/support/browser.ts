// Test support: Debian's Chromium driven by playwright-core. Playwright's own browser download is never used (it
// fails offline); CI installs the `chromium` package, which puts the browser at /usr/bin/chromium.
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import type { DirectoryStores } from '../../functions/adapters/dynamodb/directory-stores';
import { createHash } from 'node:crypto';
import { startApi, type ApiClient, type ApiResponse } from './api-client';
import { documentClient, testDirectory } from './companies';
import { SETUP_TIMEOUT_MS } from './timeouts';

/** Where the browser is; CHROMIUM_PATH overrides it on a machine that keeps it elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// No sandbox (containers run as root), no GPU, and none of the background traffic a fresh profile starts with.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A headless Chromium; close it in afterAll. */
export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });

/** What a browser test works with: the local API, a browser, and the directory behind the API. */
export interface BrowserScene {
  api: ApiClient;
  browser: Browser;
  readonly directory: DirectoryStores;
}

/**
 * Starts the local API and a browser for the test file, and stops both after it. Emailed links point at this API, as
 * a deployed stack's point at its own URL.
 */
export function browserScene(): BrowserScene {
  const client = documentClient();
  const scene = { directory: testDirectory(client) } as BrowserScene;
  beforeAll(async () => {
    scene.api = await startApi();
    scene.browser = await launchBrowser();
  }, SETUP_TIMEOUT_MS);
  afterAll(async () => {
    await scene.browser?.close();
    await scene.api?.stop();
    client.destroy();
  });
  return scene;
}

/**
 * Asserts what every self-contained page promises: HTML, no-store, no Referer, and a CSP that allows no inline code
 * but the page's own one script and one style, named by the SHA-256 of exactly what the page holds.
 */
export function expectInlinePageSecurity(response: ApiResponse): void {
  const policy = response.headers.get('content-security-policy') ?? '';
  const directives = Object.fromEntries(policy.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  const hashOf = (tag: 'script' | 'style') => {
    const inline = new RegExp(`<${tag}>([^]*?)</${tag}>`).exec(response.text)?.[1] ?? '';
    return `'sha256-${createHash('sha256').update(inline, 'utf8').digest('base64')}'`;
  };

  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
  expect(policy).not.toContain('unsafe');
  expect(directives).toMatchObject({
    'default-src': ["'none'"],
    'script-src': [hashOf('script')],
    'style-src': [hashOf('style')],
    'connect-src': ["'self'"],
    'base-uri': ["'none'"],
    'form-action': ["'self'"],
    'frame-ancestors': ["'none'"],
  });
  expect(response.headers.get('referrer-policy')).toBe('no-referrer');
  expect(response.headers.get('cache-control')).toBe('no-store');
}

/**
 * Collects into `problems` what a page must never show: a script error, and a refusal by its Content-Security-Policy
 * or Trusted Types. Chromium also logs every 4xx answer as "Failed to load resource"; those are the refusals the
 * tests ask for, so they are left out.
 */
export function watchForPageProblems(page: Page, problems: string[]): void {
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    if (/Failed to load resource/.test(message.text())) return;
    if (message.type() === 'error' || /Content.Security.Policy|Trusted Type/i.test(message.text())) problems.push(message.text());
  });
}

/**
 * For a test file: the browser contexts its tests open, each closed after its test, and the page problems
 * (watchForPageProblems) each test must end without.
 */
export function watchedContexts(): { readonly contexts: BrowserContext[]; readonly problems: string[] } {
  const watched = { contexts: [] as BrowserContext[], problems: [] as string[] };
  beforeEach(() => {
    watched.problems.length = 0;
  });
  afterEach(async () => {
    await Promise.all(watched.contexts.splice(0).map((context) => context.close()));
    expect(watched.problems).toEqual([]);
  });
  return watched;
}
