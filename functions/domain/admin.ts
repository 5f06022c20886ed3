// Domain layer: the administrator account, what the API may show of it, and who may do what to it.
import type { StoredPassword } from './password-hashing';
import { latestLock, RESTARTED_ACCOUNT, type AccountAttempts } from './sign-in-attempts';

export type Role = 'master' | 'general';
export type AdminStatus = 'active' | 'disabled';

/**
 * How the current password may be used: a permanent one signs in; a temporary one (set by a master) only opens
 * the new-password challenge until it expires.
 */
export type PasswordKind = 'permanent' | 'temporary';

/** An administrator as stored. Never leaves the service as is: toAdminView strips every secret. */
export interface AdminRecord extends AccountAttempts {
  readonly companyId: string;
  readonly adminId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly canChangeOwnPassword: boolean;
  readonly status: AdminStatus;
  readonly password: StoredPassword | undefined;
  readonly passwordKind: PasswordKind;
  /** When a temporary password stops opening the challenge. */
  readonly temporaryPasswordExpiresAt: string | undefined;
  readonly passwordChangedAt: string | undefined;
  /** Bumped by every password write; a conditional write on it makes each change apply to what was read. */
  readonly passwordVersion: number;
  /** Sessions carry the epoch they were issued in; bumping it revokes all of them at once. */
  readonly sessionEpoch: number;
  /** The cheap history form of the current password; it joins passwordHistory when the password is replaced. */
  readonly historyEntry: StoredPassword | undefined;
  /** Previous passwords, newest first, at most MAX_PASSWORD_HISTORY. */
  readonly passwordHistory: readonly StoredPassword[];
  /** The reset (or set-up) link the current password state waits for: where it went and until when it works. */
  readonly resetLink: ResetLinkSent | undefined;
  /**
   * When a session was last opened for him (a sign-in, or the answer to its new-password challenge). Written by the
   * write that opens the session, never by a profile or password write, so it is in no port's part below.
   */
  readonly lastSignInAt: string | undefined;
  /** Bumped by every profile change; the ETag clients send back in If-Match. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/**
 * The parts of the one admin record that each port stores: the profile (AdminAccounts), the credentials
 * (CredentialStore) and the sign-in attempt counters (SignInAttempts). A port writes only its own part, so writes of
 * different parts never undo each other; adapters and fakes both store exactly these.
 */
export const PROFILE_FIELDS = ['email', 'name', 'role', 'canChangeOwnPassword', 'status', 'version', 'updatedAt'] as const satisfies readonly (keyof AdminRecord)[];
export const CREDENTIAL_FIELDS = [
  'password',
  'passwordKind',
  'temporaryPasswordExpiresAt',
  'historyEntry',
  'passwordHistory',
  'passwordChangedAt',
  'passwordVersion',
  'sessionEpoch',
  'resetLink',
  'updatedAt',
] as const satisfies readonly (keyof AdminRecord)[];
export const ATTEMPT_FIELDS = ['failedSignIns', 'failureWindowStartedAt', 'lockedUntil', 'sourceAttempts', 'knownSources'] as const satisfies readonly (keyof AdminRecord)[];

/** The named fields of an admin, for a port that stores only its part. */
export const partOf = <K extends keyof AdminRecord>(admin: AdminRecord, fields: readonly K[]): Pick<AdminRecord, K> =>
  Object.fromEntries(fields.map((field) => [field, admin[field]])) as Pick<AdminRecord, K>;

/** The most previous passwords kept, whatever the policy asks today, so raising historyCount takes effect at once. */
export const MAX_PASSWORD_HISTORY = 24;

/** The history to keep once the current password is replaced: its history form joins the front. */
export const nextPasswordHistory = (admin: Pick<AdminRecord, 'historyEntry' | 'passwordHistory'>): StoredPassword[] =>
  (admin.historyEntry === undefined ? [...admin.passwordHistory] : [admin.historyEntry, ...admin.passwordHistory]).slice(0, MAX_PASSWORD_HISTORY);

/** Where a reset or set-up link went and until when it works (its token is stored apart, only as a hash). */
export interface ResetLinkSent {
  readonly sentTo: string;
  readonly expiresAt: string;
}

/**
 * Where the admin's password stands, for the list and the Edit screen: `set` (his own), `temporary` (a master's,
 * to be replaced at sign-in), `reset-link` (removed by a reset, or never set for an invited admin: the emailed link
 * sets it), `expired` (the temporary password or the link lapsed: only a master's new one lets him in), `none`
 * (no password and no link: a set-up email that could not be sent).
 */
export type PasswordState = 'set' | 'temporary' | 'reset-link' | 'expired' | 'none';
export const PASSWORD_STATES = ['set', 'temporary', 'reset-link', 'expired', 'none'] as const satisfies readonly PasswordState[];

/** The password's state, with when the temporary password or link lapses and where the link went. */
export interface PasswordStanding {
  readonly passwordState: PasswordState;
  readonly passwordExpiresAt: string | null;
  readonly resetLinkSentTo: string | null;
}

export function passwordStandingOf(
  admin: Pick<AdminRecord, 'password' | 'passwordKind' | 'temporaryPasswordExpiresAt' | 'passwordChangedAt' | 'resetLink'>,
  now: Date,
): PasswordStanding {
  const lapsed = (expiresAt: string, at: Date = now) => new Date(expiresAt).getTime() <= at.getTime();
  // The throwaway password of an admin registered for a set-up link (passwordlessAdmin) expired as it was set: it
  // never was one, so until the link's reset removes it he has none.
  const throwaway = admin.passwordKind === 'temporary' && admin.temporaryPasswordExpiresAt !== undefined && admin.passwordChangedAt !== undefined && lapsed(admin.temporaryPasswordExpiresAt, new Date(admin.passwordChangedAt));
  if (admin.password === undefined || throwaway) {
    const link = admin.resetLink;
    if (link === undefined) return { passwordState: 'none', passwordExpiresAt: null, resetLinkSentTo: null };
    return { passwordState: lapsed(link.expiresAt) ? 'expired' : 'reset-link', passwordExpiresAt: link.expiresAt, resetLinkSentTo: link.sentTo };
  }
  const expiresAt = admin.temporaryPasswordExpiresAt;
  if (admin.passwordKind === 'temporary' && expiresAt !== undefined) {
    return { passwordState: lapsed(expiresAt) ? 'expired' : 'temporary', passwordExpiresAt: expiresAt, resetLinkSentTo: null };
  }
  return { passwordState: 'set', passwordExpiresAt: null, resetLinkSentTo: null };
}

/** The admin as the API shows it. */
export interface AdminView extends PasswordStanding {
  readonly adminId: string;
  readonly companyId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly canChangeOwnPassword: boolean;
  readonly status: AdminStatus;
  /** Whether failed sign-ins locked the account, or one of the sources it is signed in from (until lockedUntil, the latest lock). */
  readonly locked: boolean;
  readonly lockedUntil: string | null;
  readonly passwordChangedAt: string | null;
  readonly lastSignInAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toAdminView(admin: AdminRecord, now: Date): AdminView {
  const lockedUntil = latestLock(admin, now);
  return {
    adminId: admin.adminId,
    companyId: admin.companyId,
    email: admin.email,
    name: admin.name,
    role: admin.role,
    // A master always may; reporting the effective right keeps clients from re-implementing the rule.
    canChangeOwnPassword: mayChangeOwnPassword(admin),
    status: admin.status,
    locked: lockedUntil !== undefined,
    lockedUntil: lockedUntil ?? null,
    passwordChangedAt: admin.passwordChangedAt ?? null,
    ...passwordStandingOf(admin, now),
    lastSignInAt: admin.lastSignInAt ?? null,
    createdAt: admin.createdAt,
    updatedAt: admin.updatedAt,
  };
}

/** The seed's pre-setting: a general admin changes his own password only once a master has granted it. */
export const mayChangeOwnPassword = (admin: Pick<AdminRecord, 'role' | 'canChangeOwnPassword'>): boolean =>
  admin.role === 'master' || admin.canChangeOwnPassword;

/** Email addresses are compared and stored lower-cased and trimmed. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();

export const isActiveMaster = (admin: Pick<AdminRecord, 'role' | 'status'>): boolean =>
  admin.role === 'master' && admin.status === 'active';

/** The strong ETag of an admin's current version. */
export const etagOf = (admin: Pick<AdminRecord, 'version'>): string => `"${admin.version}"`;

/** A password as a write stores it: the hash, its kind, and (for a person's own choice) its cheap history form. */
export interface NewPassword {
  readonly password: StoredPassword;
  readonly kind: PasswordKind;
  /** Absent for temporary passwords, which are nobody's choice and join no history. */
  readonly historyEntry?: StoredPassword | undefined;
  readonly temporaryPasswordExpiresAt?: string | undefined;
}

/** Who a new admin is, as the master or the operator registered him, with his first (temporary) password. */
export type Registration = Pick<AdminRecord, 'companyId' | 'adminId' | 'email' | 'name' | 'role' | 'canChangeOwnPassword'> & {
  readonly password: StoredPassword;
  readonly temporaryPasswordExpiresAt: string;
};

/** The record of a newly registered admin: active, with a temporary password, at version 1. */
export function registeredAdmin(registration: Registration, now: string): AdminRecord {
  return {
    companyId: registration.companyId,
    adminId: registration.adminId,
    email: registration.email,
    name: registration.name,
    role: registration.role,
    canChangeOwnPassword: registration.canChangeOwnPassword,
    status: 'active',
    password: registration.password,
    passwordKind: 'temporary',
    temporaryPasswordExpiresAt: registration.temporaryPasswordExpiresAt,
    passwordChangedAt: now,
    passwordVersion: 1,
    sessionEpoch: 1,
    ...RESTARTED_ACCOUNT,
    historyEntry: undefined,
    passwordHistory: [],
    resetLink: undefined,
    lastSignInAt: undefined,
    version: 1,
    createdAt: now,
    updatedAt: now,
  };
}

export interface ProfileChange {
  readonly name?: string | undefined;
  readonly email?: string | undefined;
  readonly role?: Role | undefined;
  readonly canChangeOwnPassword?: boolean | undefined;
}

/** The admin after a master's edit: the changed fields, at the next version. */
export function withProfileChange(admin: AdminRecord, change: ProfileChange, now: string): AdminRecord {
  return {
    ...admin,
    ...(change.name === undefined ? {} : { name: change.name }),
    ...(change.email === undefined ? {} : { email: change.email }),
    ...(change.role === undefined ? {} : { role: change.role }),
    ...(change.canChangeOwnPassword === undefined ? {} : { canChangeOwnPassword: change.canChangeOwnPassword }),
    version: admin.version + 1,
    updatedAt: now,
  };
}

/**
 * The admin once disabled: kept for the audit trail, at the next version, every session revoked, and every link or
 * challenge issued for his password dead (the password version moves on). A reset link sent before he was disabled
 * must not come back to life if he is enabled again: whoever enables him sends a new one.
 */
export const disabledAdmin = (admin: AdminRecord, now: string): AdminRecord => ({
  ...admin,
  status: 'disabled',
  resetLink: undefined,
  passwordVersion: admin.passwordVersion + 1,
  sessionEpoch: admin.sessionEpoch + 1,
  version: admin.version + 1,
  updatedAt: now,
});

/**
 * The admin once a master enables him again: active, at the next version. His sessions stay revoked and the links
 * issued before the disable stay dead (the epoch and the password version disabling moved on stay).
 */
export const enabledAdmin = (admin: AdminRecord, now: string): AdminRecord => ({
  ...admin,
  status: 'active',
  version: admin.version + 1,
  updatedAt: now,
});

/** How a change moves the company's count of active masters: +1, -1 or 0. */
export const activeMasterDelta = (before: Pick<AdminRecord, 'role' | 'status'> | undefined, after: Pick<AdminRecord, 'role' | 'status'>): number =>
  (isActiveMaster(after) ? 1 : 0) - (before !== undefined && isActiveMaster(before) ? 1 : 0);

/**
 * The admin once a new password is stored: the replaced password's history form joins the history, the password
 * version moves on (so challenges, reset links and racing writes made for the old one are dead), sessions are
 * revoked when asked, and a new password restarts the sign-in attempts.
 */
export function withNewPassword(admin: AdminRecord, next: NewPassword, options: { now: string; revokeSessions: boolean }): AdminRecord {
  return {
    ...admin,
    password: next.password,
    passwordKind: next.kind,
    temporaryPasswordExpiresAt: next.kind === 'temporary' ? next.temporaryPasswordExpiresAt : undefined,
    historyEntry: next.kind === 'permanent' ? next.historyEntry : undefined,
    passwordHistory: nextPasswordHistory(admin),
    resetLink: undefined,
    passwordChangedAt: options.now,
    passwordVersion: admin.passwordVersion + 1,
    sessionEpoch: admin.sessionEpoch + (options.revokeSessions ? 1 : 0),
    ...RESTARTED_ACCOUNT,
    updatedAt: options.now,
  };
}

/**
 * The admin once a master starts a reset: the password stops working at once (it is removed, its history form kept
 * in the history), every session is revoked, the password version moves on to the one the link completes, and the
 * link's address and expiry are kept for the screens.
 */
export function withResetStarted(admin: AdminRecord, now: string, link: ResetLinkSent): AdminRecord {
  return {
    ...admin,
    password: undefined,
    passwordKind: 'permanent',
    temporaryPasswordExpiresAt: undefined,
    historyEntry: undefined,
    passwordHistory: nextPasswordHistory(admin),
    resetLink: link,
    passwordVersion: admin.passwordVersion + 1,
    sessionEpoch: admin.sessionEpoch + 1,
    updatedAt: now,
  };
}
