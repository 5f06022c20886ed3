// Local runtime: every function's bundle, built as CDK builds it for deployment (lib/bundling.ts through esbuild's JS
// API), so the local server, the integration tests and the bundle tests run the code that deploys rather than the
// TypeScript sources. Bundles are cached under .cache/bundles/<hash>/, keyed by everything a bundle is built from.
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { build, type Metafile } from 'esbuild';
import { eventFunctionList, type FunctionDeclaration } from '../functions/contract/event-functions';
import { fallbackRoute, routeList } from '../functions/contract/routes';
import { BUNDLE_FILE, esbuildOptionsFor } from '../lib/bundling';
import { writeBundleFiles } from './bundle-files';
import { sourcesHash } from './sources-hash';

const ROOT = join(import.meta.dirname, '..');
const CACHE_DIR = join(ROOT, '.cache', 'bundles');
/** What a bundle is built from: the handlers and everything they import, the console, the bundling settings, the packages. */
const SOURCES = ['functions', 'console', 'lib/bundling.ts', 'lib/node-builtins', 'package-lock.json', 'local/function-bundles.ts', 'local/bundle-files.ts', 'local/console-build.ts', 'local/sources-hash.ts'];
/** Generated assets in functions/ (the pages', for in-process handler tests) are outputs, not sources. */
const IGNORED = /(^|\/)assets\//;
/** Builds kept besides the current one, so a parallel run on a previous commit still finds its own. */
const KEPT_BUILDS = 3;

/** Every function the stacks deploy: each route's, the catch-all's and each event function's. */
export const bundledFunctions: readonly FunctionDeclaration[] = [...routeList, fallbackRoute, ...eventFunctionList];

/**
 * Where the built bundles are: one folder per handler, each with index.mjs and the files it reads beside itself
 * (assets/ for a page of console/, zxcvbn's dictionaries for a function that judges new passwords).
 */
export interface FunctionBundles {
  readonly dir: string;
  /** The bundle file of a handler folder name (functions/<handler>). */
  bundleOf(handler: string): string;
  /** What esbuild put into a handler's bundle. */
  metafileOf(handler: string): Metafile;
}

/** A hash of every file the bundles are built from: the cache key. */
export const bundleSourcesHash = (): string => sourcesHash(SOURCES, IGNORED);

const METAFILE = 'metafile.json';

/** The bundles built into `dir` by loadFunctionBundles (another process's, whose folder it was told). */
export function functionBundlesIn(dir: string): FunctionBundles {
  return {
    dir,
    bundleOf: (handler) => join(dir, handler, BUNDLE_FILE),
    metafileOf: (handler) => JSON.parse(readFileSync(join(dir, handler, METAFILE), 'utf8')) as Metafile,
  };
}

/** Builds every bundle into `dir`, each with its metafile and the files it reads beside itself. */
async function buildAll(dir: string): Promise<void> {
  await Promise.all(
    bundledFunctions.map(async (declaration) => {
      const outdir = join(dir, declaration.handler);
      const result = await build({ ...esbuildOptionsFor(declaration, outdir), metafile: true, logLevel: 'error' });
      writeFileSync(join(outdir, METAFILE), JSON.stringify(result.metafile));
      // What lib/bundling.ts's afterBundling hook does for the deployed asset.
      await writeBundleFiles(declaration, outdir);
    }),
  );
}

/** Removes all but the newest few builds. */
function pruneOldBuilds(keep: string): void {
  const builds = readdirSync(CACHE_DIR)
    .filter((name) => name !== keep && !name.includes('.'))
    .map((name) => ({ name, at: statSync(join(CACHE_DIR, name)).mtimeMs }))
    .sort((a, b) => b.at - a.at);
  for (const old of builds.slice(KEPT_BUILDS)) rmSync(join(CACHE_DIR, old.name), { recursive: true, force: true });
}

/**
 * The bundles of the current sources, built once (5 to 30 s) and then taken from the cache until a handler, the
 * console, the bundling settings or the lock file change. A build is written aside and renamed into place, so a
 * parallel run never loads half of one.
 */
export async function loadFunctionBundles(options: { log?: (line: string) => void } = {}): Promise<FunctionBundles> {
  const dir = join(CACHE_DIR, bundleSourcesHash());
  if (existsSync(dir)) return functionBundlesIn(dir);
  options.log?.('Building each function\'s bundle as it deploys (5 to 30 s; cached in .cache/bundles/ until functions/ changes)…');
  mkdirSync(CACHE_DIR, { recursive: true });
  const partial = `${dir}.${process.pid}.tmp`;
  rmSync(partial, { recursive: true, force: true });
  try {
    await buildAll(partial);
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another run finished the same build first: theirs is as good as ours.
    if (!existsSync(dir)) throw error;
  }
  pruneOldBuilds(dir.slice(CACHE_DIR.length + 1));
  return functionBundlesIn(dir);
}
