// Benchmark: each function bundle's cold start on this Node. Every bundle is built as it deploys (lib/bundling.ts),
// and measured by what it is made of (esbuild's metafile), by the import of the built bundle in a fresh Node process
// (against an empty module's import, the floor), and, for the routes in FIRST_REQUESTS, by the first request after
// the import against the second, with DynamoDB answered by a stub on this machine so that only the function's own
// work is timed. `npm run bench` (bin/bench.ts) prints the rows; `npx tsx bin/bench-cold-starts.ts` prints them alone.
import { execFile } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { build } from 'esbuild';
import { routes } from '../functions/contract/routes';
import { BUNDLE_FILE, bytesByPackage, esbuildOptionsFor } from '../lib/bundling';
import { writeBundleFiles } from '../local/bundle-files';
import { bundledFunctions } from '../local/function-bundles';
import { lambdaContext, proxyEvent } from '../local/proxy-event';

const run = promisify(execFile);

/** Fresh processes per bundle; each round imports every bundle once, so a busy moment hits all of them alike. */
const IMPORT_RUNS = 7;
/** Packages listed per bundle, the largest first. */
const TOP_PACKAGES = 5;

/**
 * What a function gets from the stack, with the pepper given directly and credentials in the environment as Lambda
 * gives them. Importing a bundle reads the table names and, in the functions that send email, the mail settings.
 */
const FUNCTION_ENV = {
  DIRECTORY_TABLE: 'adminpass-directory',
  SESSIONS_TABLE: 'adminpass-sessions',
  TOKENS_TABLE: 'adminpass-tokens',
  AUDIT_TABLE: 'adminpass-audit',
  IDEMPOTENCY_TABLE: 'adminpass-idempotency',
  SENDER_EMAIL: 'no-reply@example.com',
  PUBLIC_BASE_URL: 'https://admin.example.com',
  PASSWORD_PEPPER: 'bench-pepper-0123456789abcdef0123456789',
  // The requests time the function's work, not bcrypt's (bin/bench.ts measures that).
  BCRYPT_COST: '4',
  AWS_REGION: 'us-east-1',
  AWS_ACCESS_KEY_ID: 'AKIDBENCHCOLDSTART',
  AWS_SECRET_ACCESS_KEY: 'bench-cold-start-secret',
  AWS_SESSION_TOKEN: 'bench-cold-start-session',
  // One log line per request is written as deployed; the probe's answer is the last line of its output.
  POWERTOOLS_LOG_LEVEL: 'INFO',
};

const event = (method: string, path: string, headers: Record<string, string>, body?: unknown): APIGatewayProxyEvent =>
  proxyEvent({
    method,
    path,
    resource: path,
    multiValueHeaders: Object.fromEntries(Object.entries({ 'User-Agent': 'adminpass-bench', ...headers }).map(([name, value]) => [name, [value]])),
    body: body === undefined ? null : JSON.stringify(body),
    sourceIp: '198.51.100.7',
  });

/**
 * The request sent twice after the import, per route: one without AWS calls, one session check (a DynamoDB read),
 * and a failed sign-in (reads, the decoy's writes and a bcrypt compare). The DynamoDB stub finds nothing, so each
 * ends in its route's refusal, the same way both times.
 */
const FIRST_REQUESTS: ReadonlyMap<string, APIGatewayProxyEvent> = new Map([
  [routes.health.handler, event('GET', '/health', {})],
  // A token of a session token's form (43 base64url characters) that names no session, so it is looked up.
  [routes.getMe.handler, event('GET', '/me', { Authorization: `Bearer ${'bench-session-token-'.padEnd(43, '0')}` })],
  [
    routes.signIn.handler,
    event('POST', '/sign-in', { 'Content-Type': 'application/json' }, { companyId: 'acme', email: 'nobody@acme.example', password: 'Wrong-Horse-Battery-9' }),
  ],
]);

