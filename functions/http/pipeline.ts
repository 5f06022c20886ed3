// HTTP adapter: the middy pipeline every handler runs in. Header normalization, the size and content-type guards,
// JSON parsing, validation against the route's zod schemas, the mapping of every error to the
// {"error":{code,message,details?}} envelope, and the deadline the answer is given by happen here once, for all routes.
// Header normalization and JSON parsing are a few lines of our own, not @middy/http-header-normalizer and
// @middy/http-json-body-parser: their shared helpers (@middy/util) load node:http for its status texts, a cold-start
// cost in every function, also in those that make no HTTP call (health).
import { AsyncLocalStorage } from 'node:async_hooks';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { RouteDefinition } from '../contract/routes';
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors';
import type { Origin } from '../domain/audit';
import type { Actor } from '../use-cases/actor';
import { corsConfig } from '../config';
import { currentOutcome, freshRequestOutcome, outcomeFacts, withRequestOutcome, writesInDoubt, type RequestOutcome } from '../adapters/clients/request-outcome';
import { ANSWER_MARGIN_MS, FUNCTION_TIMEOUT_MS, RETRY_AFTER_SECONDS } from '../adapters/clients/sdk-budget';
import { STATUS_OF } from './error-status';
import type { Idempotent } from './idempotency';
import { logger } from './logger';
import { errorReply, toProxyResult, type Reply, type ReplyOf } from './responses';
import { sourceMappedStack } from './source-mapped-stack';

/** Request bodies above this are refused before parsing, so no oversized input reaches the hashing work. */
export const MAX_BODY_BYTES = 16 * 1024;

type Output<S> = S extends z.ZodType ? z.output<S> : undefined;

/** What a handler's core receives: the validated parts of the request, typed by the route's schemas. */
export interface ParsedRequest<R extends RouteDefinition> {
  readonly body: Output<R['body']>;
  readonly query: Output<R['query']>;
  readonly params: Output<R['params']>;
  readonly method: string;
  readonly path: string;
  /** Lower-cased header names. */
  readonly headers: Readonly<Record<string, string | undefined>>;
  /** Where the request came from (source IP as API Gateway saw it, user agent), for limits and the audit trail. */
  readonly origin: Origin;
  /** Adds facts (never secrets) to the one log line this request writes. */
  readonly note: (facts: Record<string, unknown>) => void;
}

/** Per-invocation state, kept on middy's request so concurrent local requests never share it. */
interface RequestState {
  outcome: Record<string, unknown>;
  [key: string]: unknown;
}

const stateOf = (request: { internal: unknown }): RequestState => request.internal as RequestState;

/** A route's Lambda handler. */
export type ApiHandler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const fail = (code: ErrorCode, message: string, details?: ErrorDetail[]): DomainError => new DomainError(code, message, details);

function bodyBytes(event: APIGatewayProxyEvent): number {
  if (event.body === null || event.body === undefined) return 0;
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').length : Buffer.byteLength(event.body, 'utf8');
}

/** Turns zod issues into details that name the field and the rule, never the submitted value. */
function validationDetails(error: z.ZodError, prefix: string): ErrorDetail[] {
  const fieldOf = (path: readonly PropertyKey[]) => {
    const field = [prefix, ...path.map(String)].filter(Boolean).join('.');
    return field === '' ? {} : { field };
  };
  // An unknown key is the client's own text: echoed only short, so an answer never carries a pasted secret whole.
  const shortened = (key: string) => (key.length > 64 ? `${key.slice(0, 61)}...` : key);
  return error.issues.flatMap((issue): ErrorDetail[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => ({ ...fieldOf([...issue.path, shortened(key)]), code: 'UNKNOWN_FIELD', message: `${shortened(key)} is not a field of this request.` }))
      : [{ ...fieldOf(issue.path), code: 'INVALID', message: issue.message }],
  );
}

function parsePart(schema: z.ZodType | undefined, value: unknown, part: string): unknown {
  if (schema === undefined) return undefined;
  const result = schema.safeParse(value ?? {});
  if (!result.success) {
    throw fail('VALIDATION_FAILED', `The request ${part} is not valid.`, validationDetails(result.error, part === 'body' ? '' : part));
  }
  return result.data;
}

/** Refuses oversized bodies and non-JSON content before the JSON parser runs; only routes with a body parse one. */
function bodyGuard(route: RouteDefinition): MiddlewareObj<APIGatewayProxyEvent> {
  return {
    before: ({ event }) => {
      if (bodyBytes(event) > MAX_BODY_BYTES) {
        throw fail('PAYLOAD_TOO_LARGE', `The request body is larger than ${MAX_BODY_BYTES / 1024} KB.`);
      }
      if (route.body === undefined) event.body = null;
    },
  };
}

