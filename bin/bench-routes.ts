// Benchmark section: every route of the route table over the local HTTP stack at bcrypt cost 4, each with a valid
// request, its p50 and p99, and the DynamoDB and SES requests its function makes, counted at the local AWS endpoint.
// The counts go to docs/requests-per-route.md as well, which the README includes. Sign-in is measured in three
// cases (success, wrong password, unknown email), interleaved.
import { randomBytes } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { adminKey } from '../functions/adapters/dynamodb/keys';
import { fallbackRoute, routes, type RouteDefinition, type RouteName } from '../functions/contract/routes';
import { DEFAULT_PASSWORD_POLICY } from '../functions/domain/password-policy';
import { setCompanyFeature } from '../functions/use-cases/operator';
import type { AwsCall } from '../local/aws-endpoint';
import { markdownTable, ms, printTable, summary, timed, times } from './bench-report';
import {
  LOW_BCRYPT_COST,
  companyWithMaster,
  expectStatus,
  freshPassword,
  registerAdmin,
  signedInAdmin,
  type BenchRequest,
  type BenchResponse,
  type BenchStack,
  type SignedIn,
} from './bench-stack';

/** Measured requests per route case, after WARM_UP_RUNS that load each function's workers. */
const ROUTE_RUNS = 7;
const WARM_UP_RUNS = 1;
const GET_ITEM_RUNS = 21;
/** Wrong passwords one account takes in the bench: one fewer than lock it under the default policy. */
const WRONG_PASSWORDS_PER_ACCOUNT = DEFAULT_PASSWORD_POLICY.lockoutThreshold - 1;
/** The README includes this file; `npm run bench` writes it. */
export const REQUESTS_PER_ROUTE_FILE = join(import.meta.dirname, '..', 'docs', 'requests-per-route.md');

/** One request a route is measured with: built afresh before each run (the setup is not measured). */
interface RouteCase {
  /** Which of the route's cases, when it has several (sign-in's outcomes). */
  readonly label: string;
  prepare(): Promise<BenchRequest>;
  readonly status: number;
  /** Sees each answer, for what the next request needs (the ETag of the last one). */
  answered?(response: BenchResponse): void;
}

/** Every route of the table has its cases here: a new route fails the typecheck until the bench measures it. */
type RouteCases = Readonly<Record<RouteName, readonly RouteCase[]>>;

/** The requests one case's function makes per request, by service and operation in the order first made. */
export interface RequestCounts {
  readonly dynamodb: Readonly<Record<string, number>>;
  readonly ses: Readonly<Record<string, number>>;
}

export interface RouteMeasurement {
  readonly operationId: string;
  readonly route: string;
  readonly label: string;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly runs: number;
  /** The counts of most runs; `otherCounts` lists any others seen, with how many runs made them. */
  readonly counts: RequestCounts;
  readonly otherCounts: readonly { readonly counts: RequestCounts; readonly runs: number }[];
}

export interface RouteResults {
  readonly bareGetItemMs: number;
  readonly routes: readonly RouteMeasurement[];
  /** A route case by `operationId` or `operationId/label`. */
  find(operationId: string, label?: string): RouteMeasurement | undefined;
}

/** The labels of sign-in's three measured cases. */
export const SIGN_IN_CASES = { success: 'success', wrongPassword: 'wrong password', unknownEmail: 'unknown email' } as const;

function countsOf(calls: readonly AwsCall[]): RequestCounts {
  const tally = (service: AwsCall['service']) => {
    const counts: Record<string, number> = {};
    for (const call of calls) if (call.service === service) counts[call.operation] = (counts[call.operation] ?? 0) + 1;
    return counts;
  };
  return { dynamodb: tally('dynamodb'), ses: tally('ses') };
}

export const totalOf = (counts: Readonly<Record<string, number>>): number => Object.values(counts).reduce((sum, count) => sum + count, 0);

/** `GetItem x2, TransactWriteItems`, or `–` for none. */
export function describeCounts(counts: Readonly<Record<string, number>>): string {
  const parts = Object.entries(counts).map(([operation, count]) => (count === 1 ? operation : `${operation} x${count}`));
  return parts.length === 0 ? '–' : parts.join(', ');
}

