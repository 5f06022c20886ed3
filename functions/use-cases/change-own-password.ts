// Use-case layer: the seed's "Change administrator's own password": current password plus new one.
import { mayChangeOwnPassword, withNewPassword } from '../domain/admin';
import { auditEvent } from '../domain/audit';
import { DomainError } from '../domain/errors';
import { normalizePassword } from '../domain/password-policy';
import type { Actor } from './actor';
import type { Dependencies } from './dependencies';
import { comparisonRules, lockDetails, sourceOf } from '../domain/sign-in-attempts';
import { comparePassword } from './password-comparison';
import { assertAcceptablePassword, companyPolicy, hashedPassword, lockoutOf } from './password-rules';
import { persist } from './refusals';

export interface OwnPasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

const currentPasswordIncorrect = () =>
  new DomainError('CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect.', [
    { field: 'currentPassword', code: 'CURRENT_PASSWORD_INCORRECT', message: 'The current password is incorrect.' },
  ]);

/**
 * Succeeds only for a master or a general admin a master has granted the right; revokes every other session. A
 * wrong current password counts towards the lockout like a failed sign-in, and a locked account is refused the
 * same way, so this route cannot be used to keep guessing.
 */
export async function changeOwnPassword(
  actor: Actor,
  change: OwnPasswordChange,
  deps: Pick<Dependencies, 'companies' | 'credentials' | 'attempts' | 'auditLog' | 'hasher' | 'guessability' | 'breachedPasswords' | 'clock' | 'random'>,
): Promise<void> {
  const { admin } = actor;
  if (!mayChangeOwnPassword(admin)) {
    throw new DomainError(
      'CHANGE_OWN_PASSWORD_NOT_PERMITTED',
      'You may not change your own password. Please ask your master administrator to change it for you or to grant you the permission.',
    );
  }
  const policy = await companyPolicy(admin.companyId, deps.companies);
  const now = deps.clock.now();
  const event = (type: 'PASSWORD_CHANGED' | 'ACCOUNT_LOCKED', outcome: 'success' | 'failure', details: Record<string, string> = {}) =>
    auditEvent({ companyId: admin.companyId, type, outcome, actorAdminId: admin.adminId, targetAdminId: admin.adminId, origin: actor.origin, details }, deps);

  const rules = comparisonRules(lockoutOf(policy.policy));
  const comparison = await comparePassword({ account: admin }, change.currentPassword, sourceOf(actor.origin.sourceIp), rules, deps);
  if (comparison.outcome === 'locked' || comparison.outcome === 'gone') throw currentPasswordIncorrect();
  if (comparison.outcome === 'wrong') {
    await deps.auditLog.record([
      event('PASSWORD_CHANGED', 'failure', { reason: 'CURRENT_PASSWORD_INCORRECT' }),
      ...(comparison.locked === undefined ? [] : [event('ACCOUNT_LOCKED', 'failure', lockDetails(comparison.locked, rules))]),
    ]);
    throw currentPasswordIncorrect();
  }
  // The right current password gives its place back, whatever the new password turns out to be.
  await deps.attempts.giveBack(admin, comparison.success, []);
  await assertAcceptablePassword(change.newPassword, admin, {
    policy,
    field: 'newPassword',
    sameAsCurrent: normalizePassword(change.newPassword) === normalizePassword(change.currentPassword),
    hasher: deps.hasher,
    guessability: deps.guessability,
    breachedPasswords: deps.breachedPasswords,
  });
  const next = withNewPassword(admin, await hashedPassword(change.newPassword, 'permanent', deps.hasher), { now: now.toISOString(), revokeSessions: true });
  await persist(deps.credentials.save(admin, next, { keepSession: actor.sessionHash, restartAttempts: true }, [event('PASSWORD_CHANGED', 'success')]));
}
