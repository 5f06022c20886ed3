// Entry point: `npm run bench`. Prints numbers and asserts nothing: what bcrypt costs per cost factor, whether a
// failed sign-in takes as long for an unknown email as for a wrong password, and each function bundle's size, contents
// and cold start on this Node. Numbers are for this machine; compare runs on the same one.
import { availableParallelism, cpus } from 'node:os';
import { performance } from 'node:perf_hooks';
import type { AdminRecord } from '../functions/domain/admin';
import { RESTARTED_ACCOUNT } from '../functions/domain/sign-in-attempts';
import { DomainError } from '../functions/domain/errors';
import { guessabilityOf } from '../functions/domain/guessability';
import { ARGON2ID_PARAMETERS, createPasswordHasher, type PasswordHasher } from '../functions/domain/password-hashing';
import type { Origin } from '../functions/domain/audit';
import type { Company } from '../functions/domain/company';
import type { AuditLog, ChallengeStore, SessionStore } from '../functions/domain/ports';
import type { Dependencies, Lifetimes } from '../functions/use-cases/dependencies';
import { signIn, type Credentials } from '../functions/use-cases/sign-in';
import { benchColdStarts, coldStartTable } from './bench-cold-starts';
import { benchLocalStack } from './bench-local-stack';

const HASH_COSTS = [10, 11, 12];
const HASH_RUNS = 7;
const SIGN_IN_COST = 12;
const SIGN_IN_RUNS = 15;

const PEPPER = Buffer.from('bench-pepper-0123456789abcdef0123456789', 'utf8');
const PASSWORD = 'Correct-Horse-Battery-9';
const ORIGIN: Origin = { sourceIp: '198.51.100.7', userAgent: 'adminpass-bench' };

// ---- numbers and tables

const ms = (value: number): string => value.toFixed(1);

/** Median and 90th percentile (nearest rank; with 7 runs that is the slowest). */
function summary(samples: readonly number[]): { median: number; p90: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const at = (rank: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(rank * sorted.length) - 1))] as number;
  const middle = sorted.length / 2;
  const median = sorted.length % 2 === 1 ? at(0.5) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
  return { median, p90: at(0.9) };
}

async function timed(action: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await action();
  return performance.now() - start;
}

/** A Markdown table, numbers right-aligned, so the output pastes into a report as it is. */
function printTable(headers: readonly string[], rows: readonly (readonly string[])[]): void {
  const widths = headers.map((header, column) => Math.max(header.length, ...rows.map((row) => (row[column] ?? '').length)));
  const numeric = headers.map((_, column) => rows.every((row) => /^[-+]?[\d.]+( %)?$/.test(row[column] ?? '')));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0))).join(' | ')} |`;
  console.log(line(headers));
  console.log(`|${widths.map((width, column) => (numeric[column] ? `${'-'.repeat(width + 1)}:` : '-'.repeat(width + 2))).join('|')}|`);
  for (const row of rows) console.log(line(row));
  console.log();
}

// ---- bcrypt per cost

async function benchHashing(): Promise<void> {
  console.log(`## bcryptjs through createPasswordHasher (${HASH_RUNS} runs each, after one warm-up hash)\n`);
  const rows: string[][] = [];
  for (const cost of HASH_COSTS) {
    const hasher = createPasswordHasher({ pepper: PEPPER, cost });
    const stored = await hasher.hash(PASSWORD);
    const hashes: number[] = [];
    const verifies: number[] = [];
    for (let i = 0; i < HASH_RUNS; i += 1) {
      hashes.push(await timed(() => hasher.hash(PASSWORD)));
      verifies.push(await timed(() => hasher.verify(PASSWORD, stored)));
    }
    const hash = summary(hashes);
    const verify = summary(verifies);
    rows.push([String(cost), ms(hash.median), ms(hash.p90), ms(verify.median), ms(verify.p90)]);
  }
  printTable(['cost', 'hash median ms', 'hash p90 ms', 'verify median ms', 'verify p90 ms'], rows);
  await benchSchemes();
}

