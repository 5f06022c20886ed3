// Use-case layer: the second step of a sign-in with a temporary or expired password. The admin picks a new
// password and gets a session; no canChangeOwnPassword permission is needed, since the master (or the policy)
// made him do this.
import { toAdminView, withNewPassword } from '../domain/admin';
import { auditEvent, type Origin } from '../domain/audit';
import { challengeInvalid } from '../domain/errors';
import { hashToken } from '../domain/tokens';
import { hasExpired, type Dependencies } from './dependencies';
import { assertAcceptablePassword, companyPolicy, hashedPassword } from './password-rules';
import { persist } from './refusals';
import { newSession, type SessionGrant } from './sign-in';

export interface ChallengeAnswer {
  readonly challengeToken: string;
  readonly newPassword: string;
}

type AnswerDeps = Pick<Dependencies, 'companies' | 'admins' | 'credentials' | 'challenges' | 'hasher' | 'guessability' | 'breachedPasswords' | 'clock' | 'random' | 'lifetimes'>;

/**
 * Consuming the challenge, writing the password and creating the session are one DynamoDB transaction: of two
 * concurrent answers with the same token, exactly one succeeds.
 */
export async function answerNewPasswordChallenge(answer: ChallengeAnswer, origin: Origin, deps: AnswerDeps): Promise<SessionGrant> {
  const challengeHash = hashToken(answer.challengeToken);
  const challenge = await deps.challenges.get(challengeHash);
  if (challenge === undefined || hasExpired(challenge.expiresAt, deps.clock.now())) throw challengeInvalid();
  const admin = await deps.admins.get(challenge.companyId, challenge.adminId);
  if (admin === undefined || admin.status !== 'active' || admin.passwordVersion !== challenge.passwordVersion) {
    throw challengeInvalid();
  }

  // The temporary password is known to the master who set it, and an expired one is due: keeping either is no change.
  const sameAsCurrent = await deps.hasher.verify(answer.newPassword, admin.password);
  await assertAcceptablePassword(answer.newPassword, admin, {
    policy: await companyPolicy(admin.companyId, deps.companies),
    field: 'newPassword',
    sameAsCurrent,
    hasher: deps.hasher,
    guessability: deps.guessability,
    breachedPasswords: deps.breachedPasswords,
  });

  const session = newSession(admin, deps);
  const changedAt = session.record.createdAt;
  const next = withNewPassword(admin, await hashedPassword(answer.newPassword, 'permanent', deps.hasher), { now: changedAt, revokeSessions: true });
  // Of parallel answers, the one whose transaction uses up the challenge sets its password; every other one is told
  // the challenge is gone, and none of their passwords is stored.
  await persist(
    deps.credentials.save(admin, next, { consumeToken: challengeHash, newSession: session.record, restartAttempts: true }, [
      auditEvent(
        { companyId: admin.companyId, type: 'NEW_PASSWORD_SET', actorAdminId: admin.adminId, targetAdminId: admin.adminId, origin, details: { reason: challenge.reason } },
        deps,
      ),
    ]),
    { PASSWORD_MOVED: challengeInvalid, TOKEN_USED: challengeInvalid },
  );
  return { sessionToken: session.token, expiresAt: session.record.expiresAt, admin: toAdminView(next, deps.clock.now()) };
}
