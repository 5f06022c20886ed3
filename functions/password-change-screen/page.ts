// HTTP adapter, page source: the Password Change Screen's HTML page, with its script and style sheet (built from
// console/password-change-screen/main.ts and console/styles.css) placed inline, and the Content-Security-Policy that
// allows exactly those two texts by their SHA-256 hashes.
import { inlinePage, type InlinePage } from '../http/inline-page';
import type { PageAssetTexts } from '../http/page-assets';

/**
 * The page around the script. The markup holds no data: the script reads the link's token from the URL fragment,
 * asks the API what to show, and builds the screen from elements and text (Trusted Types with no policy refuse
 * every HTML-parsing sink).
 */
export function passwordChangeScreenPage({ script, style }: PageAssetTexts): InlinePage {
  return inlinePage({
    title: 'Password Change Screen',
    body:
      '<div id="app"><main><h1>Password Change Screen</h1>' +
      '<noscript><p>This page needs JavaScript to check your link and set your password.</p></noscript></main></div>',
    script,
    style,
  });
}
