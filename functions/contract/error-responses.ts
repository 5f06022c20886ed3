// Contract: which error codes each route can answer, with which status, and what each code means. Derived from the
// route table's `errors` and from what the route's pipeline does (functions/http/pipeline.ts, session-pipeline.ts,
// idempotency.ts); the statuses come from the one mapping in functions/http/error-status.ts. The OpenAPI document
// declares exactly these, and the integration tests hold every answer to them.
import type { ErrorCode } from '../domain/errors';
import { GATEWAY_STATUS_OF, STATUS_OF, type GatewayErrorCode } from '../http/error-status';
import type { RouteDefinition } from './routes';

/** Any code a client can read in an error envelope: the functions' and the gateway's own. */
export type AnyErrorCode = ErrorCode | GatewayErrorCode;

/** What each code tells the client, as the document's response descriptions say it. */
export const ERROR_CODE_MEANINGS: Readonly<Record<AnyErrorCode, string>> = {
  INVALID_CREDENTIALS: 'The company, email address or password is incorrect, or the account cannot sign in; one answer for every case.',
  CHALLENGE_INVALID: 'The challenge token expired or was already used: sign in again.',
  UNAUTHENTICATED: 'The session is missing, expired or revoked: sign in again.',
  FORBIDDEN: 'Only a master administrator may do this.',
  CHANGE_OWN_PASSWORD_NOT_PERMITTED: 'This general administrator may not change his own password: ask the master administrator.',
  CURRENT_PASSWORD_INCORRECT: 'The current password is wrong.',
  PASSWORD_POLICY_VIOLATION: "The new password breaks the company's password policy; `details` lists each broken rule.",
  OWN_ACCOUNT: "A master cannot do this to his own account (he changes his own password with PUT /me/password).",
  FEATURE_NOT_ENABLED: 'The service operator has not enabled this setting for the company.',
  OPERATOR_SETTING: 'Only the service operator can change this setting.',
  ADMIN_DISABLED: 'The administrator is disabled.',
  RESET_LINK_INVALID: 'The reset link is unknown, expired, used or superseded: ask the master administrator for a new one.',
  PASSWORD_MISMATCH: 'The new password and its confirmation differ.',
  TOO_MANY_ATTEMPTS: 'Too many invalid links from this network; Retry-After says when to try again.',
  TOO_MANY_RESETS: 'A limit of reset emails was reached; nothing was sent or changed. Retry-After says when the limit lifts.',
  EMAIL_DELIVERY_FAILED: 'The email could not be sent, so nothing was changed.',
  ADDRESS_SUPPRESSED: "Email to this address bounced permanently or was marked as spam, so no reset email goes to it; nothing was sent or changed. A master clears it from the company's suppressed addresses.",
  SUPPRESSION_NOT_FOUND: 'This address is not suppressed in the company; nothing was changed.',
  ADMIN_NOT_FOUND: 'There is no administrator with this id in your company.',
  EMAIL_TAKEN: 'Another administrator of the company already uses this email address.',
  LAST_MASTER: 'This would leave the company without an active master administrator.',
  CONCURRENT_CHANGE: 'Another request changed the same password or administrator at the same moment, so nothing was changed; reload and try again.',
  PRECONDITION_FAILED: 'If-Match does not name the current version: someone changed the resource since you read it.',
  PRECONDITION_REQUIRED: 'Send If-Match with the ETag you read.',
  VALIDATION_FAILED: 'A field, parameter or header is invalid; `details` names each field (not when API Gateway refused the body).',
  MALFORMED_JSON: 'The body is not valid JSON, or holds a `__proto__` key.',
  UNSUPPORTED_MEDIA_TYPE: 'The body must be sent with Content-Type: application/json.',
  PAYLOAD_TOO_LARGE: 'The request body is larger than 16 KB.',
  ROUTE_NOT_FOUND: 'No operation has this path.',
  METHOD_NOT_ALLOWED: 'The path exists but not with this method; Allow lists its methods.',
  IDEMPOTENCY_KEY_REUSED: 'This Idempotency-Key was used with a different request.',
  IDEMPOTENCY_IN_PROGRESS: 'The first request with this Idempotency-Key is still running; retry after Retry-After seconds.',
  INTERNAL: 'Something went wrong on the service side; nothing was changed.',
  SERVICE_BUSY: 'The service was too busy to finish; nothing was changed. Retry after Retry-After seconds.',
  OUTCOME_UNKNOWN: 'The service did not finish in time and the change may have been applied: check before retrying (a retry with the same Idempotency-Key is safe).',
  TOO_MANY_REQUESTS: 'API Gateway throttled the request, or the firewall limited this address; nothing reached the service.',
  REQUEST_BLOCKED: "A rule of the firewall blocked the request; nothing reached the service.",
  REQUEST_REFUSED: 'API Gateway refused the request before it reached the service.',
};

