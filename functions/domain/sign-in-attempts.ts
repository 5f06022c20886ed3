// Domain layer: the lockout, decided here and only here. Every password comparison of a known account (a sign-in,
// a current password on the own-change screen) first takes a place in a count of the current window; the store
// applies it only if the stored counters still allow it, so parallel guesses cannot all read the same old count. A
// window opens with its first comparison and lasts its rule's minutes; the comparison that takes the threshold-th
// place of a window locks for as long. A success gives back its own place and nothing else: no success, in the
// middle of a burst or not, opens room for more guesses than the threshold in one window. Each comparison is
// counted twice, per source and per account (see reserveComparison below); `reserveAttempt` decides one count.

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

// ---------------------------------------------------------------------------------------------------------------
// Per source and per account. One count per account alone lets anyone who knows an address lock its owner out; one
// count per source alone lets many sources guess without end. So each comparison takes a place in two counts at
// once, in one conditional write: its source's (the company's rule: `lockoutThreshold` per `lockoutMinutes`, then
// that source is locked) and the account's (the service's ceiling, ACCOUNT_CEILING, then the account is locked
// for every source that is not known). A source the admin signed in from (or unlocked himself from, with a
// session) is known for KNOWN_SOURCE_DAYS: the account's lock does not stop it and its comparisons are not counted
// against the ceiling, only against its own count. An outsider therefore guesses at most ACCOUNT_CEILING times per
// ceiling window however many sources he has, and locks out only sources that are not the admin's own.

/** The account's ceiling on comparisons from sources that are not known: 100 per 24 hours (NIST SP 800-63B's 100), then locked 24 hours. */
export const ACCOUNT_CEILING: LockoutRule = Object.freeze({ threshold: 100, minutes: 24 * 60 });
/** How long a source stays known after the admin signed in from it. */
export const KNOWN_SOURCE_DAYS = 30;
/** The known sources kept per account: the most recent ones. */
export const MAX_KNOWN_SOURCES = 5;
/** Lapsed source counts one write removes (with a condition each), which keeps the map at the live ones. */
export const MAX_PRUNED_PER_WRITE = 5;

/** The counters of an account: the ceiling's (top level), each source's, and the sources known to be the admin's. */
export interface AccountAttempts extends AttemptState {
  /** Each source's counters; undefined on an item stored before sources were counted. */
  readonly sourceAttempts: Readonly<Record<string, AttemptState>> | undefined;
  /** Sources the admin signed in from, with the time until which each counts as his; undefined as above. */
  readonly knownSources: Readonly<Record<string, string>> | undefined;
}

/** No places, no window, no lock, no source counted: after a master's unlock or a new password. */
export const RESTARTED_ACCOUNT: AccountAttempts = Object.freeze({ ...RESTARTED, sourceAttempts: Object.freeze({}), knownSources: Object.freeze({}) });

/** The rules a comparison is counted under: the company's per source, the service's ceiling per account. */
export interface ComparisonRules {
  readonly source: LockoutRule;
  readonly account: LockoutRule;
}
export const comparisonRules = (companyRule: LockoutRule): ComparisonRules => ({ source: companyRule, account: ACCOUNT_CEILING });

/**
 * Where a comparison comes from: an IPv4 address as it is; an IPv6 address by its /64 network, since one host holds
 * all of its 2^64 addresses; no address at all is one source of its own.
 */
export function sourceOf(ip: string | null | undefined): string {
  if (ip === null || ip === undefined || ip === '') return 'unknown';
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped !== null) return mapped[1]!;
  if (!ip.includes(':')) return ip;
  const [head = '', tail = ''] = ip.toLowerCase().split('::');
  const headGroups = head === '' ? [] : head.split(':');
  const tailGroups = tail === '' ? [] : tail.split(':');
  const groups = ip.includes('::') ? [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups] : headGroups;
  return `${groups.slice(0, 4).map((group) => group.replace(/^0+(?=.)/, '')).join(':')}::/64`;
}

