// Domain layer: the lockout, decided here and only here. Every password comparison of a known account (a sign-in,
// a current password on the own-change screen) first reserves its place in the account's failure count; the store
// applies the reservation only if the stored counters still allow it, so parallel guesses cannot all read the same
// old count. A success restarts the count, a lapsed lock restarts it too, and a master can lift a lock at once.

/** The counters of an account's failed password comparisons, as stored on the admin. */
export interface AttemptState {
  /** Failed comparisons since the last success, counting those still being compared (reserved up front). */
  readonly failedSignIns: number;
  /** While in the future, no password is compared (the answer is the usual failure). Kept after it lapses, until the next attempt restarts the count. */
  readonly lockedUntil: string | undefined;
}

/** How a company locks accounts after failed comparisons. */
export interface LockoutRule {
  /** Failures that lock; 0 never locks. */
  readonly threshold: number;
  readonly minutes: number;
}

/** What the store must find before it applies a reservation. */
export type AttemptGuard =
  /** No lock is set, lapsed or not, and fewer than `below` failures are stored: parallel reservations need not wait for each other. */
  | { readonly kind: 'unlocked-below'; readonly below: number }
  /** Exactly the counters that were read: the reservations that lock, or restart after a lapse, are decided one at a time. */
  | { readonly kind: 'exactly'; readonly state: AttemptState }
  /** Nothing: the company never locks. */
  | { readonly kind: 'none' };

/** The decision for one comparison about to be made. */
export type AttemptDecision =
  | { readonly kind: 'refused'; readonly lockedUntil: string }
  | {
      readonly kind: 'reserve';
      /** The counters once this comparison counts as a failure; only `lockedUntil` and a restart are written as values, a plain count is an increment. */
      readonly next: AttemptState;
      readonly guard: AttemptGuard;
      /** The lock this reservation sets, if it is the one that reaches the threshold. */
      readonly locks: string | undefined;
    };

const addMinutes = (now: Date, minutes: number): string => new Date(now.getTime() + minutes * 60_000).toISOString();

/** True while the lock holds. */
export const isLocked = (state: AttemptState, now: Date): boolean => state.lockedUntil !== undefined && Date.parse(state.lockedUntil) > now.getTime();

/**
 * Decides whether a comparison may run and how it counts. A comparison that would reach the threshold locks the
 * account in its own reservation, before the hash is compared, so no more than `threshold` comparisons ever run
 * between two successes; whatever it finds, the lock stands unless this very comparison succeeds.
 */
export function reserveAttempt(state: AttemptState, rule: LockoutRule, now: Date): AttemptDecision {
  if (isLocked(state, now)) return { kind: 'refused', lockedUntil: state.lockedUntil! };
  if (rule.threshold === 0) {
    return { kind: 'reserve', next: { failedSignIns: state.failedSignIns + 1, lockedUntil: undefined }, guard: { kind: 'none' }, locks: undefined };
  }
  // A lock that lapsed restarts the count: the next failure is the first of a new series, not the eleventh.
  const counted = state.lockedUntil === undefined ? state.failedSignIns : 0;
  const failures = counted + 1;
  if (failures >= rule.threshold) {
    const lockedUntil = addMinutes(now, rule.minutes);
    return { kind: 'reserve', next: { failedSignIns: failures, lockedUntil }, guard: { kind: 'exactly', state }, locks: lockedUntil };
  }
  if (state.lockedUntil !== undefined) {
    return { kind: 'reserve', next: { failedSignIns: failures, lockedUntil: undefined }, guard: { kind: 'exactly', state }, locks: undefined };
  }
  return { kind: 'reserve', next: { failedSignIns: failures, lockedUntil: undefined }, guard: { kind: 'unlocked-below', below: rule.threshold - 1 }, locks: undefined };
}

/** The counters after a success: the count restarts, and the lock goes only if this comparison set it itself. */
export const RESTARTED: AttemptState = { failedSignIns: 0, lockedUntil: undefined };