const routeText = (route: Pick<RouteDefinition, 'method' | 'path'>) => `${route.method} ${route.path}`;

/** The company the routes are measured in, and its admins, each with the one role the measurements give him. */
interface RouteFixtures {
  readonly companyId: string;
  readonly master: SignedIn;
  /** Signs in over and over (sign-in's success and unknown email, sign-out's fresh sessions). */
  readonly signer: SignedIn;
  /**
   * Take sign-in's wrong passwords, WRONG_PASSWORDS_PER_ACCOUNT each: a success gives back only its own place, so one
   * account would lock (and sign-in would then skip the comparison) however the cases interleave.
   */
  readonly wrongPasswordTakers: readonly SignedIn[];
  /** Changes his own password over and over. */
  readonly changer: SignedIn;
  /** What the master's admin routes act on (get, update, temporary password, unlock). */
  readonly target: { adminId: string; email: string };
  /** Answers the new-password challenge over and over. */
  readonly challenged: { adminId: string; email: string };
  /** Receives reset links. */
  readonly resetTarget: { adminId: string; email: string };
}

async function setUpFixtures(stack: BenchStack): Promise<RouteFixtures> {
  const companyId = `bench-routes-${randomBytes(3).toString('hex')}`;
  const master = await companyWithMaster(stack, companyId);
  // The operator's switch that lets a master edit the policy (PUT /company/password-policy).
  await setCompanyFeature({ companyId, feature: 'password-policy', enabled: true }, { companies: stack.directory.companies, clock: { now: () => new Date() }, random: { bytes: randomBytes } });
  const email = (who: string) => `${who}@${companyId}.example`;
  const wrongPasswordTakers: SignedIn[] = [];
  for (let index = 0; index * WRONG_PASSWORDS_PER_ACCOUNT < WARM_UP_RUNS + ROUTE_RUNS; index += 1) wrongPasswordTakers.push(await signedInAdmin(stack, master, companyId, email(`wrong-${index}`)));
  return {
    companyId,
    master,
    wrongPasswordTakers,
    signer: await signedInAdmin(stack, master, companyId, email('signer')),
    changer: await signedInAdmin(stack, master, companyId, email('changer'), { canChangeOwnPassword: true }),
    target: await registerAdmin(stack, master, email('target')),
    challenged: await registerAdmin(stack, master, email('challenged')),
    resetTarget: await registerAdmin(stack, master, email('reset-target')),
  };
}

