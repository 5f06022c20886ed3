// Use-case layer: the master's "Admin settings": listing, reading, creating, editing, disabling and unlocking admins.
import {
  disabledAdmin,
  enabledAdmin,
  normalizeEmail,
  registeredAdmin,
  toAdminView,
  withProfileChange,
  withResetStarted,
  type AdminRecord,
  type AdminView,
  type ProfileChange,
  type Role,
} from '../domain/admin';
import { auditEvent, type AuditEvent } from '../domain/audit';
import { DomainError, adminNotFound, staleVersion } from '../domain/errors';
import { assertReadOnlyUnchanged } from '../domain/read-only-fields';
import { latestLock, ownUnlock, sourceOf } from '../domain/sign-in-attempts';
import { newUlid } from '../domain/tokens';
import type { Actor } from './actor';
import { targetAdmin } from './admin-lookup';
import { addMinutes, type Dependencies } from './dependencies';
import { assertAcceptablePassword, companyPolicy, daysInMinutes } from './password-rules';
import type { AdminEdit } from './notify-email-change';
import { decideOnFreshRead, persist } from './refusals';
import { inviteByEmail } from './password-reset';
import { passwordlessAdmin } from './passwordless-admin';

export interface AdminList {
  readonly items: AdminView[];
  readonly nextCursor: string | null;
}

type Audited = Pick<Dependencies, 'clock' | 'random'>;

/** An event of the actor on an admin of his company. */
const eventOf = (actor: Actor, type: AuditEvent['type'], targetAdminId: string, details: AuditEvent['details'], deps: Audited): AuditEvent =>
  auditEvent({ companyId: actor.admin.companyId, type, actorAdminId: actor.admin.adminId, targetAdminId, origin: actor.origin, details }, deps);

export async function listAdmins(
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
  deps: Pick<Dependencies, 'admins' | 'clock'>,
): Promise<AdminList> {
  const { items, nextCursor } = await deps.admins.list(actor.admin.companyId, page);
  const now = deps.clock.now();
  return { items: items.map((admin) => toAdminView(admin, now)), nextCursor };
}

export const getAdmin = (actor: Actor, adminId: string, deps: Pick<Dependencies, 'admins'>): Promise<AdminRecord> =>
  targetAdmin(actor, adminId, deps.admins);

export interface AdminRegistration {
  readonly email: string;
  readonly name: string;
  readonly role: Role;
  readonly canChangeOwnPassword: boolean;
  /** His first password, the master's temporary one; or, when absent, `sendSetUpLink` must ask for a set-up link. */
  readonly temporaryPassword?: string | undefined;
  readonly sendSetUpLink?: boolean | undefined;
}

type CreateDeps = Pick<Dependencies, 'companies' | 'admins' | 'hasher' | 'guessability' | 'breachedPasswords' | 'clock' | 'random'> &
  Parameters<typeof inviteByEmail>[3];

/**
 * A new admin starts with the master's temporary password, which he must replace at his first sign-in; or with no
 * password anyone knows and an emailed set-up link (inviteByEmail), so that no password is ever handed over.
 */
