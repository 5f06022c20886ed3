// Use-case layer: the seed's "Change Password" by the master: a temporary password that the admin must replace
// at his next sign-in.
import type { AdminRecord } from '../domain/admin';
import { DomainError, concurrentChange } from '../domain/errors';
import type { Actor } from './actor';
import { targetAdmin } from './admin-lookup';
import { addMinutes, type Dependencies } from './dependencies';
import { assertAcceptablePassword } from './password-rules';

export async function setTemporaryPassword(
  actor: Actor,
  adminId: string,
  temporaryPassword: string,
  deps: Pick<Dependencies, 'directory' | 'hasher' | 'clock' | 'lifetimes'>,
): Promise<AdminRecord> {
  const target = await targetAdmin(actor, adminId, deps.directory);
  // Setting one's own temporary password would sign oneself out into a challenge; the own-change path is the way.
  if (target.adminId === actor.admin.adminId) {
    throw new DomainError('OWN_ACCOUNT', 'Use "Change password" on your own account (PUT /me/password) to change your own password.');
  }
  await assertAcceptablePassword(temporaryPassword, target, { field: 'temporaryPassword' });
  const now = deps.clock.now();
  const applied = await deps.directory.writePassword({
    companyId: target.companyId,
    adminId: target.adminId,
    expected: target,
    password: await deps.hasher.hash(temporaryPassword),
    kind: 'temporary',
    temporaryPasswordExpiresAt: addMinutes(now, deps.lifetimes.temporaryPasswordMinutes),
    now: now.toISOString(),
    revokeSessions: true,
  });
  if (!applied) throw concurrentChange();
  return target;
}
