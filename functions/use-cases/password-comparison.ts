// Use-case layer: comparing a password of a known account under the company's lockout, for the sign-in and the
// own-change screen alike. The comparison takes its place in the account's count before the hash is compared, by
// a write conditional on the stored counters, so however many comparisons run at once, no more than the threshold
// ever run in one window (see functions/domain/sign-in-attempts.ts). A success gives its place back (SignInAttempts.giveBack).
import type { AdminRecord } from '../domain/admin';
import type { LockoutRule } from '../domain/ports';
import { heldPlace, reserveAttempt, type AttemptState, type HeldPlace } from '../domain/sign-in-attempts';
import type { Dependencies } from './dependencies';

export type Comparison =
  /** Locked: nothing was compared against the account's hash (a decoy was, so the time is the same). */
  | { readonly outcome: 'locked' }
  /** The password is wrong; `locked` is the lock this comparison set, if it took the threshold-th place. */
  | { readonly outcome: 'wrong'; readonly locked: string | undefined }
  /** The password is right; `place` is what its success gives back. */
  | { readonly outcome: 'right'; readonly place: HeldPlace };

/** Times a reservation is decided again when the counters moved under it; past that it fails closed (locked). */
const RESERVATION_ROUNDS = 12;

export async function comparePassword(
  admin: AdminRecord,
  password: string,
  rule: LockoutRule,
  deps: Pick<Dependencies, 'attempts' | 'hasher' | 'clock'>,
): Promise<Comparison> {
  const now = deps.clock.now();
  let counters: AttemptState | undefined = admin;
  for (let round = 1; counters !== undefined && round <= RESERVATION_ROUNDS; round += 1) {
    const decision = reserveAttempt(counters, rule, now);
    if (decision.kind === 'refused') break;
    if (await deps.attempts.reserve(admin, decision, [])) {
      const matches = await deps.hasher.verify(password, admin.password);
      return matches ? { outcome: 'right', place: heldPlace(decision) } : { outcome: 'wrong', locked: decision.locks };
    }
    counters = await deps.attempts.read(admin);
  }
  // The same work as a comparison (its reservation's write, its hash), so a locked account answers in the time of any other failure.
  await deps.attempts.decoy(admin.companyId);
  await deps.hasher.verify(password, undefined);
  return { outcome: 'locked' };
}
