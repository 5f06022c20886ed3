// Console (browser): a temporary password for the master's [Generate], drawn from the browser's CSPRNG. It keeps
// the company's composition and length rules and avoids the owner's name and email; the server judges it anyway.
import type { PasswordPolicyValues } from './api-types';
import type { PasswordOwner } from './password-checklist';

// Without look-alikes (I, l, 1, O, 0), so it can be read out or copied by hand.
const UPPER = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
const LOWER = 'abcdefghijkmnopqrstuvwxyz';
const DIGITS = '23456789';
const SYMBOLS = '-_.!?#%+=';
const ALL = UPPER + LOWER + DIGITS + SYMBOLS;

/** A uniform integer in [0, bound), from the CSPRNG (draws that would favour small values are drawn again). */
function randomBelow(bound: number): number {
  const limit = 2 ** 32 - (2 ** 32 % bound);
  const draw = new Uint32Array(1);
  do crypto.getRandomValues(draw);
  while ((draw[0] as number) >= limit);
  return (draw[0] as number) % bound;
}

const pick = (alphabet: string): string => alphabet[randomBelow(alphabet.length)] as string;

/** Fisher-Yates, so the guaranteed characters are not always first. */
function shuffled(characters: string[]): string[] {
  for (let index = characters.length - 1; index > 0; index -= 1) {
    const other = randomBelow(index + 1);
    [characters[index], characters[other]] = [characters[other] as string, characters[index] as string];
  }
  return characters;
}

/** At least 20 characters (more when the policy asks), one of each class, none of the owner's words. */
export function generateTemporaryPassword(policy: PasswordPolicyValues, owner: PasswordOwner): string {
  const length = Math.min(policy.maxLength, Math.max(20, policy.minLength));
  const avoid = [owner.email?.split('@')[0], ...(owner.name ?? '').split(/\s+/), owner.companyId]
    .map((word) => (word ?? '').toLowerCase())
    .filter((word) => word.length >= 3);
  for (;;) {
    const characters = [pick(UPPER), pick(LOWER), pick(DIGITS), pick(SYMBOLS)];
    while (characters.length < length) characters.push(pick(ALL));
    const password = shuffled(characters).join('');
    if (!avoid.some((word) => password.toLowerCase().includes(word))) return password;
  }
}
