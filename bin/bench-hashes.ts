// Benchmark section: the password hash variants side by side in one run: bcryptjs (the project's default, async as
// the project calls it, and sync), native bcrypt (@node-rs/bcrypt, the reference; a dev dependency, bench only) and
// argon2id through the project's hasher (Node 24's crypto.argon2), each at the deployed strength, and the history
// check of each of the project's schemes. Interleaved rounds, so a busy moment of the machine slows every variant
// alike; the ratios to native bcrypt are the result.
import bcryptjs from 'bcryptjs';
import * as nativeBcrypt from '@node-rs/bcrypt';
import { ARGON2ID_PARAMETERS, createPasswordHasher, type HashSchemeName, type PasswordHasher, type StoredPassword } from '../functions/domain/password-hashing';
import { ONLY_RATIOS_CARRY, ms, printTable, summary, timed, times } from './bench-report';

/** The deployed bcrypt cost (functions/config.ts's default), at which every bcrypt variant is compared. */
export const DEPLOYED_BCRYPT_COST = 12;
/** Interleaved rounds: each variant's median is of this many runs. */
const HASH_ROUNDS = 5;
/** bcrypt costs of the per-cost table: the deployed one and the two below, to see what each step down saves. */
const BCRYPT_COSTS = [10, 11, 12];
const COST_RUNS = 3;
/** The most previous passwords a policy keeps (functions/contract/schemas.ts historyCount), the check's worst case. */
export const HISTORY_ENTRIES = 24;

const PEPPER = Buffer.from('bench-pepper-0123456789abcdef0123456789', 'utf8');
const PASSWORD = 'Correct-Horse-Battery-9';
/** What bcrypt is given in the project: 64 base64 characters of HMAC-SHA-384 (functions/domain/password-hashing.ts). */
const PRE_HASHED = 'q'.repeat(64);

/** The keys the JSON and the summary refer to the variants by. */
export type HashVariantKey = 'nativeSync' | 'nativeAsync' | 'bcryptjsSync' | 'bcryptjsAsync' | 'argon2id';

interface HashVariant {
  readonly key: HashVariantKey;
  readonly label: string;
  verify(): unknown;
  /** Whether two verifies started together may run on both cores (false: they queue on the one event loop). */
  readonly async: boolean;
}

export interface HashVariantResult {
  readonly key: HashVariantKey;
  readonly label: string;
  readonly medianMs: number;
  readonly p90Ms: number;
  readonly vsNativeSync: number;
  readonly vsNativeAsync: number;
  /** Two verifies started together, for the variants that can run them at once. */
  readonly twoAtOnceMs: number | undefined;
}

export interface HistoryCheckResult {
  readonly scheme: string;
  readonly form: string;
  readonly medianMs: number;
  /** The check against one verify of the scheme's own sign-in. */
  readonly vsOneVerify: number;
}

export interface HashResults {
  readonly rounds: number;
  readonly variants: readonly HashVariantResult[];
  readonly history: readonly HistoryCheckResult[];
  readonly byKey: Readonly<Record<HashVariantKey, HashVariantResult>>;
}

const hasherOf = (scheme: HashSchemeName, cost = DEPLOYED_BCRYPT_COST): PasswordHasher => createPasswordHasher({ pepper: PEPPER, cost, scheme });

/** The previous passwords a history check compares against: none matches, so every entry is compared (the worst case). */
const historyOf = (hasher: PasswordHasher): Promise<StoredPassword[]> =>
  Promise.all(Array.from({ length: HISTORY_ENTRIES }, (_, index) => hasher.hashForHistory(`${PASSWORD} ${index}`)));

/** One check as functions/use-cases/password-rules.ts isReused runs it: the entries one after another. */
async function checkHistory<Entry>(verify: (entry: Entry) => Promise<boolean>, entries: readonly Entry[]): Promise<void> {
  for (const entry of entries) if (await verify(entry)) throw new Error('a history entry matched; the bench compares against none');
}