/** Each route's valid requests. */
function routeCases(stack: BenchStack, fixtures: RouteFixtures): RouteCases {
  const { companyId, master, signer, wrongPasswordTakers, changer, target, challenged, resetTarget } = fixtures;
  const request = (value: BenchRequest) => async () => value;
  const asMaster = (method: string, path: string, body?: unknown): BenchRequest => ({ method, path, token: master.token, ...(body === undefined ? {} : { body }) });
  const one = (prepare: () => Promise<BenchRequest>, status: number, answered?: RouteCase['answered']): RouteCase[] => [{ label: '', prepare, status, ...(answered ? { answered } : {}) }];
  const signInOf = (email: string, password: string): BenchRequest => ({ method: 'POST', path: '/sign-in', body: { companyId, email, password } });
  const freshSession = async () => expectStatus(await stack.send(signInOf(signer.email, signer.password)), 200, 'a fresh session').body.sessionToken as string;
  /** The token of a reset link the master has just had sent to the reset target. */
  const freshResetToken = async () => {
    const before = await stack.emailCountTo(resetTarget.email);
    expectStatus(await stack.send(asMaster('POST', `/admins/${resetTarget.adminId}/password-reset`, {})), 202, 'a reset link');
    const token = /#token=([A-Za-z0-9_-]+)/.exec(await stack.nextEmailTo(resetTarget.email, before))?.[1];
    if (token === undefined) throw new Error('the reset email has no link');
    return token;
  };
  let wrongPasswords = 0;
  let changerPassword = changer.password;
  let targetEtag: string | undefined;
  let verifiedToken: string | undefined;
  let policy: Record<string, unknown> | undefined;
  let suppressed = 0;

  return {
    consolePage: one(request({ method: 'GET', path: '/' }), 200),
    health: one(request({ method: 'GET', path: '/health' }), 200),
    openApi: one(request({ method: 'GET', path: '/openapi.json' }), 200),
    signIn: [
      { label: SIGN_IN_CASES.success, prepare: request(signInOf(signer.email, signer.password)), status: 200 },
      {
        label: SIGN_IN_CASES.wrongPassword,
        prepare: async () => {
          const taker = wrongPasswordTakers[Math.floor(wrongPasswords / WRONG_PASSWORDS_PER_ACCOUNT)]!;
          wrongPasswords += 1;
          return signInOf(taker.email, `${taker.password} not`);
        },
        status: 401,
      },
      { label: SIGN_IN_CASES.unknownEmail, prepare: request(signInOf(`nobody@${companyId}.example`, signer.password)), status: 401 },
    ],
    answerNewPasswordChallenge: one(async () => {
      const temporaryPassword = freshPassword();
      expectStatus(await stack.send(asMaster('PUT', `/admins/${challenged.adminId}/temporary-password`, { temporaryPassword })), 204, 'a temporary password');
      const challenge = expectStatus(await stack.send(signInOf(challenged.email, temporaryPassword)), 200, 'a challenge').body;
      return { method: 'POST', path: '/sign-in/new-password', body: { challengeToken: challenge.challengeToken, newPassword: freshPassword() } };
    }, 200),
    signOut: one(async () => ({ method: 'POST', path: '/sign-out', token: await freshSession() }), 204),
    getMe: one(request(asMaster('GET', '/me')), 200),
    changeOwnPassword: one(
      async () => {
        const newPassword = freshPassword();
        const body = { currentPassword: changerPassword, newPassword };
        changerPassword = newPassword;
        return { method: 'PUT', path: '/me/password', token: changer.token, body };
      },
      204,
    ),
    listAdmins: one(request(asMaster('GET', '/admins')), 200),
    createAdmin: one(
      async () => asMaster('POST', '/admins', { email: `new-${randomBytes(5).toString('hex')}@${companyId}.example`, name: 'Nia New', role: 'general', canChangeOwnPassword: false, temporaryPassword: freshPassword() }),
      201,
    ),
    getAdmin: one(request(asMaster('GET', `/admins/${target.adminId}`)), 200),
    updateAdmin: one(
      async () => {
        targetEtag ??= expectStatus(await stack.send(asMaster('GET', `/admins/${target.adminId}`)), 200, 'the ETag').headers.get('etag') ?? undefined;
        return { ...asMaster('PATCH', `/admins/${target.adminId}`, { name: `Tia Target ${randomBytes(2).toString('hex')}` }), headers: { 'if-match': targetEtag ?? '' } };
      },
      200,
      (response) => (targetEtag = response.headers.get('etag') ?? undefined),
    ),
    disableAdmin: one(async () => asMaster('DELETE', `/admins/${(await registerAdmin(stack, master, `leaving-${randomBytes(5).toString('hex')}@${companyId}.example`)).adminId}`), 204),
    // A disabled admin to enable, fresh for each run (enabling an active one writes nothing).
    enableAdmin: one(async () => {
      const { adminId } = await registerAdmin(stack, master, `returning-${randomBytes(5).toString('hex')}@${companyId}.example`);
      expectStatus(await stack.send(asMaster('DELETE', `/admins/${adminId}`)), 204, 'the disable before enabling');
      return asMaster('POST', `/admins/${adminId}/enable`);
    }, 204),
    setTemporaryPassword: one(
      async () => {
        // The target's ETag changes with his password: the next PATCH reads it again.
        targetEtag = undefined;
        return asMaster('PUT', `/admins/${target.adminId}/temporary-password`, { temporaryPassword: freshPassword() });
      },
      204,
    ),
    requestPasswordReset: one(request(asMaster('POST', `/admins/${resetTarget.adminId}/password-reset`, {})), 202),
    passwordChangeScreen: one(request({ method: 'GET', path: '/password-reset' }), 200),
    // Verifying reads the link and uses nothing up, so one link serves every run.
    verifyPasswordReset: one(async () => ({ method: 'POST', path: '/password-reset/verify', body: { token: (verifiedToken ??= await freshResetToken()) } }), 200),
    completePasswordReset: one(async () => {
      const newPassword = freshPassword();
      return { method: 'POST', path: '/password-reset/complete', body: { token: await freshResetToken(), newPassword, confirmPassword: newPassword } };
    }, 204),
    unlockAdmin: one(request(asMaster('POST', `/admins/${target.adminId}/unlock`)), 204),
    unlockOwnSignIn: one(request(asMaster('POST', '/me/unlock')), 204),
    getPasswordPolicy: one(request(asMaster('GET', '/company/password-policy')), 200),
    updatePasswordPolicy: one(
      async () => {
        policy ??= expectStatus(await stack.send(asMaster('GET', '/company/password-policy')), 200, 'the policy').body.policy;
        // A change nothing else measured depends on, so every run writes.
        return asMaster('PUT', '/company/password-policy', { ...policy, lockoutMinutes: policy?.lockoutMinutes === 15 ? 16 : 15 });
      },
      200,
      (response) => (policy = response.body.policy),
    ),
    listAuditEvents: one(request(asMaster('GET', '/audit-events')), 200),
    listSuppressedAddresses: one(request(asMaster('GET', '/company/suppressed-addresses')), 200),
    clearSuppressedAddress: one(async () => {
      const email = `bounced-${(suppressed += 1)}@${companyId}.example`;
      // As SES's feedback would have suppressed it (functions/use-cases/delivery-feedback.ts), straight through the port.
      await stack.directory.suppressions.suppress(
        { companyId, email, reason: 'bounce', detail: 'General', purpose: 'password-reset', feedbackId: `feedback-${suppressed}`, messageId: `message-${suppressed}`, suppressedAt: new Date().toISOString() },
        [],
      );
      return asMaster('DELETE', `/company/suppressed-addresses/${encodeURIComponent(email)}`);
    }, 204),
  };
}

