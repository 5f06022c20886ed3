// HTTP adapter: safe retries. A route whose table entry says `idempotency: 'key'` accepts an Idempotency-Key header;
// its first answer is kept by Powertools' idempotency utility in the idempotency table and replayed to a retry.
// It wraps the core (the handler does: `sessionHandler(route, idempotent(route, core))`), so it runs after the
// session check and the request validation and stores the core's reply.
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { IdempotencyAlreadyInProgressError, IdempotencyConfig, IdempotencyValidationError, makeIdempotent } from '@aws-lambda-powertools/idempotency';
import { DynamoDBPersistenceLayer } from '@aws-lambda-powertools/idempotency/dynamodb';
import type { Context } from 'aws-lambda';
import { createHash, createHmac } from 'node:crypto';
import { dynamoDb } from '../adapters/clients/dynamodb';
import { requireTable } from '../config';
import { IDEMPOTENCY_EXPIRY_SECONDS, IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from '../contract/idempotency-key';
import type { RouteDefinition } from '../contract/routes';
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors';
import type { Actor } from '../use-cases/actor';
import type { ParsedRequest } from './pipeline';
import type { Reply } from './responses';

/** The hint sent with 409 IDEMPOTENCY_IN_PROGRESS: a first request takes about a second (one bcrypt hash at most). */
export const IN_PROGRESS_RETRY_AFTER_SECONDS = 2;
/** A header on every replayed answer, so a client can tell a replay from a fresh act. */
export const REPLAYED_HEADER = 'Idempotent-Replayed';

/**
 * Errors whose outcome is unknown (a write may have committed): the record is kept with the error as the answer, so
 * a retry with the same key sees the same 503 and can never act twice. Any other error deletes the record
 * (Powertools' default), so a refused or failed request can be retried with the same key and runs again.
 */
const OUTCOME_UNKNOWN_CODES: ReadonlySet<string> = new Set(['OUTCOME_UNKNOWN']);

/** What Powertools hashes: `scope` becomes the record's id, `fingerprint` the stored payload hash. */
interface IdempotentPayload {
  readonly scope: { readonly operation: string; readonly caller: string; readonly key: string };
  readonly fingerprint: string;
}

/** What is stored as the record's answer: the core's reply, or an error whose outcome is unknown. */
type StoredAnswer =
  | { readonly reply: StoredReply; readonly replayed?: boolean }
  | { readonly error: { readonly code: string; readonly message: string; readonly details?: readonly ErrorDetail[] }; readonly replayed?: boolean };

const sha256 = (text: string): string => createHash('sha256').update(text, 'utf8').digest('hex');

/** JSON with object keys sorted, so one body always has one fingerprint. */
function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(([, field]) => field !== undefined);
    return `{${entries.sort(([a], [b]) => (a < b ? -1 : 1)).map(([name, field]) => `${JSON.stringify(name)}:${canonicalJson(field)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/**
 * Who the key belongs to. A session route: the company and admin of the verified session (never the token, which
 * changes at every sign-in); a reset-link route: the link, as the SHA-256 the tokens table keys it by; otherwise
 * anyone. One company's key therefore never reaches another company's record.
 */
function callerOf(route: RouteDefinition, request: ParsedRequest<RouteDefinition> & { actor?: Actor }): string {
  if (request.actor !== undefined) return `company:${request.actor.admin.companyId}/admin:${request.actor.admin.adminId}`;
  const token = (request.body as { token?: unknown } | undefined)?.token;
  if (route.access === 'reset-link' && typeof token === 'string') return `link:${sha256(token)}`;
  return 'anyone';
}

/**
 * The request's identity for "same key, same body": path, query, body and If-Match, as an HMAC keyed by the scope
 * and the client's key. Bodies hold passwords, and a plain hash of one would be a fast guessing target at rest; the
 * key itself is never stored (only a hash of the scope), so the fingerprint cannot be tested without it.
 */
function fingerprintOf(scope: IdempotentPayload['scope'], request: ParsedRequest<RouteDefinition>): string {
  const parts = { params: request.params, query: request.query, body: request.body, ifMatch: request.headers['if-match'] ?? null };
  return createHmac('sha256', canonicalJson(scope)).update(canonicalJson(parts), 'utf8').digest('base64');
}

const invalidKey = (): DomainError =>
  new DomainError('VALIDATION_FAILED', 'The request headers are not valid.', [
    { field: IDEMPOTENCY_KEY_HEADER, code: 'INVALID', message: 'Idempotency-Key must be 1 to 128 letters, digits, or - _ : .' },
  ]);

const keyReused = (): DomainError =>
  new DomainError(
    'IDEMPOTENCY_KEY_REUSED',
    'This Idempotency-Key was already used with a different request. Send a new key for a new request.',
  );

// Retry-After goes with it: the pipeline maps the hint to the header, as for any error.
const inProgress = (): DomainError =>
  new DomainError(
    'IDEMPOTENCY_IN_PROGRESS',
    'A request with this Idempotency-Key is still being processed. Retry after a moment to get its answer.',
    undefined,
    { retryAfterSeconds: IN_PROGRESS_RETRY_AFTER_SECONDS },
  );

/**
 * The reply as stored: the body as its JSON text, since a DynamoDB map does not keep the order of its fields and a
 * replay must be byte for byte the first answer.
 */
interface StoredReply {
  readonly statusCode: number;
  readonly headers?: Readonly<Record<string, string>>;
  readonly json?: string;
  readonly page?: string;
}

const toStored = ({ statusCode, headers, body, page }: Reply): StoredReply => ({
  statusCode,
  ...(headers ? { headers } : {}),
  ...(body !== undefined ? { json: JSON.stringify(body) } : {}),
  ...(page !== undefined ? { page } : {}),
});

const fromStored = ({ statusCode, headers, json, page }: StoredReply): Reply => ({
  statusCode,
  ...(headers ? { headers } : {}),
  ...(json !== undefined ? { body: JSON.parse(json) as unknown } : {}),
  ...(page !== undefined ? { page } : {}),
});

declare const replaysRetries: unique symbol;

/**
 * A core wrapped by `idempotent`. A route whose table entry says `idempotency: 'key'` takes only such a core
 * (CoreOf in pipeline.ts), so no such route can leave the wrapping out; only these routes' bundles carry Powertools'
 * idempotency utility, which a session function's cold start would otherwise pay for.
 */
export type Idempotent<Core> = Core & { readonly [replaysRetries]: true };

/**
 * Wraps a route's core so that a request with an Idempotency-Key acts once: a retry with the same key and body gets
 * the first answer (with `Idempotent-Replayed: true`), the same key with another body 422, a retry while the first
 * runs 409 with Retry-After. Without the header, or on a route that is not `key`, the core runs as it is.
 */
export function idempotent<Request extends ParsedRequest<RouteDefinition>, Answer extends Reply>(
  route: RouteDefinition,
  core: (request: Request) => Promise<Answer>,
): Idempotent<(request: Request, context?: Context) => Promise<Answer>> {
  type Wrapped = Idempotent<(request: Request, context?: Context) => Promise<Answer>>;
  if (route.idempotency !== 'key') return core as Wrapped;
  let store: DynamoDBPersistenceLayer | undefined;
  // Built at the first keyed request: the table name is configuration, read once and validated.
  const persistenceStore = () =>
    (store ??= new DynamoDBPersistenceLayer({
      tableName: requireTable('IDEMPOTENCY_TABLE'),
      // The container's one client (a document client shares the base client's stack and sends its commands).
      awsSdkV3Client: dynamoDb as unknown as DynamoDBClient,
    }));

  const wrapped = async (request: Request, context?: Context): Promise<Answer> => {
    const key = request.headers[IDEMPOTENCY_KEY_HEADER.toLowerCase()];
    if (key === undefined) return core(request);
    if (!IDEMPOTENCY_KEY_PATTERN.test(key)) throw invalidKey();
    const scope = { operation: route.operationId, caller: callerOf(route, request), key };
    const payload: IdempotentPayload = { scope, fingerprint: fingerprintOf(scope, request) };

    // One config per invocation: Powertools keeps the Lambda context on it, and the local server runs requests at once.
    const config = new IdempotencyConfig({
      eventKeyJmesPath: 'scope',
      payloadValidationJmesPath: 'fingerprint',
      throwOnNoIdempotencyKey: true,
      expiresAfterSeconds: IDEMPOTENCY_EXPIRY_SECONDS,
      hashFunction: 'sha256',
      responseHook: (answer) => ({ ...(answer as unknown as StoredAnswer), replayed: true }) as never,
    });
    // The context (when given) bounds the in-progress record by the function's deadline: a request that dies with
    // its function leaves a record a retry may take over once the deadline has passed.
    if (context !== undefined) config.registerLambdaContext(context);
    const run = makeIdempotent(
      async (_payload: IdempotentPayload): Promise<StoredAnswer> => {
        try {
          return { reply: toStored(await core(request)) };
        } catch (error) {
          if (error instanceof DomainError && OUTCOME_UNKNOWN_CODES.has(error.code)) {
            return { error: { code: error.code, message: error.message, ...(error.details ? { details: error.details } : {}) } };
          }
          throw error;
        }
      },
      { persistenceStore: persistenceStore(), config, keyPrefix: `adminpass.${route.operationId}` },
    );

    let answer: StoredAnswer;
    try {
      answer = await run(payload);
    } catch (error) {
      if (error instanceof IdempotencyValidationError) throw keyReused();
      if (error instanceof IdempotencyAlreadyInProgressError) throw inProgress();
      throw error;
    }
    if ('error' in answer) throw new DomainError(answer.error.code as ErrorCode, answer.error.message, answer.error.details);
    // What was stored is what this core answered the first time, so it is one of its route's replies.
    const reply = fromStored(answer.reply) as Answer;
    return answer.replayed ? { ...reply, headers: { ...reply.headers, [REPLAYED_HEADER]: 'true' } } : reply;
  };
  return wrapped as Wrapped;
}
