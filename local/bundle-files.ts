// Build step: the files a function's bundle reads beside its index.mjs (lib/bundling.ts, bundleFilesOf): a page's
// built script and style sheet, and zxcvbn's dictionaries for the functions that judge new passwords. Written by
// deployment bundling after esbuild (bin/build-bundle-files.ts), by the local runtime beside its bundles
// (local/function-bundles.ts) and by the benchmark, so each runs the same bundle folder.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';
import type { FunctionDeclaration } from '../functions/contract/event-functions';
import { PASSWORD_DICTIONARIES_FILE, type PasswordDictionaries } from '../functions/adapters/password-dictionaries/dictionaries-file';
import { assetsDirOf, bundleFilesOf } from '../lib/bundling';
import { buildPageAssets } from './console-build';

/** The packages' exports as the bundles read them back (functions/adapters/password-dictionaries/). */
export const passwordDictionaries: PasswordDictionaries = {
  common: { dictionary: commonDictionary, adjacencyGraphs },
  english: { dictionary: englishDictionary, translations },
};

/** Writes zxcvbn's dictionaries into a bundle's folder. */
export async function writePasswordDictionaries(bundleDir: string): Promise<void> {
  await mkdir(bundleDir, { recursive: true });
  await writeFile(join(bundleDir, PASSWORD_DICTIONARIES_FILE), JSON.stringify(passwordDictionaries));
}

/** Writes every file the declaration's bundle reads beside itself into its folder. */
export async function writeBundleFiles(declaration: Pick<FunctionDeclaration, 'assets' | 'errors'>, bundleDir: string): Promise<void> {
  const files = bundleFilesOf(declaration);
  await Promise.all([
    files.pageAssets === undefined ? undefined : buildPageAssets(files.pageAssets, assetsDirOf(bundleDir)),
    files.passwordDictionaries ? writePasswordDictionaries(bundleDir) : undefined,
  ]);
}
