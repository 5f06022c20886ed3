// Use-case layer: signing in with company, email and password; the answer is a session or, for a temporary or an
// expired password, the new-password challenge.
import { toAdminView, normalizeEmail, type AdminRecord, type AdminView } from '../domain/admin';
import { auditEvent, type AuditEvent, type Origin } from '../domain/audit';
import { invalidCredentials } from '../domain/errors';
import type { ChallengeReason } from '../domain/ports';
import { issueToken } from '../domain/tokens';
import { addMinutes, hasExpired, type Dependencies } from './dependencies';
import { afterSuccess, comparisonRules, lockDetails, sourceOf } from '../domain/sign-in-attempts';
import { comparePassword } from './password-comparison';
import { companyPolicy, describeForScreens, lockoutOf, type PolicyDescription } from './password-rules';

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

type SignInDeps = Pick<Dependencies, 'companies' | 'admins' | 'credentials' | 'attempts' | 'sessions' | 'challenges' | 'hasher' | 'clock' | 'random' | 'lifetimes' | 'auditLog'>;

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

/** Why a right password still does not sign in, for the audit trail; undefined when it does. */
function refusalOfRightPassword(admin: AdminRecord, now: Date): string | undefined {
  if (admin.status !== 'active') return 'DISABLED';
  if (admin.passwordKind === 'temporary' && hasExpired(admin.temporaryPasswordExpiresAt, now)) return 'TEMPORARY_PASSWORD_EXPIRED';
  return undefined;
}

/**
 * Every failure is the same INVALID_CREDENTIALS, and an unknown account costs the same bcrypt comparison as a
 * known one, so neither the answer nor its timing tells whether a company or an email exists, or whether the
 * account is locked. Each comparison of a known account counts towards its source's and the account's lockout before it runs.
 */
export async function signIn(credentials: Credentials, origin: Origin, deps: SignInDeps): Promise<SessionGrant | NewPasswordChallenge> {
  const [admin, { company, policy }] = await Promise.all([
    deps.admins.findByEmail(credentials.companyId, normalizeEmail(credentials.email)),
    companyPolicy(credentials.companyId, deps.companies),
  ]);
  const event = (type: 'SIGN_IN_SUCCEEDED' | 'SIGN_IN_FAILED' | 'ACCOUNT_LOCKED', details: Record<string, string>): AuditEvent =>
    auditEvent(
      { companyId: credentials.companyId, type, outcome: type === 'SIGN_IN_SUCCEEDED' ? 'success' : 'failure', actorAdminId: null, targetAdminId: admin?.adminId ?? null, origin, details },
      deps,
    );

  if (admin === undefined) {
    // The work of a known account's failure, step for step (its reservation, its comparison, its event), so neither
    // the answer nor its time tells whether the company or the address exists.
    await deps.attempts.decoy(credentials.companyId);
    await deps.hasher.verify(credentials.password, undefined);
    // Only a real company gets an event: an attacker's made-up company ids must not create audit partitions.
    if (company !== undefined) await deps.auditLog.record([event('SIGN_IN_FAILED', { reason: 'UNKNOWN_EMAIL' })]);
    else await deps.attempts.decoy(credentials.companyId);
    throw invalidCredentials();
  }
  const rules = comparisonRules(lockoutOf(policy));
  const comparison = await comparePassword(admin, credentials.password, sourceOf(origin.sourceIp), rules, deps);
  const now = deps.clock.now();
  if (comparison.outcome === 'locked') {
    await deps.auditLog.record([event('SIGN_IN_FAILED', { reason: 'LOCKED', scope: comparison.scope })]);
    throw invalidCredentials();
  }
  const refusal = comparison.outcome === 'wrong' ? (admin.password === undefined ? 'PASSWORD_RESET_PENDING' : 'WRONG_PASSWORD') : refusalOfRightPassword(admin, now);
  if (comparison.outcome === 'wrong' || refusal !== undefined) {
    const locked = comparison.outcome === 'wrong' ? comparison.locked : undefined;
    // A right password that may not sign in keeps its place, as a wrong one does.
    await deps.auditLog.record([event('SIGN_IN_FAILED', { reason: refusal! }), ...(locked === undefined ? [] : [event('ACCOUNT_LOCKED', lockDetails(locked, rules))])]);
    throw invalidCredentials();
  }
  const { success } = comparison;

  const current = await rehashIfWeak(admin, credentials.password, deps);
  const passwordExpired =
    current.passwordKind === 'permanent' &&
    policy.maxAgeDays > 0 &&
    hasExpired(addMinutes(new Date(current.passwordChangedAt ?? current.createdAt), policy.maxAgeDays * 24 * 60), now);
  const challengeReason: ChallengeReason | undefined =
    current.passwordKind === 'temporary' ? 'TEMPORARY_PASSWORD' : passwordExpired ? 'PASSWORD_EXPIRED' : undefined;
  // A lock that other comparisons set while this one ran stays; the success is recorded all the same.
  await deps.attempts.giveBack(current, success, [event('SIGN_IN_SUCCEEDED', { result: challengeReason ?? 'SESSION' })]);

  if (challengeReason !== undefined) {
    const { token, tokenHash } = issueToken(deps.random);
    await deps.challenges.create({
      tokenHash,
      companyId: current.companyId,
      adminId: current.adminId,
      reason: challengeReason,
      passwordVersion: current.passwordVersion,
      expiresAt: addMinutes(now, deps.lifetimes.challengeMinutes),
    });
    return { challenge: 'NEW_PASSWORD_REQUIRED', reason: challengeReason, challengeToken: token, passwordPolicy: describeForScreens(policy) };
  }

  const session = newSession(current, deps);
  await deps.sessions.create({ ...session.record, epoch: current.sessionEpoch });
  return { sessionToken: session.token, expiresAt: session.record.expiresAt, admin: toAdminView(afterSuccess(current, success), now) };
}

/**
 * Upgrades a hash made with an older scheme or a lower cost while the plain password is at hand. The password
 * itself is unchanged, so sessions and challenges stay valid; if another write got there first, it is skipped.
 */
async function rehashIfWeak(admin: AdminRecord, password: string, deps: SignInDeps): Promise<AdminRecord> {
  if (admin.password === undefined || !deps.hasher.needsRehash(admin.password)) return admin;
  const upgraded = await deps.hasher.hash(password);
  const applied = await deps.credentials.upgradeHash(admin, upgraded);
  return applied ? { ...admin, password: upgraded } : admin;
}
