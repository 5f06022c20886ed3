// Domain layer: the small interfaces use cases depend on. Adapters in functions/adapters implement them; tests
// hand in fakes or the same adapters against DynamoDB Local.
import type { AdminRecord } from './admin';
import type { Company, Feature, PasswordPolicySettings } from './company';
import type { AdminName, AuditEvent, AuditQuery } from './audit';
import type { DeliverySuppression, MailTags } from './delivery';
import type { EmailMessage } from './emails';
import type { StoredPassword } from './password-hashing';
import type { AccountAttempts, ComparisonDecision, OwnUnlock, SuccessfulComparison } from './sign-in-attempts';

export type { LockoutRule } from './sign-in-attempts';

export interface Clock {
  now(): Date;
}

export interface RandomSource {
  bytes(count: number): Buffer;
}

export type { Company } from './company';

export interface Session {
  readonly tokenHash: string;
  readonly companyId: string;
  readonly adminId: string;
  /** The admin's session epoch when this session was issued; a newer epoch revokes it. */
  readonly epoch: number;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export type ChallengeReason = 'TEMPORARY_PASSWORD' | 'PASSWORD_EXPIRED';

export interface Challenge {
  readonly tokenHash: string;
  readonly companyId: string;
  readonly adminId: string;
  readonly reason: ChallengeReason;
  /** The password version the challenge was issued for; a later password write makes it useless. */
  readonly passwordVersion: number;
  readonly expiresAt: string;
}

export interface AdminPage {
  readonly items: AdminRecord[];
  /** Opaque to clients; the adapter keeps the company out of it so a cursor cannot cross tenants. */
  readonly nextCursor: string | null;
}

/** Where a list of admins goes on: opaque to clients, and never naming a company. */
export interface AdminListQuery {
  readonly limit: number;
  readonly cursor?: string | undefined;
}

/**
 * The companies: each with its features, its password policy and the count of its active masters (which only the
 * AdminAccounts port moves, in the transaction of the change that moves it).
 */
export interface CompanyStore {
  /** Stores a new company; refused with COMPANY_EXISTS when the id is taken. */
  create(company: Company, events: readonly AuditEvent[]): Promise<void>;
  get(companyId: string): Promise<Company | undefined>;
  /** Every company, for the operator; a Query of a registry partition, not a Scan. */
  list(): Promise<Company[]>;
  /** Stores the features decided on `before`; refused with FEATURES_MOVED if they changed meanwhile, COMPANY_MISSING if it is gone. */
  saveFeatures(before: Company, features: readonly Feature[], events: readonly AuditEvent[]): Promise<void>;
  /** Replaces the saved password policy settings (a PUT: the last one written holds); COMPANY_MISSING if it is gone. */
  savePasswordPolicy(companyId: string, settings: PasswordPolicySettings, events: readonly AuditEvent[]): Promise<void>;
  /**
   * Stores the operator's daily reset limit decided on `before` (undefined: the deployment's default); refused with
   * RESETS_LIMIT_MOVED if the stored limit changed meanwhile or the company is gone.
   */
  saveResetsPerDay(before: Company, resetsPerDay: number | undefined, events: readonly AuditEvent[]): Promise<void>;
}

/**
 * The admins' profiles: identity, role, status, the email claim and, with them, the company's active master
 * count. Each save applies only to the stored version it was decided on.
 */
export interface AdminAccounts {
  get(companyId: string, adminId: string): Promise<AdminRecord | undefined>;
  /** The admin holding the address; a miss costs the same round trips as a hit. */
  findByEmail(companyId: string, email: string): Promise<AdminRecord | undefined>;
  list(companyId: string, query: AdminListQuery): Promise<AdminPage>;
  /** Stores a new admin and claims his email; refused with EMAIL_TAKEN, COMPANY_MISSING or ADMIN_ID_TAKEN. */
  create(admin: AdminRecord, events: readonly AuditEvent[]): Promise<void>;
  /**
   * Stores `after` if the admin is still at `before.version` (else STALE_VERSION); moves the email claim
   * (EMAIL_TAKEN) and the active master count, refusing to leave none (LAST_MASTER).
   */
  saveProfile(before: AdminRecord, after: AdminRecord, events: readonly AuditEvent[]): Promise<void>;
}

/** What else a password write does in its transaction, by name. */
export interface CredentialParts {
  /** The single-use token (challenge, reset or set-up link) this write uses up; refused with TOKEN_USED if it is gone. */
  readonly consumeToken?: string;
  /** The session that made the change and survives its revocation; refused with SESSION_GONE if it is gone. */
  readonly keepSession?: string;
  /** A session this write opens. */
  readonly newSession?: Omit<Session, 'epoch'>;
  /** The reset link this write issues. */
  readonly issueResetToken?: ResetToken;
  /**
   * Store the sign-in attempt counters of `after` too (a new password restarts them, see withNewPassword). Other
   * credential writes leave them alone, since parallel comparisons move them.
   */
  readonly restartAttempts?: boolean;
  /**
   * The master who issued the reset link this write uses must still be an active master of the company; refused
   * with REQUESTER_NOT_MASTER when he was disabled or demoted (or is gone). Never the admin the write is for.
   */
  readonly requireActiveMaster?: { readonly companyId: string; readonly adminId: string };
  /**
   * The admin must still hold this email address (the one the reset link was issued under); refused with
   * EMAIL_CHANGED when it moved.
   */
  readonly requireEmail?: string;
  /** The reset claim this write ends (the link it issues was sent under it); refused with CLAIM_LOST if it is no longer held. */
  readonly endResetClaim?: ResetClaim;
}

/**
 * The right to send one admin's reset link, held from before the email goes out until the reset is written (or
 * the send failed): of parallel resets of one admin, only the holder sends anything.
 */
export interface ResetClaim {
  readonly companyId: string;
  readonly adminId: string;
  /** Random: only its holder ends or releases it. */
  readonly claimId: string;
  /** A claim whose holder died (killed at its deadline) lapses then; set well beyond a function's deadline. */
  readonly heldUntil: string;
}

/**
 * The admins' credentials: password, history, password version and session epoch. Each save applies only while
 * the stored password version and session epoch are the ones it was decided on (else PASSWORD_MOVED).
 */
export interface CredentialStore {
  save(before: AdminRecord, after: AdminRecord, parts: CredentialParts, events: readonly AuditEvent[]): Promise<void>;
  /** Replaces the hash of an unchanged password; false when the password was changed meanwhile. */
  upgradeHash(before: AdminRecord, password: StoredPassword): Promise<boolean>;
  /**
   * Claims the sending of the admin's reset link for the credentials the reset was decided on: refused with
   * RESET_IN_PROGRESS while another claim is held past `now`, and with PASSWORD_MOVED when the stored password
   * version or session epoch is no longer `before`'s (a reset that just committed), so a stale request sends nothing.
   */
  claimReset(claim: ResetClaim, before: AdminRecord, now: Date): Promise<void>;
  /** Releases the claim, if it is still this one, when nothing was written under it (the email was refused). */
  releaseReset(claim: ResetClaim): Promise<void>;
}

/** Where an attempt's counters are stored. */
export type AttemptKey = Pick<AdminRecord, 'companyId' | 'adminId'>;

/** The account holding an address, as a sign-in finds it: where its counters are stored, and the counters. */
export interface AddressedAccount extends AttemptKey, AccountAttempts {
  readonly email: string;
}

/** What a reservation found stored. */
export type Reservation =
  /** The places are taken; `admin` is the account as stored with them, returned by the same write: what the comparison runs against. */
  | { readonly reserved: true; readonly admin: AdminRecord }
  /** Nothing was stored; `stored` is the account as it stands (undefined when it is gone), to decide on again. */
  | { readonly reserved: false; readonly stored: AdminRecord | undefined };

/** What a successful sign-in opens, written in the same transaction as the success. */
export type SignInOpening = { readonly session: Session } | { readonly challenge: Challenge };

/** The counters of password comparisons; every change applies only if the stored counters allow it. */
export interface SignInAttempts {
  read(key: AttemptKey): Promise<AccountAttempts | undefined>;
  /**
   * The account holding the address, with its counters, in one request that a miss costs too. It is read from an
   * index that may lag the table by a moment: the counters only propose a reservation, whose write is conditional on
   * the stored ones, and an account created or given the address that moment ago is not found yet.
   */
  findByAddress(companyId: string, email: string): Promise<AddressedAccount | undefined>;
  /**
   * Applies a comparison's reservation (see reserveComparison): its place in its source's count and in the
   * account's, and the removal of lapsed source counts, in one write, conditional on the stored counters still
   * allowing it and, given `holding`, on the account still holding that address.
   */
  reserve(key: AttemptKey, reservation: Extract<ComparisonDecision, { kind: 'reserve' }>, holding?: string): Promise<Reservation>;
  /**
   * Stores a success (see succeeded) with its events and what it opens, in one transaction: gives back the places the
   * comparison held, lifting only the locks its own reservation set, and makes its source known. A place in a window
   * that has since been replaced is gone already: then only the source is made known. A lock other comparisons set stays.
   */
  giveBack(key: AttemptKey, success: SuccessfulComparison, events: readonly AuditEvent[], opening?: SignInOpening): Promise<void>;
  /** A master lifts every lock and clears every count (known sources stay known); false when the admin is gone. */
  unlock(key: AttemptKey, events: readonly AuditEvent[]): Promise<boolean>;
  /** An admin's own unlock from a session: his source becomes known and its count is cleared; false when the admin is gone. */
  unlockOwnSource(key: AttemptKey, unlock: OwnUnlock, events: readonly AuditEvent[]): Promise<boolean>;
  /** Costs what a reservation costs and stores nothing: the work a sign-in of an unknown address does in its place. */
  decoy(companyId: string): Promise<void>;
}

/** The audit trail of each company, newest first. */
export interface AuditLog {
  /** Stores events that record no other write (a refused sign-in of an unknown address never does). */
  record(events: readonly AuditEvent[]): Promise<void>;
  /**
   * A page of events, newest first, that match every filter of the query. A page may hold fewer than `limit` events
   * (even none) and still have a next one: a type filter reads a bounded number of events per page.
   */
  list(companyId: string, query: AuditQuery): Promise<{ items: AuditEvent[]; nextCursor: string | null }>;
}

/** The company's admins by id, as the audit log names them. */
export interface AdminNames {
  /** The admins of the company among `adminIds`; an id that is not one of them is left out. */
  namesOf(companyId: string, adminIds: readonly string[]): Promise<AdminName[]>;
}

export interface SessionStore {
  create(session: Session): Promise<void>;
  get(tokenHash: string): Promise<Session | undefined>;
  delete(tokenHash: string): Promise<void>;
}

export interface ChallengeStore {
  create(challenge: Challenge): Promise<void>;
  get(tokenHash: string): Promise<Challenge | undefined>;
}

/** ResetToken.requestedBy of a link the service operator sent (a master's is his ULID, so the two never meet). */
export const OPERATOR_REQUESTER = 'operator';

/**
 * What an emailed link to the Password Change Screen is for: `set-up`, the first password of an account nobody has
 * a password for yet (a new company's first master, an invited admin); `reset`, a new password after a reset. The
 * screen's words follow it ("Set your password", "Reset your password").
 */
export const LINK_PURPOSES = ['set-up', 'reset'] as const;
export type LinkPurpose = (typeof LINK_PURPOSES)[number];

/** An emailed password reset link, as stored (by the SHA-256 of its token). */
export interface ResetToken {
  readonly tokenHash: string;
  readonly companyId: string;
  readonly adminId: string;
  /** The password version the reset leaves behind; any later password write makes the link useless. */
  readonly passwordVersion: number;
  /** The admin id of the master who asked, or 'operator'; the link lives only while that master is an active master. */
  readonly requestedBy: string;
  readonly sentTo: string;
  /**
   * The admin's registered email when the link was issued (whatever address it was sent to); the link lives only
   * while it is still his. A link stored without it (issued before the rule) is dead.
   */
  readonly issuedForEmail: string;
  /** What the link is for; a link stored without it (issued before purposes were kept) is a reset link. */
  readonly purpose?: LinkPurpose;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ResetTokenStore {
  get(tokenHash: string): Promise<ResetToken | undefined>;
}

/**
 * A rate limit per client and fixed window: each counted attempt takes its place in one conditional update of the
 * stored count, so parallel attempts can never pass the limit; one that turns out not to count can give it back.
 */
export interface AttemptLimiter {
  /**
   * Takes a place in the client's current window; false (nothing stored) when the window is full. `limit` replaces
   * the limiter's own maximum for this client (a per-company operator setting).
   */
  take(clientKey: string, now: Date, limit?: number): Promise<boolean>;
  /** Gives back a place taken with the same `now` (the attempt was no miss). */
  giveBack(clientKey: string, now: Date): Promise<void>;
  /** When the fixed window holding `now` ends: a refused attempt may succeed from then on (Retry-After). */
  windowEndsAt(now: Date): Date;
}

/** The limits of the master's reset emails, each an AttemptLimiter of its own (see README, "Limits"). */
export interface ResetLimits {
  /** Resets one master sends, keyed by company and master. */
  readonly perMaster: AttemptLimiter;
  /** Resets one admin is sent, keyed by company and target. */
  readonly perTarget: AttemptLimiter;
  /** Resets one company sends, keyed by company; its maximum may be the company's own setting. */
  readonly perCompany: AttemptLimiter;
}

/** Sends one email, tagged so that its bounces and complaints come back attributed; throws when the provider refuses or fails. */
export interface Mailer {
  send(to: string, message: EmailMessage, tags: MailTags): Promise<void>;
}

/** A page of a company's suppressed addresses, in address order. */
export interface SuppressionPage {
  readonly items: DeliverySuppression[];
  /** Opaque to clients; it names no company, so a cursor cannot cross tenants. */
  readonly nextCursor: string | null;
}

/**
 * The addresses each company's reset emails no longer go to (they bounced for good or complained), until a master
 * clears them. One item per company and address, so the same feedback twice suppresses once.
 */
export interface DeliverySuppressions {
  /** The address's suppression in the company, read consistently (a reset must see one recorded just before). */
  find(companyId: string, email: string): Promise<DeliverySuppression | undefined>;
  list(companyId: string, query: { readonly limit: number; readonly cursor?: string | undefined }): Promise<SuppressionPage>;
  /** Stores it with its events; refused with ALREADY_SUPPRESSED (nothing stored) or COMPANY_MISSING. */
  suppress(suppression: DeliverySuppression, events: readonly AuditEvent[]): Promise<void>;
  /** Removes the address's suppression with its events; refused with NOT_SUPPRESSED when there is none. */
  clear(companyId: string, email: string, events: readonly AuditEvent[]): Promise<void>;
}
