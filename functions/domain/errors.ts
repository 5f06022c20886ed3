// Domain layer: the typed errors every use case throws. The HTTP status of each code is decided in one place,
// functions/http/error-status.ts; nothing here knows about HTTP.
import type { SuppressionReason } from './delivery';

/** One reason attached to an error, such as one broken password rule or one invalid field. */
export interface ErrorDetail {
  readonly code: string;
  readonly message: string;
  /** The request field the detail concerns, as a dotted path, when there is one. */
  readonly field?: string;
}

/** Every error code a client can see. Stable: clients switch on them. */
export type ErrorCode =
  | 'INVALID_CREDENTIALS'
  | 'CHALLENGE_INVALID'
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CHANGE_OWN_PASSWORD_NOT_PERMITTED'
  | 'CURRENT_PASSWORD_INCORRECT'
  | 'PASSWORD_POLICY_VIOLATION'
  | 'OWN_ACCOUNT'
  | 'FEATURE_NOT_ENABLED'
  | 'OPERATOR_SETTING'
  | 'ADMIN_DISABLED'
  | 'RESET_LINK_INVALID'
  | 'PASSWORD_MISMATCH'
  | 'TOO_MANY_ATTEMPTS'
  | 'TOO_MANY_RESETS'
  | 'EMAIL_DELIVERY_FAILED'
  | 'ADMIN_NOT_FOUND'
  | 'EMAIL_TAKEN'
  | 'LAST_MASTER'
  | 'CONCURRENT_CHANGE'
  | 'PRECONDITION_FAILED'
  | 'PRECONDITION_REQUIRED'
  | 'VALIDATION_FAILED'
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'PAYLOAD_TOO_LARGE'
  | 'ROUTE_NOT_FOUND'
  | 'METHOD_NOT_ALLOWED'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'IDEMPOTENCY_IN_PROGRESS'
  | 'INTERNAL'
  | 'SERVICE_BUSY'
  | 'OUTCOME_UNKNOWN'
  | 'ADDRESS_SUPPRESSED'
  | 'SUPPRESSION_NOT_FOUND';

/** What an error says beyond its code and message, in terms the HTTP adapter maps (never HTTP itself). */
export interface ErrorHints {
  /** Whole seconds after which the same request may succeed (a rate limit's window ends then): sent as Retry-After. */
  readonly retryAfterSeconds?: number;
  /** The operations (methods) the requested path does offer, when it was another one that was asked: sent as Allow. */
  readonly allowedMethods?: readonly string[];
}

/** An expected failure, with a message written for the person who will read it. */
export class DomainError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: readonly ErrorDetail[],
    readonly hints: ErrorHints = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

/**
 * The one answer to every failed sign-in: unknown company or email, wrong password, disabled account,
 * expired temporary password. A single frozen message keeps the response body byte-identical.
 */
export const invalidCredentials = (): DomainError =>
  new DomainError('INVALID_CREDENTIALS', 'The company, email address or password is incorrect.');

export const unauthenticated = (): DomainError =>
  new DomainError('UNAUTHENTICATED', 'Sign in to continue: the session is missing, expired or revoked.');

export const forbidden = (): DomainError =>
  new DomainError('FORBIDDEN', 'Only a master administrator may do this.');

/** Another company's admin and a missing admin look the same, so ids of other tenants cannot be probed. */
export const adminNotFound = (): DomainError =>
  new DomainError('ADMIN_NOT_FOUND', 'There is no administrator with this id in your company.');

export const emailTaken = (): DomainError =>
  new DomainError('EMAIL_TAKEN', 'Another administrator of your company already uses this email address.');

export const lastMaster = (): DomainError =>
  new DomainError(
    'LAST_MASTER',
    'This would leave the company without an active master administrator. Make another administrator a master first.',
  );

export const staleVersion = (): DomainError =>
  new DomainError('PRECONDITION_FAILED', 'The administrator was changed by someone else since you loaded it. Reload and try again.');