/** True while the source counts as the admin's own. */
export const isKnownSource = (state: Pick<AccountAttempts, 'knownSources'>, source: string, now: Date): boolean => {
  const until = state.knownSources?.[source];
  return until !== undefined && Date.parse(until) > now.getTime();
};

/** The source's counters as stored, or none yet. */
export const sourceCounters = (state: Pick<AccountAttempts, 'sourceAttempts'>, source: string): AttemptState => state.sourceAttempts?.[source] ?? RESTARTED;

/** A source's count to remove, if its window is still the one read (so a count opened meanwhile is never lost). */
export interface LapsedSource {
  readonly source: string;
  readonly window: string | undefined;
}

type Reservation = Extract<AttemptDecision, { kind: 'reserve' }>;

/** The decision for one comparison from one source. */
export type ComparisonDecision =
  | { readonly kind: 'refused'; readonly lockedUntil: string; readonly scope: 'source' | 'account' }
  | {
      readonly kind: 'reserve';
      readonly source: string;
      /** Its place in the source's count; undefined where the company never locks (threshold 0). */
      readonly sourcePlace: Reservation | undefined;
      /** No source was ever counted on this account: the store writes the whole map, only if still absent. */
      readonly firstSource: boolean;
      /** Its place in the account's ceiling; undefined for a known source. */
      readonly accountPlace: Reservation | undefined;
      /** For a known source (no account place), the time until which it was read as known: the store applies the reservation only while it still is (a new password forgets it). */
      readonly knownUntil: string | undefined;
      /** Lapsed counts of other sources to remove in the same write. */
      readonly lapsed: readonly LapsedSource[];
    };

const lapsedAt = (counters: AttemptState, rule: LockoutRule, now: Date): boolean =>
  !isLocked(counters, now) &&
  (counters.failureWindowStartedAt === undefined || Date.parse(addMinutes(new Date(counters.failureWindowStartedAt), rule.minutes)) <= now.getTime());

/**
 * Decides whether a comparison from `source` may run and how it counts. Refused while its source is locked, or
 * while the account is locked and the source is not known; otherwise it takes a place in its source's count and,
 * unless the source is known, in the account's.
 */
export function reserveComparison(state: AccountAttempts, source: string, rules: ComparisonRules, now: Date): ComparisonDecision {
  const sourcePlace = rules.source.threshold === 0 ? undefined : reserveAttempt(sourceCounters(state, source), rules.source, now);
  if (sourcePlace?.kind === 'refused') return { kind: 'refused', lockedUntil: sourcePlace.lockedUntil, scope: 'source' };
  const known = isKnownSource(state, source, now);
  const accountPlace = known ? undefined : reserveAttempt(state, rules.account, now);
  if (accountPlace?.kind === 'refused') return { kind: 'refused', lockedUntil: accountPlace.lockedUntil, scope: 'account' };
  const lapsed = Object.entries(state.sourceAttempts ?? {})
    .filter(([other, counters]) => other !== source && lapsedAt(counters, rules.source, now))
    .slice(0, MAX_PRUNED_PER_WRITE)
    .map(([other, counters]) => ({ source: other, window: counters.failureWindowStartedAt }));
  const knownUntil = known ? state.knownSources![source] : undefined;
  return { kind: 'reserve', source, sourcePlace, firstSource: state.sourceAttempts === undefined, accountPlace, knownUntil, lapsed };
}

/** The lock a reservation sets, if it takes the last place of its source's count or of the account's. */
export function locksOf(decision: Extract<ComparisonDecision, { kind: 'reserve' }>): { readonly scope: 'source' | 'account'; readonly until: string } | undefined {
  if (decision.accountPlace?.locks !== undefined) return { scope: 'account', until: decision.accountPlace.locks };
  if (decision.sourcePlace?.locks !== undefined) return { scope: 'source', until: decision.sourcePlace.locks };
  return undefined;
}

