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

type SignInDeps = Pick<Dependencies, 'credentials' | 'attempts' | 'hasher' | 'clock' | 'random' | 'lifetimes' | 'auditLog'> & {
  /** Only read: the sign-in function is given a container's memory of them (functions/adapters/remembered-companies.ts). */
  readonly companies: Pick<Dependencies['companies'], 'get'>;
};

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
 * Every failure is the same INVALID_CREDENTIALS, and an unknown account costs the same requests and the same hash
 * comparison as a known one, so neither the answer nor its timing tells whether a company or an email exists, or
 * whether the account is locked. Each comparison of a known account counts towards its source's and the account's
 * lockout before it runs. Three requests in all (README, "Requests per route"): the account found by its address,
 * the reservation, and one write of the outcome (the success with its session or challenge, or the failure's events).
 */
export async function signIn(credentials: Credentials, origin: Origin, deps: SignInDeps): Promise<SessionGrant | NewPasswordChallenge> {
  const email = normalizeEmail(credentials.email);
  const [account, { company, policy }] = await Promise.all([deps.attempts.findByAddress(credentials.companyId, email), companyPolicy(credentials.companyId, deps.companies)]);
  const event = (type: 'SIGN_IN_SUCCEEDED' | 'SIGN_IN_FAILED' | 'ACCOUNT_LOCKED', details: Record<string, string>, targetAdminId = account?.adminId ?? null): AuditEvent =>
    auditEvent(
      { companyId: credentials.companyId, type, outcome: type === 'SIGN_IN_SUCCEEDED' ? 'success' : 'failure', actorAdminId: null, targetAdminId, origin, details },
      deps,
    );
  const unknownAddress = async () => {
    // Only a real company gets an event: an attacker's made-up company ids must not create audit partitions. The
    // decoy is a write that stores nothing, in the place of the event.
    if (company !== undefined) await deps.auditLog.record([event('SIGN_IN_FAILED', { reason: 'UNKNOWN_EMAIL' }, null)]);
    else await deps.attempts.decoy(credentials.companyId);
    return invalidCredentials();
  };

  if (account === undefined) {
    // The work of a known account's failure, step for step (its reservation, its comparison, its event).
    await deps.attempts.decoy(credentials.companyId);
    await deps.hasher.verify(credentials.password, undefined);
    throw await unknownAddress();
  }
  const rules = comparisonRules(lockoutOf(policy));
  const comparison = await comparePassword({ account, countersMayLag: true, holding: email }, credentials.password, sourceOf(origin.sourceIp), rules, deps);
  const now = deps.clock.now();
  if (comparison.outcome === 'gone') throw await unknownAddress();
  if (comparison.outcome === 'locked') {
    await deps.auditLog.record([event('SIGN_IN_FAILED', { reason: 'LOCKED', scope: comparison.scope })]);
    throw invalidCredentials();
  }
  const { admin } = comparison;
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
  const succeededEvent = event('SIGN_IN_SUCCEEDED', { result: challengeReason ?? 'SESSION' });

  if (challengeReason !== undefined) {
    const { token, tokenHash } = issueToken(deps.random);
    const challenge = {
      tokenHash,
      companyId: current.companyId,
      adminId: current.adminId,
      reason: challengeReason,
      passwordVersion: current.passwordVersion,
      expiresAt: addMinutes(now, deps.lifetimes.challengeMinutes),
    };
    // A lock that other comparisons set while this one ran stays; the success is recorded all the same.
    await deps.attempts.giveBack(current, success, [succeededEvent], { challenge });
    return { challenge: 'NEW_PASSWORD_REQUIRED', reason: challengeReason, challengeToken: token, passwordPolicy: describeForScreens(policy) };
  }

  const session = newSession(current, deps);
  await deps.attempts.giveBack(current, success, [succeededEvent], { session: { ...session.record, epoch: current.sessionEpoch } });
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
