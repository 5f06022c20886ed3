// HTTP adapter, page source: the admin console's one HTML page, with its bundled script and style sheet placed
// inline, and the Content-Security-Policy that allows exactly those two texts by their SHA-256 hashes.
import { inlinePage, type InlinePage } from '../http/inline-page';
import type { PageAssetTexts } from '../http/page-assets';

/**
 * The page around the bundle. The markup holds no data: the script builds every screen from elements and text.
 * No 'unsafe-inline', nothing from another origin, requests to this API only; Trusted Types with no policy make the
 * browser refuse every HTML-parsing sink, so the script can only write text.
 */
export function consolePage({ script, style }: PageAssetTexts): InlinePage {
  return inlinePage({
    title: 'adminpass console',
    body: '<div id="app"><main><h1>adminpass console</h1><noscript><p>The console needs JavaScript.</p></noscript></main></div>',
    script,
    style,
  });
}
