// Use-case layer: comparing a password of a known account under the company's lockout, for the sign-in and the
// own-change screen alike. The comparison takes its place in the account's failure count before the hash is
// compared, by a write conditional on the stored counters, so however many comparisons run at once, no more than
// the threshold ever run between two successes. Its outcome is then stored: a failure marked as concluded, a
// success settled (see settleSuccess).
import type { AdminRecord } from '../domain/admin';
import type { AuditEvent } from '../domain/audit';
import type { LockoutRule } from '../domain/ports';
import { reserveAttempt, settleSuccess, type AttemptState } from '../domain/sign-in-attempts';
import type { Dependencies } from './dependencies';

export type Comparison =
  /** Locked: nothing was compared against the account's hash (a decoy was, so the time is the same). */
  | { readonly outcome: 'locked' }
  /** The password is wrong; `locked` is the lock this failure set, if it was the one that reached the threshold. */
  | { readonly outcome: 'wrong'; readonly locked: string | undefined }
  /** The password is right; `ownLock` is the lock this comparison's own reservation set, which its success may lift. */
  | { readonly outcome: 'right'; readonly ownLock: string | undefined };

/** Times a change of the counters is decided again when they moved under it; past that a reservation fails closed (locked). */
const DECISION_ROUNDS = 12;

type AttemptDeps = Pick<Dependencies, 'attempts' | 'auditLog' | 'clock'>;

export async function comparePassword(
  admin: AdminRecord,
  password: string,
  rule: LockoutRule,
  deps: Pick<Dependencies, 'attempts' | 'hasher' | 'clock'>,
): Promise<Comparison> {
  const now = deps.clock.now();
  let counters: AttemptState | undefined = admin;
  for (let round = 1; counters !== undefined && round <= DECISION_ROUNDS; round += 1) {
    const decision = reserveAttempt(counters, rule, now);
    if (decision.kind === 'refused') break;
    if (await deps.attempts.reserve(admin, decision, [])) {
      const matches = await deps.hasher.verify(password, admin.password);
      return matches ? { outcome: 'right', ownLock: decision.locks } : { outcome: 'wrong', locked: decision.locks };
    }
    counters = await deps.attempts.read(admin);
  }
  // The same work as a comparison, so a locked account answers in the same time as any other failure.
  await deps.hasher.verify(password, undefined);
  return { outcome: 'locked' };
}

/** Stores that a compared password did not let the person in (wrong, or right for an account that may not sign in), with its events. */
export async function concludeFailure(admin: AdminRecord, events: readonly AuditEvent[], deps: AttemptDeps): Promise<void> {
  // Refused only when the count was restarted meanwhile (unlock, new password, lapse): the events are kept all the same.
  if (!(await deps.attempts.concludeFailure(admin, events))) await deps.auditLog.record(events);
}

/** Stores a success: the concluded failures and its own place go, a lock it did not set stays. Resolves whether no lock remains. */
export async function concludeSuccess(admin: AdminRecord, ownLock: string | undefined, events: readonly AuditEvent[], deps: AttemptDeps): Promise<boolean> {
  const now = deps.clock.now();
  let counters: AttemptState | undefined = admin;
  for (let round = 1; counters !== undefined && round <= DECISION_ROUNDS; round += 1) {
    const decision = settleSuccess(counters, ownLock, now);
    if (decision.kind === 'keep-lock') break;
    if (await deps.attempts.settle(admin, decision, events)) return true;
    counters = await deps.attempts.read(admin);
  }
  // A lock set by others stays (or the counters kept moving): the success is recorded all the same.
  await deps.auditLog.record(events);
  return false;
}
