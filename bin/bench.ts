// Entry point: `npm run bench`. Measures side by side, in one run, what issue 13 asks: the password hash variants,
// the timing of failed sign-ins, the guessability rule, each handler bundle's size and cold import, the local stack's
// throughput, every route's latency and AWS requests over the local HTTP stack, sign-in against a bare compare,
// listing at 100 against 10,000 items and the Lambda cost model; then a summary of the figures and the JSON
// of every result under bench/results/. Prints numbers and asserts nothing (exit code 0 unless it crashes). Only
// ratios carry across machines.
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AdminRecord } from '../functions/domain/admin';
import { RESTARTED_ACCOUNT } from '../functions/domain/sign-in-attempts';
import { DomainError } from '../functions/domain/errors';
import { guessabilityOf } from '../functions/domain/guessability';
import { createPasswordHasher, type PasswordHasher } from '../functions/domain/password-hashing';
import type { Origin } from '../functions/domain/audit';
import type { Company } from '../functions/domain/company';
import type { AuditLog, ChallengeStore, SessionStore } from '../functions/domain/ports';
import type { Dependencies, Lifetimes } from '../functions/use-cases/dependencies';
import { signIn, type Credentials } from '../functions/use-cases/sign-in';
import { DEPLOYED_BCRYPT_COST, benchBcryptCosts, benchHashVariants } from './bench-hashes';
import { benchLambdaCost } from './bench-lambda-cost';
import { benchListScale } from './bench-list-scale';
import { benchColdStarts, coldStartTable, type ColdStarts } from './bench-cold-starts';
import { benchLocalStack } from './bench-local-stack';
import { ONLY_RATIOS_CARRY, ms, printTable, summary, timed } from './bench-report';
import { benchRoutes } from './bench-routes';
import { benchSignInOverhead } from './bench-sign-in-overhead';
import { startBenchStack } from './bench-stack';
import { coldStartFiguresOf, printSummary, writeResults, type ColdStartFigures, type ThroughputFigures } from './bench-summary';

const COMPARE_RUNS = 7;
const SIGN_IN_COST = DEPLOYED_BCRYPT_COST;
const SIGN_IN_RUNS = 7;

const PEPPER = Buffer.from('bench-pepper-0123456789abcdef0123456789', 'utf8');
const PASSWORD = 'Correct-Horse-Battery-9';
const ORIGIN: Origin = { sourceIp: '198.51.100.7', userAgent: 'adminpass-bench' };

// ---- sign-in timing: in-memory fakes of the ports the sign-in use case touches

const COMPANY = 'acme';
const NOW = new Date('2026-01-05T09:00:00.000Z');

const unusedBySignIn = (name: string) => () => Promise.reject(new Error(`${name} is not part of sign-in`));

/** One company with one active admin whose permanent password is PASSWORD, as the ports sign-in uses. */
function fakeDirectory(admin: AdminRecord): Pick<Dependencies, 'companies' | 'admins' | 'credentials' | 'attempts'> {
  const company: Company = {
    companyId: COMPANY,
    name: 'Acme Corporation',
    activeMasterCount: 1,
    features: [],
    passwordPolicy: undefined,
    createdAt: NOW.toISOString(),
  };
  return {
    companies: {
      get: async (companyId) => (companyId === COMPANY ? company : undefined),
      create: unusedBySignIn('create'),
      list: unusedBySignIn('list'),
      saveFeatures: unusedBySignIn('saveFeatures'),
      savePasswordPolicy: unusedBySignIn('savePasswordPolicy'),
      saveResetsPerDay: unusedBySignIn('saveResetsPerDay'),
    },
    admins: {
      findByEmail: async (companyId, email) => (companyId === admin.companyId && email === admin.email ? admin : undefined),
      get: unusedBySignIn('get'),
      list: unusedBySignIn('list'),
      create: unusedBySignIn('create'),
      saveProfile: unusedBySignIn('saveProfile'),
    },
    credentials: { upgradeHash: async () => true, save: unusedBySignIn('save'), claimReset: unusedBySignIn('claimReset'), releaseReset: unusedBySignIn('releaseReset') },
    // Nothing is counted, so the wrong-password case never locks the account however many rounds run.
    attempts: {
      read: async () => admin,
      findByAddress: async (companyId, email) => (companyId === admin.companyId && email === admin.email ? admin : undefined),
      reserve: async () => ({ reserved: true, admin }),
      giveBack: async () => undefined,
      decoy: async () => undefined,
      unlock: unusedBySignIn('unlock'),
      unlockOwnSource: unusedBySignIn('unlockOwnSource'),
    },
  };
}

