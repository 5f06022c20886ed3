// Handler: GET /, the admin console, a single-page app on this API. Its script and style sheet are built by
// local/console-build.ts into assets/ next to this module and read once per container, at cold start.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as routes from '../contract/routes';
import { publicHandler } from '../http/pipeline';
import { page } from '../http/responses';
import { consolePage } from './page';

const ASSETS_DIR = join(import.meta.dirname, 'assets');

function asset(name: string): string {
  try {
    return readFileSync(join(ASSETS_DIR, name), 'utf8');
  } catch {
    throw new Error(`the admin console's ${name} is missing from ${ASSETS_DIR}: build it with \`npx tsx bin/build-console.ts\``);
  }
}

const CONSOLE = consolePage(asset('console.js'), asset('console.css'));

/** The page's policy; Cache-Control: no-store and Referrer-Policy: no-referrer come with every response. */
export const CONTENT_SECURITY_POLICY = CONSOLE.contentSecurityPolicy;

export const core = async () => page(CONSOLE.html, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });

export const handler = publicHandler(routes.consolePage, core);
