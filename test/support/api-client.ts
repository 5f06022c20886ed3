// Test support: a small HTTP client for the local API server, and a running server for a test file.
import { appendFileSync, readFileSync } from 'node:fs';
import { startApiServer, type ApiServer, type ApiServerOptions } from '../../local/api-server';
import type { SynthesizedTemplate } from '../../local/synthesized-template';
import { functionBundlesIn } from '../../local/function-bundles';
import { TABLES, type TableKey } from '../../functions/adapters/dynamodb/table-definitions';
import { sendFrom } from '../../local/send-from';
import { contractChecker, type ContractChecker } from './contract';

export interface ApiResponse {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  readonly body: any;
}

export interface ApiClient {
  readonly url: string;
  /**
   * `from` sends the request from another loopback address (127.0.0.2 and up reach the server too), so tests can be
   * several clients, as the server sees them by address.
   */
  request(method: string, path: string, options?: { body?: unknown; token?: string; headers?: Record<string, string>; raw?: string; from?: string }): Promise<ApiResponse>;
  stop(): Promise<void>;
}

/** Tags a request of this client, so the server's check of its answer reaches the test that sent it. */
const PROBE_HEADER = 'x-contract-probe';

/** The document compiled once per test file. */
let checker: ContractChecker | undefined;

/** Adds this server's counts to the run's report (test/support/global-teardown.ts prints the total). */
function report(checked: number, mismatched: number): void {
  const file = process.env.CONTRACT_REPORT_FILE;
  if (file !== undefined) appendFileSync(file, `${JSON.stringify({ checked, mismatched })}\n`);
}

/** What the global setup synthesized for this run (test/support/global-setup.ts). */
export function testTemplate(): SynthesizedTemplate {
  const file = process.env.ADMINPASS_TEMPLATE;
  if (file === undefined) throw new Error('ADMINPASS_TEMPLATE is unset: run the tests through jest, whose global setup synthesizes the app');
  return JSON.parse(readFileSync(file, 'utf8')) as SynthesizedTemplate;
}

/** The bundles the global setup built for this run. */
export function testBundles() {
  const dir = process.env.ADMINPASS_BUNDLES;
  if (dir === undefined) throw new Error('ADMINPASS_BUNDLES is unset: run the tests through jest, whose global setup builds the bundles');
  return functionBundlesIn(dir);
}

/** The shared DynamoDB Local's table names, as the global setup put them in the environment. */
export const testTableNames = (): Record<TableKey, string> =>
  Object.fromEntries((Object.keys(TABLES) as TableKey[]).map((key) => [key, process.env[TABLES[key].envVar]!])) as Record<TableKey, string>;

/** The run's template, bundles and local parts, for a server a test starts itself (without the contract check). */
export const testServerOptions = () => ({
  template: testTemplate(),
  bundles: testBundles(),
  tableNames: testTableNames(),
  upstreams: { dynamodb: process.env.DYNAMODB_ENDPOINT!, ses: process.env.SES_ENDPOINT! },
  onFunctionLog: () => undefined,
});

/** What a test may set of the server; the rest is the run's template, bundles and local parts. */
export type TestApiOptions = Partial<Omit<ApiServerOptions, 'port' | 'onAnswer'>>;

/**
 * Starts the local API server on a free port: the functions' built bundles in workers, with the run's template
 * (another template when given), each AWS call checked against its function's IAM policy. Every answer the server
 * gives, to this client or to anyone else (a browser, a raw fetch), is held to the OpenAPI document
 * (test/support/contract.ts): a mismatch fails the request() that got it; one in an answer to another caller makes
 * stop() throw. The functions' logs are dropped unless `onFunctionLog` takes them.
 */
export async function startApi(options: TestApiOptions = {}): Promise<ApiClient> {
  const contract = (checker ??= contractChecker());
  const problemsOf = new Map<string, string[]>();
  const unclaimed: string[] = [];
  let checked = 0;
  let mismatched = 0;
  let probes = 0;
  // A call the IAM check denied, or a function that failed, is printed, so the test that met it says why.
  const onRequest = (line: string) => {
    if (/^(AccessDeniedException:|function \w+ failed:)/.test(line)) process.stderr.write(`local runtime: ${line}\n`);
  };
  const server: ApiServer = await startApiServer({
    ...testServerOptions(),
    onRequest,
    ...options,
    port: 0,
    onAnswer: (request, result) => {
      const problems = contract.check({ method: request.method, path: request.path, status: result.statusCode, headers: result.headers ?? {}, body: result.body });
      checked += 1;
      if (problems.length > 0) mismatched += 1;
      const probe = request.headers[PROBE_HEADER];
      if (typeof probe === 'string') problemsOf.set(probe, problems);
      else unclaimed.push(...problems);
    },
  });
  return {
    url: server.url,
    async request(method, path, options = {}) {
      const probe = String((probes += 1));
      const headers: Record<string, string> = { ...options.headers, [PROBE_HEADER]: probe };
      if (options.token) headers.authorization = `Bearer ${options.token}`;
      let body: string | undefined;
      if (options.raw !== undefined) body = options.raw;
      else if (options.body !== undefined) {
        body = JSON.stringify(options.body);
        headers['content-type'] ??= 'application/json';
      }
      const response =
        options.from === undefined ? await fetch(server.url + path, { method, headers, ...(body === undefined ? {} : { body }) }) : await sendFrom(options.from, server.url + path, { method, headers, body }).then((sent) => ({ ...sent, text: async () => sent.text }));
      const text = await response.text();
      const problems = problemsOf.get(probe) ?? [];
      problemsOf.delete(probe);
      if (problems.length > 0) throw new Error(`the answer is not what GET /openapi.json declares:\n${problems.join('\n')}`);
      let parsed: unknown;
      try {
        parsed = text === '' ? undefined : JSON.parse(text);
      } catch {
        parsed = undefined;
      }
      return { status: response.status, headers: response.headers, text, body: parsed };
    },
    async stop() {
      await server.stop();
      report(checked, mismatched);
      if (unclaimed.length > 0) throw new Error(`answers not as GET /openapi.json declares them:\n${unclaimed.join('\n')}`);
    },
  };
}
