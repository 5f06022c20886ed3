// Local runtime: the one AWS endpoint the local functions talk to, standing where AWS's own front door stands. Each
// function runs with credentials of its own (its access key id names it, as a deployed function's role session
// does), so for every request the endpoint knows which function sent it, asks IAM's decision against that
// function's policy in the synthesized template (local/iam-check.ts), and either answers AccessDenied the way the
// service does or passes the request on to DynamoDB Local or the SES emulator, chosen by the service the request
// was signed for. Tests can also have it answer a call with a fault the real parts cannot produce.
import { createServer, request as httpRequest, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { rememberedDecisions, requestsOf, type Request, type Service } from './iam-check';
import { LOCAL_ACCOUNT, type FunctionPolicies, type FunctionPolicy } from './synthesized-template';

/** The access key id a function's requests are signed with: it names the function, as its role session would. */
export const accessKeyIdOf = (operationId: string): string => `LOCAL${operationId}`;

/** One AWS call as the endpoint saw it. */
export interface AwsCall {
  readonly operationId: string;
  readonly service: Service;
  /** The API operation (`PutItem`, `SendEmail`). */
  readonly operation: string;
  /** The call's parameters: DynamoDB's JSON body, or SES's form fields. */
  readonly input: Readonly<Record<string, any>>;
}

/** A reply in place of the service's: what a fault injected by a test answers. */
export interface AwsReply {
  readonly statusCode: number;
  readonly contentType: string;
  readonly body: string;
}

export interface AwsEndpointOptions {
  readonly functions: FunctionPolicies;
  /** Where each service's requests go on: DynamoDB Local and the SES emulator. */
  readonly upstreams: Readonly<Record<'dynamodb' | 'ses', string>>;
  /** Told one line for each call IAM denied. */
  readonly report: (line: string) => void;
  /**
   * Answers a call instead of the service when it returns a reply (tests: faults the real parts cannot produce).
   * @default - every call reaches the service
   */
  readonly intercept?: (call: AwsCall) => AwsReply | undefined;
}

export interface AwsEndpoint {
  readonly url: string;
  stop(): Promise<void>;
}

/** The signing service of a SigV4 credential scope, as the endpoint routes it. */
const SERVICES: Readonly<Record<string, Service>> = { dynamodb: 'dynamodb', ses: 'ses', email: 'ses' };

/** `Credential=<key>/<date>/<region>/<service>/aws4_request` of a SigV4 Authorization header. */
function credentialOf(request: IncomingMessage): { accessKeyId: string; service: string } | undefined {
  const match = /Credential=([^/,\s]+)\/[^/]+\/[^/]+\/([^/]+)\/aws4_request/.exec(request.headers.authorization ?? '');
  return match === null ? undefined : { accessKeyId: match[1]!, service: match[2]! };
}

function readBody(request: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => resolve(Buffer.concat(chunks)));
    request.on('error', reject);
  });
}

/** The operation and parameters of a request: DynamoDB names it in X-Amz-Target, SES's query API in the form. */
function callOf(service: Service, request: IncomingMessage, body: Buffer): { operation: string; input: Record<string, any> } {
  if (service === 'dynamodb') {
    const target = String(request.headers['x-amz-target'] ?? '');
    return { operation: target.slice(target.indexOf('.') + 1), input: body.length > 0 ? (JSON.parse(body.toString('utf8')) as Record<string, any>) : {} };
  }
  const form = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  return { operation: form.Action ?? 'Unknown', input: form };
}

/** An error as each service's protocol writes it, so the SDK in the function parses it as it parses AWS's. */
function errorReply(service: Service, statusCode: number, code: string, message: string): AwsReply {
  if (service === 'dynamodb') {
    return { statusCode, contentType: 'application/x-amz-json-1.0', body: JSON.stringify({ __type: `com.amazon.coral.service#${code}`, message }) };
  }
  const escaped = message.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
  return {
    statusCode,
    contentType: 'text/xml',
    body: `<ErrorResponse xmlns="http://ses.amazonaws.com/doc/2010-12-01/"><Error><Type>Sender</Type><Code>${code}</Code><Message>${escaped}</Message></Error><RequestId>local</RequestId></ErrorResponse>`,
  };
}