/** Runs a route's cases in rounds (each round every case once, the order rotating), and counts each run's requests. */
async function measureRoute(stack: BenchStack, route: Pick<RouteDefinition, 'operationId' | 'method' | 'path'>, cases: readonly RouteCase[]): Promise<RouteMeasurement[]> {
  const samples = cases.map(() => [] as number[]);
  const seen = cases.map(() => new Map<string, { counts: RequestCounts; runs: number }>());
  for (let round = -WARM_UP_RUNS; round < ROUTE_RUNS; round += 1) {
    for (let i = 0; i < cases.length; i += 1) {
      const index = (Math.max(round, 0) + i) % cases.length;
      const routeCase = cases[index]!;
      const request = await routeCase.prepare();
      const { result, calls } = await stack.awsCallsDuring(() => stack.send(request));
      expectStatus(result, routeCase.status, `${routeText(route)} ${routeCase.label}`.trim());
      routeCase.answered?.(result);
      if (round < 0) continue;
      samples[index]!.push(result.ms);
      const counts = countsOf(calls.filter((call) => call.operationId === route.operationId));
      const key = JSON.stringify(counts);
      const entry = seen[index]!.get(key) ?? { counts, runs: 0 };
      seen[index]!.set(key, { ...entry, runs: entry.runs + 1 });
    }
  }
  return cases.map((routeCase, index) => {
    const stats = summary(samples[index]!);
    const [usual, ...others] = [...seen[index]!.values()].sort((a, b) => b.runs - a.runs);
    return { operationId: route.operationId, route: routeText(route), label: routeCase.label, p50Ms: stats.median, p99Ms: stats.p99, runs: stats.runs, counts: usual!.counts, otherCounts: others };
  });
}

/** One DynamoDB GetItem of an admin, from this process straight to DynamoDB Local: the floor of any route that reads. */
async function bareGetItem(stack: BenchStack, fixtures: RouteFixtures): Promise<number> {
  const get = () => stack.client.send(new GetCommand({ TableName: stack.tables.directory, Key: adminKey(fixtures.companyId, fixtures.master.adminId) }));
  await get();
  const samples: number[] = [];
  for (let i = 0; i < GET_ITEM_RUNS; i += 1) samples.push(await timed(get));
  return summary(samples).median;
}