/** One bundle's row. Times are medians of IMPORT_RUNS fresh processes, in milliseconds. */
export interface BundleColdStart {
  /** The function's folder: functions/<handler>. */
  readonly handler: string;
  /** Size of index.mjs, without its source map. */
  readonly bytes: number;
  /** Process start to the module imported: what a cold start pays in Node before the handler runs. */
  readonly sinceStartMs: number;
  /** The import alone (wall clock). */
  readonly importMs: number;
  /** CPU time of the import (all threads): steadier than wall time on a busy machine. */
  readonly importCpuMs: number;
  /** The packages that put the most bytes into the bundle, the project's own sources as OWN_CODE. */
  readonly topPackages: readonly { readonly name: string; readonly bytes: number }[];
  /** Every package with code in the bundle. */
  readonly packages: readonly string[];
  /** The first and second request after the import, for the routes in FIRST_REQUESTS. */
  readonly requests?: { readonly firstMs: number; readonly secondMs: number; readonly status: number };
}

export interface ColdStarts {
  readonly node: string;
  readonly runs: number;
  /** An empty module's import in the same rounds: the floor of any import. */
  readonly emptyModuleMs: number;
  readonly bundles: readonly BundleColdStart[];
}

interface Probe {
  readonly sinceStart: number;
  readonly importMs: number;
  readonly importCpuMs: number;
  readonly requests?: readonly { readonly ms: number; readonly status: number }[];
}

const median = (samples: readonly number[]): number => {
  const sorted = [...samples].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

/**
 * One fresh Node process that imports the module and, given an event, invokes its handler twice. performance.now()
 * counts from the process's start, so `sinceStart` is process start to module ready.
 */
async function probe(module: string, cwd: string, env: Record<string, string>, request?: APIGatewayProxyEvent): Promise<Probe> {
  const context = JSON.stringify(lambdaContext('adminpass-bench'));
  const script = [
    'const cpu = process.cpuUsage(); const before = performance.now();',
    `const module = await import(${JSON.stringify(pathToFileURL(module).href)});`,
    'const after = performance.now(); const used = process.cpuUsage(cpu);',
    'const requests = [];',
    request === undefined
      ? ''
      : `for (let i = 0; i < 2; i += 1) {
          const start = performance.now();
          const result = await module.handler(${JSON.stringify(request)}, { ...${context}, getRemainingTimeInMillis: () => 9000 });
          requests.push({ ms: performance.now() - start, status: result.statusCode });
        }`,
    'console.log(JSON.stringify({ sinceStart: after, importMs: after - before, importCpuMs: (used.user + used.system) / 1000, requests }));',
  ].join('\n');
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd, env });
  const answer = JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as Probe;
  return request === undefined ? { ...answer, requests: undefined } : answer;
}

/** DynamoDB as far as the probed requests need it: every read finds nothing, every write succeeds. */
const STUB_ANSWERS: Readonly<Record<string, unknown>> = {
  GetItem: {},
  Query: { Items: [], Count: 0, ScannedCount: 0 },
  BatchGetItem: { Responses: {}, UnprocessedKeys: {} },
  TransactGetItems: { Responses: [] },
};

