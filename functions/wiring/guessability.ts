// Composition root: zxcvbn as the password gate's guessability judge, handed to the use cases by the functions that
// judge new passwords (and the local demo seed), never imported by the gate itself: @zxcvbn-ts/core declares no
// "sideEffects": false, so esbuild keeps a few of its top-level statements in every bundle that merely reaches it.
// The judge is imported at its first call, not with the function: its dictionaries load with its modules (in a
// bundle, from the data file beside it: functions/adapters/password-dictionaries/; from the packages' modules in the
// sources), and esbuild bundles a dynamic import as a module evaluated only when the import runs.
import type { GuessabilityLoader } from '../use-cases/password-rules';

export const guessability: GuessabilityLoader = async () => (await import('../domain/guessability')).guessabilityOf;
