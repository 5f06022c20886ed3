// HTTP adapter: the one place where a domain error code becomes an HTTP status.
import type { ErrorCode } from '../domain/errors';

export const STATUS_OF: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_FAILED: 400,
  MALFORMED_JSON: 400,
  CURRENT_PASSWORD_INCORRECT: 400,
  OWN_ACCOUNT: 400,
  PASSWORD_MISMATCH: 400,
  INVALID_CREDENTIALS: 401,
  CHALLENGE_INVALID: 401,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CHANGE_OWN_PASSWORD_NOT_PERMITTED: 403,
  FEATURE_NOT_ENABLED: 403,
  OPERATOR_SETTING: 403,
  ADMIN_NOT_FOUND: 404,
  ROUTE_NOT_FOUND: 404,
  METHOD_NOT_ALLOWED: 405,
  EMAIL_TAKEN: 409,
  LAST_MASTER: 409,
  CONCURRENT_CHANGE: 409,
  ADMIN_DISABLED: 409,
  IDEMPOTENCY_IN_PROGRESS: 409,
  RESET_LINK_INVALID: 410,
  PRECONDITION_FAILED: 412,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  PASSWORD_POLICY_VIOLATION: 422,
  IDEMPOTENCY_KEY_REUSED: 422,
  PRECONDITION_REQUIRED: 428,
  TOO_MANY_ATTEMPTS: 429,
  TOO_MANY_RESETS: 429,
  INTERNAL: 500,
  EMAIL_DELIVERY_FAILED: 502,
  SERVICE_BUSY: 503,
  OUTCOME_UNKNOWN: 503,
  ADDRESS_SUPPRESSED: 409,
  SUPPRESSION_NOT_FOUND: 404,
};

/**
 * The codes API Gateway and the firewall answer with themselves, before any function runs (lib/api.ts,
 * lib/api-firewall.ts), with their fixed statuses. Any other refusal of the gateway is REQUEST_REFUSED (a 4xx), and
 * any failure of its own or of a function (a 5xx, whatever status API Gateway chose) is OUTCOME_UNKNOWN.
 */
export const GATEWAY_STATUS_OF = {
  /** The stage's throttling, or the firewall's rate limit on the credential paths. */
  TOO_MANY_REQUESTS: 429,
  /** A rule of the firewall's managed rule set. */
  REQUEST_BLOCKED: 403,
} as const satisfies Readonly<Record<string, number>>;

export type GatewayErrorCode = keyof typeof GATEWAY_STATUS_OF | 'REQUEST_REFUSED';
