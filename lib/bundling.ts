// Infrastructure: how a function's handler (a route's or an event function's) becomes its Lambda bundle, defined
// once. The CDK construct (lib/api-function.ts) hands these settings to NodejsFunction; the bundle test and the
// benchmark hand the same settings to esbuild's JS API, so what they check and measure is what deploys.
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import type { BuildOptions, Metafile } from 'esbuild';
import type { FunctionDeclaration } from '../functions/contract/event-functions';
import { judgesNewPasswords, type PageAssets } from '../functions/contract/routes';
import { PAGE_ASSETS_DIR } from '../functions/http/page-assets';

/** The folder with package.json and the lock file; bundling resolves entries and packages from here. */
export const projectRoot = fileURLToPath(new URL('..', import.meta.url));

/** A function's handler module: functions/<declaration.handler>/handler.ts. */
export const entryOf = (route: Pick<FunctionDeclaration, 'handler'>): string => fileURLToPath(new URL(`../functions/${route.handler}/handler.ts`, import.meta.url));

/**
 * The bundle is an ES module (index.mjs). Some dependencies are CommonJS and call `require` for Node built-ins,
 * which an ES module does not have, so the bundle starts by making one (taking node:module without an ES module
 * facade, as every built-in: see BUILTINS_WITHOUT_FACADE).
 */
export const ESM_REQUIRE_BANNER = "const require = process.getBuiltinModule('module').createRequire(import.meta.url);";

/** The file a bundle is written to: NodejsFunction names an ES module bundle index.mjs. */
export const BUNDLE_FILE = 'index.mjs';

/**
 * The Node built-ins the bundles load as CommonJS (process.getBuiltinModule), never through an ES module `import`:
 * Node builds a built-in's ES module facade by reading every one of its exports, lazy getters included, and those
 * load more of Node. node:http's `WebSocket` export alone loads undici, about 40 ms of every cold start; the facades
 * of node:crypto, node:process, node:fs and node:util cost 5 to 10 ms each. (The Lambda runtime's own client loads
 * node:http with require, so it builds no facade either.) Each one is an alias to a one-line module in
 * lib/node-builtins/; a built-in missing here would be imported as an ES module, which test/infra/bundles.test.ts
 * refuses.
 */
export const BUILTINS_WITHOUT_FACADE = [
  'async_hooks',
  'child_process',
  'console',
  'crypto',
  'fs',
  'fs/promises',
  'http',
  'https',
  'module',
  'os',
  'path',
  'process',
  'stream',
  'timers',
  'url',
  'util',
  'zlib',
] as const;

/** Each built-in, by both of its names (`http`, `node:http`), to the module that hands it over without a facade. */
const builtinAliases: Readonly<Record<string, string>> = Object.fromEntries(
  BUILTINS_WITHOUT_FACADE.flatMap((name) => {
    const module = fileURLToPath(new URL(`./node-builtins/${name.replace('/', '-')}.cjs`, import.meta.url));
    return [
      [name, module],
      [`node:${name}`, module],
    ];
  }),
);

/**
 * Packages the bundles take from a module of the project instead. The SDK's default credential chain becomes the
 * environment credentials Lambda gives every function (functions/adapters/clients/environment-credentials.ts).
 * zxcvbn's language packages become their data, read from a file beside the bundle at the first password judged
 * (functions/adapters/password-dictionaries/: their modules are 1.6 MB of string literals that every cold start of a
 * judging function would parse); bundleFilesOf says which bundles get the file.
 */
const replacedPackages: Readonly<Record<string, string>> = {
  '@aws-sdk/credential-provider-node': fileURLToPath(new URL('../functions/adapters/clients/environment-credentials.ts', import.meta.url)),
  '@zxcvbn-ts/language-common': fileURLToPath(new URL('../functions/adapters/password-dictionaries/language-common.ts', import.meta.url)),
  '@zxcvbn-ts/language-en': fileURLToPath(new URL('../functions/adapters/password-dictionaries/language-en.ts', import.meta.url)),
};

/** Every handler bundle's esbuild settings, in esbuild's own terms. */
export const HANDLER_BUNDLE = {
  format: 'esm',
  // NodejsFunction always bundles for Node and offers no option for it; the esbuild options below say it explicitly.
  platform: 'node',
  // The Lambda runtime in lib/api-function.ts is Node.js 24; the two move together.
  target: 'node24',
  // Prefer a package's ES module build: esbuild tree-shakes it better than the CommonJS one.
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  // The map ships beside the bundle, and the failure log maps a stack with it (functions/http/source-mapped-stack.ts):
  // the functions do not run with --enable-source-maps, which would parse it at every cold start. The sources
  // themselves would only double the asset.
  sourcemap: true,
  sourcesContent: false,
  // The AWS SDK is bundled, not taken from the runtime: the function runs the SDK version the tests ran, not
  // whatever the runtime ships that month, and esbuild keeps only the commands the function imports. Importing the
  // SDK's own files from node_modules instead, as from the runtime's copy, made the cold import of sign-in and GET /me
  // about 1.5 times as long here (bin/bench-cold-starts.ts's measurement, SDK external).
  external: [],
  alias: { ...builtinAliases, ...replacedPackages },
} as const satisfies BuildOptions;

