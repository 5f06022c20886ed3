// Test support: Debian's Chromium driven by playwright-core. Playwright's own browser download is never used (it
// fails offline); CI installs the `chromium` package, which puts the browser at /usr/bin/chromium.
import { chromium, type Browser } from 'playwright-core';
import type { AdminDirectory } from '../../functions/domain/ports';
import { startApi, type ApiClient } from './api-client';
import { documentClient, testDirectory } from './companies';

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
  readonly directory: AdminDirectory;
}

/**
 * Starts the local API and a browser for the test file, and stops both after it. Emailed links point at this API:
 * the handlers load on their first request, after PUBLIC_BASE_URL is set here.
 */
export function browserScene(): BrowserScene {
  const client = documentClient();
  const scene = { directory: testDirectory(client) } as BrowserScene;
  beforeAll(async () => {
    scene.api = await startApi();
    process.env.PUBLIC_BASE_URL = scene.api.url;
    scene.browser = await launchBrowser();
  });
  afterAll(async () => {
    await scene.browser?.close();
    await scene.api?.stop();
    client.destroy();
  });
  return scene;
}
