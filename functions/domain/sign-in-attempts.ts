// Domain layer: the lockout, decided here and only here. Every password comparison of a known account (a sign-in,
// a current password on the own-change screen) first takes a place in the account's count of the current window;
// the store applies it only if the stored counters still allow it, so parallel guesses cannot all read the same old
// count. A window opens with its first comparison and lasts the policy's lockout minutes; the comparison that takes
// the threshold-th place of a window locks the account for as long. A success gives back its own place and nothing
// else: no success, in the middle of a burst or not, opens room for more guesses than the threshold in one window.

/** The counters of an account's password comparisons, as stored on the admin. */
export interface AttemptState {
  /** Places taken in the current window: comparisons running or ended wrong (a success gives its place back). */
  readonly failedSignIns: number;
  /** When the current window opened; it counts for the policy's lockout minutes from then. */
  readonly failureWindowStartedAt: string | undefined;
  /** While in the future, no password is compared (the answer is the usual failure). Kept after it lapses, until the next comparison opens a new window. */
  readonly lockedUntil: string | undefined;
}

/** How a company locks accounts after failed comparisons. */
export interface LockoutRule {
  /** Places per window that lock; 0 never locks. */
  readonly threshold: number;
  /** How long a window counts, and how long a lock holds. */
  readonly minutes: number;
}

/** What the store must find before it applies a change of the counters. */
export type AttemptGuard =
  /** No lock is set, the window is still `window`, and fewer than `below` places are taken: parallel reservations need not wait for each other. */
  | { readonly kind: 'unlocked-below'; readonly below: number; readonly window: string }
  /** Exactly the counters that were read: the reservations that open a window or lock are decided one at a time. */
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
      /** The lock this reservation sets, if it takes the threshold-th place. */
      readonly locks: string | undefined;
    };

/** The place a comparison held, which its success gives back. */
export interface HeldPlace {
  /** The window it was counted in; a place in a window that has since been replaced is gone already. */
  readonly window: string | undefined;
  /** The lock its own reservation set, which its success lifts. */
  readonly ownLock: string | undefined;
}

const addMinutes = (now: Date, minutes: number): string => new Date(now.getTime() + minutes * 60_000).toISOString();

/** No places, no window, no lock: after a master's unlock or a new password. */
export const RESTARTED: AttemptState = Object.freeze({ failedSignIns: 0, failureWindowStartedAt: undefined, lockedUntil: undefined });

/** True while the lock holds. */
export const isLocked = (state: Pick<AttemptState, 'lockedUntil'>, now: Date): boolean =>
  state.lockedUntil !== undefined && Date.parse(state.lockedUntil) > now.getTime();

/**
 * Decides whether a comparison may run and how it counts. The comparison that takes the threshold-th place of a
 * window locks the account in its own reservation, before the hash is compared, so no more than `threshold`
 * comparisons ever run in one window; a lapsed lock or window opens a new one.
 */
export function reserveAttempt(state: AttemptState, rule: LockoutRule, now: Date): AttemptDecision {
  if (isLocked(state, now)) return { kind: 'refused', lockedUntil: state.lockedUntil! };
  if (rule.threshold === 0) {
    return { kind: 'reserve', next: { ...state, failedSignIns: state.failedSignIns + 1 }, guard: { kind: 'none' }, locks: undefined };
  }
  const windowOpen =
    state.lockedUntil === undefined && state.failureWindowStartedAt !== undefined && Date.parse(addMinutes(new Date(state.failureWindowStartedAt), rule.minutes)) > now.getTime();
  const window = windowOpen ? state.failureWindowStartedAt! : now.toISOString();
  const places = (windowOpen ? state.failedSignIns : 0) + 1;
  if (places >= rule.threshold) {
    const lockedUntil = addMinutes(now, rule.minutes);
    return { kind: 'reserve', next: { failedSignIns: places, failureWindowStartedAt: window, lockedUntil }, guard: { kind: 'exactly', state }, locks: lockedUntil };
  }
  if (!windowOpen) {
    return { kind: 'reserve', next: { failedSignIns: places, failureWindowStartedAt: window, lockedUntil: undefined }, guard: { kind: 'exactly', state }, locks: undefined };
  }
  return {
    kind: 'reserve',
    next: { failedSignIns: places, failureWindowStartedAt: window, lockedUntil: undefined },
    guard: { kind: 'unlocked-below', below: rule.threshold - 1, window },
    locks: undefined,
  };
}

/** The place a reservation holds, for its success to give back. */
export const heldPlace = (reservation: Extract<AttemptDecision, { kind: 'reserve' }>): HeldPlace => ({
  window: reservation.next.failureWindowStartedAt,
  ownLock: reservation.locks,
});
