// Contract: the Idempotency-Key request header, as the wrapper in functions/http/idempotency.ts enforces it and the
// OpenAPI document describes it. Kept apart from that wrapper so the document carries no SDK.

/** The header's name as documented; the header normalizer hands it to handlers lower-cased. */
export const IDEMPOTENCY_KEY_HEADER = 'Idempotency-Key';
/** 1 to 128 characters a client can generate and log safely: a UUID, a ULID, or its own `order-42:retry`. */
export const IDEMPOTENCY_KEY_PATTERN = /^[A-Za-z0-9_:.-]{1,128}$/;
/**
 * How long a first answer is replayed: 24 hours covers a client's retries after any timeout or outage it can sit
 * through, and no longer, since the answer (an admin as he was) goes stale. Equal to a reset link's lifetime, so a
 * retried reset request never sends a second link while the first still works.
 */
export const IDEMPOTENCY_EXPIRY_SECONDS = 24 * 60 * 60;

export const IDEMPOTENCY_KEY_DESCRIPTION =
  'Optional. A key of your choosing (1 to 128 of A-Z a-z 0-9 - _ : .; a UUID is best) that makes a retry safe. ' +
  'A retry with the same key and the same request, by the same caller, gets the first answer again (with ' +
  '`Idempotent-Replayed: true`) and nothing is done twice; the same key with another request is 422 ' +
  '`IDEMPOTENCY_KEY_REUSED`; a retry while the first is still running is 409 `IDEMPOTENCY_IN_PROGRESS` with ' +
  '`Retry-After`. An error answer is not kept (a retry runs again), except 503 `OUTCOME_UNKNOWN`, which a retry ' +
  'with the same key gets again: check the result, then use a new key. Keys are kept 24 hours.';
