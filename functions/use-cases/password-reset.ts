// Use-case layer: the seed's "Reset Password". The master confirms; the password stops working at once and an
// email carries a single-use link, valid 24 hours, to the Password Change Screen, where the person sets a new one.
import { isActiveMaster, normalizeEmail, withNewPassword, withResetStarted, type AdminRecord } from '../domain/admin';
import { auditEvent, type AuditEvent, type Origin } from '../domain/audit';
import { invitationEmail } from '../domain/setup-email';
import { passwordResetEmail, type EmailMessage } from '../domain/emails';
import { DomainError, addressSuppressed, adminNotFound, emailDeliveryFailed, resetLinkInvalid, tooManyAttempts, tooManyResets, type ResetLimit } from '../domain/errors';
import { normalizePassword } from '../domain/password-policy';
import { OPERATOR_REQUESTER, type AttemptLimiter, type Company, type CredentialParts, type LinkPurpose, type ResetClaim, type ResetToken } from '../domain/ports';
import { refusalOf, type WriteRefusal } from '../domain/write-refusals';
import { policyOf } from '../domain/company';
import { TOKEN_PATTERN, hashToken, issueToken } from '../domain/tokens';
import type { Actor } from './actor';
import { targetAdmin } from './admin-lookup';
import { addMinutes, hasExpired, type Dependencies } from './dependencies';
import { assertAcceptablePassword, describeForScreens, hashedPassword, type PolicyDescription } from './password-rules';
import { persist } from './refusals';

export interface ResetSent {
  readonly sentTo: string;
  readonly expiresAt: string;
  /** Whether the link went to the admin's registered address or to one the master typed. */
  readonly destination: 'registered' | 'typed';
}

type RequestDeps = Pick<Dependencies, 'credentials' | 'mailer' | 'suppressions' | 'auditLog' | 'clock' | 'random' | 'publicBaseUrl'> & {
  readonly lifetimes: Pick<Dependencies['lifetimes'], 'resetLinkMinutes'>;
};

/** One reset link to send: to whom, the words around it, and who asked (an admin, or the operator). */
export interface ResetLinkRequest {
  readonly target: AdminRecord;
  readonly sentTo: string;
  /** What the link is for: the Password Change Screen says "Set your password" or "Reset your password". */
  readonly purpose: LinkPurpose;
  /** The admin id of the master who asked, or 'operator'. */
  readonly requestedBy: string;
  readonly actorAdminId: string | null;
  readonly origin: Origin;
  /** The email around the link. */
  readonly compose: (link: string, expiresAt: string) => EmailMessage;
  /** What must allow the send once the claim is held (the master's limits); it throws to refuse, and then nothing is sent. */
  readonly admit?: () => Promise<void>;
}

/** The target as the audit trail names him: an invited admin is not stored before his link may go, so he is named by none. */
interface AuditedTarget {
  readonly target: AdminRecord;
  readonly stored: boolean;
}
const auditedTargetId = ({ target, stored }: AuditedTarget): string | null => (stored ? target.adminId : null);

/**
 * How long a reset claim holds before it lapses: far beyond a function's 10 s deadline (an SES call ends within the
 * SDK budget's 7 s), so only a holder that died leaves one to lapse, and a new reset of that admin waits at most this.
 */
export const RESET_CLAIM_SECONDS = 30;

/**
 * Issues the link's token, emails the link and starts the reset, for a master's reset and the operator's alike.
 *
 * 0. An address suppressed in the company (it bounced for good or complained) is refused before anything is
 *    claimed, taken or sent (ADDRESS_SUPPRESSED), and the refusal is audited.
 * 1. It claims the sending of the target's link (CredentialStore.claimReset), for the credentials it read: of
 *    parallel resets of one admin only the holder goes on, and one that read the admin before another reset
 *    committed is refused too; the others are refused at once (CONCURRENT_CHANGE) and send nothing.
 * 2. `admit` runs under the claim (the master's limits): a refusal releases the claim and sends nothing.
 * 3. The email goes out, and only then is the reset written, ending the claim in the same transaction. A refused
 *    email releases the claim and writes nothing: the password still works and no token exists
 *    (EMAIL_DELIVERY_FAILED). If the write then fails because the admin changed meanwhile, the link that went out
 *    points at a token that was never stored and is simply invalid.
 */
