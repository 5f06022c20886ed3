// Use-case layer: the seed's "Reset Password". The master confirms; the password stops working at once and an
// email carries a single-use link, valid 24 hours, to the Password Change Screen, where the person sets a new one.
import { normalizeEmail, type AdminRecord } from '../domain/admin';
import { auditEvent, type Origin } from '../domain/audit';
import { passwordResetEmail, type EmailMessage } from '../domain/emails';
import {
  DomainError,
  adminNotFound,
  concurrentChange,
  emailDeliveryFailed,
  resetLinkInvalid,
  tooManyAttempts,
} from '../domain/errors';
import { normalizePassword } from '../domain/password-policy';
import type { Company, ResetToken } from '../domain/ports';
import { policyOf } from '../domain/company';
import { TOKEN_PATTERN, hashToken, issueToken } from '../domain/tokens';
import type { Actor } from './actor';
import { targetAdmin } from './admin-lookup';
import { addMinutes, hasExpired, type Dependencies } from './dependencies';
import { assertAcceptablePassword, describeForScreens, passwordFields, type PolicyDescription } from './password-rules';

export interface ResetSent {
  readonly sentTo: string;
  readonly expiresAt: string;
  /** Whether the link went to the admin's registered address or to one the master typed. */
  readonly destination: 'registered' | 'typed';
}

type RequestDeps = Pick<Dependencies, 'directory' | 'mailer' | 'clock' | 'random' | 'publicBaseUrl'> & {
  readonly lifetimes: Pick<Dependencies['lifetimes'], 'resetLinkMinutes'>;
};

/** One reset link to send: to whom, the words around it, and who asked (an admin, or the operator). */
export interface ResetLinkRequest {
  readonly target: AdminRecord;
  readonly sentTo: string;
  /** The admin id of the master who asked, or 'operator'. */
  readonly requestedBy: string;
  readonly actorAdminId: string | null;
  readonly origin: Origin;
  /** The email around the link. */
  readonly compose: (link: string, expiresAt: string) => EmailMessage;
}

/**
 * Issues the link's token, emails the link and starts the reset, for a master's reset and the operator's alike.
 * The email goes out first and the reset is written after it, so a refused email leaves nothing behind: the
 * password still works and no token exists (EMAIL_DELIVERY_FAILED). If the write then fails because the admin
 * changed meanwhile, the link that went out points at a token that was never stored and is simply invalid.
 */
export async function sendResetLink(request: ResetLinkRequest, deps: RequestDeps): Promise<{ sentTo: string; expiresAt: string }> {
  const { target, sentTo } = request;
  const now = deps.clock.now();
  const { token, tokenHash } = issueToken(deps.random);
  const expiresAt = addMinutes(now, deps.lifetimes.resetLinkMinutes);
  try {
    await deps.mailer.send(sentTo, request.compose(`${deps.publicBaseUrl}/password-reset#token=${token}`, expiresAt));
  } catch {
    throw emailDeliveryFailed();
  }
  const resetToken: ResetToken = {
    tokenHash,
    companyId: target.companyId,
    adminId: target.adminId,
    passwordVersion: target.passwordVersion + 1,
    requestedBy: request.requestedBy,
    sentTo,
    createdAt: now.toISOString(),
    expiresAt,
  };
  const event = auditEvent(
    {
      companyId: target.companyId,
      type: 'PASSWORD_RESET_REQUESTED',
      actorAdminId: request.actorAdminId,
      targetAdminId: target.adminId,
      origin: request.origin,
      details: { sentTo, destination: sentTo === target.email ? 'registered' : 'typed', expiresAt, requestedBy: request.requestedBy },
    },
    deps,
  );
  if (!(await deps.directory.startPasswordReset(target, resetToken, now.toISOString(), [event]))) throw concurrentChange();
  return { sentTo, expiresAt };
}

/** The seed's [Reset Password] by a master, to the registered address or one he typed. */
export async function requestPasswordReset(
  actor: Actor,
  adminId: string,
  request: { email?: string | undefined },
  deps: RequestDeps,
): Promise<ResetSent> {
  const target = await targetAdmin(actor, adminId, deps.directory);
  if (target.adminId === actor.admin.adminId) {
    throw new DomainError('OWN_ACCOUNT', 'Use "Change password" on your own account (PUT /me/password) to change your own password.');
  }
  if (target.status !== 'active') {
    throw new DomainError('ADMIN_DISABLED', 'This administrator is disabled; a reset link would not let him sign in.');
  }
  const company = await deps.directory.getCompany(target.companyId);
  if (company === undefined) throw adminNotFound();
  const sentTo = normalizeEmail(request.email ?? target.email);
  const sent = await sendResetLink(
    {
      target,
      sentTo,
      requestedBy: actor.admin.adminId,
      actorAdminId: actor.admin.adminId,
      origin: actor.origin,
      compose: (link, expiresAt) => passwordResetEmail({ adminName: target.name, masterName: actor.admin.name, companyName: company.name, link, expiresAt }),
    },
    deps,
  );
  return { ...sent, destination: sentTo === target.email ? 'registered' : 'typed' };
}

