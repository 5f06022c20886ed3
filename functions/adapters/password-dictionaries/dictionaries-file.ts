// Adapter: zxcvbn's word lists, keyboard graphs and English advice (the packages @zxcvbn-ts/language-common and
// @zxcvbn-ts/language-en) read from a JSON file beside the function's bundle instead of from the packages' modules.
// The bundles resolve both packages to language-common.ts and language-en.ts here (lib/bundling.ts): the packages'
// modules hold the lists as about 1.6 MB of string literals, which Node parses at every cold start of a function that
// judges new passwords, also of those whose requests never judge one (about 50 ms of each such import, measured by
// `npm run bench`). A data file is read only when the first password is judged. The local runtime writes the same file
// beside its bundles, and deployment bundling beside the function's (local/bundle-files.ts); the sources, run with
// `tsx` or Jest, import the packages themselves.
import { readFileSync } from 'node:fs';
import type * as languageCommon from '@zxcvbn-ts/language-common';
import type * as languageEnglish from '@zxcvbn-ts/language-en';

/** The data file's name, beside the bundle's index.mjs. */
export const PASSWORD_DICTIONARIES_FILE = 'password-dictionaries.json';

/** What the file holds: each package's exports, as the packages export them. */
export interface PasswordDictionaries {
  readonly common: Pick<typeof languageCommon, 'dictionary' | 'adjacencyGraphs'>;
  readonly english: Pick<typeof languageEnglish, 'dictionary' | 'translations'>;
}

let dictionaries: PasswordDictionaries | undefined;

/** The file's contents, read once per container. In a bundle, import.meta.url is the bundle's own index.mjs. */
export function bundledPasswordDictionaries(): PasswordDictionaries {
  if (dictionaries === undefined) {
    const file = new URL(`./${PASSWORD_DICTIONARIES_FILE}`, import.meta.url);
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      throw new Error(`zxcvbn's dictionaries are missing beside the bundle (${file.pathname}): deployment bundling writes them with bin/build-bundle-files.ts`);
    }
    dictionaries = JSON.parse(text) as PasswordDictionaries;
  }
  return dictionaries;
}
