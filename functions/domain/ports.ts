// Domain layer: the small interfaces use cases depend on. Adapters in functions/adapters implement them; tests
// hand in fakes or the same adapters against DynamoDB Local.
import type { AdminRecord, PasswordKind, Role } from './admin';
import type { Company, Feature, PasswordPolicySettings } from './company';
import type { AuditEvent } from './audit';
import type { EmailMessage } from './emails';
import type { StoredPassword } from './password-hashing';

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

/** An admin about to be registered: his profile and the temporary password the master gave him. */
export interface NewAdmin extends Pick<AdminRecord, 'companyId' | 'adminId' | 'email' | 'name' | 'role' | 'canChangeOwnPassword'> {
  readonly password: StoredPassword;
  readonly temporaryPasswordExpiresAt: string;
  readonly now: string;
}

export interface ProfileChange {
  readonly name?: string;
  readonly email?: string;
  readonly role?: Role;
  readonly canChangeOwnPassword?: boolean;
}

/** A password write, applied only if the admin's password and sessions are still as the use case read them. */
export interface PasswordWrite {
  readonly companyId: string;
  readonly adminId: string;
  /** The counters as the use case read them; the write fails if either has moved. */
  readonly expected: Pick<AdminRecord, 'passwordVersion' | 'sessionEpoch'>;
  readonly password: StoredPassword;
  readonly kind: PasswordKind;
  readonly temporaryPasswordExpiresAt?: string;
  /** The cheap history form of the new password; absent for temporary passwords, which are nobody's choice. */
  readonly historyEntry?: StoredPassword;
  /** The previous passwords to keep, newest first (see nextPasswordHistory). */
  readonly passwordHistory: readonly StoredPassword[];
  readonly now: string;
  /** Revoke every session of the admin (bump the epoch). */
  readonly revokeSessions: boolean;
  /** A session that survives the revocation: the one that made the change. */
  readonly keepSessionHash?: string;
  /** A single-use token (challenge, reset link) consumed by this write: deleted in the same transaction, which fails if it is already gone. */
  readonly consumeTokenHash?: string;
  /** A session created by this write, in the same transaction. */
  readonly newSession?: Omit<Session, 'epoch'>;
  /** The audit events of this write, stored in the same transaction. */
  readonly events: readonly AuditEvent[];
}

/** How a company locks accounts after failed sign-ins. */
export interface LockoutRule {
  /** Consecutive failures that lock; 0 never locks. */
  readonly threshold: number;
  readonly minutes: number;
}

/**
 * Companies, admins and the unique email index. Every method that must happen once is an atomic conditional
 * write; each throws the domain error that names the broken condition. Audit events passed to a write are stored
 * in the same transaction as the change they record.
 */
export interface AdminDirectory {
  /** Creates the company record; false when the id is taken. */
  createCompany(company: { companyId: string; name: string; now: string }, events: readonly AuditEvent[]): Promise<boolean>;
  getCompany(companyId: string): Promise<Company | undefined>;
  /** Every company, for the operator; a Query of a registry partition, not a Scan. */
  listCompanies(): Promise<Company[]>;
  /** Switches an operator feature on or off; false when the company does not exist. */
  setFeature(companyId: string, feature: Feature, enabled: boolean, events: readonly AuditEvent[]): Promise<boolean>;
  /** Saves the company's password policy settings. */
  savePasswordPolicy(companyId: string, settings: PasswordPolicySettings, events: readonly AuditEvent[]): Promise<void>;
  getAdmin(companyId: string, adminId: string): Promise<AdminRecord | undefined>;
  findAdminByEmail(companyId: string, email: string): Promise<AdminRecord | undefined>;
  listAdmins(companyId: string, limit: number, cursor: string | undefined): Promise<AdminPage>;
  /** Creates the admin and claims its email; EMAIL_TAKEN when the email is claimed. */
  createAdmin(admin: NewAdmin, events: readonly AuditEvent[]): Promise<AdminRecord>;
  /**
   * Applies a profile change if the admin is still at expectedVersion (else PRECONDITION_FAILED); moves the email
   * claim (EMAIL_TAKEN) and keeps at least one active master (LAST_MASTER).
   */
  updateProfile(current: AdminRecord, expectedVersion: number, change: ProfileChange, now: string, events: readonly AuditEvent[]): Promise<AdminRecord>;
  /** Disables the admin and revokes its sessions; LAST_MASTER when it is the company's last active master. */
  disable(current: AdminRecord, now: string, events: readonly AuditEvent[]): Promise<void>;
  /**
   * Starts a password reset: removes the password (it stops working at once), revokes every session and stores the
   * link's token, in one transaction; false when the admin changed since `target` was read.
   */
  startPasswordReset(target: AdminRecord, token: ResetToken, now: string, events: readonly AuditEvent[]): Promise<boolean>;
  /** Writes a password; false when the admin moved on meanwhile or the consumed token was already used. */
  writePassword(write: PasswordWrite): Promise<boolean>;
  /** Replaces the hash of an unchanged password; false when the password was changed meanwhile. */
  upgradePasswordHash(admin: AdminRecord, password: StoredPassword): Promise<boolean>;
  /**
   * Counts a failed sign-in or a wrong current password atomically, and locks the account when the count reaches
   * the rule's threshold (once, however many failures race). Resolves whether this failure locked it.
   */
  recordFailedAttempt(admin: AdminRecord, lockout: LockoutRule, now: Date, events: readonly AuditEvent[], lockEvents: readonly AuditEvent[]): Promise<{ locked: boolean }>;
  /** Records a successful sign-in: clears the failure count and any lapsed lock. */
  recordSignIn(admin: AdminRecord, events: readonly AuditEvent[]): Promise<void>;
  /** Lifts a lock and clears the failure count at once. */
  unlock(admin: AdminRecord, events: readonly AuditEvent[]): Promise<void>;
}

/** The audit trail of each company, newest first. */
export interface AuditLog {
  /** Stores events that record no other write (a refused sign-in of an unknown address never does). */
  record(events: readonly AuditEvent[]): Promise<void>;
  list(companyId: string, query: { limit: number; cursor?: string | undefined; adminId?: string | undefined }): Promise<{ items: AuditEvent[]; nextCursor: string | null }>;
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

/** An emailed password reset link, as stored (by the SHA-256 of its token). */
export interface ResetToken {
  readonly tokenHash: string;
  readonly companyId: string;
  readonly adminId: string;
  /** The password version the reset leaves behind; any later password write makes the link useless. */
  readonly passwordVersion: number;
  readonly requestedBy: string;
  readonly sentTo: string;
  readonly createdAt: string;
  readonly expiresAt: string;
}

export interface ResetTokenStore {
  get(tokenHash: string): Promise<ResetToken | undefined>;
}

/** Counts misses (unknown or dead tokens) per client, so guessing links is slowed to a crawl. */
export interface AttemptLimiter {
  isBlocked(clientKey: string, now: Date): Promise<boolean>;
  recordMiss(clientKey: string, now: Date): Promise<void>;
}

/** Sends one email; throws when the provider refuses or fails. */
export interface Mailer {
  send(to: string, message: EmailMessage): Promise<void>;
}
