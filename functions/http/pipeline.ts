// HTTP adapter: the middy pipeline every handler runs in. Header normalization, the size and content-type guards,
// JSON parsing (official @middy middlewares), validation against the route's zod schemas, and the mapping of every
// error to the {"error":{code,message,details?}} envelope happen here once, for all routes.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy, { type MiddlewareObj } from '@middy/core';
import httpHeaderNormalizer from '@middy/http-header-normalizer';
import httpJsonBodyParser from '@middy/http-json-body-parser';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import type { z } from 'zod';
import type { RouteDefinition } from '../contract/routes';
import { DomainError, type ErrorCode, type ErrorDetail } from '../domain/errors';
import type { Origin } from '../domain/audit';
import type { Actor } from '../use-cases/actor';
import { corsConfig } from '../config';
import { STATUS_OF } from './error-status';
import { logger } from './logger';
import { errorReply, toProxyResult, type Reply } from './responses';

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

export type ApiHandler = middy.MiddyfiedHandler<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

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

const jsonBodyParser = httpJsonBodyParser();

/** Runs the official JSON body parser only when the route takes a body. */
const jsonBodyWhenDeclared = (route: RouteDefinition): MiddlewareObj<APIGatewayProxyEvent> => ({
  before: async (request) => {
    if (route.body !== undefined) await jsonBodyParser.before?.(request as never);
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

/** The HTTP status and envelope of any error; anything unexpected is a generic 500 whose details stay in the log. */
function replyForError(error: unknown): Reply {
  if (error instanceof DomainError) {
    // RFC 6750: a 401 names the scheme the client should authenticate with.
    const headers = error.code === 'UNAUTHENTICATED' ? { 'WWW-Authenticate': 'Bearer' } : undefined;
    return errorReply(STATUS_OF[error.code], error.code, error.message, error.details, headers);
  }
  const status = (error as { statusCode?: unknown } | undefined)?.statusCode;
  if (typeof status === 'number' && status >= 400 && status < 500) {
    // An error thrown by a middy middleware (the JSON parser): its cause holds the raw body, which is never logged.
    return status === 415
      ? errorReply(415, 'UNSUPPORTED_MEDIA_TYPE', 'Send the request body as JSON with Content-Type: application/json.')
      : errorReply(400, 'MALFORMED_JSON', 'The request body is not valid JSON.');
  }
  const { name, message } = error instanceof Error ? error : { name: 'NonError', message: String(error) };
  logger.error('unexpected failure', { errorName: name, errorMessage: message, stack: error instanceof Error ? error.stack : undefined });
  return errorReply(500, 'INTERNAL', 'Something went wrong on our side. Nothing was changed; please try again.');
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
    ? { ...vary, 'Access-Control-Allow-Origin': origin, 'Access-Control-Expose-Headers': 'ETag' }
    : vary;
}

/** Serializes replies and errors, and writes one log line per request: operation, status, error code, caller. */
function replies(route: RouteDefinition): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  const finish = (request: { response?: unknown; internal: unknown }, reply: Reply) => {
    const errorCode = (reply.body as { error?: { code?: string } } | undefined)?.error?.code;
    const { outcome, actor } = stateOf(request) as RequestState & { actor?: Actor };
    const origin = (request as { event?: { headers?: Record<string, string | undefined> } }).event?.headers?.origin;
    const caller = actor === undefined ? {} : { companyId: actor.admin.companyId, adminId: actor.admin.adminId };
    logger.info('request', { operation: route.operationId, status: reply.statusCode, ...(errorCode ? { errorCode } : {}), ...caller, ...outcome });
    request.response = toProxyResult({ ...reply, headers: { ...reply.headers, ...corsHeaders(origin) } });
  };
  return {
    before: (request) => {
      stateOf(request).outcome = {};
    },
    after: (request) => finish(request, request.response as unknown as Reply),
    onError: (request) => finish(request, replyForError(request.error)),
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

/** Builds the pipeline for a route; `core` receives the parsed request (plus what the gate remembered). */
export function pipeline<R extends RouteDefinition, Extra = unknown>(
  route: R,
  core: (request: ParsedRequest<R> & Extra, context: Context) => Promise<Reply>,
  gate?: Gate,
): ApiHandler {
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>()
    .use(injectLambdaContext(logger, { resetKeys: true }))
    .use(replies(route))
    .use(httpHeaderNormalizer())
    .use(bodyGuard(route))
    .use(gate === undefined ? [] : [gateMiddleware(gate)])
    .use(jsonBodyWhenDeclared(route))
    .use(validation(route))
    .handler(async (event, context) => (await core(event as unknown as ParsedRequest<R> & Extra, context)) as unknown as APIGatewayProxyResult);
}

/** A handler for a route anyone may call (or whose credential, like a challenge token, is in the body). */
export function publicHandler<R extends RouteDefinition & { access: 'anyone' | 'challenge' | 'reset-link' }>(
  route: R,
  core: (request: ParsedRequest<R>) => Promise<Reply>,
): ApiHandler {
  return pipeline(route, core);
}
