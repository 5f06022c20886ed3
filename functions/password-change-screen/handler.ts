// Handler: GET /password-reset, the Password Change Screen the emailed set-up and reset links open. Its script and
// style sheet are built from console/ (one browser codebase with the console) into assets/ next to this module, and
// read once per container; the Content-Security-Policy allows exactly those two texts, by hash, and fetches from
// this API only.
import * as routes from '../contract/routes';
import { readPageAssets } from '../http/page-assets';
import { publicHandler } from '../http/pipeline';
import { page } from '../http/responses';
import { passwordChangeScreenPage } from './page';

const SCREEN = passwordChangeScreenPage(readPageAssets(import.meta.dirname));

/** Cache-Control: no-store and Referrer-Policy: no-referrer come with every response (SECURITY_HEADERS). */
export const CONTENT_SECURITY_POLICY = SCREEN.contentSecurityPolicy;

export const core = async () => page(SCREEN.html, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });

export const handler = publicHandler(routes.passwordChangeScreen, core);