interface LiveLink {
  readonly token: ResetToken;
  readonly admin: AdminRecord;
  readonly company: Company;
}

type LinkDeps = Pick<Dependencies, 'directory' | 'resetTokens' | 'resetAttempts' | 'clock'>;

/**
 * The link's token, its admin and company, if the link is live: stored, of this kind, not expired by the clock
 * (DynamoDB TTL deletes late), and not superseded (a newer reset or any password write moves the version on).
 * Every other case is one answer, RESET_LINK_INVALID, and counts as a miss of the client.
 */
async function liveLink(token: string, clientKey: string, deps: LinkDeps): Promise<LiveLink> {
  const now = deps.clock.now();
  if (await deps.resetAttempts.isBlocked(clientKey, now)) throw tooManyAttempts();
  const stored = TOKEN_PATTERN.test(token) ? await deps.resetTokens.get(hashToken(token)) : undefined;
  const admin = stored && !hasExpired(stored.expiresAt, now) ? await deps.directory.getAdmin(stored.companyId, stored.adminId) : undefined;
  const live = stored !== undefined && admin !== undefined && admin.status === 'active' && admin.passwordVersion === stored.passwordVersion;
  const company = live ? await deps.directory.getCompany(admin.companyId) : undefined;
  if (!live || company === undefined) {
    await deps.resetAttempts.recordMiss(clientKey, now);
    throw resetLinkInvalid();
  }
  return { token: stored, admin, company };
}

export interface ResetLinkDetails {
  readonly email: string;
  readonly companyName: string;
  readonly expiresAt: string;
  readonly passwordPolicy: PolicyDescription;
}

/** What the Password Change Screen shows for a live link. */
export async function verifyPasswordReset(token: string, clientKey: string, deps: LinkDeps): Promise<ResetLinkDetails> {
  const { admin, company, token: stored } = await liveLink(token, clientKey, deps);
  return {
    email: admin.email,
    companyName: company.name,
    expiresAt: stored.expiresAt,
    passwordPolicy: describeForScreens(policyOf(company)),
  };
}

export interface ResetCompletion {
  readonly token: string;
  readonly newPassword: string;
  readonly confirmPassword: string;
}

/**
 * Consuming the token and writing the password are one transaction, conditional on the token still existing and
 * the admin's password version being the one the reset left: of concurrent completions, exactly one succeeds. No
 * session is returned; the person signs in with the new password.
 */
export async function completePasswordReset(
  completion: ResetCompletion,
  origin: Origin,
  deps: LinkDeps & Pick<Dependencies, 'hasher' | 'random'>,
): Promise<AdminRecord> {
  const { admin, token, company } = await liveLink(completion.token, origin.sourceIp ?? 'unknown', deps);
  if (normalizePassword(completion.newPassword) !== normalizePassword(completion.confirmPassword)) {
    throw new DomainError('PASSWORD_MISMATCH', 'The two passwords are not the same. Type the new password again in both fields.', [
      { field: 'confirmPassword', code: 'PASSWORD_MISMATCH', message: 'Type the same password as in "New password".' },
    ]);
  }
  await assertAcceptablePassword(completion.newPassword, admin, { policy: { company, policy: policyOf(company) }, field: 'newPassword', hasher: deps.hasher });
  const applied = await deps.directory.writePassword({
    companyId: admin.companyId,
    adminId: admin.adminId,
    expected: admin,
    ...(await passwordFields(admin, completion.newPassword, 'permanent', deps.hasher)),
    now: deps.clock.now().toISOString(),
    revokeSessions: true,
    consumeTokenHash: token.tokenHash,
    events: [
      auditEvent(
        { companyId: admin.companyId, type: 'PASSWORD_RESET_COMPLETED', actorAdminId: null, targetAdminId: admin.adminId, origin, details: { requestedBy: token.requestedBy } },
        deps,
      ),
    ],
  });
  if (!applied) throw resetLinkInvalid();
  return admin;
}
