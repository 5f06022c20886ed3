// Use-case layer: signing in with company, email and password; the answer is a session or, for a temporary
// password, the new-password challenge.
import { toAdminView, normalizeEmail, type AdminRecord, type AdminView } from '../domain/admin';
import { invalidCredentials } from '../domain/errors';
import type { ChallengeReason } from '../domain/ports';
import { issueToken } from '../domain/tokens';
import { addMinutes, hasExpired, type Dependencies } from './dependencies';
import { describeCompanyPolicy, type PolicyDescription } from './password-rules';

export interface SessionGrant {
  readonly sessionToken: string;
  readonly expiresAt: string;
  readonly admin: AdminView;
}

export interface NewPasswordChallenge {
  readonly challenge: 'NEW_PASSWORD_REQUIRED';
  readonly reason: ChallengeReason;
  readonly challengeToken: string;
  readonly passwordPolicy: PolicyDescription;
}

export interface Credentials {
  readonly companyId: string;
  readonly email: string;
  readonly password: string;
}

type SignInDeps = Pick<Dependencies, 'directory' | 'sessions' | 'challenges' | 'hasher' | 'clock' | 'random' | 'lifetimes'>;

/** A fresh token for the admin; the caller stores it (alone, or inside a transaction). */
export function newSession(admin: AdminRecord, deps: Pick<Dependencies, 'clock' | 'random' | 'lifetimes'>) {
  const now = deps.clock.now();
  const { token, tokenHash } = issueToken(deps.random);
  const record = {
    tokenHash,
    companyId: admin.companyId,
    adminId: admin.adminId,
    createdAt: now.toISOString(),
    expiresAt: addMinutes(now, deps.lifetimes.sessionMinutes),
  };
  return { token, record };
}

/**
 * Every failure is the same INVALID_CREDENTIALS, and an unknown account costs the same bcrypt comparison as a
 * known one, so neither the answer nor its timing tells whether a company or an email exists.
 */
export async function signIn(credentials: Credentials, deps: SignInDeps): Promise<SessionGrant | NewPasswordChallenge> {
  const admin = await deps.directory.findAdminByEmail(credentials.companyId, normalizeEmail(credentials.email));
  const passwordMatches = await deps.hasher.verify(credentials.password, admin?.password);
  if (admin === undefined) throw invalidCredentials();

  const now = deps.clock.now();
  const temporaryExpired =
    admin.passwordKind === 'temporary' &&
    hasExpired(admin.temporaryPasswordExpiresAt, now);
  if (!passwordMatches || admin.status !== 'active' || temporaryExpired) {
    await deps.directory.recordFailedAttempt(admin.companyId, admin.adminId);
    throw invalidCredentials();
  }
  if (admin.failedSignIns > 0) await deps.directory.clearFailedAttempts(admin.companyId, admin.adminId);
  const current = await rehashIfWeak(admin, credentials.password, deps);

  if (current.passwordKind === 'temporary') {
    const { token, tokenHash } = issueToken(deps.random);
    await deps.challenges.create({
      tokenHash,
      companyId: current.companyId,
      adminId: current.adminId,
      reason: 'TEMPORARY_PASSWORD',
      passwordVersion: current.passwordVersion,
      expiresAt: addMinutes(now, deps.lifetimes.challengeMinutes),
    });
    return {
      challenge: 'NEW_PASSWORD_REQUIRED',
      reason: 'TEMPORARY_PASSWORD',
      challengeToken: token,
      passwordPolicy: await describeCompanyPolicy(current.companyId),
    };
  }

  const session = newSession(current, deps);
  await deps.sessions.create({ ...session.record, epoch: current.sessionEpoch });
  return { sessionToken: session.token, expiresAt: session.record.expiresAt, admin: toAdminView(current) };
}

/**
 * Upgrades a hash made with an older scheme or a lower cost while the plain password is at hand. The password
 * itself is unchanged, so sessions and challenges stay valid; if another write got there first, it is skipped.
 */
async function rehashIfWeak(admin: AdminRecord, password: string, deps: SignInDeps): Promise<AdminRecord> {
  if (admin.password === undefined || !deps.hasher.needsRehash(admin.password)) return admin;
  const upgraded = await deps.hasher.hash(password);
  const applied = await deps.directory.upgradePasswordHash(admin, upgraded);
  return applied ? { ...admin, password: upgraded } : admin;
}