const cdkOutputFormat = { esm: nodejs.OutputFormat.ESM, cjs: nodejs.OutputFormat.CJS } as const;

/** Where a handler that serves built assets reads them: assets/ next to its bundle. */
export const assetsDirOf = (bundleDir: string): string => join(bundleDir, PAGE_ASSETS_DIR);

/** The files a function's bundle reads beside its index.mjs, read off its declaration. */
export interface BundleFiles {
  /** The page of console/ whose built script and style sheet go into assets/ (functions/http/page-assets.ts). */
  readonly pageAssets?: PageAssets;
  /** zxcvbn's dictionaries, for the functions that judge new passwords (functions/adapters/password-dictionaries/). */
  readonly passwordDictionaries: boolean;
}

export const bundleFilesOf = (declaration: Pick<FunctionDeclaration, 'assets' | 'errors'>): BundleFiles => ({
  ...(declaration.assets === undefined ? {} : { pageAssets: declaration.assets }),
  passwordDictionaries: judgesNewPasswords(declaration),
});

const needsBundleFiles = (files: BundleFiles): boolean => files.pageAssets !== undefined || files.passwordDictionaries;

/**
 * For a function whose bundle reads files beside itself (bundleFilesOf), the command that writes them into the
 * bundle's folder after esbuild, as the local runtime does for its bundles (local/bundle-files.ts).
 */
export function bundleFileHooks(declaration: Pick<FunctionDeclaration, 'handler' | 'assets' | 'errors'>): nodejs.ICommandHooks | undefined {
  if (!needsBundleFiles(bundleFilesOf(declaration))) return undefined;
  const tsx = join(projectRoot, 'node_modules', '.bin', 'tsx');
  const build = join(projectRoot, 'bin', 'build-bundle-files.ts');
  return {
    beforeBundling: () => [],
    beforeInstall: () => [],
    afterBundling: (_inputDir, outputDir) => [`"${tsx}" "${build}" ${declaration.handler} "${outputDir}"`],
  };
}

/** HANDLER_BUNDLE as NodejsFunction's bundling options (it adds --bundle and --platform=node itself). */
export const cdkBundlingOptions: nodejs.BundlingOptions = {
  format: cdkOutputFormat[HANDLER_BUNDLE.format],
  target: HANDLER_BUNDLE.target,
  mainFields: [...HANDLER_BUNDLE.mainFields],
  banner: HANDLER_BUNDLE.banner.js,
  minify: HANDLER_BUNDLE.minify,
  sourceMap: HANDLER_BUNDLE.sourcemap,
  sourcesContent: HANDLER_BUNDLE.sourcesContent,
  externalModules: [...HANDLER_BUNDLE.external],
  // NodejsFunction has no alias option of its own.
  esbuildArgs: Object.fromEntries(Object.entries(HANDLER_BUNDLE.alias).map(([name, module]) => [`--alias:${name}`, module])),
};

/**
 * HANDLER_BUNDLE as options for esbuild's JS API: the route's handler bundled to <outdir>/index.mjs, resolved from
 * the project root as NodejsFunction does. The caller adds `write`, `metafile` and the like.
 */
export function esbuildOptionsFor(route: Pick<FunctionDeclaration, 'handler'>, outdir: string): BuildOptions {
  return {
    ...HANDLER_BUNDLE,
    external: [...HANDLER_BUNDLE.external],
    mainFields: [...HANDLER_BUNDLE.mainFields],
    bundle: true,
    entryPoints: [entryOf(route)],
    outfile: join(outdir, BUNDLE_FILE),
    absWorkingDir: projectRoot,
    logLevel: 'warning',
  };
}

/** What a bundle's bytes are counted under when they come from the project's own sources, not from a package. */
export const OWN_CODE = '(adminpass)';

/**
 * The bytes each npm package (e.g. `bcryptjs`, `@aws-sdk/client-ses`) puts into a bundle, read from esbuild's
 * metafile, with the project's own sources counted under OWN_CODE. Modules that tree-shaking removed entirely are not
 * counted.
 */
export function bytesByPackage(metafile: Metafile): ReadonlyMap<string, number> {
  const bytes = new Map<string, number>();
  for (const output of Object.values(metafile.outputs)) {
    for (const [input, { bytesInOutput }] of Object.entries(output.inputs)) {
      if (bytesInOutput === 0) continue;
      // The last node_modules segment names the package, also for one nested inside another package.
      const name = /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\/(?!.*\/node_modules\/)/.exec(input)?.[1] ?? OWN_CODE;
      bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
    }
  }
  return bytes;
}

/** The npm packages that put code into a bundle (see bytesByPackage). */
export function packagesInBundle(metafile: Metafile): ReadonlySet<string> {
  return new Set([...bytesByPackage(metafile).keys()].filter((name) => name !== OWN_CODE));
}
