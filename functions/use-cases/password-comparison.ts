// Use-case layer: comparing a password of a known account under the company's lockout, for the sign-in and the
// own-change screen alike. The comparison takes its place in its source's count and in the account's before the hash
// is compared, by one write conditional on the stored counters, so however many comparisons run at once, no source
// gets more than the company's threshold in a window and no account more than the ceiling from sources that are not
// its admin's own (see functions/domain/sign-in-attempts.ts). A success gives its places back (SignInAttempts.giveBack).
import type { AdminRecord } from '../domain/admin';
import type { AttemptKey } from '../domain/ports';
import { locksOf, reserveComparison, succeeded, type AccountAttempts, type ComparisonRules, type SuccessfulComparison } from '../domain/sign-in-attempts';
import type { Dependencies } from './dependencies';

export type Comparison =
  /** Locked: nothing was compared against the account's hash (a decoy was, so the time is the same). */
  | { readonly outcome: 'locked'; readonly scope: 'source' | 'account' | 'contention' }
  /** The account is gone, or no longer holds the address it was found by: nothing was compared (a decoy was). */
  | { readonly outcome: 'gone' }
  /** The password is wrong; `locked` is the lock this comparison set, if it took the last place of a count. */
  | { readonly outcome: 'wrong'; readonly admin: AdminRecord; readonly locked: { readonly scope: 'source' | 'account'; readonly until: string } | undefined }
  /** The password is right; `admin` is the account as stored when it was compared, `success` what storing the success writes. */
  | { readonly outcome: 'right'; readonly admin: AdminRecord; readonly success: SuccessfulComparison };

/** The account whose password is compared, as the caller found it. */
export interface ComparedAccount {
  readonly account: AttemptKey & AccountAttempts;
  /** The counters came from an index that may lag the table: a refusal decided on them is confirmed on the stored ones first. */
  readonly countersMayLag?: boolean;
  /** The address the account was found by, which it must still hold when its place is taken. */
  readonly holding?: string;
}

/** Times a reservation is decided again when the counters moved under it; past that it fails closed (locked). */
const RESERVATION_ROUNDS = 12;

/**
 * One request in the place of a reservation (its write, or the read that confirmed a refusal) and one hash, on
 * every path, so a locked or vanished account answers in the time of any other failure.
 */
export async function comparePassword(
  { account, countersMayLag = false, holding }: ComparedAccount,
  password: string,
  source: string,
  rules: ComparisonRules,
  deps: Pick<Dependencies, 'attempts' | 'clock'> & { readonly hasher: Pick<Dependencies['hasher'], 'verify'> },
): Promise<Comparison> {
  const now = deps.clock.now();
  let counters: AccountAttempts | undefined = account;
  let unconfirmed = countersMayLag;
  let requested = false;
  let scope: 'source' | 'account' | 'contention' = 'contention';
  for (let round = 1; counters !== undefined && round <= RESERVATION_ROUNDS; round += 1) {
    const decision = reserveComparison(counters, source, rules, now);
    if (decision.kind === 'refused' && unconfirmed) {
      // A lock an unlock lifted a moment ago may still be in the index's copy.
      counters = await deps.attempts.read(account);
      unconfirmed = false;
      requested = true;
      continue;
    }
    if (decision.kind === 'refused') {
      scope = decision.scope;
      break;
    }
    const reservation = await deps.attempts.reserve(account, decision, holding);
    requested = true;
    if (reservation.reserved) {
      const { admin } = reservation;
      const matches = await deps.hasher.verify(password, admin.password);
      return matches ? { outcome: 'right', admin, success: succeeded(counters, decision, now) } : { outcome: 'wrong', admin, locked: locksOf(decision) };
    }
    const { stored } = reservation;
    if (stored === undefined || (holding !== undefined && stored.email !== holding)) {
      await deps.hasher.verify(password, undefined);
      return { outcome: 'gone' };
    }
    counters = stored;
    unconfirmed = false;
  }
  if (counters === undefined) {
    await deps.hasher.verify(password, undefined);
    return { outcome: 'gone' };
  }
  if (!requested) await deps.attempts.decoy(account.companyId);
  await deps.hasher.verify(password, undefined);
  return { outcome: 'locked', scope };
}