/**
 * The two schemes a deployment chooses among, side by side in one run: one verify of each (bcryptjs at the deployed
 * cost, argon2id at OWASP's minimum through Node's crypto.argon2), two at once (both cores: bcryptjs blocks its event
 * loop, argon2 runs on the thread pool), and the history check of 24 entries, whose form is bcrypt at HISTORY_COST.
 */
async function benchSchemes(): Promise<void> {
  console.log(`\n## bcryptjs cost ${SIGN_IN_COST} against argon2id (m=${ARGON2ID_PARAMETERS.memoryKiB} KiB, t=${ARGON2ID_PARAMETERS.passes}, p=${ARGON2ID_PARAMETERS.parallelism}), medians of ${HASH_RUNS}\n`);
  const historyEntries = 24;
  const rows: string[][] = [];
  let base = 0;
  for (const scheme of ['bcrypt', 'argon2id'] as const) {
    const hasher = createPasswordHasher({ pepper: PEPPER, cost: SIGN_IN_COST, scheme });
    const stored = await hasher.hash(PASSWORD);
    const history = await Promise.all(Array.from({ length: historyEntries }, (_, index) => hasher.hashForHistory(`${PASSWORD} ${index}`)));
    const one: number[] = [];
    const two: number[] = [];
    const checks: number[] = [];
    for (let i = 0; i < HASH_RUNS; i += 1) {
      one.push(await timed(() => hasher.verify(PASSWORD, stored)));
      two.push(await timed(() => Promise.all([hasher.verify(PASSWORD, stored), hasher.verify(PASSWORD, stored)])));
      checks.push(await timed(async () => {
        for (const entry of history) await hasher.verify(PASSWORD, entry);
      }));
    }
    const verify = summary(one).median;
    if (scheme === 'bcrypt') base = verify;
    rows.push([scheme, ms(verify), (verify / base).toFixed(2), ms(summary(two).median), ms(summary(checks).median)]);
  }
  printTable(['scheme', 'verify ms', 'vs bcryptjs', 'two verifies at once ms', `history check of ${historyEntries} ms`], rows);
  console.log('Only the ratios carry to another machine.');
}

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
    attempts: { read: async () => admin, reserve: async () => true, giveBack: async () => undefined, decoy: async () => undefined, unlock: unusedBySignIn('unlock'), unlockOwnSource: unusedBySignIn('unlockOwnSource') },
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

async function benchSignIn(): Promise<void> {
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
}

// ---- handler bundles: size, contents, cold import (bin/bench-cold-starts.ts)

async function benchBundles(): Promise<void> {
  const coldStarts = await benchColdStarts();
  console.log(`## Function bundles (lib/bundling.ts; size of index.mjs without its map; medians of ${coldStarts.runs} fresh processes; an empty module imports in ${ms(coldStarts.emptyModuleMs)} ms)\n`);
  const { headers, rows } = coldStartTable(coldStarts);
  printTable(headers, rows);
}

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

async function benchGuessability(): Promise<void> {
  console.log(`## Guessability rule (zxcvbn, functions/domain/guessability.ts): ${GUESSABILITY_SAMPLES.length} passwords × ${GUESSABILITY_ROUNDS} rounds, against a bcryptjs compare at cost ${SIGN_IN_COST} in the same run\n`);
  const hasher = createPasswordHasher({ pepper: PEPPER, cost: SIGN_IN_COST });
  const stored = await hasher.hash(PASSWORD);
  const compares: number[] = [];
  for (let i = 0; i < HASH_RUNS; i += 1) compares.push(await timed(() => hasher.verify(PASSWORD, stored)));
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
}

// ---- main

const started = performance.now();
console.log('# adminpass benchmark\n');
console.log(`node ${process.version} (${process.execPath})`);
console.log(`cpu  ${cpus()[0]?.model ?? 'unknown'} × ${availableParallelism()} cores available (${cpus().length} reported)\n`);
await benchHashing();
await benchSignIn();
await benchGuessability();
await benchBundles();
await benchLocalStack(printTable);
console.log(`finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
