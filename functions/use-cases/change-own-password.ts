// Use-case layer: the seed's "Change administrator's own password": current password plus new one.
import { mayChangeOwnPassword } from '../domain/admin';
import { DomainError, concurrentChange } from '../domain/errors';
import { normalizePassword } from '../domain/password-policy';
import type { Actor } from './actor';
import type { Dependencies } from './dependencies';
import { assertAcceptablePassword } from './password-rules';

export interface OwnPasswordChange {
  readonly currentPassword: string;
  readonly newPassword: string;
}

/** Succeeds only for a master or a general admin a master has granted the right; revokes every other session. */
export async function changeOwnPassword(
  actor: Actor,
  change: OwnPasswordChange,
  deps: Pick<Dependencies, 'directory' | 'hasher' | 'clock'>,
): Promise<void> {
  const { admin } = actor;
  if (!mayChangeOwnPassword(admin)) {
    throw new DomainError(
      'CHANGE_OWN_PASSWORD_NOT_PERMITTED',
      'You may not change your own password. Please ask your master administrator to change it for you or to grant you the permission.',
    );
  }
  if (!(await deps.hasher.verify(change.currentPassword, admin.password))) {
    await deps.directory.recordFailedAttempt(admin.companyId, admin.adminId);
    throw new DomainError('CURRENT_PASSWORD_INCORRECT', 'The current password is incorrect.', [
      { field: 'currentPassword', code: 'CURRENT_PASSWORD_INCORRECT', message: 'The current password is incorrect.' },
    ]);
  }
  await assertAcceptablePassword(change.newPassword, admin, {
    field: 'newPassword',
    sameAsCurrent: normalizePassword(change.newPassword) === normalizePassword(change.currentPassword),
  });
  const applied = await deps.directory.writePassword({
    companyId: admin.companyId,
    adminId: admin.adminId,
    expected: admin,
    password: await deps.hasher.hash(change.newPassword),
    kind: 'permanent',
    now: deps.clock.now().toISOString(),
    revokeSessions: true,
    keepSessionHash: actor.sessionHash,
  });
  if (!applied) throw concurrentChange();
}
