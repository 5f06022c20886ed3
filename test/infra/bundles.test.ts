// Bundle tests: every route's handler bundled as it deploys (lib/bundling.ts through esbuild's JS API, once per run by
// the global setup: local/function-bundles.ts). What a bundle carries follows from the route table, and a bundle runs
// on Node 24 on its own, with no node_modules beside it.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { PASSWORD_DICTIONARIES_FILE } from '../../functions/adapters/password-dictionaries/dictionaries-file';
import { eventFunctionList, eventFunctions, type FunctionDeclaration } from '../../functions/contract/event-functions';
import { fallbackRoute, judgesNewPasswords, routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { BUNDLE_FILE, packagesInBundle } from '../../lib/bundling';
import { testBundles } from '../support/api-client';
import { apiEvent, lambdaContext } from '../handlers/events';

const run = promisify(execFile);

/** A route, or an event function (which answers no error code and takes no Idempotency-Key). */
type Bundled = FunctionDeclaration & Partial<Pick<RouteDefinition, 'errors' | 'idempotency'>>;

interface PackageRule {
  readonly name: string;
  /** What about a route makes its bundle need the package, as the test names say it. */
  readonly when: string;
  readonly needed: (route: Bundled) => boolean;
}

/** Which routes' bundles carry a package, read off the route table; every other route's bundle leaves it out. */
const PACKAGE_RULES: readonly PackageRule[] = [
  { name: 'bcryptjs', when: 'the route uses the pepper', needed: (route) => route.usesPepper === true },
  { name: '@aws-sdk/client-secrets-manager', when: 'the route uses the pepper', needed: (route) => route.usesPepper === true },
  { name: '@aws-sdk/client-dynamodb', when: 'the route declares a table', needed: (route) => Object.keys(route.tables).length > 0 },
  { name: '@aws-sdk/client-ses', when: 'the route sends mail', needed: (route) => route.sendsEmail === true },
  // zxcvbn judges new passwords, nothing else (its dictionaries are a file beside the bundle: see below).
  { name: '@zxcvbn-ts/core', when: 'the route judges a new password', needed: judgesNewPasswords },
  // The OpenAPI generator builds the document at the cold start of GET /openapi.json, and nowhere else.
  { name: 'zod-openapi', when: 'the route serves the OpenAPI document', needed: (route) => route.handler === routes.openApi.handler },
  { name: '@aws-lambda-powertools/idempotency', when: 'the route replays retries', needed: (route) => route.idempotency === 'key' },
  // The service's metrics count what the stores stored and the mailer sent (functions/http/metrics.ts).
  { name: '@aws-lambda-powertools/metrics', when: 'the route declares a table', needed: (route) => Object.keys(route.tables).length > 0 },
];

/**
 * The SDK's default credential chain and what only its other sources use (SSO, profiles, credential processes, web
 * identity, container and instance metadata, and their STS and SSO clients): the bundles take Lambda's environment
 * credentials instead (lib/bundling.ts).
 */
const UNUSED_CREDENTIAL_SOURCES = [
  '@aws-sdk/credential-provider-node',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  '@aws-sdk/nested-clients',
];

const bundledRoutes: readonly Bundled[] = [...routeList, fallbackRoute, ...eventFunctionList];
// Loading a bundle costs a Node process each; these cover no AWS client, DynamoDB only, DynamoDB with bcrypt, the
// OpenAPI generator (which builds the document as the bundle loads), and the one function no HTTP request invokes.
const importedRoutes: readonly Bundled[] = [routes.health, routes.signIn, routes.signOut, routes.openApi, eventFunctions.sesFeedback];

/** The configuration a deployed function gets from the stack, with the pepper given directly as it is locally. */
const FUNCTION_ENV = {
  DIRECTORY_TABLE: 'adminpass-directory',
  SESSIONS_TABLE: 'adminpass-sessions',
  TOKENS_TABLE: 'adminpass-tokens',
  PASSWORD_PEPPER: 'bundle-test-pepper-0123456789abcdef0123',
  AWS_REGION: 'us-east-1',
  // The probe answers on stdout, which the handler's log lines would share.
  POWERTOOLS_LOG_LEVEL: 'SILENT',
};

// The breached-password check's adapter: no package, so its own module is looked for among the bundle's inputs.
const BREACH_CHECK_ADAPTER = 'functions/adapters/pwned-passwords/pwned-passwords.ts';

let outputRoot: string;
const packagesOf = new Map<Bundled, ReadonlySet<string>>();
const breachCheckIn = new Map<Bundled, boolean>();
const externalImportsOf = new Map<Bundled, readonly string[]>();
const sourcesOf = new Map<Bundled, readonly string[]>();
const bundleOf = (route: Bundled): string => join(outputRoot, route.handler, BUNDLE_FILE);

/**
 * Runs an ES module script with the Node running this test (Node 24 under `npm test`), in the temp folder and with
 * only FUNCTION_ENV, and answers the JSON it prints.
 */
async function runInNode(script: string): Promise<unknown> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '--eval', script], { cwd: outputRoot, env: FUNCTION_ENV });
  return JSON.parse(stdout);
}