/** What AWS answers a call its policy denies: DynamoDB's AccessDeniedException, SES's AccessDenied. */
function denial(service: Service, policy: FunctionPolicy, denied: Request): { reply: AwsReply; line: string } {
  const message = `User: arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${policy.operationId}/local is not authorized to perform: ${denied.action} on resource: ${denied.resources[0]} because no identity-based policy allows the ${denied.action} action`;
  return { reply: errorReply(service, service === 'dynamodb' ? 400 : 403, service === 'dynamodb' ? 'AccessDeniedException' : 'AccessDenied', message), line: `AccessDeniedException: ${message}` };
}

function send(response: ServerResponse, reply: AwsReply): void {
  response.writeHead(reply.statusCode, { 'Content-Type': reply.contentType, 'Content-Length': Buffer.byteLength(reply.body), 'x-amzn-RequestId': 'local' });
  response.end(reply.body);
}

/** Passes the request on unchanged; abandons it if the function's SDK gives up first (its own timeout). */
function forward(target: URL, request: IncomingMessage, body: Buffer, response: ServerResponse): void {
  const outgoing = httpRequest(
    { host: target.hostname, port: target.port, method: request.method, path: request.url, headers: { ...request.headers, host: target.host } },
    (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    },
  );
  outgoing.on('error', () => response.destroy());
  response.on('close', () => outgoing.destroy());
  outgoing.end(body);
}

/** What the endpoint decides with, built once when it starts. */
interface Endpoint {
  readonly options: AwsEndpointOptions;
  readonly byAccessKey: ReadonlyMap<string, FunctionPolicy>;
  readonly isAllowed: (policy: FunctionPolicy, request: Request) => boolean;
  readonly upstreams: Readonly<Record<'dynamodb' | 'ses', URL>>;
}

async function handle({ options, byAccessKey, isAllowed, upstreams }: Endpoint, request: IncomingMessage, response: ServerResponse): Promise<void> {
  const body = await readBody(request);
  const credential = credentialOf(request);
  const service = credential === undefined ? undefined : SERVICES[credential.service];
  const policy = credential === undefined ? undefined : byAccessKey.get(credential.accessKeyId);
  if (service === undefined) return send(response, errorReply('dynamodb', 400, 'UnknownOperationException', 'The local AWS endpoint serves DynamoDB and SES only.'));
  if (policy === undefined) return send(response, errorReply(service, 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.'));
  const { operation, input } = callOf(service, request, body);
  const denied = requestsOf(service, operation, input).find((needed) => !isAllowed(policy, needed));
  if (denied !== undefined) {
    const { reply, line } = denial(service, policy, denied);
    options.report(line);
    return send(response, reply);
  }
  const intercepted = options.intercept?.({ operationId: policy.operationId, service, operation, input });
  if (intercepted !== undefined) return send(response, intercepted);
  forward(upstreams[service === 'ses' ? 'ses' : 'dynamodb'], request, body, response);
}

/** Starts the endpoint on a free loopback port. */
export async function startAwsEndpoint(options: AwsEndpointOptions): Promise<AwsEndpoint> {
  const endpoint: Endpoint = {
    options,
    byAccessKey: new Map(Object.values(options.functions).map((policy) => [accessKeyIdOf(policy.operationId), policy])),
    isAllowed: rememberedDecisions(),
    upstreams: { dynamodb: new URL(options.upstreams.dynamodb), ses: new URL(options.upstreams.ses) },
  };
  const server: Server = createServer((request, response) => {
    handle(endpoint, request, response).catch((error: unknown) => {
      options.report(`local AWS endpoint error: ${error instanceof Error ? error.message : String(error)}`);
      if (!response.headersSent) send(response, errorReply('dynamodb', 500, 'InternalServerError', 'The local AWS endpoint failed.'));
      else response.destroy();
    });
  });
  // The functions' SDK clients keep connections open between invocations, as they do against AWS.
  server.keepAliveTimeout = 60_000;
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      resolve({
        url: `http://127.0.0.1:${port}`,
        stop: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

/** A reply in the service's own error format, for an `intercept` to answer with. */
export const serviceError = (service: Service, statusCode: number, code: string, message: string): AwsReply => errorReply(service, statusCode, code, message);