/** What a successful comparison writes: its places given back, and its source known to be the admin's. */
export interface SuccessfulComparison {
  readonly source: string;
  readonly sourcePlace: HeldPlace | undefined;
  readonly accountPlace: HeldPlace | undefined;
  readonly knownUntil: string;
  /** Known sources to forget: lapsed ones, and the oldest beyond MAX_KNOWN_SOURCES. */
  readonly forget: readonly string[];
  /** No source was ever known on this account: the store writes the whole map. */
  readonly firstKnown: boolean;
}

/** Makes `source` known, forgetting what no longer fits; shared by a success and an admin's own unlock. */
function knowing(state: Pick<AccountAttempts, 'knownSources'>, source: string, now: Date) {
  const knownUntil = addMinutes(now, KNOWN_SOURCE_DAYS * 24 * 60);
  const others = Object.entries(state.knownSources ?? {}).filter(([other]) => other !== source);
  const kept = others
    .filter(([, until]) => Date.parse(until) > now.getTime())
    .sort(([, a], [, b]) => b.localeCompare(a))
    .slice(0, MAX_KNOWN_SOURCES - 1)
    .map(([other]) => other);
  return { knownUntil, forget: others.map(([other]) => other).filter((other) => !kept.includes(other)), firstKnown: state.knownSources === undefined };
}

export function succeeded(state: Pick<AccountAttempts, 'knownSources'>, decision: Extract<ComparisonDecision, { kind: 'reserve' }>, now: Date): SuccessfulComparison {
  return {
    source: decision.source,
    sourcePlace: decision.sourcePlace === undefined ? undefined : heldPlace(decision.sourcePlace),
    accountPlace: decision.accountPlace === undefined ? undefined : heldPlace(decision.accountPlace),
    ...knowing(state, decision.source, now),
  };
}

/** An admin's own unlock, from a session: the source he is on becomes known, and its count starts again. */
export interface OwnUnlock {
  readonly source: string;
  readonly knownUntil: string;
  readonly forget: readonly string[];
  readonly firstKnown: boolean;
  /** The source has a count to clear. */
  readonly clearsCount: boolean;
}

export const ownUnlock = (state: AccountAttempts, source: string, now: Date): OwnUnlock => ({
  source,
  ...knowing(state, source, now),
  clearsCount: state.sourceAttempts?.[source] !== undefined,
});

/** The latest lock that holds on the account: its own, or one of a source's. */
export function latestLock(state: AccountAttempts, now: Date): string | undefined {
  const locks = [state.lockedUntil, ...Object.values(state.sourceAttempts ?? {}).map((counters) => counters.lockedUntil)].filter(
    (until): until is string => until !== undefined && Date.parse(until) > now.getTime(),
  );
  return locks.sort().at(-1);
}

/** The counters once a success is stored as decided (its places given back, its own locks lifted, its source known). */
export function afterSuccess<T extends AccountAttempts>(state: T, success: SuccessfulComparison): T {
  const givenBack = (counters: AttemptState, place: HeldPlace | undefined): AttemptState =>
    place === undefined
      ? counters
      : { ...counters, failedSignIns: Math.max(0, counters.failedSignIns - 1), ...(place.ownLock !== undefined && counters.lockedUntil === place.ownLock ? { lockedUntil: undefined } : {}) };
  const known = Object.fromEntries(Object.entries(state.knownSources ?? {}).filter(([source]) => !success.forget.includes(source)));
  return {
    ...state,
    ...givenBack(state, success.accountPlace),
    sourceAttempts:
      state.sourceAttempts === undefined && success.sourcePlace === undefined
        ? state.sourceAttempts
        : { ...state.sourceAttempts, ...(state.sourceAttempts?.[success.source] === undefined ? {} : { [success.source]: givenBack(state.sourceAttempts[success.source]!, success.sourcePlace) }) },
    knownSources: { ...known, [success.source]: success.knownUntil },
  };
}

/** The audit details of a lock a comparison set: whether it holds for its source or the account, and for how long. */
export const lockDetails = (locked: { readonly scope: 'source' | 'account'; readonly until: string }, rules: ComparisonRules): Record<string, string> => ({
  scope: locked.scope,
  minutes: String(rules[locked.scope].minutes),
  until: locked.until,
});
