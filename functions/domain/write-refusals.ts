// Domain layer: why a store refused a write. Every write of a port is conditional on the stored state; when a
// condition does not hold, the adapter names it with one of these reasons (never a position in a transaction), and
// the use case turns it into the error its caller understands.

/** A stored condition that did not hold, by name. */
export type WriteRefusal =
  /** The company does not exist (or no longer does). */
  | 'COMPANY_MISSING'
  /** A company with this id exists already. */
  | 'COMPANY_EXISTS'
  /** The company's features are no longer the ones the change was decided on. */
  | 'FEATURES_MOVED'
  /** Another admin of the company holds the email address. */
  | 'EMAIL_TAKEN'
  /** The admin id is taken (a ULID collision). */
  | 'ADMIN_ID_TAKEN'
  /** The admin's profile is no longer at the version the change was decided on (or he is gone). */
  | 'STALE_VERSION'
  /** The change would leave the company without an active master. */
  | 'LAST_MASTER'
  /** The admin's password or sessions moved on since they were read: another password write got there first. */
  | 'PASSWORD_MOVED'
  /** The single-use token this write consumes is gone: used, or never stored. */
  | 'TOKEN_USED'
  /** The session this write keeps alive is gone (signed out meanwhile). */
  | 'SESSION_GONE'
  /** The sign-in attempt counters moved since they were read. */
  | 'ATTEMPTS_MOVED'
  /** The master who issued the reset link this write uses is no longer an active master of the company. */
  | 'REQUESTER_NOT_MASTER'
  /** The target no longer holds the email address the reset link this write uses was issued under. */
  | 'EMAIL_CHANGED'
  /** Another request holds the claim to send this admin's reset link. */
  | 'RESET_IN_PROGRESS'
  /** The reset claim this write ends is no longer held by it (it lapsed, and another request may hold it). */
  | 'CLAIM_LOST'
  /** The company's daily reset limit is no longer the one the change was decided on (or the company is gone). */
  | 'RESETS_LIMIT_MOVED'
  /** The address is suppressed in the company already (the same feedback twice, or an earlier bounce). */
  | 'ALREADY_SUPPRESSED'
  /** The address is not suppressed in the company (never was, or a master cleared it meanwhile). */
  | 'NOT_SUPPRESSED';

/** A conditional write that was not applied, with every condition that failed. Nothing of it was stored. */
export class WriteRefused extends Error {
  constructor(readonly reasons: readonly WriteRefusal[]) {
    super(`write refused: ${reasons.join(', ')}`);
    this.name = 'WriteRefused';
  }

  /** True when the write was refused for this reason (among others, perhaps). */
  has(reason: WriteRefusal): boolean {
    return this.reasons.includes(reason);
  }
}

/** The refusal of a promise's write, or undefined when it was applied or failed for another cause (rethrown). */
export async function refusalOf(write: Promise<unknown>): Promise<WriteRefused | undefined> {
  try {
    await write;
    return undefined;
  } catch (error) {
    if (error instanceof WriteRefused) return error;
    throw error;
  }
}
