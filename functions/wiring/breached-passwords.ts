// Composition root: the password gate's breached-password judge, handed to the use cases by the functions that judge
// new passwords (and the local demo seed), like the guessability judge: Pwned Passwords' range API where the
// deployment sets PWNED_PASSWORDS_URL, none (the check is off, the default) where it does not. Every lookup that gets
// no answer is logged as a warning, with why and how long it took: never the password, its hash or its prefix.
import { createPwnedPasswords } from '../adapters/pwned-passwords/pwned-passwords';
import { breachCheckConfig } from '../config';
import type { BreachedPasswords } from '../domain/breached-passwords';
import { logger } from '../http/logger';

/** The warning of a lookup that got no answer: the password was judged without it (fail-open). Alarms and docs match it. */
export const BREACH_CHECK_UNAVAILABLE = 'breached-password check unavailable; password judged without it';

export interface BreachCheckSettings {
  /** The range API's base URL; undefined leaves the check off. */
  readonly url: string | undefined;
  readonly timeoutMs: number;
}

/** Where the warnings go: the function's logger, or a test's list. */
export type BreachCheckWarning = (message: string, attributes: Readonly<Record<string, string | number>>) => void;

/** The judge these settings describe, or undefined when they leave the check off. */
export function breachedPasswordsFor(settings: BreachCheckSettings, warn: BreachCheckWarning): BreachedPasswords | undefined {
  if (settings.url === undefined) return undefined;
  const lookup = createPwnedPasswords({ baseUrl: settings.url, timeoutMs: settings.timeoutMs });
  return {
    async check(password) {
      const verdict = await lookup.check(password);
      if (verdict.kind === 'unavailable') {
        warn(BREACH_CHECK_UNAVAILABLE, {
          reason: verdict.reason,
          ...(verdict.status === undefined ? {} : { status: verdict.status }),
          elapsedMs: verdict.elapsedMs,
          timeoutMs: settings.timeoutMs,
        });
      }
      return verdict;
    },
  };
}

const config = breachCheckConfig();

export const breachedPasswords: BreachedPasswords | undefined = breachedPasswordsFor(
  { url: config.PWNED_PASSWORDS_URL, timeoutMs: config.PWNED_PASSWORDS_TIMEOUT_MS },
  (message, attributes) => logger.warn(message, attributes),
);