async function signInDeps(hasher: PasswordHasher) {
  const admin: AdminRecord = {
    companyId: COMPANY,
    adminId: '01JGZ5Y8M3Q2W7E4R6T9V0B1CD',
    email: 'known@acme.example',
    name: 'Known Admin',
    role: 'master',
    canChangeOwnPassword: true,
    status: 'active',
    password: await hasher.hash(PASSWORD),
    passwordKind: 'permanent',
    temporaryPasswordExpiresAt: undefined,
    passwordChangedAt: NOW.toISOString(),
    passwordVersion: 1,
    sessionEpoch: 0,
    ...RESTARTED_ACCOUNT,
    historyEntry: undefined,
    passwordHistory: [],
    resetLink: undefined,
    lastSignInAt: undefined,
    version: 1,
    createdAt: NOW.toISOString(),
    updatedAt: NOW.toISOString(),
  };
  const sessions: SessionStore = { create: async () => undefined, get: async () => undefined, delete: async () => undefined };
  const challenges: ChallengeStore = { create: async () => undefined, get: async () => undefined };
  // The events are built (a ULID each) as in production; storing them is the adapter's cost, not measured here.
  const auditLog: AuditLog = { record: async () => undefined, list: unusedBySignIn('list') };
  const lifetimes: Lifetimes = { sessionMinutes: 480, challengeMinutes: 10, resetLinkMinutes: 24 * 60 };
  return {
    ...fakeDirectory(admin),
    sessions,
    challenges,
    auditLog,
    hasher,
    clock: { now: () => new Date(NOW) },
    random: { bytes: (count: number) => Buffer.alloc(count, 7) },
    lifetimes,
  };
}

interface SignInCase {
  readonly label: string;
  readonly credentials: Credentials;
  /** What the use case must answer, so a broken fake cannot pass off the wrong path's timing as this one's. */
  readonly outcome: 'session' | 'INVALID_CREDENTIALS';
}

const WRONG_PASSWORD: SignInCase = {
  label: '(a) known email, wrong password',
  credentials: { companyId: COMPANY, email: 'known@acme.example', password: 'Wrong-Horse-Battery-9' },
  outcome: 'INVALID_CREDENTIALS',
};
const UNKNOWN_EMAIL: SignInCase = {
  label: '(b) unknown email',
  credentials: { companyId: COMPANY, email: 'nobody@acme.example', password: PASSWORD },
  outcome: 'INVALID_CREDENTIALS',
};
const RIGHT_PASSWORD: SignInCase = {
  label: '(c) right password',
  credentials: { companyId: COMPANY, email: 'known@acme.example', password: PASSWORD },
  outcome: 'session',
};
const SIGN_IN_CASES = [WRONG_PASSWORD, UNKNOWN_EMAIL, RIGHT_PASSWORD];

/** Each case's median and p90, and how much longer a wrong password takes than an unknown email (medians). */
async function benchSignIn() {
  console.log(`## signIn use case at cost ${SIGN_IN_COST}, in-memory ports (${SIGN_IN_RUNS} runs each after one warm-up, interleaved)\n`);
  const deps = await signInDeps(createPasswordHasher({ pepper: PEPPER, cost: SIGN_IN_COST }));
  const attempt = async ({ label, credentials, outcome }: SignInCase): Promise<number> => {
    let answered: string;
    const elapsed = await timed(async () => {
      try {
        answered = 'sessionToken' in (await signIn(credentials, ORIGIN, deps)) ? 'session' : 'challenge';
      } catch (error) {
        answered = error instanceof DomainError ? error.code : String(error);
      }
    });
    if (answered! !== outcome) throw new Error(`${label}: the use case answered ${answered!}, not ${outcome}; the fakes are wrong`);
    return elapsed;
  };

  for (const signInCase of SIGN_IN_CASES) await attempt(signInCase);
  const samples = new Map<SignInCase, number[]>(SIGN_IN_CASES.map((signInCase) => [signInCase, []]));
  // Each round starts with the next case, so no case always runs first (or always after the same one).
  for (let round = 0; round < SIGN_IN_RUNS; round += 1) {
    for (let i = 0; i < SIGN_IN_CASES.length; i += 1) {
      const signInCase = SIGN_IN_CASES[(round + i) % SIGN_IN_CASES.length] as SignInCase;
      samples.get(signInCase)?.push(await attempt(signInCase));
    }
  }

  const statsOf = (signInCase: SignInCase) => summary(samples.get(signInCase) ?? []);
  printTable(
    ['case', 'median ms', 'p90 ms'],
    SIGN_IN_CASES.map((signInCase) => [signInCase.label, ms(statsOf(signInCase).median), ms(statsOf(signInCase).p90)]),
  );
  const difference = statsOf(WRONG_PASSWORD).median - statsOf(UNKNOWN_EMAIL).median;
  const sign = difference >= 0 ? '+' : '';
  const percent = (difference / statsOf(UNKNOWN_EMAIL).median) * 100;
  console.log(`(a) − (b), medians: ${sign}${ms(difference)} ms (${sign}${percent.toFixed(2)} % of (b))\n`);
  return {
    cases: SIGN_IN_CASES.map((signInCase) => ({ label: signInCase.label, medianMs: statsOf(signInCase).median, p90Ms: statsOf(signInCase).p90 })),
    wrongPasswordMinusUnknownEmailMs: difference,
  };
}