export async function createAdmin(actor: Actor, registration: AdminRegistration, deps: CreateDeps): Promise<AdminRecord> {
  const { temporaryPassword, role, canChangeOwnPassword } = registration;
  if ((temporaryPassword === undefined) !== (registration.sendSetUpLink === true)) {
    throw new DomainError('VALIDATION_FAILED', 'Send either temporaryPassword or sendSetUpLink: true, not both.', [
      { field: 'temporaryPassword', code: 'FIRST_PASSWORD', message: 'Enter a temporary password, or choose to email a set-up link.' },
    ]);
  }
  const companyId = actor.admin.companyId;
  const email = normalizeEmail(registration.email);
  const name = registration.name.trim();
  const now = deps.clock.now();
  const identity = { companyId, adminId: newUlid(now, deps.random), email, name, role, canChangeOwnPassword };
  const created = [eventOf(actor, 'ADMIN_CREATED', identity.adminId, { email, role, canChangeOwnPassword, firstPassword: temporaryPassword === undefined ? 'set-up-link' : 'temporary' }, deps)];
  if (temporaryPassword === undefined) {
    const admin = await passwordlessAdmin(identity, now, deps);
    // As stored once the link went out: the throwaway password removed, waiting for the link.
    return withResetStarted(admin, now.toISOString(), await inviteByEmail(actor, admin, created, deps));
  }
  const policy = await companyPolicy(companyId, deps.companies);
  await assertAcceptablePassword(temporaryPassword, identity, { policy, field: 'temporaryPassword', guessability: deps.guessability, breachedPasswords: deps.breachedPasswords });
  const admin = registeredAdmin(
    { ...identity, password: await deps.hasher.hash(temporaryPassword), temporaryPasswordExpiresAt: addMinutes(now, daysInMinutes(policy.policy.temporaryPasswordValidityDays)) },
    now.toISOString(),
  );
  await persist(deps.admins.create(admin, created), { COMPANY_MISSING: adminNotFound });
  return admin;
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

/** The events an edit writes: the permission change on its own, as the seed's pre-setting, and the rest. */
function editEvents(actor: Actor, current: AdminRecord, change: ProfileChange, deps: Audited): AuditEvent[] {
  const events: AuditEvent[] = [];
  if (change.canChangeOwnPassword !== undefined && change.canChangeOwnPassword !== current.canChangeOwnPassword) {
    events.push(eventOf(actor, change.canChangeOwnPassword ? 'PERMISSION_GRANTED' : 'PERMISSION_REVOKED', current.adminId, { permission: 'canChangeOwnPassword' }, deps));
  }
  const changed = (['name', 'email', 'role'] as const).filter((field) => change[field] !== undefined && change[field] !== current[field]);
  if (changed.length > 0) {
    const details = Object.fromEntries(changed.flatMap((field) => [[`${field}From`, current[field]], [`${field}To`, change[field] ?? null]]));
    events.push(eventOf(actor, 'ADMIN_UPDATED', current.adminId, details, deps));
  }
  return events;
}

/**
 * The seed's [Edit] then [Register]: applied only to the version the master saw (optimistic locking). Answers the
 * admin before and after, so the caller can tell an old address that it was replaced (notifyEmailChange).
 */
export async function updateAdmin(
  actor: Actor,
  adminId: string,
  ifMatch: string | undefined,
  change: ProfileChange,
  deps: Pick<Dependencies, 'admins' | 'clock' | 'random'>,
  /** Read-only fields of the admin as the client read them (a GET sent back): accepted only when still so. */
  unchanged: Partial<AdminView> = {},
): Promise<AdminEdit> {
  const expectedVersion = versionFromIfMatch(ifMatch);
  const current = await targetAdmin(actor, adminId, deps.admins);
  if (current.version !== expectedVersion) throw staleVersion();
  assertReadOnlyUnchanged(unchanged, toAdminView(current, deps.clock.now()));
  // A master's canChangeOwnPassword is shown as the effective right, always true: sent back as it was shown, by a
  // master who stays one, it changes nothing (storing it would grant the right for a later demotion).
  const staysMaster = current.role === 'master' && (change.role ?? current.role) === 'master';
  const { canChangeOwnPassword, ...rest } = change;
  const normalized: ProfileChange = {
    ...rest,
    ...(canChangeOwnPassword === undefined || (staysMaster && canChangeOwnPassword) ? {} : { canChangeOwnPassword }),
    ...(change.email === undefined ? {} : { email: normalizeEmail(change.email) }),
    ...(change.name === undefined ? {} : { name: change.name.trim() }),
  };
  const next = withProfileChange(current, normalized, deps.clock.now().toISOString());
  await persist(deps.admins.saveProfile(current, next, editEvents(actor, current, normalized, deps)));
  return { before: current, after: next };
}

/** The two status changes a master makes: the admin's next state, and the event that records it. */
const STATUS_CHANGES = {
  disabled: { next: disabledAdmin, event: 'ADMIN_DISABLED' },
  active: { next: enabledAdmin, event: 'ADMIN_ENABLED' },
} as const satisfies Record<AdminRecord['status'], { next: (admin: AdminRecord, at: string) => AdminRecord; event: AuditEvent['type'] }>;

/**
 * Moves an admin to `status`. The client sends no version, so the change is decided on a fresh read whenever the
 * admin moved meanwhile (a parallel promotion makes a disable the disabling of a master, which must leave another
 * one; an enabled master is counted among the active masters in the same transaction, so a parallel disable of the
 * last other master is judged on a count that includes him). An admin in that status already (perhaps moved by
 * another master meanwhile) is the outcome the caller asked for: nothing is written.
 */
async function changeStatus(actor: Actor, adminId: string, status: AdminRecord['status'], deps: Pick<Dependencies, 'admins' | 'clock' | 'random'>): Promise<void> {
  const change = STATUS_CHANGES[status];
  await persist(
    decideOnFreshRead(async () => {
      const target = await targetAdmin(actor, adminId, deps.admins);
      if (target.status === status) return;
      await deps.admins.saveProfile(target, change.next(target, deps.clock.now().toISOString()), [eventOf(actor, change.event, target.adminId, {}, deps)]);
    }, ['STALE_VERSION']),
  );
}

/** Disabling keeps the record (and its email) for the audit trail and revokes every session at once. */
export const disableAdmin = (actor: Actor, adminId: string, deps: Pick<Dependencies, 'admins' | 'clock' | 'random'>): Promise<void> =>
  changeStatus(actor, adminId, 'disabled', deps);

/** The way back from DELETE: active again, with the password and permissions he had; his old sessions stay revoked. */
export const enableAdmin = (actor: Actor, adminId: string, deps: Pick<Dependencies, 'admins' | 'clock' | 'random'>): Promise<void> =>
  changeStatus(actor, adminId, 'active', deps);

/** A master lifts a lockout at once instead of waiting for it to lapse: every count and lock, for every source. */
export async function unlockAdmin(actor: Actor, adminId: string, deps: Pick<Dependencies, 'admins' | 'attempts' | 'clock' | 'random'>): Promise<void> {
  const target = await targetAdmin(actor, adminId, deps.admins);
  const unlocked = await deps.attempts.unlock(target, [eventOf(actor, 'ACCOUNT_UNLOCKED', target.adminId, { wasLockedUntil: latestLock(target, deps.clock.now()) ?? null }, deps)]);
  if (!unlocked) throw adminNotFound();
}

/**
 * An admin locked out of signing in, who still has a session (sessions outlive a lock), vouches for the source he
 * is on: it becomes known (the account's lock no longer stops it) and its own count starts again. Nothing else
 * changes: other sources stay locked and the account's count stands, so a stolen session buys an outsider no more
 * than the one source it is used from.
 */
export async function unlockOwnSignIn(actor: Actor, deps: Pick<Dependencies, 'attempts' | 'clock' | 'random'>): Promise<void> {
  const now = deps.clock.now();
  const source = sourceOf(actor.origin.sourceIp);
  const details = { by: 'self', source, wasLockedUntil: latestLock(actor.admin, now) ?? null };
  const unlocked = await deps.attempts.unlockOwnSource(actor.admin, ownUnlock(actor.admin, source, now), [eventOf(actor, 'ACCOUNT_UNLOCKED', actor.admin.adminId, details, deps)]);
  if (!unlocked) throw adminNotFound();
}
