// Adapter: what the function bundles import as @zxcvbn-ts/language-en (lib/bundling.ts): the package's exports, read
// from the data file beside the bundle when the first password is judged (dictionaries-file.ts says why).
import { bundledPasswordDictionaries } from './dictionaries-file';

export const { dictionary, translations } = bundledPasswordDictionaries().english;