/** Runs every action once per round, in an order that rotates, and returns each one's samples. */
async function interleaved<K extends string>(actions: Readonly<Record<K, () => unknown>>, rounds: number): Promise<Record<K, number[]>> {
  const keys = Object.keys(actions) as K[];
  const samples = Object.fromEntries(keys.map((key) => [key, [] as number[]])) as Record<K, number[]>;
  for (const key of keys) await actions[key]();
  for (let round = 0; round < rounds; round += 1) {
    for (let i = 0; i < keys.length; i += 1) {
      const key = keys[(round + i) % keys.length] as K;
      samples[key].push(await timed(actions[key]));
    }
  }
  return samples;
}

/** The hash variants, their two-at-once runs and the history checks, in one interleaved run. */
export async function benchHashVariants(): Promise<HashResults> {
  const argon2id = `m=${ARGON2ID_PARAMETERS.memoryKiB} KiB, t=${ARGON2ID_PARAMETERS.passes}, p=${ARGON2ID_PARAMETERS.parallelism}`;
  console.log(`## Password hash variants side by side: bcrypt at cost ${DEPLOYED_BCRYPT_COST}, argon2id at ${argon2id} (medians of ${HASH_ROUNDS} interleaved rounds)\n`);
  const bcryptHash = await bcryptjs.hash(PRE_HASHED, DEPLOYED_BCRYPT_COST);
  const bcryptHasher = hasherOf('bcrypt');
  const argon2idHasher = hasherOf('argon2id');
  const bcryptStored = await bcryptHasher.hash(PASSWORD);
  const argon2idStored = await argon2idHasher.hash(PASSWORD);

  const variants: readonly HashVariant[] = [
    { key: 'nativeSync', label: 'native bcrypt (@node-rs/bcrypt), verifySync', async: false, verify: () => nativeBcrypt.verifySync(PRE_HASHED, bcryptHash) },
    { key: 'nativeAsync', label: 'native bcrypt (@node-rs/bcrypt), verify (thread pool)', async: true, verify: () => nativeBcrypt.verify(PRE_HASHED, bcryptHash) },
    { key: 'bcryptjsSync', label: 'bcryptjs compareSync', async: false, verify: () => bcryptjs.compareSync(PRE_HASHED, bcryptHash) },
    { key: 'bcryptjsAsync', label: "bcryptjs compare through the project's hasher (the default)", async: true, verify: () => bcryptHasher.verify(PASSWORD, bcryptStored) },
    { key: 'argon2id', label: "argon2id through the project's hasher (crypto.argon2)", async: true, verify: () => argon2idHasher.verify(PASSWORD, argon2idStored) },
  ];

  const bcryptHistory = await historyOf(bcryptHasher);
  const argon2idHistory = await historyOf(argon2idHasher);
  // Through each scheme's own hasher, so a scheme that changes its history form is measured as it is.
  const histories = {
    bcrypt: () => checkHistory((entry) => bcryptHasher.verify(PASSWORD, entry), bcryptHistory),
    argon2id: () => checkHistory((entry) => argon2idHasher.verify(PASSWORD, entry), argon2idHistory),
  };
  const actions = {
    ...Object.fromEntries(variants.map((variant) => [variant.key, variant.verify])),
    ...Object.fromEntries(variants.filter((variant) => variant.async).map((variant) => [`${variant.key}Two`, () => Promise.all([variant.verify(), variant.verify()])])),
    ...Object.fromEntries(Object.entries(histories).map(([scheme, check]) => [`history-${scheme}`, check])),
  } as Record<string, () => unknown>;
  const samples = await interleaved(actions, HASH_ROUNDS);
  const medianOf = (key: string) => summary(samples[key] ?? []).median;

  const nativeSync = medianOf('nativeSync');
  const nativeAsync = medianOf('nativeAsync');
  const results: HashVariantResult[] = variants.map((variant) => {
    const stats = summary(samples[variant.key] ?? []);
    return {
      key: variant.key,
      label: variant.label,
      medianMs: stats.median,
      p90Ms: stats.p90,
      vsNativeSync: stats.median / nativeSync,
      vsNativeAsync: stats.median / nativeAsync,
      twoAtOnceMs: variant.async ? medianOf(`${variant.key}Two`) : undefined,
    };
  });
  printTable(
    ['variant', 'verify ms', 'p90 ms', 'vs native sync', 'vs native async', 'two at once ms', 'two / one'],
    results.map((result) => [
      result.label,
      ms(result.medianMs),
      ms(result.p90Ms),
      times(result.vsNativeSync),
      times(result.vsNativeAsync),
      result.twoAtOnceMs === undefined ? '–' : ms(result.twoAtOnceMs),
      result.twoAtOnceMs === undefined ? '–' : times(result.twoAtOnceMs / result.medianMs),
    ]),
  );
  console.log('two / one: 1.00x is two verifies on two cores at once, 2.00x is one after the other (a sync call runs on the event loop, so it has no such row).\n');

  const byKey = Object.fromEntries(results.map((result) => [result.key, result])) as Record<HashVariantKey, HashVariantResult>;
  // The form as the entries store it, so the table says what each scheme's history really is.
  const formOf = (entries: readonly StoredPassword[]) => `${entries[0]?.scheme} cost ${entries[0]?.cost}`;
  const history: HistoryCheckResult[] = [
    { scheme: 'bcrypt (default)', form: formOf(bcryptHistory), medianMs: medianOf('history-bcrypt'), vsOneVerify: medianOf('history-bcrypt') / byKey.bcryptjsAsync.medianMs },
    { scheme: 'argon2id', form: formOf(argon2idHistory), medianMs: medianOf('history-argon2id'), vsOneVerify: medianOf('history-argon2id') / byKey.argon2id.medianMs },
  ];
  console.log(`### The history check: a new password against ${HISTORY_ENTRIES} previous ones (the most a policy keeps), none matching, one after another as the use case checks them\n`);
  printTable(
    ['scheme', 'history form (hashForHistory)', `check of ${HISTORY_ENTRIES} ms`, "vs one verify of the scheme's sign-in"],
    history.map((row) => [row.scheme, row.form, ms(row.medianMs), times(row.vsOneVerify)]),
  );
  console.log(`${ONLY_RATIOS_CARRY}\n`);
  return { rounds: HASH_ROUNDS, variants: results, history, byKey };
}

