// Entry point: `tsx bin/build-console.ts` builds every page of console/ next to its handler's source
// (functions/<handler>/assets/, what `tsx` and the in-process handler tests read: local/console-build.ts). A bundle's
// pages are built beside it by bin/build-bundle-files.ts.
import { buildSourcePageAssets } from '../local/console-build';

await buildSourcePageAssets();
console.log('every page of console/ built next to its handler');
