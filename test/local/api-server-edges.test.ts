// Local runtime tests (local/api-server.ts, local/readiness.ts): the edges of the local HTTP server. Names a client
// chooses are names, never properties of Object.prototype; paths the table cannot answer are a 404 in the envelope,
// never the console page; what Node refuses itself is answered in the envelope; readiness names what is down.
import { request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { startApiServer, type ApiServer } from '../../local/api-server';
import { freePort } from '../../local/ports';
import { localReadiness } from '../../local/readiness';
import { startApi, testServerOptions, type ApiClient } from '../support/api-client';

const PROTOTYPE_NAMES = ['__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf'];

let api: ApiClient;
beforeAll(async () => {
  api = await startApi();
});
afterAll(() => api.stop());

/** Sends bytes as they are (fetch would normalize the path) and answers the status line's code, headers and body. */
function sendRaw(url: string, text: string): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), hostname, () => socket.end(text));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => {
      const answer = Buffer.concat(chunks).toString('utf8');
      const [head = '', body = ''] = answer.split('\r\n\r\n');
      resolve({ status: Number(/^HTTP\/1\.1 (\d{3})/.exec(head)?.[1]), head, body });
    });
  });
}

/** GET with the path as given (fetch would normalize it) and any header names; answers status, headers and body. */
function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; head: string; body: string }> {
  const { hostname, port } = new URL(api.url);
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host: hostname, port: Number(port), path, method: 'GET', headers }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          head: Object.entries(response.headers).map(([name, value]) => `${name}: ${String(value)}`).join('\n'),
          body: Buffer.concat(chunks).toString('utf8'),
        }),
      );
    });
    request.on('error', reject);
    request.end();
  });
}

describe('when a query parameter or header is named like a property of Object.prototype', () => {
  it.each(PROTOTYPE_NAMES)('answers GET /health?%s=1 as the health check', async (name) => {
    const response = await api.request('GET', `/health?${name}=1`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it.each(PROTOTYPE_NAMES)('answers GET /health with a header named %s as the health check', async (name) => {
    const response = await get('/health', { [name]: '1' });

    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toEqual({ status: 'ok' });
  });

  it.each(PROTOTYPE_NAMES)('refuses GET /admins?%s=1 without a session in the envelope, not with a 502', async (name) => {
    const response = await api.request('GET', `/admins?${name}=1`);

    expect(response.status).toBe(401);
    expect(response.body.error.code).toEqual(expect.any(String));
  });
});

describe('when the path is not one the route table can answer', () => {
  it.each(['//health', '/admins/..', '/admins/%2e%2E', '/admins//x', '/./health'])('answers GET %s with 404 ROUTE_NOT_FOUND in JSON, not the console page', async (path) => {
    const response = await get(path);

    expect(response.status).toBe(404);
    expect(response.head).toMatch(/content-type: application\/json/i);
    expect(JSON.parse(response.body).error.code).toBe('ROUTE_NOT_FOUND');
  });
});

describe('when Node refuses the request before any handler', () => {
  it('answers a request that is not HTTP with 400 in the envelope', async () => {
    const response = await sendRaw(api.url, 'NOT HTTP AT ALL\r\n\r\n');

    expect(response.status).toBe(400);
    expect(JSON.parse(response.body).error.code).toBe('BAD_REQUEST');
  });

  it('answers headers over Node’s limit with 431 in the envelope', async () => {
    const response = await get('/health', { 'x-big': 'a'.repeat(20_000) });

    expect(response.status).toBe(431);
    expect(JSON.parse(response.body).error.code).toBe('HEADERS_TOO_LARGE');
  });
});

describe('when readiness is asked with GET /health?ready', () => {
  let server: ApiServer | undefined;
  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('answers 200 ready when DynamoDB Local and the SES emulator answer', async () => {
    server = await startApiServer({ ...testServerOptions(), port: 0, readiness: localReadiness({ dynamoDb: process.env.DYNAMODB_ENDPOINT!, ses: process.env.SES_ENDPOINT! }) });

    const response = await fetch(`${server.url}/health?ready`);

    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ status: 'ready', checks: { dynamodb: 'ok', ses: 'ok' } });
  });

  it('answers 503 NOT_READY naming DynamoDB Local when it does not answer, while GET /health stays 200', async () => {
    const deadPort = await freePort();
    server = await startApiServer({ ...testServerOptions(), port: 0, readiness: localReadiness({ dynamoDb: `http://127.0.0.1:${deadPort}`, ses: process.env.SES_ENDPOINT! }) });

    const ready = await fetch(`${server.url}/health?ready`);
    const live = await fetch(`${server.url}/health`);

    expect(ready.status).toBe(503);
    expect(await ready.json()).toEqual({ error: { code: 'NOT_READY', message: expect.stringContaining('dynamodb') }, checks: { dynamodb: 'down', ses: 'ok' } });
    expect(live.status).toBe(200);
  });
});
