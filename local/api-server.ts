// Local runtime: the API at http://127.0.0.1:3000, served by calling the real handler modules with the event
// shape API Gateway's REST proxy integration sends, routed by the same route table the stack is built from.
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { pathToFileURL } from 'node:url';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext, proxyEvent } from './proxy-event';
import { fallbackRoute, matchPath, type RouteDefinition } from '../functions/contract/routes';
import { FUNCTION_TIMEOUT_MS, RETRY_AFTER_SECONDS } from '../functions/adapters/clients/sdk-budget';
import { TURN_TIMED_OUT, createInvocationSlots, type InvocationSlots } from './invocation-slots';
import { withLocalTableNames, type FunctionPolicies } from './function-policies';
import { checkHandlerClients, localTableNamesFromEnvironment, runAsFunction } from './iam-check';

/** API Gateway refuses payloads over 10 MB before any function runs; so does the local server. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway gives an integration 29 s; what is left after the function's own timeout is the most a request may wait for its turn. */
const GATEWAY_INTEGRATION_TIMEOUT_MS = 29_000;
const MAX_TURN_WAIT_MS = GATEWAY_INTEGRATION_TIMEOUT_MS - FUNCTION_TIMEOUT_MS;
/** Invocations that run at once by default: enough to interleave requests (races stay possible, as in AWS), few enough that eight cost-12 hashes sharing the event loop still finish well inside each one's deadline. */
export const DEFAULT_CONCURRENT_INVOCATIONS = 8;

const json = { 'Content-Type': 'application/json; charset=utf-8' };
const WAITED_TOO_LONG: APIGatewayProxyResult = {
  statusCode: 503,
  headers: { ...json, 'Retry-After': String(RETRY_AFTER_SECONDS) },
  body: JSON.stringify({ error: { code: 'SERVICE_BUSY', message: 'The service is busy right now. Nothing was changed; please try again in a few seconds.' } }),
};
const FUNCTIONS_DIR = join(import.meta.dirname, '..', 'functions');

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

const loaded = new Map<string, Promise<Handler>>();
/** Imports a handler module once, as a Lambda container would. */
function loadHandler(route: RouteDefinition): Promise<Handler> {
  let handler = loaded.get(route.handler);
  if (handler === undefined) {
    handler = import(pathToFileURL(join(FUNCTIONS_DIR, route.handler, 'handler.ts')).href).then((module) => module.handler as Handler);
    loaded.set(route.handler, handler);
  }
  return handler;
}

function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= GATEWAY_MAX_BODY_BYTES) chunks.push(chunk);
    });
    request.on('end', () => resolve(size > GATEWAY_MAX_BODY_BYTES ? 'too-large' : Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The path and query of a request target, read as text: `new URL` would take `//health` for a host. */
export function splitTarget(target: string): { path: string; query: URLSearchParams } {
  const mark = target.indexOf('?');
  return mark < 0 ? { path: target, query: new URLSearchParams() } : { path: target.slice(0, mark), query: new URLSearchParams(target.slice(mark + 1)) };
}

/**
 * A path the route table can answer: absolute, no empty segment (`//health`) and no dot segment (`/admins/..`, also
 * percent-encoded). Anything else goes to the catch-all, which answers 404 in the envelope.
 */
export function isCanonicalPath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  const segments = path.slice(1).split('/');
  return segments.every((segment, index) => {
    if (segment === '') return index === segments.length - 1;
    const dots = segment.replace(/%2e/gi, '.');
    return dots !== '.' && dots !== '..';
  });
}

/**
 * Name → values, for names a client chooses: a Map, so `__proto__`, `constructor` or `toString` are names like any
 * other; `Object.fromEntries` then makes each an own property, as JSON.parse of the deployed event does.
 */
function grouped(pairs: Iterable<readonly [string, string]>): Record<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = groups.get(name);
    if (values === undefined) groups.set(name, [value]);
    else values.push(value);
  }
  return Object.fromEntries(groups);
}

function* headerPairs(rawHeaders: readonly string[]): Generator<readonly [string, string]> {
  for (let index = 0; index < rawHeaders.length; index += 2) yield [rawHeaders[index]!, rawHeaders[index + 1]!];
}

/** The REST API (payload version 1.0) proxy event for a request and the route that serves it. */
function toProxyEvent(request: IncomingMessage, body: Buffer, route: RouteDefinition, pathParameters: Record<string, string>): APIGatewayProxyEvent {
  const { path, query } = splitTarget(request.url ?? '/');
  return proxyEvent({
    method: request.method ?? 'GET',
    path,
    resource: route === fallbackRoute ? '/{proxy+}' : route.path,
    multiValueHeaders: grouped(headerPairs(request.rawHeaders)),
    multiValueQuery: grouped(query),
    pathParameters,
    body: body.length > 0 ? body.toString('utf8') : null,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
  });
}

/** Picks the route as API Gateway would: the declared method on the matching path, else the catch-all. */
function resolveRoute(method: string, path: string): { route: RouteDefinition; params: Record<string, string> } {
  if (!isCanonicalPath(path)) return { route: fallbackRoute, params: {} };
  const candidates = matchPath(path);
  return candidates.find((candidate) => candidate.route.method === method) ?? { route: fallbackRoute, params: {} };
}

/** A request and the answer it is about to get, as an observer sees them. */
export type AnswerObserver = (request: { readonly method: string; readonly path: string; readonly headers: IncomingHttpHeaders }, result: APIGatewayProxyResult) => void;

/** What `GET /health?ready` reports: each local part the API depends on, and whether it answered. */
export type Readiness = () => Promise<Readonly<Record<string, boolean>>>;

