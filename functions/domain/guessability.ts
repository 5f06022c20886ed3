// Domain layer: how guessable a password is, estimated by zxcvbn (@zxcvbn-ts/core) with the maintained common and
// English dictionaries and keyboard graphs (@zxcvbn-ts/language-common, @zxcvbn-ts/language-en). It finds what a
// whole-password list cannot: repeats, sequences, keyboard walks, dictionary words with substitutions, dates and the
// person's own data. No I/O of its own: the dictionaries are the language packages' exports, unpacked as their
// modules load (in a deployed bundle, read from a data file beside it: lib/bundling.ts), so the functions import
// this module at the first password they judge (functions/wiring/guessability.ts). Building the matcher ranks
// about 250,000 words, so it happens on first use, once per container, and only in functions that judge new passwords
// (as with the common-password list, a bundle that never imports this module carries none of it).
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import { adjacencyGraphs, dictionary as commonDictionary } from '@zxcvbn-ts/language-common';
import { dictionary as englishDictionary, translations } from '@zxcvbn-ts/language-en';

/** zxcvbn's verdict: a score from 0 (too guessable) to 4 (very unguessable) and its advice, in English. */
export interface Guessability {
  readonly score: number;
  /** Why the password is guessable, when zxcvbn can say (e.g. "Repeated characters like "aaa" are easy to guess."). */
  readonly warning: string | undefined;
  readonly suggestions: readonly string[];
}

/** zxcvbn judges only this many leading characters: the rest of a longer password cannot make it guessable. */
export const GUESSABILITY_PREFIX_LENGTH = 64;

let factory: ZxcvbnFactory | undefined;

function matcher(): ZxcvbnFactory {
  factory ??= new ZxcvbnFactory({
    dictionary: { ...commonDictionary, ...englishDictionary },
    graphs: adjacencyGraphs,
    translations,
    // Off: matching the whole password within two edits of every entry cost 0.3 to 2.5 s per check, measured here.
    useLevenshteinDistance: false,
    // The work grows steeply with length and with characters that can stand for letters (1, 0, 4, @...): with the
    // defaults (256, 100) a 128-character password took up to 3.6 s. Judged on its first 64 characters with at most
    // 4 substitutions tried, the worst cases measured stay near 0.1 to 0.3 s, and every test password keeps its score.
    maxLength: GUESSABILITY_PREFIX_LENGTH,
    l33tMaxSubstitutions: 4,
  });
  return factory;
}

/**
 * zxcvbn's score and feedback for a (normalized) password. `userInputs` are the person's own words (email, its local
 * part, name, company name and id): a password built from them scores as guessable as a dictionary word.
 */
export function guessabilityOf(password: string, userInputs: readonly string[]): Guessability {
  const result = matcher().check(password, [...userInputs]);
  return { score: result.score, warning: result.feedback.warning ?? undefined, suggestions: result.feedback.suggestions };
}