const operationsCell = (measurement: RouteMeasurement, service: keyof RequestCounts) =>
  [describeCounts(measurement.counts[service]), ...measurement.otherCounts.map((other) => `or ${describeCounts(other.counts[service])} (${other.runs} of ${measurement.runs} runs)`)].join(' ');

/** The table the README includes: requests only, which carry across machines (timings do not). */
function requestsTable(measurements: readonly RouteMeasurement[]): string {
  return markdownTable(
    ['route', 'case', 'DynamoDB', 'DynamoDB requests', 'SES', 'SES requests'],
    measurements.map((measurement) => [
      `\`${measurement.route}\``,
      measurement.label || '–',
      String(totalOf(measurement.counts.dynamodb)),
      operationsCell(measurement, 'dynamodb'),
      String(totalOf(measurement.counts.ses)),
      operationsCell(measurement, 'ses'),
    ]),
  );
}

async function writeRequestsFile(measurements: readonly RouteMeasurement[]): Promise<void> {
  const text = [
    '<!-- Generated by `npm run bench` (bin/bench-routes.ts); do not edit by hand: run the bench again. -->',
    '',
    '### Requests per route',
    '',
    'The DynamoDB and SES requests each route\'s function makes for one valid request, counted at the local AWS endpoint',
    '(every call a function makes passes it), without an `Idempotency-Key` header. A retry that carries one adds the',
    'idempotency table\'s requests. Sign-in is counted for each of its outcomes.',
    '',
    requestsTable(measurements),
    '',
  ].join('\n');
  await writeFile(REQUESTS_PER_ROUTE_FILE, text);
}

/** Every route's p50 and p99 and requests, printed, with the requests also written to REQUESTS_PER_ROUTE_FILE. */
export async function benchRoutes(stack: BenchStack): Promise<RouteResults & { readonly master: SignedIn; readonly companyId: string }> {
  console.log(`## Every route over the local HTTP stack at bcrypt cost ${LOW_BCRYPT_COST} (${ROUTE_RUNS} runs each after ${WARM_UP_RUNS} warm-up; p99 of ${ROUTE_RUNS} is the slowest)\n`);
  const fixtures = await setUpFixtures(stack);
  const bareGetItemMs = await bareGetItem(stack, fixtures);
  const cases = routeCases(stack, fixtures);
  const measurements: RouteMeasurement[] = [];
  for (const [name, routeCasesOfName] of Object.entries(cases) as [RouteName, readonly RouteCase[]][]) {
    measurements.push(...(await measureRoute(stack, routes[name], routeCasesOfName)));
  }
  // Not in the route table, but a function of its own behind every path the table does not declare.
  measurements.push(...(await measureRoute(stack, fallbackRoute, one404())));

  printTable(
    ['route', 'case', 'p50 ms', 'p99 ms', 'p50 vs bare GetItem', 'DynamoDB', 'SES', 'DynamoDB requests'],
    measurements.map((measurement) => [
      measurement.route,
      measurement.label || '–',
      ms(measurement.p50Ms),
      ms(measurement.p99Ms),
      times(measurement.p50Ms / bareGetItemMs),
      String(totalOf(measurement.counts.dynamodb)),
      String(totalOf(measurement.counts.ses)),
      operationsCell(measurement, 'dynamodb'),
    ]),
  );
  console.log(`A bare GetItem from this process straight to DynamoDB Local: ${ms(bareGetItemMs)} ms (median of ${GET_ITEM_RUNS}).`);
  await writeRequestsFile(measurements);
  console.log(`Requests per route written to ${REQUESTS_PER_ROUTE_FILE} (the README includes it).\n`);
  return {
    bareGetItemMs,
    routes: measurements,
    find: (operationId, label = '') => measurements.find((measurement) => measurement.operationId === operationId && measurement.label === label),
    master: fixtures.master,
    companyId: fixtures.companyId,
  };
}

/** The fallback's one case: a path no route declares. */
const one404 = (): RouteCase[] => [{ label: '', prepare: async () => ({ method: 'GET', path: '/no-such-route' }), status: 404 }];