const isSessionRoute = (route: RouteDefinition): boolean => route.access === 'session' || route.access === 'master';
const writes = (route: RouteDefinition): boolean => Object.values(route.tables).includes('write');

/**
 * The codes a route's function can answer: its own (`errors` in the route table) and those of the pipeline it runs
 * in, read off the route's other fields. In order of status, then as declared.
 */
export function functionErrorCodesOf(route: RouteDefinition): readonly ErrorCode[] {
  const codes = new Set<ErrorCode>(route.errors ?? []);
  // The size guard runs on every route, before anything is parsed.
  codes.add('PAYLOAD_TOO_LARGE');
  if (route.body !== undefined) {
    codes.add('MALFORMED_JSON');
    codes.add('UNSUPPORTED_MEDIA_TYPE');
  }
  // A key route validates the Idempotency-Key header too.
  if (route.body !== undefined || route.query !== undefined || route.params !== undefined || route.idempotency === 'key') codes.add('VALIDATION_FAILED');
  if (isSessionRoute(route)) codes.add('UNAUTHENTICATED');
  if (route.access === 'master') codes.add('FORBIDDEN');
  if (route.idempotency === 'key') {
    codes.add('IDEMPOTENCY_KEY_REUSED');
    codes.add('IDEMPOTENCY_IN_PROGRESS');
  }
  // An unfinished request (see pipeline.ts, unfinishedReply): OUTCOME_UNKNOWN only where something may have been written.
  codes.add('INTERNAL');
  codes.add('SERVICE_BUSY');
  if (writes(route)) codes.add('OUTCOME_UNKNOWN');
  return [...codes].sort((a, b) => STATUS_OF[a] - STATUS_OF[b]);
}

/**
 * The codes the deployed gateway can answer on a route with a fixed status, before its function runs: throttling
 * and the firewall's rules on every route, and the body model's verdict where there is a body. (Its 413 is
 * PAYLOAD_TOO_LARGE, which every route's function answers too.)
 */
export function gatewayErrorCodesOf(route: RouteDefinition): readonly (ErrorCode | keyof typeof GATEWAY_STATUS_OF)[] {
  return ['REQUEST_BLOCKED', 'TOO_MANY_REQUESTS', ...(route.body !== undefined ? (['VALIDATION_FAILED'] as const) : []), 'PAYLOAD_TOO_LARGE'];
}

export const statusOfCode = (code: ErrorCode | keyof typeof GATEWAY_STATUS_OF): number =>
  code in GATEWAY_STATUS_OF ? GATEWAY_STATUS_OF[code as keyof typeof GATEWAY_STATUS_OF] : STATUS_OF[code as ErrorCode];

/** Every error status of a route with the codes it can carry there, function and gateway together, by status. */
export function errorCodesByStatus(route: RouteDefinition): ReadonlyMap<number, readonly AnyErrorCode[]> {
  const byStatus = new Map<number, AnyErrorCode[]>();
  for (const code of [...functionErrorCodesOf(route), ...gatewayErrorCodesOf(route)]) {
    const status = statusOfCode(code);
    const codes = byStatus.get(status) ?? [];
    if (!codes.includes(code)) codes.push(code);
    byStatus.set(status, codes);
  }
  return new Map([...byStatus.entries()].sort(([a], [b]) => a - b));
}