// ---- handler bundles: size, contents, cold import

// ---- the guessability rule (zxcvbn), against a bcrypt compare in the same run

/** Passwords a person might set: long passphrases, keyboard walks, leetspeak, repeats, and the 128-character worst case. */
const GUESSABILITY_SAMPLES = [
  'correct horse battery staple',
  'qwertyuiopasdfgh',
  'P@ssw0rd-P@ssw0rd-2024!',
  'aaaaaaaaaaaaaaa',
  'seven purple otters sing loudly at dawn',
  'Tr0ub4dor&3-with-extra-l33t-$ubst1tut10ns',
  '1qaz2wsx3edc4rfv5tgb',
  'x'.repeat(40) + '!1Aa'.repeat(22),
];
const GUESSABILITY_ROUNDS = 5;

async function benchGuessability() {
  console.log(`## Guessability rule (zxcvbn, functions/domain/guessability.ts): ${GUESSABILITY_SAMPLES.length} passwords × ${GUESSABILITY_ROUNDS} rounds, against a bcryptjs compare at cost ${SIGN_IN_COST} in the same run\n`);
  const hasher = createPasswordHasher({ pepper: PEPPER, cost: SIGN_IN_COST });
  const stored = await hasher.hash(PASSWORD);
  const compares: number[] = [];
  for (let i = 0; i < COMPARE_RUNS; i += 1) compares.push(await timed(() => hasher.verify(PASSWORD, stored)));
  const compare = summary(compares).median;
  const heapBefore = process.memoryUsage().heapUsed;
  // The first check builds the matcher (about 250,000 ranked words): once per container.
  const build = await timed(async () => guessabilityOf('first check builds the matcher', []));
  const heap = (process.memoryUsage().heapUsed - heapBefore) / 2 ** 20;
  const checks: number[] = [];
  for (let round = 0; round < GUESSABILITY_ROUNDS; round += 1) {
    for (const password of GUESSABILITY_SAMPLES) checks.push(await timed(async () => guessabilityOf(password, ['grace.hopper@acme.example', 'grace.hopper', 'Grace Hopper', 'Acme Corporation', 'acme'])));
  }
  const check = summary(checks);
  const worst = Math.max(...checks);
  printTable(
    ['what', 'ms', 'in bcrypt compares'],
    [
      [`bcryptjs compare, cost ${SIGN_IN_COST} (median)`, ms(compare), '1.00'],
      ['building the matcher, once per container', ms(build), (build / compare).toFixed(2)],
      ['one check, median', ms(check.median), (check.median / compare).toFixed(3)],
      ['one check, 90th percentile', ms(check.p90), (check.p90 / compare).toFixed(3)],
      ['one check, slowest', ms(worst), (worst / compare).toFixed(3)],
    ],
  );
  console.log(`heap held by the matcher: about ${heap.toFixed(0)} MB\n`);
  return { compareMs: compare, buildMs: build, checkMedianMs: check.median, checkP90Ms: check.p90, slowestCheckMs: worst, heapMb: heap };
}

// ---- sections

/** Each section's wall time, so the run's length (under 5 minutes on 2 cores) can be kept and trimmed where it goes. */
const sectionSeconds: Record<string, number> = {};
async function section<T>(name: string, measure: () => Promise<T> | T): Promise<T> {
  const start = performance.now();
  try {
    return await measure();
  } finally {
    sectionSeconds[name] = (performance.now() - start) / 1000;
  }
}

