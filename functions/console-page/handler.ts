// Handler: GET /, the admin console, a single-page app on this API. Its script and style sheet are built from
// console/main.ts into assets/ next to this module and read once per container, at cold start.
import * as routes from '../contract/routes';
import { readPageAssets } from '../http/page-assets';
import { publicHandler } from '../http/pipeline';
import { page } from '../http/responses';
import { consolePage } from './page';

const CONSOLE = consolePage(readPageAssets(import.meta.dirname));

/** The page's policy; Cache-Control: no-store and Referrer-Policy: no-referrer come with every response. */
export const CONTENT_SECURITY_POLICY = CONSOLE.contentSecurityPolicy;

export const core = async () => page(CONSOLE.html, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });

export const handler = publicHandler(routes.consolePage, core);