const importOf = (route: Bundled): string => `await import(${JSON.stringify(pathToFileURL(bundleOf(route)).href)})`;

beforeAll(async () => {
  // The bundles the run's global setup built once (local/function-bundles.ts, the settings CDK hands esbuild), which
  // the local server runs too: read through their metafiles.
  const bundles = testBundles();
  for (const route of bundledRoutes) {
    const metafile = bundles.metafileOf(route.handler);
    packagesOf.set(route, packagesInBundle(metafile));
    breachCheckIn.set(route, Object.values(metafile.outputs).some((output) => (output.inputs[BREACH_CHECK_ADAPTER]?.bytesInOutput ?? 0) > 0));
    sourcesOf.set(route, Object.keys(metafile.inputs));
    externalImportsOf.set(route, Object.values(metafile.outputs).flatMap((output) => output.imports.filter((entry) => entry.external).map((entry) => entry.path)));
  }
  // Those to import, copied outside the project, so a bundle that still needed a package from node_modules would fail to load.
  outputRoot = await mkdtemp(join(tmpdir(), 'adminpass-bundles-'));
  for (const route of importedRoutes) {
    await mkdir(dirname(bundleOf(route)), { recursive: true });
    await copyFile(bundles.bundleOf(route.handler), bundleOf(route));
  }
});

afterAll(async () => {
  if (outputRoot !== undefined) await rm(outputRoot, { recursive: true, force: true });
});

describe.each(bundledRoutes.map((route) => [route.handler, route] as const))('when the %s handler is bundled', (_handler, route) => {
  for (const rule of PACKAGE_RULES) {
    const needed = rule.needed(route);
    it(needed ? `contains ${rule.name}, as ${rule.when}` : `leaves out ${rule.name}, needed only when ${rule.when}`, () => {
      expect(packagesOf.get(route)?.has(rule.name)).toBe(needed);
    });
  }

  const judges = judgesNewPasswords(route);
  it(judges ? 'contains the breached-password check, as the route judges a new password' : 'leaves out the breached-password check, needed only when the route judges a new password', () => {
    expect(breachCheckIn.get(route)).toBe(judges);
  });

  it(
    judges
      ? "reads zxcvbn's dictionaries from the data file beside it, with none of them in its code"
      : "carries none of zxcvbn's dictionaries, in its code or beside it",
    () => {
      // The language packages' modules are 1.6 MB of string literals: the bundles resolve them to the data file's
      // reader (lib/bundling.ts), which the bundle's folder holds only where a password is judged.
      expect([...(packagesOf.get(route) ?? [])].filter((name) => name.startsWith('@zxcvbn-ts/language-'))).toEqual([]);
      expect(existsSync(join(testBundles().dir, route.handler, PASSWORD_DICTIONARIES_FILE))).toBe(judges);
    },
  );

  it("leaves out the SDK's default credential chain and the credential sources only it uses", () => {
    expect(UNUSED_CREDENTIAL_SOURCES.filter((name) => packagesOf.get(route)?.has(name))).toEqual([]);
  });

  it('imports no Node built-in as an ES module, whose facade would load more of Node at the cold start', () => {
    // Every built-in is an alias to a module that takes it with process.getBuiltinModule (BUILTINS_WITHOUT_FACADE).
    expect(externalImportsOf.get(route)).toEqual([]);
  });

  it('leaves out the local runtime (local/), its IAM check included', () => {
    expect(sourcesOf.get(route)?.filter((source) => /(^|\/)local\//.test(source))).toEqual([]);
  });
});

describe.each(importedRoutes.map((route) => [route.handler, route] as const))('when the %s bundle is imported', (_handler, route) => {
  it('loads on Node 24 with no node_modules beside it and exports a handler function', async () => {
    // Act
    const probe = await runInNode(
      `const module = ${importOf(route)}; console.log(JSON.stringify({ node: process.versions.node, handler: typeof module.handler }));`,
    );

    // Assess
    expect(probe).toEqual({ node: expect.stringMatching(/^24\./), handler: 'function' });
  });
});

describe('when the health bundle is invoked', () => {
  it('answers a REST API (v1) event with 200', async () => {
    // Prepare: the context's functions do not survive JSON, so the script gives back the one the logger reads.
    const event = JSON.stringify(apiEvent('GET', '/health'));
    const context = `{ ...${JSON.stringify(lambdaContext())}, getRemainingTimeInMillis: () => 30_000 }`;

    // Act
    const result = await runInNode(`const { handler } = ${importOf(routes.health)}; console.log(JSON.stringify(await handler(${event}, ${context})));`);

    // Assess
    expect(result).toMatchObject({ statusCode: 200 });
    expect(JSON.parse((result as { body: string }).body)).toEqual({ status: 'ok' });
  });
});