/** Readiness: 200 when every part answers, else 503 in the envelope naming the ones that did not. */
async function answerReadiness(response: ServerResponse, readiness: Readiness, onRequest: (line: string) => void, started: number): Promise<void> {
  const checks = await readiness().catch(() => ({ readiness: false }));
  const down = Object.entries(checks).filter(([, up]) => !up).map(([name]) => name);
  const status = down.length === 0 ? 200 : 503;
  const parts = Object.fromEntries(Object.entries(checks).map(([name, up]) => [name, up ? 'ok' : 'down']));
  const body =
    down.length === 0
      ? { status: 'ready', checks: parts }
      : { error: { code: 'NOT_READY', message: `Not ready: ${down.join(' and ')} did not answer.` }, checks: parts };
  response.writeHead(status, { ...json, 'Cache-Control': 'no-store' });
  response.end(JSON.stringify(body));
  onRequest(`GET /health?ready ${status} ${Date.now() - started} ms`);
}

async function serve(
  request: IncomingMessage,
  response: ServerResponse,
  slots: InvocationSlots,
  onRequest: (line: string) => void,
  onAnswer: AnswerObserver | undefined,
  policies: FunctionPolicies | undefined,
  readiness: Readiness | undefined,
): Promise<void> {
  const started = Date.now();
  const { path, query } = splitTarget(request.url ?? '/');
  if (readiness !== undefined && request.method === 'GET' && path === '/health' && query.has('ready')) return answerReadiness(response, readiness, onRequest, started);
  let { route, params } = resolveRoute(request.method ?? 'GET', path);
  // A route the template has no function for is not deployed: the gateway's catch-all answers it.
  if (policies !== undefined && policies[route.operationId] === undefined) ({ route, params } = { route: fallbackRoute, params: {} });
  const body = await readBody(request);
  let result: APIGatewayProxyResult;
  if (body === 'too-large') {
    result = { statusCode: 413, headers: json, body: JSON.stringify({ error: { code: 'PAYLOAD_TOO_LARGE', message: 'Request too large.' } }) };
  } else {
    const event = toProxyEvent(request, body, route, params);
    const handler = await loadHandler(route);
    // The context, and with it the function's deadline, is made when the invocation gets its turn.
    const invoke = () => handler(event, lambdaContext(`adminpass-local-${route.handler}`, event.requestContext.requestId));
    const policy = policies?.[route.operationId];
    // With the template's policies, the invocation runs as its function: its AWS calls are checked against them.
    const outcome = await slots.run(() => (policy === undefined ? invoke() : runAsFunction(policy, onRequest, invoke)), MAX_TURN_WAIT_MS);
    result = outcome === TURN_TIMED_OUT ? WAITED_TOO_LONG : outcome;
  }
  onAnswer?.({ method: request.method ?? 'GET', path, headers: request.headers }, result);
  response.writeHead(result.statusCode, result.headers as Record<string, string>);
  response.end(result.body);
  // The path only: tokens never travel in paths or query strings of this API.
  onRequest(`${request.method} ${path} ${result.statusCode} ${Date.now() - started} ms`);
}

export interface ApiServer {
  readonly url: string;
  stop(): Promise<void>;
}

export interface ApiServerOptions {
  /** 0 picks a free one (tests). */
  readonly port: number;
  /** @default 127.0.0.1 */
  readonly host?: string;
  /** Receives one line per request, and each call the IAM check failed. */
  readonly onRequest?: (line: string) => void;
  /** @default DEFAULT_CONCURRENT_INVOCATIONS */
  readonly concurrentInvocations?: number;
  /**
   * Each function's IAM policy and environment from the synthesized template (local/function-policies.ts): every AWS
   * call an invocation makes is checked against its function's, as AWS would (local/iam-check.ts).
   * @default - no check
   */
  readonly functionPolicies?: FunctionPolicies;
  /**
   * Checks the local parts for `GET /health?ready` (`GET /health` stays the handler's liveness answer).
   * @default - no readiness answer: the query goes to the health handler like any other
   */
  readonly readiness?: Readiness;
  /** Sees every answer before it is sent (the tests hold each to the OpenAPI document). */
  readonly onAnswer?: AnswerObserver;
}

/** Starts the local API. */
export async function startApiServer(options: ApiServerOptions): Promise<ApiServer> {
  const host = options.host ?? '127.0.0.1';
  const onRequest = options.onRequest ?? (() => undefined);
  const slots = createInvocationSlots(options.concurrentInvocations ?? DEFAULT_CONCURRENT_INVOCATIONS);
  const policies = options.functionPolicies === undefined ? undefined : withLocalTableNames(options.functionPolicies, localTableNamesFromEnvironment());
  if (policies !== undefined) await checkHandlerClients();
  const server: Server = createServer((request, response) => {
    serve(request, response, slots, onRequest, options.onAnswer, policies, options.readiness).catch((error: unknown) => {
      // A handler never throws (its pipeline answers every error); this is the local server's own failure.
      onRequest(`local server error: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'application/json; charset=utf-8' });
      response.end(JSON.stringify({ error: { code: 'INTERNAL', message: 'The local server could not run the function.' } }));
    });
  });
  // Requests Node refuses before any handler (a malformed request line, headers over its limit) get the envelope too.
  server.on('clientError', (error: NodeJS.ErrnoException, socket) => {
    if (!socket.writable || (error as { code?: string }).code === 'ECONNRESET') return socket.destroy();
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const body = JSON.stringify(
      tooLarge
        ? { error: { code: 'HEADERS_TOO_LARGE', message: 'The request headers are too large.' } }
        : { error: { code: 'BAD_REQUEST', message: 'The request is not valid HTTP.' } },
    );
    socket.end(
      `HTTP/1.1 ${tooLarge ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\n` +
        `Content-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : options.port;
      resolve({
        url: `http://${host}:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}
