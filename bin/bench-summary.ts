// Benchmark section: the closing table of the figures issue 13 asks for, each with its value and, where the issue
// gives one, its target, and the JSON of every result under bench/results/. The bench asserts nothing: a missed
// target is printed as such, and the run still ends with exit code 0.
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { DEPLOYED_BCRYPT_COST, HISTORY_ENTRIES, type HashResults } from './bench-hashes';
import { LAMBDA_SCHEMES, type LambdaCostRow } from './bench-lambda-cost';
import type { ListScaleResult } from './bench-list-scale';
import { ONLY_RATIOS_CARRY, ms, printTable, times } from './bench-report';
import { SIGN_IN_CASES, totalOf, type RouteResults } from './bench-routes';
import type { SignInOverhead } from './bench-sign-in-overhead';

export const RESULTS_DIR = join(import.meta.dirname, '..', 'bench', 'results');

/** What the summary needs of the cold-start section (bin/bench-cold-starts.ts). */
export interface ColdStartFigures {
  readonly slowestHandler: string;
  readonly slowestImportMs: number;
  readonly healthImportMs: number | undefined;
}

/** The slowest bundle's cold import and health's, from the cold-start section's rows. */
export function coldStartFiguresOf(bundles: readonly { readonly handler: string; readonly importMs: number }[]): ColdStartFigures | undefined {
  const slowest = [...bundles].sort((a, b) => b.importMs - a.importMs)[0];
  if (slowest === undefined) return undefined;
  return { slowestHandler: slowest.handler, slowestImportMs: slowest.importMs, healthImportMs: bundles.find((bundle) => bundle.handler === 'health')?.importMs };
}

/** What the summary needs of the local stack's throughput section (bin/bench-local-stack.ts). */
export interface ThroughputFigures {
  /** Two clients signing in over the local stack / two bare hashing workers, per second. */
  readonly twoWayVsBareWorkers: number;
}

export interface SummaryInputs {
  readonly hashes: HashResults;
  readonly routes: RouteResults;
  readonly signInOverhead: SignInOverhead;
  readonly listScale: readonly ListScaleResult[];
  readonly lambdaCost: readonly LambdaCostRow[];
  readonly signInMemoryMb: number;
  readonly coldStarts: ColdStartFigures | undefined;
  readonly throughput: ThroughputFigures | undefined;
}

export interface Figure {
  readonly figure: string;
  readonly value: string;
  /** The issue's target, when it gives one. */
  readonly target: string;
  /** Whether the value meets the target; undefined when there is none to meet, or nothing was measured. */
  readonly met: boolean | undefined;
}

const NOT_MEASURED = 'not measured in this run';
const signedMs = (value: number) => `${value >= 0 ? '+' : ''}${ms(value)} ms`;