/**
 * Header names in lower case, whatever case the client sent (API Gateway passes them on as they came), in objects
 * without a prototype, so a header named like an Object property is only a header.
 */
const headerNormalizer: MiddlewareObj<APIGatewayProxyEvent> = {
  before: ({ event }) => {
    if (event.headers) event.headers = withLowerCaseNames(event.headers);
    if (event.multiValueHeaders) event.multiValueHeaders = withLowerCaseNames(event.multiValueHeaders);
  },
};

function withLowerCaseNames<Value>(headers: Readonly<Record<string, Value>>): Record<string, Value> {
  const normalized = Object.create(null) as Record<string, Value>;
  for (const [name, value] of Object.entries(headers)) normalized[name.toLowerCase()] = value;
  return normalized;
}

/** JSON, also with a structured syntax suffix (application/merge-patch+json), with or without parameters. */
const JSON_CONTENT_TYPE = /^application\/([a-z0-9.+-]+\+)?json(;|$)/i;

const malformedJson = (): DomainError => fail('MALFORMED_JSON', 'The request body is not valid JSON.');

/**
 * Parses the body of a route that takes one: JSON only (415 otherwise), and no `__proto__` key nor a `constructor`
 * with a `prototype` anywhere in it, which could reach an object's prototype in code that merges the input. A
 * request without a body parses as null, which validation then reports field by field.
 */
const jsonBodyWhenDeclared = (route: RouteDefinition): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: ({ event }) => {
    if (route.body === undefined) return;
    if (!JSON_CONTENT_TYPE.test(event.headers?.['content-type'] ?? '')) {
      throw fail('UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON with Content-Type: application/json.');
    }
    if (event.body === null) return;
    const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString() : event.body;
    try {
      (event as { body: unknown }).body = JSON.parse(text, (key, value: unknown) => {
        if (key === '__proto__' || (key === 'constructor' && typeof value === 'object' && value !== null && Object.hasOwn(value, 'prototype'))) {
          throw new SyntaxError(`forbidden key ${key}`);
        }
        return value;
      });
    } catch {
      throw malformedJson();
    }
  },
});

/** Validates body, query and path parameters and hands the core a ParsedRequest instead of the raw event. */
function validation(route: RouteDefinition): MiddlewareObj<APIGatewayProxyEvent> {
  return {
    before: (request) => {
      const { event } = request;
      const { outcome, ...remembered } = stateOf(request);
      const parsed: ParsedRequest<RouteDefinition> = {
        ...remembered,
        params: parsePart(route.params, event.pathParameters, 'path') as never,
        query: parsePart(route.query, event.queryStringParameters, 'query') as never,
        body: parsePart(route.body, event.body, 'body') as never,
        method: event.httpMethod,
        path: event.path,
        headers: event.headers ?? {},
        origin: originOf(event),
        note: (facts) => Object.assign(outcome, facts),
      };
      (request as { event: unknown }).event = parsed;
    },
  };
}

const retryAfter = { 'Retry-After': String(RETRY_AFTER_SECONDS) };

/**
 * The answer of a request that did not finish (an unexpected error, or the deadline), from what its AWS calls did:
 * a write that committed or got no answer means the change may have been applied (503 OUTCOME_UNKNOWN); with
 * nothing written, a throttled or unanswered call means the service is busy (503 SERVICE_BUSY); otherwise a plain
 * 500. Only the last two say "nothing was changed", and they can, because no call starts after the answer.
 */
function unfinishedReply(outcome: RequestOutcome, deadlinePassed: boolean): Reply {
  if (writesInDoubt(outcome) > 0 || outcome.writesCommitted > 0) {
    return errorReply(
      STATUS_OF.OUTCOME_UNKNOWN,
      'OUTCOME_UNKNOWN',
      'The service did not finish in time. The change may have been applied: reload the resource (or sign in) to see its state before trying again; a retry with the same Idempotency-Key is safe.',
      undefined,
      retryAfter,
    );
  }
  if (deadlinePassed || outcome.throttled || outcome.callsUnanswered > 0) {
    return errorReply(STATUS_OF.SERVICE_BUSY, 'SERVICE_BUSY', 'The service is busy right now. Nothing was changed; please try again in a few seconds.', undefined, retryAfter);
  }
  return errorReply(STATUS_OF.INTERNAL, 'INTERNAL', 'Something went wrong on our side. Nothing was changed; please try again.');
}

