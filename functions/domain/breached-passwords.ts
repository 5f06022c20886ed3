// Domain layer: the breached-password judge as a port, and its verdicts. Whether a password appears in a corpus of
// breached passwords needs a network call (Pwned Passwords' range API, functions/adapters/pwned-passwords/), so the
// rule engine cannot judge it itself: the password gate (functions/use-cases/password-rules.ts) asks the judge, only
// for a password every other rule accepts, and decides what an unanswered question means (README, "Security
// decisions": fail-open).
import { normalizePassword } from './password-policy';

/** Why a lookup gave no verdict. None of these says anything about the password. */
export type BreachLookupFailure =
  /** No complete answer within the configured timeout. */
  | 'timeout'
  /** An answer other than 200. */
  | 'status'
  /** No connection, a reset, a redirect, a TLS failure. */
  | 'network'
  /** The answer grew past the size a real one has. */
  | 'too-large'
  /** A 200 whose body holds no line of the range format. */
  | 'malformed';

/** The verdict on one password. */
export type BreachVerdict =
  /** In the corpus `count` times (at least once). */
  | { readonly kind: 'breached'; readonly count: number }
  /** Not in the corpus. */
  | { readonly kind: 'not-found' }
  /** No verdict: the judge could not be asked. `status` is the HTTP status of a `status` failure. */
  | { readonly kind: 'unavailable'; readonly reason: BreachLookupFailure; readonly status?: number; readonly elapsedMs: number };

/** The port: has this exact string appeared in a known breach? An adapter never throws; a failure is `unavailable`. */
export interface BreachedPasswords {
  check(password: string): Promise<BreachVerdict>;
}

/**
 * The forms of a typed password worth looking up. The normalized form (NFKC) is the password every other rule judges
 * and the one stored and compared: an attacker who types any of its equivalents signs in. Breach corpora hold what
 * people typed, hashed as raw UTF-8, so the typed form is looked up too when NFKC changes it (decomposed accents,
 * full-width letters, ligatures); for ASCII the two are one form and one lookup.
 */
export const breachLookupForms = (password: string): string[] => [...new Set([normalizePassword(password), password])];

/**
 * One verdict for several forms of the same password: breached when any form is; else unavailable when any lookup
 * gave no answer (the first such failure); else not found.
 */
export function combinedVerdict(verdicts: readonly BreachVerdict[]): BreachVerdict {
  return (
    verdicts.find((verdict) => verdict.kind === 'breached') ??
    verdicts.find((verdict) => verdict.kind === 'unavailable') ?? { kind: 'not-found' }
  );
}