export const concurrentChange = (): DomainError =>
  new DomainError('CONCURRENT_CHANGE', 'The password was changed by another request at the same moment. Reload and try again.');

/** A change decided again on fresh reads kept meeting other writes of the same record; this one wrote nothing. */
export const keptChanging = (): DomainError =>
  new DomainError('CONCURRENT_CHANGE', 'Other requests kept changing this administrator at the same moment, so nothing was changed. Reload and try again.');

/** Another request is sending this admin's reset link right now; this one sent and changed nothing. */
export const resetInProgress = (): DomainError =>
  new DomainError('CONCURRENT_CHANGE', 'A password reset of this administrator is being sent by another request at this moment. Nothing was sent; reload and check the audit log before trying again.');

export const challengeInvalid = (): DomainError =>
  new DomainError('CHALLENGE_INVALID', 'This sign-in step has expired or was already used. Sign in again.');

export const passwordPolicyViolation = (details: readonly ErrorDetail[]): DomainError =>
  new DomainError('PASSWORD_POLICY_VIOLATION', 'The new password does not meet the password policy.', details);

export const resetLinkInvalid = (): DomainError =>
  new DomainError(
    'RESET_LINK_INVALID',
    'This password reset link is not valid: it has expired, was already used or was replaced by a newer one. Ask your master administrator to send you a new link.',
  );

/** Too many misses from one client; Retry-After is when its window of misses ends. */
export const tooManyAttempts = (retryAfterSeconds: number): DomainError =>
  new DomainError('TOO_MANY_ATTEMPTS', 'Too many invalid links were tried from this network. Wait a few minutes, then open the link again.', undefined, {
    retryAfterSeconds,
  });

/** Which reset limit a request met (the audit event names it too). */
export type ResetLimit = 'master' | 'target' | 'company';

const RESET_LIMIT_SENTENCES: Record<ResetLimit, string> = {
  master: 'You have sent as many password reset emails as one master administrator may in an hour.',
  target: 'This administrator has been sent as many password reset emails as one administrator may get in an hour.',
  company: 'Your company has sent as many password reset emails as it may in a day.',
};

/** A reset refused by one of its limits, before anything was sent; Retry-After is when that limit's window ends. */
export const tooManyResets = (limit: ResetLimit, retryAfterSeconds: number): DomainError =>
  new DomainError('TOO_MANY_RESETS', `${RESET_LIMIT_SENTENCES[limit]} Nothing was sent or changed; try again later.`, undefined, { retryAfterSeconds });

export const emailDeliveryFailed = (): DomainError =>
  new DomainError('EMAIL_DELIVERY_FAILED', 'The email could not be sent, so nothing was reset: the password still works. Check the address and try again.');

/** A reset to an address that bounced for good or complained in this company; nothing was claimed or sent. */
export const addressSuppressed = (reason: SuppressionReason, since: string): DomainError =>
  new DomainError(
    'ADDRESS_SUPPRESSED',
    (reason === 'bounce'
      ? `Email to this address bounced permanently on ${since.slice(0, 10)}, so no reset email goes to it. `
      : `The owner of this address marked an email from us as spam on ${since.slice(0, 10)}, so no reset email goes to it. `) +
      "Nothing was sent or changed. Check the address, or, once it works again, clear it from the company's suppressed addresses and try again.",
  );

export const suppressionNotFound = (): DomainError =>
  new DomainError('SUPPRESSION_NOT_FOUND', 'This address is not suppressed in your company; nothing was changed.');

export const routeNotFound = (): DomainError => new DomainError('ROUTE_NOT_FOUND', 'There is no such operation. GET /openapi.json lists them all.');

/** The path exists, with other methods than the one asked. */
export const methodNotAllowed = (method: string, allowedMethods: readonly string[]): DomainError =>
  new DomainError('METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allowedMethods.join(' or ')}.`, undefined, { allowedMethods });