/** The headers a domain error's code and hints call for; undefined when none. */
function headersOf(error: DomainError): Record<string, string> | undefined {
  const headers: Record<string, string> = {};
  // RFC 6750: a 401 names the scheme the client should authenticate with.
  if (error.code === 'UNAUTHENTICATED') headers['WWW-Authenticate'] = 'Bearer';
  // RFC 9110 10.2.3: delay-seconds, a whole non-negative number.
  const { retryAfterSeconds, allowedMethods } = error.hints;
  if (retryAfterSeconds !== undefined) headers['Retry-After'] = String(Math.max(1, Math.ceil(retryAfterSeconds)));
  // RFC 9110 10.2.1: a 405 lists the methods the path offers.
  if (allowedMethods !== undefined) headers.Allow = allowedMethods.join(', ');
  return Object.keys(headers).length === 0 ? undefined : headers;
}

/** The HTTP status and envelope of any error; anything unexpected is a generic 5xx whose details stay in the log. */
function replyForError(error: unknown, outcome: RequestOutcome): Reply {
  if (error instanceof DomainError) {
    // A refusal reached after a write got no answer (a retried write finding its own first attempt) proves nothing.
    if (writesInDoubt(outcome) > 0) return unfinishedReply(outcome, false);
    return errorReply(STATUS_OF[error.code], error.code, error.message, error.details, headersOf(error));
  }
  const { name, message } = error instanceof Error ? error : { name: 'NonError', message: String(error) };
  const stack = error instanceof Error && error.stack !== undefined ? sourceMappedStack(error.stack) : undefined;
  logger.error('unexpected failure', { errorName: name, errorMessage: message, stack });
  return unfinishedReply(outcome, false);
}

/**
 * CORS for the configured origins only: an allowed Origin is echoed back (never "*", since requests carry a bearer
 * token), and ETag is exposed so a console elsewhere can send If-Match. API Gateway answers the preflights.
 */
function corsHeaders(origin: string | undefined): Record<string, string> {
  const allowed = corsConfig().ALLOWED_ORIGINS;
  if (allowed.length === 0) return {};
  const vary = { Vary: 'Origin' };
  return origin !== undefined && allowed.includes(origin)
    ? { ...vary, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'ETag, Location, Retry-After, Idempotent-Replayed' }
    : vary;
}

/** The caller's ids for the log line, once the session check found them. */
const callerOf = (actor: Actor | undefined) => (actor === undefined ? {} : { companyId: actor.admin.companyId, adminId: actor.admin.adminId });

/**
 * Serializes replies and errors, and writes one log line per request: operation, status, error code, caller, the
 * facts the core noted and what its writes did. A pipeline still running after the deadline answered logs a warning
 * with what it finally came to, not a second request line.
 */
function replies(route: RouteDefinition): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const finish = (request: { response?: unknown; internal: unknown }, reply: Reply) => {
    const errorCode = (reply.body as { error?: { code?: string } } | undefined)?.error?.code;
    const { outcome, actor } = stateOf(request) as RequestState & { actor?: Actor };
    const origin = (request as { event?: { headers?: Record<string, string | undefined> } }).event?.headers?.origin;
    const writes = currentOutcome();
    const facts = { operation: route.operationId, status: reply.statusCode, ...(errorCode ? { errorCode } : {}), ...callerOf(actor), ...outcome, ...(writes ? outcomeFacts(writes) : {}) };
    if (writes?.answered) logger.warn('finished after the answer', facts);
    else logger.info('request', facts);
    request.response = toProxyResult({ ...reply, headers: { ...reply.headers, ...corsHeaders(origin) } });
  };
  return {
    before: (request) => {
      stateOf(request).outcome = {};
      const invocation = invocationLog.getStore();
      if (invocation !== undefined) invocation.state = stateOf(request);
    },
    after: (request) => finish(request, request.response as unknown as Reply),
    onError: (request) => finish(request, replyForError(request.error, currentOutcome() ?? withoutTracking())),
  };
}

/**
 * A middleware that runs after the headers are normalized and before the body is read: the session check. What
 * it stores with `remember` reaches the core as a field of the parsed request.
 */
export type Gate = (
  request: { headers: Readonly<Record<string, string | undefined>>; origin: Origin },
  remember: (facts: Record<string, unknown>) => void,
) => Promise<void>;

/** Where the request came from, as API Gateway saw it. */
const originOf = (event: APIGatewayProxyEvent): Origin => ({
  sourceIp: event.requestContext?.identity?.sourceIp ?? null,
  userAgent: event.headers?.['user-agent'] ?? null,
});