// Sections whose code other files own: each used in one place.

/** The cold-start section (bin/bench-cold-starts.ts): a row per bundle, printed and returned, and the summary's figures. */
async function coldStarts(): Promise<{ readonly rows: ColdStarts; readonly figures: ColdStartFigures | undefined }> {
  const result = await benchColdStarts();
  console.log(`## Function bundles (lib/bundling.ts; size of index.mjs without its map; medians of ${result.runs} fresh processes; an empty module imports in ${ms(result.emptyModuleMs)} ms)\n`);
  const { headers, rows } = coldStartTable(result);
  printTable(headers, rows);
  return { rows: result, figures: coldStartFiguresOf(result.bundles) };
}

/**
 * The local stack's throughput (bin/bench-local-stack.ts). What it returns goes into the JSON as it is, and the
 * 2-way ratio against bare workers into the summary once it returns one (`twoWaySignIns.ratio`).
 */
async function localStackThroughput(): Promise<{ readonly result: unknown; readonly figures: ThroughputFigures | undefined }> {
  const result: unknown = await benchLocalStack(printTable);
  const twoWay = (result as { twoWaySignIns?: { ratio?: unknown } } | undefined)?.twoWaySignIns?.ratio;
  return { result, figures: typeof twoWay === 'number' ? { twoWayVsBareWorkers: twoWay } : undefined };
}

/** The sections that run on the bench's own local stack at bcrypt cost 4, which is stopped whatever happens. */
async function onTheLocalStack() {
  const stack = await section('bench stack start', startBenchStack);
  try {
    const routes = await section('every route', () => benchRoutes(stack));
    const signInOverhead = await section('sign-in vs bare compare', () => benchSignInOverhead(stack, routes.master, routes.companyId));
    const listScale = await section('100 vs 10,000 items', () => benchListScale(stack));
    const signInMemoryMb = stack.template.functions.signIn?.memoryMb;
    if (signInMemoryMb === undefined) throw new Error('the synthesized template has no signIn function');
    return { routes, signInOverhead, listScale, signInMemoryMb };
  } finally {
    await stack.stop();
  }
}

// ---- main

const startedAt = new Date();
const started = performance.now();
console.log('# adminpass benchmark\n');
console.log(`node ${process.version} (${process.execPath})`);
console.log(`cpu  ${cpus()[0]?.model ?? 'unknown'} × ${availableParallelism()} cores available (${cpus().length} reported)`);
console.log(`${ONLY_RATIOS_CARRY}\n`);
const hashes = await section('hash variants', benchHashVariants);
const bcryptCosts = await section('bcryptjs per cost', benchBcryptCosts);
const signInTiming = await section('failed sign-in timing', benchSignIn);
const guessability = await section('guessability', benchGuessability);
const cold = await section('bundles and cold imports', coldStarts);
const throughput = await section('local stack throughput', localStackThroughput);
const { routes, signInOverhead, listScale, signInMemoryMb } = await onTheLocalStack();
const signInAtLowCost = routes.find('signIn', 'success');
// The part of a sign-in that is not the hash: the cost-4 sign-in, whose own hash takes about a millisecond.
const lambdaCost = benchLambdaCost(hashes, signInAtLowCost?.p50Ms ?? NaN, signInMemoryMb);
const figures = printSummary({ hashes, routes, signInOverhead, listScale, lambdaCost, signInMemoryMb, coldStarts: cold.figures, throughput: throughput.figures });
const wallSeconds = (performance.now() - started) / 1000;
printTable(
  ['section', 'wall s'],
  Object.entries(sectionSeconds).map(([name, seconds]) => [name, seconds.toFixed(1)]),
);
const file = await writeResults(startedAt, {
  machine: { node: process.version, cpu: cpus()[0]?.model ?? 'unknown', cores: availableParallelism() },
  wallSeconds,
  sectionSeconds,
  summary: figures,
  hashes,
  bcryptCosts,
  signInTiming,
  guessability,
  coldStarts: cold.rows,
  localStackThroughput: throughput.result,
  routes: { bareGetItemMs: routes.bareGetItemMs, measurements: routes.routes },
  signInOverhead,
  listScale,
  lambdaCost: { signInMemoryMb, rows: lambdaCost },
});
console.log(`Results: ${file}`);
console.log(`finished in ${wallSeconds.toFixed(1)} s`);
