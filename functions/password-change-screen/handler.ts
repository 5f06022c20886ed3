// Handler: GET /password-reset, the Password Change Screen the emailed reset link opens. The page is static; its
// Content-Security-Policy allows exactly its own inline style and script, by hash, and fetches from this API only.
import * as routes from '../contract/routes';
import { inlinePagePolicy } from '../http/inline-page';
import { publicHandler } from '../http/pipeline';
import { page } from '../http/responses';
import { PAGE_HTML, PAGE_SCRIPT, PAGE_STYLE } from './page';

/**
 * Computed once per container. Cache-Control: no-store and Referrer-Policy: no-referrer come with every response
 * (SECURITY_HEADERS).
 */
export const CONTENT_SECURITY_POLICY = inlinePagePolicy(PAGE_SCRIPT, PAGE_STYLE);

export const core = async () => page(PAGE_HTML, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });

export const handler = publicHandler(routes.passwordChangeScreen, core);
