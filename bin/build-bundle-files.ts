// Entry point: `tsx bin/build-bundle-files.ts <handler> <bundleDir>` writes the files the handler's bundle reads
// beside itself (a page's assets, zxcvbn's dictionaries: local/bundle-files.ts). Deployment bundling runs it after
// esbuild with the function's output folder (lib/bundling.ts, bundleFileHooks).
import { resolve } from 'node:path';
import { writeBundleFiles } from '../local/bundle-files';
import { bundledFunctions } from '../local/function-bundles';

const [handler, bundleDir] = process.argv.slice(2);
const declaration = bundledFunctions.find((candidate) => candidate.handler === handler);
if (declaration === undefined || bundleDir === undefined) {
  console.error(`usage: tsx bin/build-bundle-files.ts <handler> <bundleDir>; handlers: ${bundledFunctions.map((fn) => fn.handler).join(', ')}`);
  process.exitCode = 2;
} else {
  await writeBundleFiles(declaration, resolve(bundleDir));
  console.log(`${handler}: its bundle's files written to ${resolve(bundleDir)}`);
}
