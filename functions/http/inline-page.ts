// HTTP adapter: the security of a self-contained HTML page (the console, the Password Change Screen). Its one
// script and one style sheet are inline, and the Content-Security-Policy allows exactly those two texts by their
// SHA-256 hashes: no 'unsafe-inline', nothing from another origin, requests to this API only. Trusted Types with
// no policy make the browser refuse every HTML-parsing sink, so the scripts can only write text.
import { createHash } from 'node:crypto';

const sha256Source = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

/**
 * Throws when the script or style holds a closing tag: placed verbatim between their tags, it would end the
 * element early and change what the browser hashes.
 */
function assertInlineable(script: string, style: string): void {
  if (/<\/(script|style)/i.test(script + style)) throw new Error('an inline script or style must not contain a closing script or style tag');
}

/** The Content-Security-Policy of a page whose only script and style are these inline texts. */
function inlinePagePolicy(script: string, style: string): string {
  assertInlineable(script, style);
  return [
    "default-src 'none'",
    `script-src ${sha256Source(script)}`,
    `style-src ${sha256Source(style)}`,
    "connect-src 'self'",
    "form-action 'self'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "require-trusted-types-for 'script'",
    "trusted-types 'none'",
  ].join('; ');
}

/** A self-contained page and the Content-Security-Policy it must be served with. */
export interface InlinePage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

/**
 * The page around a built script and style sheet: English, sized for phones, no referrer, not indexed. `body` is
 * static markup that holds no data; the script builds everything else from elements and text.
 */
export function inlinePage(parts: { readonly title: string; readonly body: string; readonly script: string; readonly style: string }): InlinePage {
  const contentSecurityPolicy = inlinePagePolicy(parts.script, parts.style);
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>${parts.title}</title>
<style>${parts.style}</style>
</head>
<body>
${parts.body}
<script>${parts.script}</script>
</body>
</html>
`;
  return { html, contentSecurityPolicy };
}
