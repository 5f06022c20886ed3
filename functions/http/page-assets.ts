// HTTP adapter: the built script and style sheet of a page whose browser code lives in console/ (the admin console,
// the Password Change Screen). They are built into assets/ next to the handler's module (next to its bundle when
// deployed: lib/bundling.ts; next to its source locally: local/console-build.ts) and read once per container.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder beside a page's handler module that holds its built assets. */
export const PAGE_ASSETS_DIR = 'assets';

/** The file names of a page's built assets in that folder. */
export const PAGE_ASSET_FILES = { script: 'page.js', style: 'page.css' } as const;

/** A page's one script and one style sheet, as the page inlines them. */
export interface PageAssetTexts {
  readonly script: string;
  readonly style: string;
}

/** Reads the page's assets from assets/ beside `handlerDir` (the handler's `import.meta.dirname`). */
export function readPageAssets(handlerDir: string): PageAssetTexts {
  const dir = join(handlerDir, PAGE_ASSETS_DIR);
  const read = (name: string): string => {
    try {
      return readFileSync(join(dir, name), 'utf8');
    } catch {
      throw new Error(`the page's ${name} is missing from ${dir}: build it with \`npx tsx bin/build-console.ts\``);
    }
  };
  return { script: read(PAGE_ASSET_FILES.script), style: read(PAGE_ASSET_FILES.style) };
}
