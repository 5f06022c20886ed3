// Test support: Debian's Chromium driven by playwright-core. Playwright's own browser download is never used (it
// fails offline); CI installs the `chromium` package, which puts the browser at /usr/bin/chromium.
import { chromium, type Browser } from 'playwright-core';

/** Where the browser is; CHROMIUM_PATH overrides it on a machine that keeps it elsewhere. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

// No sandbox (containers run as root), no GPU, and none of the background traffic a fresh profile starts with.
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

/** A headless Chromium; close it in afterAll. */
export const launchBrowser = (): Promise<Browser> => chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