const gateMiddleware = (gate: Gate): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: async (request) => {
    const state = stateOf(request);
    await gate({ headers: request.event.headers ?? {}, origin: originOf(request.event) }, (facts) => Object.assign(state, facts));
  },
});

/** What runs once each invocation has answered, in the order registered. */
const answerHooks: (() => void)[] = [];

/**
 * Registers work to run once each invocation has answered, before the handler returns (Lambda may freeze the
 * container right after): functions/http/metrics.ts publishes what the invocation counted. Registered by the module
 * that needs it, so a function that imports no such module carries none of it.
 */
export function afterEachAnswer(hook: () => void): void {
  answerHooks.push(hook);
}

/** A record for code that runs outside an invocation's tracking (it never happens in a handler). */
const withoutTracking = freshRequestOutcome;

/** The pipeline's per-request state, reachable from the deadline's answer (which runs outside middy). */
const invocationLog = new AsyncLocalStorage<{ state?: RequestState }>();

/**
 * How long this invocation may run before it must answer: the time Lambda leaves it minus the answer margin. A
 * context without a clock (a bare test call) gets the configured function timeout.
 */
const timeToAnswer = (context: Context): number =>
  Math.max(0, (typeof context?.getRemainingTimeInMillis === 'function' ? context.getRemainingTimeInMillis() : FUNCTION_TIMEOUT_MS) - ANSWER_MARGIN_MS);

/** The answer given when the deadline passes first; the pipeline may still be running, but starts no AWS call. */
function deadlineReply(route: RouteDefinition, event: APIGatewayProxyEvent, outcome: RequestOutcome, state: RequestState | undefined): APIGatewayProxyResult {
  const reply = unfinishedReply(outcome, true);
  const errorCode = (reply.body as { error: { code: string } }).error.code;
  const actor = (state as { actor?: Actor } | undefined)?.actor;
  logger.warn('request', {
    operation: route.operationId,
    status: reply.statusCode,
    errorCode,
    deadline: true,
    ...callerOf(actor),
    ...state?.outcome,
    ...outcomeFacts(outcome),
  });
  return toProxyResult({ ...reply, headers: { ...reply.headers, ...corsHeaders(event.headers?.origin ?? event.headers?.Origin) } });
}

/**
 * Builds the pipeline for a route; `core` receives the parsed request (plus what the gate remembered) and answers one
 * of the replies its route declares (errors are thrown, and answered here).
 */
export function pipeline<R extends RouteDefinition, Extra = unknown>(
  route: R,
  core: (request: ParsedRequest<R> & Extra, context: Context) => Promise<ReplyOf<R>>,
  gate?: Gate,
): ApiHandler {
  // middy's own early timeout races only the core, not the session check and body parsing before it: the deadline
  // below covers the whole pipeline instead, so middy's is switched off.
  const inner = middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>({ timeoutEarlyInMillis: 0 })
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(replies(route))
    .use(headerNormalizer)
    .use(bodyGuard(route))
    .use(gate === undefined ? [] : [gateMiddleware(gate)])
    .use(jsonBodyWhenDeclared(route))
    .use(validation(route))
    .handler(async (event, context) => (await core(event as unknown as ParsedRequest<R> & Extra, context)) as unknown as APIGatewayProxyResult);

  return (event, context) =>
    withRequestOutcome((outcome) =>
      invocationLog.run({}, async () => {
        const log = invocationLog.getStore()!;
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<'deadline'>((resolve) => {
          timer = setTimeout(() => resolve('deadline'), timeToAnswer(context));
        });
        try {
          const result = await Promise.race([inner(event, context), deadline]);
          return result === 'deadline' ? deadlineReply(route, event, outcome, log.state) : result;
        } finally {
          clearTimeout(timer);
          // From here on no AWS call of this invocation starts, even if its pipeline is still running.
          outcome.answered = true;
          for (const hook of answerHooks) hook();
        }
      }),
    );
}

/**
 * The core a handler gives its route's pipeline: one answering the route's replies and, for a route whose table entry
 * says `idempotency: 'key'`, wrapped by `idempotent` (functions/http/idempotency.ts).
 */
export type CoreOf<R extends RouteDefinition, Request> = R extends { readonly idempotency: 'key' }
  ? Idempotent<(request: Request) => Promise<ReplyOf<R>>>
  : (request: Request) => Promise<ReplyOf<R>>;

/** A handler for a route anyone may call (or whose credential, like a challenge token, is in the body). */
export function publicHandler<R extends RouteDefinition & { access: 'anyone' | 'challenge' | 'reset-link' }>(
  route: R,
  core: CoreOf<R, ParsedRequest<R>>,
): ApiHandler {
  return pipeline(route, core);
}
