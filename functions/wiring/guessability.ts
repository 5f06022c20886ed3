// Composition root: zxcvbn as the password gate's guessability judge. Imported for its effect by the handlers that
// judge new passwords (and the local demo seed), never by the gate itself: @zxcvbn-ts/core declares no
// "sideEffects": false, so esbuild keeps a few of its top-level statements in every bundle that merely reaches it,
// and the sign-in, admin-listing and reset-request bundles reach the gate's module for its other exports.
import { guessabilityOf } from '../domain/guessability';
import { judgeGuessabilityWith } from '../use-cases/password-rules';

judgeGuessabilityWith(guessabilityOf);