export interface BcryptCostRow {
  readonly cost: number;
  readonly hashMedianMs: number;
  readonly verifyMedianMs: number;
}

/** bcryptjs through the project's hasher per cost factor: what each step of the cost adds. */
export async function benchBcryptCosts(): Promise<BcryptCostRow[]> {
  console.log(`## bcryptjs through createPasswordHasher per cost (${COST_RUNS} runs each, after one warm-up hash)\n`);
  const rows: BcryptCostRow[] = [];
  const printed: string[][] = [];
  for (const cost of BCRYPT_COSTS) {
    const hasher = hasherOf('bcrypt', cost);
    const stored = await hasher.hash(PASSWORD);
    const hashes: number[] = [];
    const verifies: number[] = [];
    for (let i = 0; i < COST_RUNS; i += 1) {
      hashes.push(await timed(() => hasher.hash(PASSWORD)));
      verifies.push(await timed(() => hasher.verify(PASSWORD, stored)));
    }
    const hash = summary(hashes);
    const verify = summary(verifies);
    rows.push({ cost, hashMedianMs: hash.median, verifyMedianMs: verify.median });
    printed.push([String(cost), ms(hash.median), ms(hash.p90), ms(verify.median), ms(verify.p90)]);
  }
  printTable(['cost', 'hash median ms', 'hash p90 ms', 'verify median ms', 'verify p90 ms'], printed);
  return rows;
}
