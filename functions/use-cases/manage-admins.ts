// Use-case layer: the master's "Admin settings": listing, reading, creating, editing and disabling admins.
import { normalizeEmail, toAdminView, type AdminRecord, type AdminView, type Role } from '../domain/admin';
import { DomainError, staleVersion } from '../domain/errors';
import type { ProfileChange } from '../domain/ports';
import { newAdminId } from '../domain/tokens';
import type { Actor } from './actor';
import { targetAdmin } from './admin-lookup';
import { addMinutes, type Dependencies } from './dependencies';
import { assertAcceptablePassword } from './password-rules';

export interface AdminList {
  readonly items: AdminView[];
  readonly nextCursor: string | null;
}

export async function listAdmins(
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
  deps: Pick<Dependencies, 'directory'>,
): Promise<AdminList> {
  const { items, nextCursor } = await deps.directory.listAdmins(actor.admin.companyId, page.limit, page.cursor);
  return { items: items.map(toAdminView), nextCursor };
}

export const getAdmin = (actor: Actor, adminId: string, deps: Pick<Dependencies, 'directory'>): Promise<AdminRecord> =>
  targetAdmin(actor, adminId, deps.directory);

export interface AdminRegistration {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly canChangeOwnPassword: boolean;
  readonly temporaryPassword: string;
}

/** A new admin starts with the master's temporary password and must replace it at his first sign-in. */
export async function createAdmin(
  actor: Actor,
  registration: AdminRegistration,
  deps: Pick<Dependencies, 'directory' | 'hasher' | 'clock' | 'random' | 'lifetimes'>,
): Promise<AdminRecord> {
  const companyId = actor.admin.companyId;
  const email = normalizeEmail(registration.email);
  const name = registration.name.trim();
  await assertAcceptablePassword(registration.temporaryPassword, { companyId, email, name }, { field: 'temporaryPassword' });
  const now = deps.clock.now();
  return deps.directory.createAdmin({
    companyId,
    adminId: newAdminId(now, deps.random),
    email,
    name,
    role: registration.role,
    canChangeOwnPassword: registration.canChangeOwnPassword,
    password: await deps.hasher.hash(registration.temporaryPassword),
    temporaryPasswordExpiresAt: addMinutes(now, deps.lifetimes.temporaryPasswordMinutes),
    now: now.toISOString(),
  });
}

/** Reads the version out of an If-Match header; only the strong ETags this API hands out are accepted. */
function versionFromIfMatch(ifMatch: string | undefined): number {
  if (ifMatch === undefined || ifMatch.trim() === '') {
    throw new DomainError(
      'PRECONDITION_REQUIRED',
      'Send the If-Match header with the ETag from GET /admins/{adminId}, so another master\'s change is not overwritten.',
    );
  }
  const version = /^"(\d{1,15})"$/.exec(ifMatch.trim())?.[1];
  if (version === undefined) throw staleVersion();
  return Number(version);
}

/** The seed's [Edit] then [Register]: applied only to the version the master saw (optimistic locking). */
export async function updateAdmin(
  actor: Actor,
  adminId: string,
  ifMatch: string | undefined,
  change: ProfileChange,
  deps: Pick<Dependencies, 'directory' | 'clock'>,
): Promise<AdminRecord> {
  const expectedVersion = versionFromIfMatch(ifMatch);
  const current = await targetAdmin(actor, adminId, deps.directory);
  if (current.version !== expectedVersion) throw staleVersion();
  const normalized: ProfileChange = {
    ...change,
    ...(change.email === undefined ? {} : { email: normalizeEmail(change.email) }),
    ...(change.name === undefined ? {} : { name: change.name.trim() }),
  };
  return deps.directory.updateProfile(current, expectedVersion, normalized, deps.clock.now().toISOString());
}

/** Disabling keeps the record (and its email) for the audit trail and revokes every session at once. */
export async function disableAdmin(actor: Actor, adminId: string, deps: Pick<Dependencies, 'directory' | 'clock'>): Promise<void> {
  const target = await targetAdmin(actor, adminId, deps.directory);
  await deps.directory.disable(target, deps.clock.now().toISOString());
}
