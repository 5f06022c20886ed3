// Local runtime: the API at http://127.0.0.1:3000 as the synthesized template deploys it: each function runs its
// built bundle in worker threads of its own (local/function-workers.ts) with the environment the template gives it,
// is invoked with the event API Gateway's REST proxy integration sends, and reaches AWS only through the local AWS
// endpoint, which holds every call to the function's IAM policy (local/aws-endpoint.ts).
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { proxyEvent } from './proxy-event';
import type { TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { FUNCTION_TIMEOUT_MS, RETRY_AFTER_SECONDS } from '../functions/adapters/clients/sdk-budget';
import { TURN_TIMED_OUT, createInvocationSlots, type InvocationSlots } from './invocation-slots';
import { withLocalTableNames, type FunctionPolicy, type SynthesizedTemplate } from './synthesized-template';
import { startAwsEndpoint, type AwsCall, type AwsReply } from './aws-endpoint';
import { functionEnvironment } from './function-environment';
import { createFunctionWorkers, type FunctionWorkers } from './function-workers';
import type { FunctionBundles } from './function-bundles';
import { gatewayAnswer, readGateway, routeRequest, validateRequest, type GatewayAnswer, type LocalGateway } from './gateway';

/** API Gateway refuses payloads over 10 MB before any function runs; so does the local server. */
const GATEWAY_MAX_BODY_BYTES = 10 * 1024 * 1024;
/** API Gateway gives an integration 29 s; what is left after the function's own timeout is the most a request may wait for its turn. */
const GATEWAY_INTEGRATION_TIMEOUT_MS = 29_000;
const MAX_TURN_WAIT_MS = GATEWAY_INTEGRATION_TIMEOUT_MS - FUNCTION_TIMEOUT_MS;
/** Invocations that run at once by default: enough to interleave requests (races stay possible, as in AWS), few enough that eight cost-12 hashes sharing two cores still finish well inside each one's deadline. */
export const DEFAULT_CONCURRENT_INVOCATIONS = 8;

const json = { 'Content-Type': 'application/json; charset=utf-8' };
const WAITED_TOO_LONG: APIGatewayProxyResult = {
  statusCode: 503,
  headers: { ...json, 'Retry-After': String(RETRY_AFTER_SECONDS) },
  body: JSON.stringify({ error: { code: 'SERVICE_BUSY', message: 'The service is busy right now. Nothing was changed; please try again in a few seconds.' } }),
};

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

/** The REST API (payload version 1.0) proxy event for a request and the resource that serves it. */
function toProxyEvent(request: IncomingMessage, body: Buffer, resource: string, pathParameters: Record<string, string>): APIGatewayProxyEvent {
  const { path, query } = splitTarget(request.url ?? '/');
  return proxyEvent({
    method: request.method ?? 'GET',
    path,
    resource,
    multiValueHeaders: grouped(headerPairs(request.rawHeaders)),
    multiValueQuery: grouped(query),
    pathParameters,
    body: body.length > 0 ? body.toString('utf8') : null,
    sourceIp: request.socket.remoteAddress ?? '127.0.0.1',
  });
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

/** What one server runs with: the gateway, its functions (table names local), their workers, and whom it tells. */
interface Runtime {
  readonly gateway: LocalGateway;
  /** The functions by the logical id the gateway's integrations name. */
  readonly functionOf: ReadonlyMap<string, FunctionPolicy>;
  readonly workers: FunctionWorkers;
  readonly slots: InvocationSlots;
  readonly onRequest: (line: string) => void;
  readonly onAnswer: AnswerObserver | undefined;
  readonly readiness: Readiness | undefined;
}

/** Invokes the function in a worker and answers as API Gateway does: its result, or DEFAULT_5XX's 502 when it failed. */
async function invoke(runtime: Runtime, fn: FunctionPolicy, event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult | GatewayAnswer> {
  const outcome = await runtime.slots.run(() => runtime.workers.invoke(fn, event), MAX_TURN_WAIT_MS);
  if (outcome === TURN_TIMED_OUT) return WAITED_TOO_LONG;
  if (outcome.kind === 'result') return outcome.result;
  runtime.onRequest(`function ${fn.operationId} failed: ${outcome.errorType}: ${outcome.errorMessage}`);
  return gatewayAnswer(runtime.gateway, 'DEFAULT_5XX', 502);
}

/** The headers of a request by lower-case name, the last value of each, as the gateway's validation reads them. */
const headersOf = (request: IncomingMessage): Record<string, string | undefined> =>
  Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.at(-1) : value]));

