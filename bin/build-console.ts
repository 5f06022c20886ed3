// Entry point: builds the pages of console/ (local/console-build.ts). `tsx bin/build-console.ts` builds every page
// next to its handler's source (functions/<handler>/assets/, what `tsx` and the in-process handler tests read).
// `tsx bin/build-console.ts <page> <outDir>` builds one page (console, password-change-screen) into outDir: deployment
// bundling passes the function's output folder's assets/ directory, since the handler reads its assets next to itself.
import { resolve } from 'node:path';
import { buildPageAssets, buildSourcePageAssets, isPage } from '../local/console-build';

const [page, outDir] = process.argv.slice(2);
if (page === undefined) {
  await buildSourcePageAssets();
  console.log('every page of console/ built next to its handler');
} else if (isPage(page) && outDir !== undefined) {
  await buildPageAssets(page, resolve(outDir));
  console.log(`${page} assets written to ${resolve(outDir)}`);
} else {
  console.error('usage: tsx bin/build-console.ts [<console|password-change-screen> <outDir>]');
  process.exitCode = 2;
}
