// Composition root: zxcvbn as the password gate's guessability judge, handed to the use cases by the functions that
// judge new passwords (and the local demo seed), never imported by the gate itself: @zxcvbn-ts/core declares no
// "sideEffects": false, so esbuild keeps a few of its top-level statements in every bundle that merely reaches it.
import { guessabilityOf } from '../domain/guessability';
import type { GuessabilityJudge } from '../use-cases/password-rules';

export const guessability: GuessabilityJudge = guessabilityOf;
