// Entry point: builds the admin console's assets. `tsx bin/build-console.ts [outDir]`; without an argument it writes
// functions/console-page/assets/ (what npm start and the tests also build). Deployment bundling passes the function's
// output folder's assets/ directory, since the handler reads its assets next to itself.
import { resolve } from 'node:path';
import { CONSOLE_ASSETS_DIR, buildConsole } from '../local/console-build';

const outDir = process.argv[2] === undefined ? CONSOLE_ASSETS_DIR : resolve(process.argv[2]);
await buildConsole(outDir);
console.log(`console assets written to ${outDir}`);