async function startDynamoDbStub(): Promise<Server> {
  const server = createServer((request, response) => {
    request.resume();
    request.on('end', () => {
      const operation = String(request.headers['x-amz-target'] ?? '').split('.').at(-1) ?? '';
      response.writeHead(200, { 'Content-Type': 'application/x-amz-json-1.0' });
      response.end(JSON.stringify(STUB_ANSWERS[operation] ?? {}));
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return server;
}

/**
 * Builds every function's bundle as it deploys and measures its cold start (see BundleColdStart); `handlers` limits
 * it to some. Bundles are written outside the project, so nothing can come from node_modules: they load as in Lambda.
 */
export async function benchColdStarts(options: { runs?: number; handlers?: readonly string[] } = {}): Promise<ColdStarts> {
  const runs = options.runs ?? IMPORT_RUNS;
  const functions = bundledFunctions.filter((declaration) => options.handlers?.includes(declaration.handler) ?? true);
  const outputRoot = await mkdtemp(join(tmpdir(), 'adminpass-cold-starts-'));
  const stub = await startDynamoDbStub();
  try {
    const env = { ...FUNCTION_ENV, DYNAMODB_ENDPOINT: `http://127.0.0.1:${(stub.address() as AddressInfo).port}` };
    const bundles = [];
    for (const declaration of functions) {
      const outdir = join(outputRoot, declaration.handler);
      const result = await build({ ...esbuildOptionsFor(declaration, outdir), write: false, metafile: true });
      await mkdir(outdir, { recursive: true });
      await Promise.all(result.outputFiles.map((file) => writeFile(file.path, file.contents)));
      // As the deployment's bundling does: a page's assets and zxcvbn's dictionaries beside the bundle.
      await writeBundleFiles(declaration, outdir);
      const file = join(outdir, BUNDLE_FILE);
      const bytes = result.outputFiles.find((output) => output.path === file)?.contents.byteLength ?? NaN;
      bundles.push({ handler: declaration.handler, file, bytes, packages: bytesByPackage(result.metafile), probes: [] as Probe[] });
    }
    const emptyModule = join(outputRoot, 'empty.mjs');
    await writeFile(emptyModule, 'export {};\n');

    const floor: number[] = [];
    for (let round = 0; round < runs; round += 1) {
      floor.push((await probe(emptyModule, outputRoot, env)).importMs);
      for (const bundle of bundles) bundle.probes.push(await probe(bundle.file, outputRoot, env, FIRST_REQUESTS.get(bundle.handler)));
    }

    return {
      node: process.version,
      runs,
      emptyModuleMs: median(floor),
      bundles: bundles.map(({ handler, bytes, packages, probes }): BundleColdStart => {
        const requests = probes.flatMap((sample) => (sample.requests === undefined ? [] : [sample.requests]));
        return {
          handler,
          bytes,
          sinceStartMs: median(probes.map((sample) => sample.sinceStart)),
          importMs: median(probes.map((sample) => sample.importMs)),
          importCpuMs: median(probes.map((sample) => sample.importCpuMs)),
          topPackages: [...packages]
            .sort(([, a], [, b]) => b - a)
            .slice(0, TOP_PACKAGES)
            .map(([name, size]) => ({ name, bytes: size })),
          packages: [...packages.keys()].sort(),
          ...(requests.length === 0
            ? {}
            : {
                requests: {
                  firstMs: median(requests.map(([first]) => first?.ms ?? NaN)),
                  secondMs: median(requests.map(([, second]) => second?.ms ?? NaN)),
                  status: requests[0]?.[0]?.status ?? NaN,
                },
              }),
        };
      }),
    };
  } finally {
    stub.close();
    await rm(outputRoot, { recursive: true, force: true });
  }
}

/** The rows as a table: headers and cells, numbers as text, for a Markdown printer. */
export function coldStartTable({ bundles }: ColdStarts): { headers: readonly string[]; rows: readonly (readonly string[])[] } {
  const ms = (value: number | undefined) => (value === undefined ? '–' : value.toFixed(1));
  return {
    headers: ['handler', 'KB', 'start→imported ms', 'import ms', 'import CPU ms', '1st request ms', '2nd request ms', 'largest packages (KB)'],
    rows: bundles.map((bundle) => [
      bundle.handler,
      (bundle.bytes / 1024).toFixed(0),
      ms(bundle.sinceStartMs),
      ms(bundle.importMs),
      ms(bundle.importCpuMs),
      ms(bundle.requests?.firstMs),
      ms(bundle.requests?.secondMs),
      bundle.topPackages.map(({ name, bytes }) => `${name} ${(bytes / 1024).toFixed(0)}`).join(', '),
    ]),
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const handlers = process.argv.slice(2);
  const coldStarts = await benchColdStarts(handlers.length > 0 ? { handlers } : {});
  const { headers, rows } = coldStartTable(coldStarts);
  console.log(`node ${coldStarts.node}; medians of ${coldStarts.runs} fresh processes; an empty module imports in ${coldStarts.emptyModuleMs.toFixed(1)} ms\n`);
  for (const cells of [headers, headers.map(() => '---'), ...rows]) console.log(`| ${cells.join(' | ')} |`);
}
