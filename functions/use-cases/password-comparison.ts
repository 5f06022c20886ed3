// Use-case layer: comparing a password of a known account under the company's lockout, for the sign-in and the
// own-change screen alike. The comparison takes its place in its source's count and in the account's before the hash
// is compared, by one write conditional on the stored counters, so however many comparisons run at once, no source
// gets more than the company's threshold in a window and no account more than the ceiling from sources that are not
// its admin's own (see functions/domain/sign-in-attempts.ts). A success gives its places back (SignInAttempts.giveBack).
import type { AdminRecord } from '../domain/admin';
import { locksOf, reserveComparison, succeeded, type AccountAttempts, type ComparisonRules, type SuccessfulComparison } from '../domain/sign-in-attempts';
import type { Dependencies } from './dependencies';

export type Comparison =
  /** Locked: nothing was compared against the account's hash (a decoy was, so the time is the same). */
  | { readonly outcome: 'locked'; readonly scope: 'source' | 'account' | 'contention' }
  /** The password is wrong; `locked` is the lock this comparison set, if it took the last place of a count. */
  | { readonly outcome: 'wrong'; readonly locked: { readonly scope: 'source' | 'account'; readonly until: string } | undefined }
  /** The password is right; `success` is what storing the success writes. */
  | { readonly outcome: 'right'; readonly success: SuccessfulComparison };

/** Times a reservation is decided again when the counters moved under it; past that it fails closed (locked). */
const RESERVATION_ROUNDS = 12;

export async function comparePassword(
  admin: AdminRecord,
  password: string,
  source: string,
  rules: ComparisonRules,
  deps: Pick<Dependencies, 'attempts' | 'clock'> & { readonly hasher: Pick<Dependencies['hasher'], 'verify'> },
): Promise<Comparison> {
  const now = deps.clock.now();
  let counters: AccountAttempts | undefined = admin;
  let scope: 'source' | 'account' | 'contention' = 'contention';
  for (let round = 1; counters !== undefined && round <= RESERVATION_ROUNDS; round += 1) {
    const decision = reserveComparison(counters, source, rules, now);
    if (decision.kind === 'refused') {
      scope = decision.scope;
      break;
    }
    if (await deps.attempts.reserve(admin, decision, [])) {
      const matches = await deps.hasher.verify(password, admin.password);
      return matches ? { outcome: 'right', success: succeeded(counters, decision, now) } : { outcome: 'wrong', locked: locksOf(decision) };
    }
    counters = await deps.attempts.read(admin);
  }
  // The same work as a comparison (its reservation's write, its hash), so a locked account answers in the time of any other failure.
  await deps.attempts.decoy(admin.companyId);
  await deps.hasher.verify(password, undefined);
  return { outcome: 'locked', scope };
}
