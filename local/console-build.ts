// Build step: the admin console's browser bundle (console/main.ts and console/styles.css) written as
// assets/console.js and assets/console.css next to the handler that inlines them (functions/console-page/).
// Called by `npm start` (local/local-stack.ts), the Jest global setup, and bin/build-console.ts for deployment.
import { join } from 'node:path';
import { build } from 'esbuild';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/** Where the console page's handler reads its script and style sheet, locally and in tests. */
export const CONSOLE_ASSETS_DIR = join(PROJECT_ROOT, 'functions', 'console-page', 'assets');

/**
 * Bundles the console for current browsers (ES2022, one self-contained script, minified) and minifies its style
 * sheet, into `outDir` as console.js and console.css. Nothing is fetched at run time, and the bundle is inlined in
 * the page, so the page's Content-Security-Policy can allow exactly these two texts by hash.
 */
export async function buildConsole(outDir: string): Promise<void> {
  await build({
    entryPoints: [
      { in: join(PROJECT_ROOT, 'console', 'main.ts'), out: 'console' },
      { in: join(PROJECT_ROOT, 'console', 'styles.css'), out: 'console' },
    ],
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'iife',
    platform: 'browser',
    target: 'es2022',
    tsconfig: join(PROJECT_ROOT, 'console', 'tsconfig.json'),
    legalComments: 'none',
    sourcemap: false,
    logLevel: 'silent',
  });
}
