// Use-case layer: the seed's "Change Password" by the master: a temporary password that the admin must replace
// at his next sign-in, valid for the days the company policy allows.
import { withNewPassword, type AdminRecord } from '../domain/admin';
import { auditEvent } from '../domain/audit';
import { DomainError } from '../domain/errors';
import type { Actor } from './actor';
import { targetAdmin } from './admin-lookup';
import { addMinutes, type Dependencies } from './dependencies';
import { assertAcceptablePassword, companyPolicy, daysInMinutes, hashedPassword } from './password-rules';
import { persist } from './refusals';

export async function setTemporaryPassword(
  actor: Actor,
  adminId: string,
  temporaryPassword: string,
  deps: Pick<Dependencies, 'companies' | 'admins' | 'credentials' | 'hasher' | 'guessability' | 'breachedPasswords' | 'clock' | 'random'>,
): Promise<AdminRecord> {
  const target = await targetAdmin(actor, adminId, deps.admins);
  // Setting one's own temporary password would sign oneself out into a challenge; the own-change path is the way.
  if (target.adminId === actor.admin.adminId) {
    throw new DomainError('OWN_ACCOUNT', 'Use "Change password" on your own account (PUT /me/password) to change your own password.');
  }
  const policy = await companyPolicy(target.companyId, deps.companies);
  await assertAcceptablePassword(temporaryPassword, target, { policy, field: 'temporaryPassword', guessability: deps.guessability, breachedPasswords: deps.breachedPasswords });
  const now = deps.clock.now();
  const expiresAt = addMinutes(now, daysInMinutes(policy.policy.temporaryPasswordValidityDays));
  const next = withNewPassword(target, await hashedPassword(temporaryPassword, 'temporary', deps.hasher, expiresAt), { now: now.toISOString(), revokeSessions: true });
  await persist(
    deps.credentials.save(target, next, { restartAttempts: true }, [
      auditEvent(
        { companyId: target.companyId, type: 'TEMPORARY_PASSWORD_SET', actorAdminId: actor.admin.adminId, targetAdminId: target.adminId, origin: actor.origin, details: { expiresAt } },
        deps,
      ),
    ]),
  );
  return target;
}
