// Handler: GET /password-reset, the Password Change Screen the emailed reset link opens. The page is static; its
// Content-Security-Policy allows exactly its own inline style and script, by hash, and fetches from this API only.
import { createHash } from 'node:crypto';
import { routes } from '../contract/routes';
import { publicHandler } from '../http/pipeline';
import { page } from '../http/responses';
import { PAGE_HTML, PAGE_SCRIPT, PAGE_STYLE } from './page';

const sha256Source = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Computed once per container. No 'unsafe-inline', nothing from another origin; Trusted Types with no policy make
 * the browser refuse any HTML-parsing sink (innerHTML and the like), so the script can only write text.
 * Cache-Control: no-store and Referrer-Policy: no-referrer come with every response (SECURITY_HEADERS).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  `script-src ${sha256Source(PAGE_SCRIPT)}`,
  `style-src ${sha256Source(PAGE_STYLE)}`,
  "connect-src 'self'",
  "form-action 'self'",
  "base-uri 'none'",
  "frame-ancestors 'none'",
  "require-trusted-types-for 'script'",
  "trusted-types 'none'",
].join('; ');

export const core = async () => page(PAGE_HTML, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });

export const handler = publicHandler(routes.passwordChangeScreen, core);
