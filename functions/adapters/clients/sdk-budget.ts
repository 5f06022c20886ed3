// Adapter: the time budget of a request, in one place. The function's timeout (lib/api-function.ts, and the local
// server's Lambda context), the deadline the pipeline answers by, and the timeouts and retries of every AWS SDK
// client are all derived from these numbers, so a stuck AWS call ends well before Lambda would kill the function.

/** The Lambda function's timeout: what Lambda gives an invocation before it kills it. */
export const FUNCTION_TIMEOUT_MS = 10_000;

/**
 * The pipeline answers this long before the function's deadline, whatever is still running: enough for the reply
 * and its log line to get out even when the event loop is busy with a bcrypt slice (at most ~100 ms each).
 */
export const ANSWER_MARGIN_MS = 1_000;

/** Opening a TCP/TLS connection to an AWS endpoint; in-region this takes tens of milliseconds. */
export const SDK_CONNECTION_TIMEOUT_MS = 1_000;

/**
 * One attempt of one SDK call, from its start to the last byte of the answer (the timer starts with the request, so
 * it includes the connection). DynamoDB answers in milliseconds and SES in a few hundred; a frozen service does not.
 */
export const SDK_REQUEST_TIMEOUT_MS = 2_000;

/** Attempts per SDK call: the first and one retry, under the SDK's standard retry strategy. */
export const SDK_MAX_ATTEMPTS = 2;

/**
 * The longest wait before that retry: the standard strategy waits a random time below its base, 50 ms for a
 * transient error and 1 s for throttling (checked against the installed SDK in test/adapters/sdk-budget.test.ts).
 */
export const SDK_MAX_BACKOFF_MS = 1_000;

/** Room kept for CPU work of a request that hashes: one cost-12 bcrypt on 1024 MB takes under a second. */
export const PASSWORD_HASH_ROOM_MS = 1_500;

/** The longest one SDK call can take before it fails: every attempt timing out, plus the backoff between them. */
export const SDK_CALL_WORST_CASE_MS =
  SDK_MAX_ATTEMPTS * (SDK_CONNECTION_TIMEOUT_MS + SDK_REQUEST_TIMEOUT_MS) + (SDK_MAX_ATTEMPTS - 1) * SDK_MAX_BACKOFF_MS;

/**
 * One breached-password lookup (Pwned Passwords' range API, where a deployment turns it on), from the request to the
 * last byte; it answers in tens of milliseconds from a CDN edge. It runs at most twice per password set (typed and
 * normalized form, in parallel), after the other rules, and a lookup that runs out counts as no answer (fail-open).
 * `PWNED_PASSWORDS_TIMEOUT_MS` sets it, from 100 ms to 3 s. It is not part of the worst case above: a request whose
 * lookup runs out while an AWS call also hangs is answered by the pipeline's deadline, as any other late request.
 */
export const BREACH_LOOKUP_TIMEOUT_MS = 1_500;
export const BREACH_LOOKUP_MIN_TIMEOUT_MS = 100;
export const BREACH_LOOKUP_MAX_TIMEOUT_MS = 3_000;

/** Seconds a client should wait before retrying after a 503 (the Retry-After header). */
export const RETRY_AFTER_SECONDS = 5;

/** The configuration every SDK client of the functions is built with: bounded attempts, each bounded in time. */
export const sdkClientBudget = {
  maxAttempts: SDK_MAX_ATTEMPTS,
  retryMode: 'standard',
  requestHandler: {
    connectionTimeout: SDK_CONNECTION_TIMEOUT_MS,
    requestTimeout: SDK_REQUEST_TIMEOUT_MS,
    // Without this the SDK only logs a warning when requestTimeout passes, and the request goes on waiting.
    throwOnRequestTimeout: true,
  },
} as const;
