// Domain layer: the lockout, decided here and only here. Every password comparison of a known account (a sign-in,
// a current password on the own-change screen) first takes a place in the account's failure count; the store
// applies it only if the stored counters still allow it, so parallel guesses cannot all read the same old count and
// no more than the threshold are ever compared before the lock. A comparison that ends wrong is then marked as
// concluded; a success clears the concluded failures and its own place, but not the places of comparisons still
// running, so a success in the middle of a burst gives the burst no fresh guesses. A lapsed lock restarts the count.

/** The counters of an account's failed password comparisons, as stored on the admin. */
export interface AttemptState {
  /** Places taken in the count since the last success: comparisons still running and those that ended wrong. */
  readonly failedSignIns: number;
  /** Of those, the comparisons that ended wrong (the rest are still running, or never reported). */
  readonly concludedFailures: number;
  /** While in the future, no password is compared (the answer is the usual failure). Kept after it lapses, until the next attempt restarts the count. */
  readonly lockedUntil: string | undefined;
}

/** How a company locks accounts after failed comparisons. */
export interface LockoutRule {
  /** Failures that lock; 0 never locks. */
  readonly threshold: number;
  readonly minutes: number;
}

/** What the store must find before it applies a change of the counters. */
export type AttemptGuard =
  /** No lock is set, lapsed or not, and fewer than `below` places are taken: parallel reservations need not wait for each other. */
  | { readonly kind: 'unlocked-below'; readonly below: number }
  /** Exactly the counters that were read: the changes that lock, restart after a lapse or settle a success are decided one at a time. */
  | { readonly kind: 'exactly'; readonly state: AttemptState }
  /** Nothing: the company never locks. */
  | { readonly kind: 'none' };

/** The decision for one comparison about to be made. */
export type AttemptDecision =
  | { readonly kind: 'refused'; readonly lockedUntil: string }
  | {
      readonly kind: 'reserve';
      /** The counters once this comparison holds its place; a plain count is stored as an increment, the others as written here. */
      readonly next: AttemptState;
      readonly guard: AttemptGuard;
      /** The lock this reservation sets, if it is the one that reaches the threshold. */
      readonly locks: string | undefined;
    };

/** What a success does to the counters. */
export type SuccessDecision =
  /** A lock that other comparisons set while this one ran stays, with every count under it. */
  | { readonly kind: 'keep-lock' }
  | { readonly kind: 'settle'; readonly next: AttemptState; readonly guard: AttemptGuard };

const addMinutes = (now: Date, minutes: number): string => new Date(now.getTime() + minutes * 60_000).toISOString();

/** No failures and no lock: an account's counters after a success with nothing else running, a master's unlock or a new password. */
export const RESTARTED: AttemptState = Object.freeze({ failedSignIns: 0, concludedFailures: 0, lockedUntil: undefined });

/** True while the lock holds. */
export const isLocked = (state: Pick<AttemptState, 'lockedUntil'>, now: Date): boolean =>
  state.lockedUntil !== undefined && Date.parse(state.lockedUntil) > now.getTime();

/**
 * Decides whether a comparison may run and how it counts. The comparison that reaches the threshold locks the
 * account in its own reservation, before the hash is compared, so no more than `threshold` comparisons run between
 * two successes; whatever it finds, the lock stands unless this very comparison succeeds.
 */
export function reserveAttempt(state: AttemptState, rule: LockoutRule, now: Date): AttemptDecision {
  if (isLocked(state, now)) return { kind: 'refused', lockedUntil: state.lockedUntil! };
  if (rule.threshold === 0) {
    return { kind: 'reserve', next: { ...state, failedSignIns: state.failedSignIns + 1, lockedUntil: undefined }, guard: { kind: 'none' }, locks: undefined };
  }
  // A lock that lapsed restarts the count: the next failure is the first of a new series, not the eleventh.
  const lapsed = state.lockedUntil !== undefined;
  const base = lapsed ? RESTARTED : state;
  const places = base.failedSignIns + 1;
  if (places >= rule.threshold) {
    const lockedUntil = addMinutes(now, rule.minutes);
    return { kind: 'reserve', next: { ...base, failedSignIns: places, lockedUntil }, guard: { kind: 'exactly', state }, locks: lockedUntil };
  }
  if (lapsed) return { kind: 'reserve', next: { ...base, failedSignIns: places }, guard: { kind: 'exactly', state }, locks: undefined };
  return { kind: 'reserve', next: { ...base, failedSignIns: places }, guard: { kind: 'unlocked-below', below: rule.threshold - 1 }, locks: undefined };
}

/**
 * Decides what a right password does to the counters: its own place and every concluded failure go; the places of
 * comparisons still running stay counted, so they cannot be followed by a fresh series. A lock in force stays,
 * unless this comparison's own reservation set it (`ownLock`).
 */
export function settleSuccess(state: AttemptState, ownLock: string | undefined, now: Date): SuccessDecision {
  if (isLocked(state, now) && state.lockedUntil !== ownLock) return { kind: 'keep-lock' };
  const running = Math.max(0, state.failedSignIns - 1 - state.concludedFailures);
  return { kind: 'settle', next: { failedSignIns: running, concludedFailures: 0, lockedUntil: undefined }, guard: { kind: 'exactly', state } };
}