/** What API Gateway does with one request: its own answer (no route, too large, a body its model refuses), or the function's. */
async function answer(runtime: Runtime, request: IncomingMessage, path: string): Promise<APIGatewayProxyResult | GatewayAnswer> {
  const routed = routeRequest(runtime.gateway, request.method ?? 'GET', path);
  const body = await readBody(request);
  if (body === 'too-large') return gatewayAnswer(runtime.gateway, 'REQUEST_TOO_LARGE');
  if (routed === undefined) return gatewayAnswer(runtime.gateway, 'MISSING_AUTHENTICATION_TOKEN');
  const fn = runtime.functionOf.get(routed.route.functionLogicalId);
  if (fn === undefined) throw new Error(`the gateway integrates ${routed.route.functionLogicalId}, which is no function of the template`);
  const refused = validateRequest(runtime.gateway, routed.route, { headers: headersOf(request), body: body.length > 0 ? body.toString('utf8') : null });
  if (refused !== undefined) return refused;
  return invoke(runtime, fn, toProxyEvent(request, body, routed.route.resourcePath, routed.pathParameters));
}

async function serve(request: IncomingMessage, response: ServerResponse, runtime: Runtime): Promise<void> {
  const started = Date.now();
  const { path, query } = splitTarget(request.url ?? '/');
  if (runtime.readiness !== undefined && request.method === 'GET' && path === '/health' && query.has('ready')) return answerReadiness(response, runtime.readiness, runtime.onRequest, started);
  const result = await answer(runtime, request, path);
  runtime.onAnswer?.({ method: request.method ?? 'GET', path, headers: request.headers }, result);
  response.writeHead(result.statusCode, result.headers as Record<string, string>);
  response.end(result.body);
  // The path only: tokens never travel in paths or query strings of this API.
  runtime.onRequest(`${request.method} ${path} ${result.statusCode} ${Date.now() - started} ms`);
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
  /** What the stacks deploy (local/synthesized-template.ts): the functions, their environments and IAM policies. */
  readonly template: SynthesizedTemplate;
  /** Each function's built bundle (local/function-bundles.ts). */
  readonly bundles: FunctionBundles;
  /** The local tables' names, which stand for the deployed tables in every environment and policy. */
  readonly tableNames: Readonly<Record<TableKey, string>>;
  /** DynamoDB Local's and the SES emulator's endpoints, behind the local AWS endpoint. */
  readonly upstreams: Readonly<Record<'dynamodb' | 'ses', string>>;
  /**
   * Where the functions' local settings are read (the pepper, BCRYPT_COST, the tuning of local/function-environment.ts),
   * when a function starts.
   * @default process.env
   */
  readonly runnerEnvironment?: Readonly<Record<string, string | undefined>>;
  /** Receives one line per request, and each call the IAM check failed. */
  readonly onRequest?: (line: string) => void;
  /**
   * Each line a function logs.
   * @default - written to stdout with the function's name
   */
  readonly onFunctionLog?: (operationId: string, line: string) => void;
  /**
   * Answers an AWS call of a function instead of the service (tests: faults the real parts cannot produce).
   * @default - none
   */
  readonly interceptAws?: (call: AwsCall) => AwsReply | undefined;
  /** @default DEFAULT_CONCURRENT_INVOCATIONS */
  readonly concurrentInvocations?: number;
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
  const functions = withLocalTableNames(options.template.functions, options.tableNames);
  const awsEndpoint = await startAwsEndpoint({ functions, upstreams: options.upstreams, report: onRequest, ...(options.interceptAws ? { intercept: options.interceptAws } : {}) });
  let apiUrl = '';
  const workers = createFunctionWorkers({
    bundleOf: (handler) => options.bundles.bundleOf(handler),
    environmentOf: (fn) => functionEnvironment(fn, { awsEndpoint: awsEndpoint.url, apiUrl, runner: options.runnerEnvironment ?? process.env }),
    onLog: options.onFunctionLog ?? ((operationId, line) => process.stdout.write(`[${operationId}] ${line}\n`)),
  });
  const runtime: Runtime = {
    gateway: readGateway(options.template.api),
    functionOf: new Map(Object.values(functions).map((fn) => [fn.logicalId, fn])),
    workers,
    slots: createInvocationSlots(options.concurrentInvocations ?? DEFAULT_CONCURRENT_INVOCATIONS),
    onRequest,
    onAnswer: options.onAnswer,
    readiness: options.readiness,
  };
  const server: Server = createServer((request, response) => {
    serve(request, response, runtime).catch((error: unknown) => {
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
      apiUrl = `http://${host}:${port}`;
      resolve({
        url: apiUrl,
        stop: async () => {
          await new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          });
          await workers.stop();
          await awsEndpoint.stop();
        },
      });
    });
  });
}
