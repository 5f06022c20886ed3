// HTTP adapter, page source: the admin console's one HTML page, with its bundled script and style sheet placed
// inline, and the Content-Security-Policy that allows exactly those two texts by their SHA-256 hashes.
import { inlinePagePolicy } from '../http/inline-page';

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
  const contentSecurityPolicy = inlinePagePolicy(script, style);
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
