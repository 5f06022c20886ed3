// Build step: the browser pages of console/ (the admin console, the Password Change Screen), one codebase with an
// entry per page. Each page's script and the console's one style sheet are bundled into the assets/ folder its
// handler reads (functions/http/page-assets.ts). Called for a bundle's folder by local/bundle-files.ts (deployment
// bundling, the local runtime's bundles, the benchmark) and next to the sources by bin/build-console.ts and the Jest
// global setup.
import { join } from 'node:path';
import { build } from 'esbuild';
import { routeList, type PageAssets, type RouteDefinition } from '../functions/contract/routes';
import { PAGE_ASSETS_DIR, PAGE_ASSET_FILES } from '../functions/http/page-assets';

const PROJECT_ROOT = join(import.meta.dirname, '..');
const CONSOLE_DIR = join(PROJECT_ROOT, 'console');

/** Each page's script entry in console/; every page takes the console's one style sheet, so they look alike. */
const PAGE_ENTRIES: Readonly<Record<PageAssets, string>> = {
  console: join(CONSOLE_DIR, 'main.ts'),
  'password-change-screen': join(CONSOLE_DIR, 'password-change-screen', 'main.ts'),
};
const STYLE_SHEET = join(CONSOLE_DIR, 'styles.css');

/** The esbuild out name of a file in PAGE_ASSET_FILES: its name without the extension esbuild adds. */
const outName = (file: string): string => file.replace(/\.[^.]+$/, '');

/**
 * Bundles one page for current browsers (ES2022, one self-contained script, minified) and minifies the style sheet,
 * into `outDir` as PAGE_ASSET_FILES. Nothing is fetched at run time, and both are inlined in the page, so its
 * Content-Security-Policy can allow exactly these two texts by hash.
 */
export async function buildPageAssets(page: PageAssets, outDir: string): Promise<void> {
  await build({
    entryPoints: [
      { in: PAGE_ENTRIES[page], out: outName(PAGE_ASSET_FILES.script) },
      { in: STYLE_SHEET, out: outName(PAGE_ASSET_FILES.style) },
    ],
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    tsconfig: join(CONSOLE_DIR, 'tsconfig.json'),
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'silent',
  });
}

/** The routes whose handler serves a page of console/. */
const pageRoutes = routeList.filter((route): route is RouteDefinition & { assets: PageAssets } => route.assets !== undefined);

/** Where a page's handler reads its assets when it runs from source (in-process handler tests, `tsx`). */
export const sourceAssetsDirOf = (route: Pick<RouteDefinition, 'handler'>): string => join(PROJECT_ROOT, 'functions', route.handler, PAGE_ASSETS_DIR);

/** Builds every page's assets next to its handler's source (functions/<handler>/assets/, ignored by git). */
export async function buildSourcePageAssets(): Promise<void> {
  await Promise.all(pageRoutes.map((route) => buildPageAssets(route.assets, sourceAssetsDirOf(route))));
}
