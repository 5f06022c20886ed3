// HTTP adapter, page source: the admin console's one HTML page, with its bundled script and style sheet placed
// inline, and the Content-Security-Policy that allows exactly those two texts by their SHA-256 hashes.
import { createHash } from 'node:crypto';

const sha256Source = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;

export interface ConsolePage {
  readonly html: string;
  readonly contentSecurityPolicy: string;
}

/**
 * The page around the bundle. The markup holds no data: the script builds every screen from elements and text.
 * No 'unsafe-inline', nothing from another origin, requests to this API only; Trusted Types with no policy make the
 * browser refuse every HTML-parsing sink, so the script can only write text.
 */
export function consolePage(script: string, style: string): ConsolePage {
  // Both go verbatim between their tags and are hashed verbatim: a closing tag inside would end the element early.
  if (/<\/(script|style)/i.test(script + style)) throw new Error('the console bundle must not contain a closing script or style tag');
  const contentSecurityPolicy = [
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
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="robots" content="noindex, nofollow">
<title>adminpass console</title>
<style>${style}</style>
</head>
<body>
<div id="app"><main><h1>adminpass console</h1><noscript><p>The console needs JavaScript.</p></noscript></main></div>
<script>${script}</script>
</body>
</html>
`;
  return { html, contentSecurityPolicy };
}
