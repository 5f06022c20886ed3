// Domain layer: the list of common and breached passwords, from the maintained npm package
// @zxcvbn-ts/language-common (about 49,000 entries, lower-case, most common first). The list unpacks as the package
// loads, so the password gate imports this module at the first password it judges (functions/use-cases/
// password-rules.ts); built into a Set on first use, so only functions that judge new passwords pay for it, and only
// once per container.
import { dictionary } from '@zxcvbn-ts/language-common';

let common: ReadonlySet<string> | undefined;

/** True when the lower-cased, normalized password is on the list. */
export function isCommonPassword(loweredPassword: string): boolean {
  common ??= new Set((dictionary as Record<string, readonly string[]>)['passwords-common'] ?? []);
  return common.has(loweredPassword);
}

/** How many passwords the list holds (the README and a test state it). */
export function commonPasswordCount(): number {
  isCommonPassword('');
  return common?.size ?? 0;
}
