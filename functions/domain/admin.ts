// Domain layer: the administrator account, what the API may show of it, and who may do what to it.
import type { StoredPassword } from './password-hashing';

export type Role = 'master' | 'general';
export type AdminStatus = 'active' | 'disabled';

/**
 * How the current password may be used: a permanent one signs in; a temporary one (set by a master) only opens
 * the new-password challenge until it expires.
 */
export type PasswordKind = 'permanent' | 'temporary';

/** An administrator as stored. Never leaves the service as is: toAdminView strips every secret. */
export interface AdminRecord {
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
  readonly failedSignIns: number;
  /** While in the future, no password signs in (the answer is the usual INVALID_CREDENTIALS). */
  readonly lockedUntil: string | undefined;
  /** The cheap history form of the current password; it joins passwordHistory when the password is replaced. */
  readonly historyEntry: StoredPassword | undefined;
  /** Previous passwords, newest first, at most MAX_PASSWORD_HISTORY. */
  readonly passwordHistory: readonly StoredPassword[];
  /** Bumped by every profile change; the ETag clients send back in If-Match. */
  readonly version: number;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** The most previous passwords kept, whatever the policy asks today, so raising historyCount takes effect at once. */
export const MAX_PASSWORD_HISTORY = 24;

/** The history to keep once the current password is replaced: its history form joins the front. */
export const nextPasswordHistory = (admin: Pick<AdminRecord, 'historyEntry' | 'passwordHistory'>): StoredPassword[] =>
  (admin.historyEntry === undefined ? [...admin.passwordHistory] : [admin.historyEntry, ...admin.passwordHistory]).slice(0, MAX_PASSWORD_HISTORY);

/** The admin as the API shows it. */
export interface AdminView {
  readonly adminId: string;
  readonly companyId: string;
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly canChangeOwnPassword: boolean;
  readonly status: AdminStatus;
  /** Whether failed sign-ins locked the account (until lockedUntil). */
  readonly locked: boolean;
  readonly lockedUntil: string | null;
  readonly passwordChangedAt: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
}

export function toAdminView(admin: AdminRecord, now: Date): AdminView {
  const locked = admin.lockedUntil !== undefined && Date.parse(admin.lockedUntil) > now.getTime();
  return {
    adminId: admin.adminId,
    companyId: admin.companyId,
    email: admin.email,
    name: admin.name,
    role: admin.role,
    // A master always may; reporting the effective right keeps clients from re-implementing the rule.
    canChangeOwnPassword: mayChangeOwnPassword(admin),
    status: admin.status,
    locked,
    lockedUntil: locked ? (admin.lockedUntil ?? null) : null,
    passwordChangedAt: admin.passwordChangedAt ?? null,
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
