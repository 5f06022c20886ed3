// Adapter: how an AdminRecord is stored as a directory item, and how the ports write parts of it. The password is
// kept as three flat attributes; an absent value is an absent attribute (REMOVE), never a null.
import type { AdminRecord, ResetLinkSent } from '../../domain/admin';
import type { StoredPassword } from '../../domain/password-hashing';
import { adminKey } from './keys';

export interface AdminItem {
  companyId: string;
  adminId: string;
  email: string;
  name: string;
  role: AdminRecord['role'];
  canChangeOwnPassword: boolean;
  status: AdminRecord['status'];
  passwordScheme?: string;
  passwordCost?: number;
  passwordHash?: string;
  passwordKind: AdminRecord['passwordKind'];
  temporaryPasswordExpiresAt?: string;
  passwordChangedAt?: string;
  passwordVersion: number;
  sessionEpoch: number;
  failedSignIns?: number;
  failureWindowStartedAt?: string;
  lockedUntil?: string;
  sourceAttempts?: AdminRecord['sourceAttempts'];
  knownSources?: AdminRecord['knownSources'];
  historyEntry?: StoredPassword;
  passwordHistory?: StoredPassword[];
  resetLink?: ResetLinkSent;
  lastSignInAt?: string;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export function toAdminRecord(item: AdminItem): AdminRecord {
  return {
    companyId: item.companyId,
    adminId: item.adminId,
    email: item.email,
    name: item.name,
    role: item.role,
    canChangeOwnPassword: item.canChangeOwnPassword,
    status: item.status,
    password:
      item.passwordHash !== undefined && item.passwordScheme !== undefined && item.passwordCost !== undefined
        ? { scheme: item.passwordScheme, cost: item.passwordCost, hash: item.passwordHash }
        : undefined,
    passwordKind: item.passwordKind,
    temporaryPasswordExpiresAt: item.temporaryPasswordExpiresAt,
    passwordChangedAt: item.passwordChangedAt,
    passwordVersion: item.passwordVersion,
    sessionEpoch: item.sessionEpoch,
    failedSignIns: item.failedSignIns ?? 0,
    failureWindowStartedAt: item.failureWindowStartedAt,
    lockedUntil: item.lockedUntil,
    sourceAttempts: item.sourceAttempts,
    knownSources: item.knownSources,
    historyEntry: item.historyEntry,
    passwordHistory: item.passwordHistory ?? [],
    resetLink: item.resetLink,
    lastSignInAt: item.lastSignInAt,
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

/** The attributes of the password part of an admin. */
export const passwordAttributes = (admin: Pick<AdminRecord, 'password'>) => ({
  passwordScheme: admin.password?.scheme,
  passwordCost: admin.password?.cost,
  passwordHash: admin.password?.hash,
});

/** The whole item of an admin, with its key. */
export function adminItem(admin: AdminRecord): Record<string, unknown> {
  const { password: _flattened, ...rest } = admin;
  const item: Record<string, unknown> = { ...adminKey(admin.companyId, admin.adminId), ...rest, ...passwordAttributes(admin), passwordHistory: [...admin.passwordHistory] };
  return Object.fromEntries(Object.entries(item).filter(([, value]) => value !== undefined));
}

/** An update that sets each defined attribute and removes each undefined one; names and values are prefixed to stay apart from the condition's. */
export function setOrRemove(attributes: Record<string, unknown>): { expression: string; names: Record<string, string>; values: Record<string, unknown> } {
  const sets: string[] = [];
  const removes: string[] = [];
  const names: Record<string, string> = {};
  const values: Record<string, unknown> = {};
  for (const [attribute, value] of Object.entries(attributes)) {
    names[`#w_${attribute}`] = attribute;
    if (value === undefined) removes.push(`#w_${attribute}`);
    else {
      values[`:w_${attribute}`] = value;
      sets.push(`#w_${attribute} = :w_${attribute}`);
    }
  }
  const expression = [sets.length > 0 ? `SET ${sets.join(', ')}` : '', removes.length > 0 ? `REMOVE ${removes.join(', ')}` : ''].filter(Boolean).join(' ');
  return { expression, names, values };
}