function figures(inputs: SummaryInputs): Figure[] {
  const { hashes, routes, signInOverhead, listScale, lambdaCost, signInMemoryMb, coldStarts, throughput } = inputs;
  const variant = hashes.byKey;
  const signInCase = (label: string) => routes.find('signIn', label);
  const signInRequests = Object.values(SIGN_IN_CASES).map((label) => totalOf(signInCase(label)?.counts.dynamodb ?? {}));
  const success = signInCase(SIGN_IN_CASES.success);
  const p50VsGetItem = (operationId: string) => {
    const measured = routes.find(operationId);
    return measured === undefined ? '?' : `${ms(measured.p50Ms)} ms (${times(measured.p50Ms / routes.bareGetItemMs)})`;
  };
  const costAt = (scheme: string) => lambdaCost.find((row) => row.scheme === scheme && row.memoryMb === signInMemoryMb)?.dollarsPerMillion;
  const history = hashes.history;
  return [
    {
      figure: `bcryptjs compare at cost ${DEPLOYED_BCRYPT_COST} vs native bcrypt (@node-rs/bcrypt) sync: sync / async (the project's call)`,
      value: `${times(variant.bcryptjsSync.vsNativeSync)} / ${times(variant.bcryptjsAsync.vsNativeSync)}`,
      target: '–',
      met: undefined,
    },
    {
      figure: `argon2id (crypto.argon2, OWASP minimum) vs native bcrypt cost ${DEPLOYED_BCRYPT_COST} sync`,
      value: `${times(variant.argon2id.vsNativeSync)} (${ms(variant.argon2id.medianMs)} ms)`,
      target: 'measured',
      met: Number.isFinite(variant.argon2id.medianMs),
    },
    {
      figure: `sign-in over the local HTTP stack vs one bare bcryptjs compare, cost ${DEPLOYED_BCRYPT_COST}`,
      value: `${times(signInOverhead.ratio)} (${signedMs(signInOverhead.signInMs - signInOverhead.bareCompareMs)})`,
      target: '<= 1.05x',
      met: signInOverhead.ratio <= 1.05,
    },
    {
      figure: 'sign-in at bcrypt cost 4, p50 (success), and vs a bare GetItem',
      value: success === undefined ? '?' : `${ms(success.p50Ms)} ms (${times(success.p50Ms / routes.bareGetItemMs)}; bare GetItem ${ms(routes.bareGetItemMs)} ms)`,
      target: '<= 12 ms',
      met: success === undefined ? undefined : success.p50Ms <= 12,
    },
    {
      figure: 'DynamoDB requests per sign-in: success / wrong password / unknown email',
      value: signInRequests.join(' / '),
      target: '<= 3 each',
      met: signInRequests.every((count) => count <= 3),
    },
    { figure: '`GET /me` / `PATCH /admins/{adminId}` p50 (vs a bare GetItem)', value: `${p50VsGetItem('getMe')} / ${p50VsGetItem('updateAdmin')}`, target: '–', met: undefined },
    {
      figure: 'slowest cold import of a bundle in a fresh Node process (health)',
      value: coldStarts === undefined ? NOT_MEASURED : `${ms(coldStarts.slowestImportMs)} ms, ${coldStarts.slowestHandler}${coldStarts.healthImportMs === undefined ? '' : ` (health ${ms(coldStarts.healthImportMs)} ms)`}`,
      target: '< 150 ms (health < 60 ms)',
      met: coldStarts === undefined ? undefined : coldStarts.slowestImportMs < 150 && (coldStarts.healthImportMs ?? 0) < 60,
    },
    {
      figure: '2 clients signing in on the local stack vs 2 bare hashing workers',
      value: throughput === undefined ? NOT_MEASURED : times(throughput.twoWayVsBareWorkers),
      target: '>= 0.90x',
      met: throughput === undefined ? undefined : throughput.twoWayVsBareWorkers >= 0.9,
    },
    {
      figure: `first page of ${listScale.map((result) => `\`${result.path}\``).join(' / ')} at 10,000 vs 100 items`,
      value: listScale.map((result) => times(result.ratio)).join(' / '),
      target: 'about 1x (a Query: keep it)',
      met: undefined,
    },
    {
      figure: `history check of ${HISTORY_ENTRIES} vs one sign-in verify: ${history.map((row) => row.scheme).join(' / ')}`,
      value: history.map((row) => times(row.vsOneVerify)).join(' / '),
      target: '–',
      met: undefined,
    },
    {
      figure: `Lambda $ per million sign-ins at sign-in's ${signInMemoryMb} MB (model): bcryptjs / argon2id / native bcrypt`,
      value: [costAt(LAMBDA_SCHEMES.bcryptjs), costAt(LAMBDA_SCHEMES.argon2id), costAt(LAMBDA_SCHEMES.native)].map((cost) => (cost === undefined ? '?' : `$${cost.toFixed(2)}`)).join(' / '),
      target: '–',
      met: undefined,
    },
  ];
}

/** Prints the closing table and returns its rows. */
export function printSummary(inputs: SummaryInputs): Figure[] {
  const rows = figures(inputs);
  console.log('## Summary: the figures of issue 13\n');
  printTable(
    ['figure', 'value', 'target', 'met'],
    rows.map((row) => [row.figure, row.value, row.target, row.met === undefined ? '–' : row.met ? 'yes' : 'NO']),
  );
  console.log(`${ONLY_RATIOS_CARRY} The millisecond targets are this 2-core machine's.\n`);
  return rows;
}

/** Writes every result as JSON to bench/results/<ISO time>.json (colons as hyphens, for every file system). */
export async function writeResults(startedAt: Date, results: Record<string, unknown>): Promise<string> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const file = join(RESULTS_DIR, `${startedAt.toISOString().replace(/:/g, '-')}.json`);
  await writeFile(file, `${JSON.stringify({ startedAt: startedAt.toISOString(), note: ONLY_RATIOS_CARRY, ...results }, null, 2)}\n`);
  return file;
}