export async function sendResetLink(request: ResetLinkRequest, deps: RequestDeps): Promise<{ sentTo: string; expiresAt: string }> {
  const { target, sentTo } = request;
  await refuseSuppressedAddress(request, deps);
  const now = deps.clock.now();
  const claim: ResetClaim = {
    companyId: target.companyId,
    adminId: target.adminId,
    claimId: deps.random.bytes(16).toString('hex'),
    heldUntil: new Date(now.getTime() + RESET_CLAIM_SECONDS * 1000).toISOString(),
  };
  await persist(deps.credentials.claimReset(claim, target, now));
  const { token, tokenHash } = issueToken(deps.random);
  const expiresAt = addMinutes(now, deps.lifetimes.resetLinkMinutes);
  const next = withResetStarted(target, now.toISOString(), { sentTo, expiresAt });
  const resetToken: ResetToken = {
    tokenHash,
    companyId: target.companyId,
    adminId: target.adminId,
    passwordVersion: next.passwordVersion,
    requestedBy: request.requestedBy,
    sentTo,
    issuedForEmail: target.email,
    purpose: request.purpose,
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
  try {
    await request.admit?.();
    try {
      await deps.mailer.send(sentTo, request.compose(`${deps.publicBaseUrl}/password-reset#token=${token}`, expiresAt), {
        companyId: target.companyId,
        purpose: 'password-reset',
      });
    } catch {
      throw emailDeliveryFailed();
    }
    await persist(deps.credentials.save(target, next, { issueResetToken: resetToken, endResetClaim: claim }, [event]));
  } catch (error) {
    // Nothing was written under the claim (a refused write stores nothing): free the target for the next reset. A
    // write whose outcome is unknown may have ended it already; releasing only this claim is harmless then. The
    // release is best effort: if it fails too (the same outage), the claim lapses by itself, and the answer stays
    // the one the first failure decides.
    await deps.credentials.releaseReset(claim).catch(() => undefined);
    throw error;
  }
  return { sentTo, expiresAt };
}

/**
 * Step 0 of every reset, before the claim: an address whose email bounced for good or complained in this company
 * (registered or typed alike) gets nothing. The refusal is audited on its own, since nothing else is written, and
 * takes no place in any limit.
 */
async function refuseSuppressedAddress(
  request: Omit<ResetLinkRequest, 'compose'>,
  deps: Pick<RequestDeps, 'suppressions' | 'auditLog' | 'clock' | 'random'>,
  stored = true,
): Promise<void> {
  const { target, sentTo } = request;
  const suppression = await deps.suppressions.find(target.companyId, sentTo);
  if (suppression === undefined) return;
  await deps.auditLog.record([
    auditEvent(
      {
        companyId: target.companyId,
        type: 'PASSWORD_RESET_SUPPRESSED',
        outcome: 'failure',
        actorAdminId: request.actorAdminId,
        targetAdminId: auditedTargetId({ target, stored }),
        origin: request.origin,
        details: {
          sentTo,
          destination: sentTo === target.email ? 'registered' : 'typed',
          reason: suppression.reason,
          suppressedAt: suppression.suppressedAt,
          requestedBy: request.requestedBy,
        },
      },
      deps,
    ),
  ]);
  throw addressSuppressed(suppression.reason, suppression.suppressedAt);
}

type MasterResetDeps = RequestDeps & Pick<Dependencies, 'companies' | 'admins' | 'resetLimits' | 'auditLog'>;

/**
 * Takes a place in each limit of the master's reset emails, narrowest first: per target admin, per master, per
 * company (whose maximum may be the operator's setting for it). A full limit gives back the places taken, records
 * PASSWORD_RESET_LIMITED (which limit, and when its window ends) and refuses with TOO_MANY_RESETS and Retry-After.
 * Places taken stay taken once the email was tried, even if SES then refused it: a send that may have gone out counts.
 * An invited admin, not stored yet, has no count of his own: his set-up link takes the master's and the company's.
 * Answers how to give the places back, for a send that is then not tried.
 */
async function takeResetLimits(actor: Actor, audited: AuditedTarget, company: Company, sentTo: string, deps: MasterResetDeps): Promise<() => Promise<void>> {
  const now = deps.clock.now();
  const { target } = audited;
  const { companyId } = target;
  const limits: { limit: ResetLimit; limiter: AttemptLimiter; key: string; max?: number | undefined }[] = [
    ...(audited.stored ? [{ limit: 'target' as const, limiter: deps.resetLimits.perTarget, key: `${companyId}#${target.adminId}` }] : []),
    { limit: 'master', limiter: deps.resetLimits.perMaster, key: `${companyId}#${actor.admin.adminId}` },
    { limit: 'company', limiter: deps.resetLimits.perCompany, key: companyId, max: company.resetsPerDay },
  ];
  const giveBack = (places: typeof limits) => Promise.all(places.map((place) => place.limiter.giveBack(place.key, now))).then(() => undefined);
  const taken: typeof limits = [];
  for (const limit of limits) {
    if (await limit.limiter.take(limit.key, now, limit.max)) {
      taken.push(limit);
      continue;
    }
    await giveBack(taken);
    const retryAfterSeconds = Math.max(1, Math.ceil((limit.limiter.windowEndsAt(now).getTime() - now.getTime()) / 1000));
    await deps.auditLog.record([
      auditEvent(
        {
          companyId,
          type: 'PASSWORD_RESET_LIMITED',
          outcome: 'failure',
          actorAdminId: actor.admin.adminId,
          targetAdminId: auditedTargetId(audited),
          origin: actor.origin,
          details: { limit: limit.limit, sentTo, destination: sentTo === target.email ? 'registered' : 'typed', retryAfterSeconds },
        },
        deps,
      ),
    ]);
    throw tooManyResets(limit.limit, retryAfterSeconds);
  }
  return () => giveBack(taken);
}

/** The seed's [Reset Password] by a master, to the registered address or one he typed, within the reset limits. */
export async function requestPasswordReset(actor: Actor, adminId: string, request: { email?: string | undefined }, deps: MasterResetDeps): Promise<ResetSent> {
  const target = await targetAdmin(actor, adminId, deps.admins);
  if (target.adminId === actor.admin.adminId) {
    throw new DomainError('OWN_ACCOUNT', 'Use "Change password" on your own account (PUT /me/password) to change your own password.');
  }
  if (target.status !== 'active') {
    throw new DomainError('ADMIN_DISABLED', 'This administrator is disabled; a reset link would not let him sign in.');
  }
  const company = await deps.companies.get(target.companyId);
  if (company === undefined) throw adminNotFound();
  const sentTo = normalizeEmail(request.email ?? target.email);
  const sent = await sendResetLink(
    {
      target,
      sentTo,
      purpose: 'reset',
      requestedBy: actor.admin.adminId,
      actorAdminId: actor.admin.adminId,
      origin: actor.origin,
      compose: (link, expiresAt) =>
        passwordResetEmail({
          adminName: target.name,
          masterName: actor.admin.name,
          companyId: company.companyId,
          companyName: company.name,
          email: target.email,
          link,
          expiresAt,
          validMinutes: deps.lifetimes.resetLinkMinutes,
        }),
      admit: async () => void (await takeResetLimits(actor, { target, stored: true }, company, sentTo, deps)),
    },
    deps,
  );
  return { ...sent, destination: sentTo === target.email ? 'registered' : 'typed' };
}

/**
 * A master's invitation: the admin (registered without a known password, see passwordlessAdmin) is stored and
 * emailed a set-up link, the reset link of the operator's set-up of a first master. What can refuse the email is
 * judged before he is stored (a suppressed address, the master's and the company's limits), so a refusal leaves no
 * account behind; only SES failing after that leaves him stored without a link (passwordState `none`), which the
 * answer says, with the way on.
 */
export async function inviteByEmail(
  actor: Actor,
  admin: AdminRecord,
  created: readonly AuditEvent[],
  deps: MasterResetDeps & Pick<Dependencies, 'lifetimes'>,
): Promise<ResetSent> {
  const company = await deps.companies.get(admin.companyId);
  if (company === undefined) throw adminNotFound();
  const request = { target: admin, sentTo: admin.email, purpose: 'set-up' as const, requestedBy: actor.admin.adminId, actorAdminId: actor.admin.adminId, origin: actor.origin };
  await refuseSuppressedAddress(request, deps, false);
  const giveBack = await takeResetLimits(actor, { target: admin, stored: false }, company, admin.email, deps);
  try {
    await persist(deps.admins.create(admin, created), { COMPANY_MISSING: adminNotFound });
  } catch (error) {
    await giveBack();
    throw error;
  }
  try {
    const sent = await sendResetLink(
      {
        ...request,
        compose: (link, expiresAt) =>
          invitationEmail({ adminName: admin.name, email: admin.email, companyId: company.companyId, companyName: company.name, masterName: actor.admin.name, link, expiresAt, validMinutes: deps.lifetimes.resetLinkMinutes }),
      },
      deps,
    );
    return { ...sent, destination: 'registered' };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    throw new DomainError(
      error.code,
      `${admin.name} was registered, but the set-up email could not be sent. Open his Edit screen to send a link with [Reset Password], or to set a temporary password with [Change Password].`,
    );
  }
}

interface LiveLink {
  readonly token: ResetToken;
  readonly admin: AdminRecord;
  readonly company: Company;
}

type LinkDeps = Pick<Dependencies, 'companies' | 'admins' | 'resetTokens' | 'resetAttempts' | 'auditLog' | 'clock' | 'random'>;

/** The rules a genuine, unexpired link must still keep, named as the refusals of the completion's transaction. */
type LinkRule = Extract<WriteRefusal, 'REQUESTER_NOT_MASTER' | 'EMAIL_CHANGED'>;
const LINK_RULES: readonly LinkRule[] = ['REQUESTER_NOT_MASTER', 'EMAIL_CHANGED'];

/** Where a link was refused: opened on the Password Change Screen, or used to set the password. */
type LinkStage = 'verify' | 'complete';

/**
 * A link issued for someone else lives only while its sender may still send it and its target still holds the
 * address it was issued under: the master who asked is still an active master of the company (the operator's links
 * are exempt) and the admin's registered email is still the one he had then, whatever address the link went to.
 * Read here so the screen never offers a dead link; held at completion by the same conditions on the stored state.
 */
async function brokenRule(token: ResetToken, admin: AdminRecord, deps: Pick<LinkDeps, 'admins'>): Promise<LinkRule | undefined> {
  if (token.requestedBy !== OPERATOR_REQUESTER) {
    const requester = await deps.admins.get(token.companyId, token.requestedBy);
    if (requester === undefined || !isActiveMaster(requester)) return 'REQUESTER_NOT_MASTER';
  }
  return admin.email === token.issuedForEmail ? undefined : 'EMAIL_CHANGED';
}

/** The same rules as conditions of the completion's transaction (see brokenRule). */
const linkConditions = (token: ResetToken): Pick<CredentialParts, 'requireActiveMaster' | 'requireEmail'> => ({
  requireEmail: token.issuedForEmail,
  ...(token.requestedBy === OPERATOR_REQUESTER ? {} : { requireActiveMaster: { companyId: token.companyId, adminId: token.requestedBy } }),
});

/** The audit event of a link refused by one of its rules; stored on its own, since nothing else is written. */
const refusedEvent = (token: ResetToken, reason: LinkRule, stage: LinkStage, origin: Origin, deps: Pick<LinkDeps, 'clock' | 'random'>) =>
  auditEvent(
    {
      companyId: token.companyId,
      type: 'PASSWORD_RESET_REFUSED',
      outcome: 'failure',
      actorAdminId: null,
      targetAdminId: token.adminId,
      origin,
      details: { reason, stage, requestedBy: token.requestedBy, sentTo: token.sentTo },
    },
    deps,
  );

/**
 * The link's token, its admin and company, if the link is live: stored, of this kind, not expired by the clock
 * (DynamoDB TTL deletes late), not superseded (a newer reset or any password write moves the version on), and its
 * rules kept (brokenRule; a broken one is audited). Every other case is one answer, RESET_LINK_INVALID, and counts
 * as a miss of the client (see `miss`).
 */
async function liveLink(token: string, origin: Origin, stage: LinkStage, deps: LinkDeps): Promise<LiveLink> {
  const now = deps.clock.now();
  const stored = TOKEN_PATTERN.test(token) ? await deps.resetTokens.get(hashToken(token)) : undefined;
  const admin = stored && !hasExpired(stored.expiresAt, now) ? await deps.admins.get(stored.companyId, stored.adminId) : undefined;
  const live = stored !== undefined && admin !== undefined && admin.status === 'active' && admin.passwordVersion === stored.passwordVersion;
  const company = live ? await deps.companies.get(admin.companyId) : undefined;
  if (!live || company === undefined) throw await miss(origin, now, deps);
  const broken = await brokenRule(stored, admin, deps);
  if (broken !== undefined) {
    await deps.auditLog.record([refusedEvent(stored, broken, stage, origin, deps)]);
    throw await miss(origin, now, deps);
  }
  return { token: stored, admin, company };
}

/**
 * A link that is not live counts as a miss of the client, in one conditional increment of its window's count: once
 * the window is full the answer is 429 instead of 410. A live link is never refused by it, so a few mistyped links
 * behind one office's address cannot keep its people's real links from working.
 */
async function miss(origin: Origin, now: Date, deps: Pick<LinkDeps, 'resetAttempts'>): Promise<DomainError> {
  const counted = await deps.resetAttempts.take(origin.sourceIp ?? 'unknown', now);
  return counted ? resetLinkInvalid() : tooManyAttempts((deps.resetAttempts.windowEndsAt(now).getTime() - now.getTime()) / 1000);
}

export interface ResetLinkDetails {
  readonly purpose: LinkPurpose;
  readonly email: string;
  readonly companyId: string;
  readonly companyName: string;
  readonly expiresAt: string;
  readonly passwordPolicy: PolicyDescription;
}

/** What the Password Change Screen shows for a live link. */
export async function verifyPasswordReset(token: string, origin: Origin, deps: LinkDeps): Promise<ResetLinkDetails> {
  const { admin, company, token: stored } = await liveLink(token, origin, 'verify', deps);
  return {
    purpose: stored.purpose ?? 'reset',
    email: admin.email,
    companyId: company.companyId,
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
  deps: LinkDeps & Pick<Dependencies, 'credentials' | 'hasher' | 'guessability' | 'breachedPasswords' | 'random'>,
): Promise<AdminRecord> {
  const { admin, token, company } = await liveLink(completion.token, origin, 'complete', deps);
  if (normalizePassword(completion.newPassword) !== normalizePassword(completion.confirmPassword)) {
    throw new DomainError('PASSWORD_MISMATCH', 'The two passwords are not the same. Type the new password again in both fields.', [
      { field: 'confirmPassword', code: 'PASSWORD_MISMATCH', message: 'Type the same password as in "New password".' },
    ]);
  }
  await assertAcceptablePassword(completion.newPassword, admin, { policy: { company, policy: policyOf(company) }, field: 'newPassword', hasher: deps.hasher, guessability: deps.guessability, breachedPasswords: deps.breachedPasswords });
  const next = withNewPassword(admin, await hashedPassword(completion.newPassword, 'permanent', deps.hasher), { now: deps.clock.now().toISOString(), revokeSessions: true });
  // Of parallel completions, the one whose transaction uses up the token sets its password; the others are told the
  // link is no longer valid, and none of their passwords is stored. The link's rules are conditions of the same
  // transaction, so a master disabled or an address changed after the read above still stops it.
  const write = deps.credentials.save(admin, next, { consumeToken: token.tokenHash, restartAttempts: true, ...linkConditions(token) }, [
    auditEvent(
      { companyId: admin.companyId, type: 'PASSWORD_RESET_COMPLETED', actorAdminId: null, targetAdminId: admin.adminId, origin, details: { requestedBy: token.requestedBy } },
      deps,
    ),
  ]);
  await persist(auditRuleRefusal(write, token, origin, deps), {
    PASSWORD_MOVED: resetLinkInvalid,
    TOKEN_USED: resetLinkInvalid,
    REQUESTER_NOT_MASTER: resetLinkInvalid,
    EMAIL_CHANGED: resetLinkInvalid,
  });
  return admin;
}

/** Passes a completion's outcome on, first recording the refusal when the transaction refused it for a broken rule. */
async function auditRuleRefusal(write: Promise<void>, token: ResetToken, origin: Origin, deps: Pick<LinkDeps, 'auditLog' | 'clock' | 'random'>): Promise<void> {
  const refused = await refusalOf(write);
  if (refused === undefined) return;
  const rule = LINK_RULES.find((candidate) => refused.has(candidate));
  if (rule !== undefined) await deps.auditLog.record([refusedEvent(token, rule, 'complete', origin, deps)]);
  throw refused;
}
