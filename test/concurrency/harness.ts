// Concurrency suite: what every property shares. How many runs and which seed (a fixed seed in `npm test`, more runs
// and a random seed through CONCURRENCY_RUNS / CONCURRENCY_SEED in `npm run test:concurrency`), the parallel
// runner that records every answer, the tally each property prints, and the operator's CLI for what only the
// operator can do (enable a feature, create a company with a set-up link).
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DEFAULT_PASSWORD_POLICY } from '../../functions/domain/password-policy';
import type { ApiClient, ApiResponse } from '../support/api-client';
import { documentClient, provisionTestCompany, testDirectory } from '../support/companies';
import { createGeneralAdmin, signInMaster, signInReplacingTemporary, untilPolicyInForce } from '../support/scenario';

/**
 * Generous: a run is several dozen requests on a busy 2-core machine, and no test here may fail on time alone. With
 * CONCURRENCY_RUNS, 15 s a run (the lockout's runs spawn the operator CLI and are the slowest).
 */
export const PROPERTY_TIMEOUT_MS = Math.max(180_000, (Number(process.env.CONCURRENCY_RUNS) || 0) * 15_000);

/**
 * The number of runs and the seed of a property. `npm test` uses the file's small default and seed 42; with
 * CONCURRENCY_RUNS set (npm run test:concurrency) the runs are that many and the seed is CONCURRENCY_SEED or random.
 */
export function propertySettings(defaultRuns: number): { numRuns: number; seed: number } {
  const runs = Number(process.env.CONCURRENCY_RUNS);
  const numRuns = Number.isInteger(runs) && runs > 0 ? runs : defaultRuns;
  const fixed = Number(process.env.CONCURRENCY_SEED);
  const seed = Number.isInteger(fixed) ? fixed : process.env.CONCURRENCY_RUNS ? Math.floor(Math.random() * 2 ** 31) : 42;
  return { numRuns, seed };
}

/** When set, the first violating run fails the property at once (fast-check then prints its seed and path). */
export const FAIL_FAST = process.env.CONCURRENCY_FAIL_FAST === '1';

/**
 * The figures of one property: operations tried, runs, and each invariant violation with the run it happened in.
 * A violation is recorded, not thrown, so one pass over all runs gives the counts the closing note reports; the
 * test then fails if any was found, naming the seed that reproduces the generated operations.
 */
export class Tally {
  operations = 0;
  runs = 0;
  readonly violations: { run: number; invariant: string; detail: string }[] = [];

  constructor(readonly property: string, readonly seed: number) {}

  /** Records a violation of `invariant` when `holds` is false; returns `holds`. */
  check(holds: boolean, invariant: string, detail: () => string): boolean {
    if (!holds) {
      this.violations.push({ run: this.runs, invariant, detail: detail() });
      if (FAIL_FAST) throw new Error(`${invariant}: ${detail()}`);
    }
    return holds;
  }

  byInvariant(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const { invariant } of this.violations) counts[invariant] = (counts[invariant] ?? 0) + 1;
    return counts;
  }

  /** The one-line summary printed at the end of each property. */
  summary(): string {
    const counts = Object.entries(this.byInvariant()).map(([invariant, count]) => `${invariant}: ${count}`);
    return (
      `[concurrency] ${this.property}: ${this.operations} operations in ${this.runs} runs (seed ${this.seed}), ` +
      `${this.violations.length} invariant violations${counts.length > 0 ? ` (${counts.join('; ')})` : ''}`
    );
  }

  /** Prints the summary and fails when anything was violated, with the first few violations and the seed. */
  report(): void {
    // eslint-disable-next-line no-console
    console.log(this.summary());
    if (this.violations.length > 0) {
      const examples = this.violations.slice(0, 5).map((violation) => `  run ${violation.run}: ${violation.invariant}: ${violation.detail}`);
      throw new Error(`${this.summary()}\nReplay with CONCURRENCY_SEED=${this.seed}.\n${examples.join('\n')}`);
    }
  }
}

export const sleep = (milliseconds: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, milliseconds));

/** An operation's answer, or the error that kept it from having one. */
export interface Outcome {
  readonly label: string;
  readonly status: number;
  readonly code?: string;
}

/** Runs every operation at once and returns each one's final answer (status 0 for a request that threw). */
export async function runTogether(operations: { label: string; run: () => Promise<ApiResponse> }[]): Promise<Outcome[]> {
  const settled = await Promise.allSettled(operations.map((operation) => operation.run()));
  return settled.map((result, index) =>
    result.status === 'fulfilled'
      ? { label: operations[index]!.label, status: result.value.status, code: result.value.body?.error?.code }
      : { label: operations[index]!.label, status: 0, code: String(result.reason) },
  );
}

/** The invariant every property checks on every answer: no 5xx, and no request that died without one. */
export function checkNoServerErrors(tally: Tally, outcomes: readonly Outcome[]): void {
  for (const outcome of outcomes) {
    tally.check(outcome.status >= 100 && outcome.status < 500, 'no 5xx', () => `${outcome.label} answered ${outcome.status} ${outcome.code ?? ''}`);
  }
}

const ROOT = join(import.meta.dirname, '..', '..');
const run = promisify(execFile);

/** `npm run ops -- <args>` against the test tables and emulators; throws with the CLI's output when it fails. */
export async function operator(...args: string[]): Promise<string> {
  const portOf = (url: string | undefined): string => new URL(url!).port;
  const env = { ...process.env, DYNAMODB_PORT: portOf(process.env.DYNAMODB_ENDPOINT), SES_PORT: portOf(process.env.SES_ENDPOINT) };
  const tableFlags = ['--directory-table', process.env.DIRECTORY_TABLE!, '--tokens-table', process.env.TOKENS_TABLE!, '--audit-table', process.env.AUDIT_TABLE!];
  const { stdout } = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bin/ops.ts'), ...args, ...tableFlags], { cwd: ROOT, env });
  return stdout;
}

/** A password the default policy accepts and no other run uses; `purpose` must not hold a name or an email. */
export const freshPassword = (purpose: string): string => `${purpose} ${randomBytes(6).toString('hex')} passphrase`;

/** The ETag of an admin as a master reads it, for If-Match. */
export async function etagOf(api: ApiClient, token: string, adminId: string): Promise<string> {
  const response = await api.request('GET', `/admins/${adminId}`, { token });
  return response.headers.get('etag') ?? '"0"';
}

/** Signs in and tells whether the password opened the account: a session or a new-password challenge. */
export async function passwordOpens(api: ApiClient, companyId: string, email: string, password: string): Promise<boolean> {
  const response = await api.request('POST', '/sign-in', { body: { companyId, email, password } });
  return response.status === 200;
}

/** The default policy without its fixed maximum length: what PUT /company/password-policy takes whole. */
const { maxLength: _fixed, ...DEFAULT_POLICY } = DEFAULT_PASSWORD_POLICY;

/**
 * A fresh company whose master set the lockout (the operator enables the policy settings first, as README's policy
 * section says), and a general administrator signed in once with his own password.
 */
export async function companyWithLockout(api: ApiClient, lockout: { threshold: number; minutes: number }) {
  const company = await provisionTestCompany(testDirectory(sharedClient()));
  const master = await signInMaster(api, company);
  await operator('enable-feature', '--company', company.companyId, '--feature', 'password-policy');
  const policy = await api.request('PUT', '/company/password-policy', {
    token: master.token,
    body: { ...DEFAULT_POLICY, lockoutThreshold: lockout.threshold, lockoutMinutes: lockout.minutes },
  });
  if (policy.status !== 200) throw new Error(`the policy was refused: ${policy.status} ${policy.text}`);
  const changedAt = performance.now();
  const created = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
  const password = freshPassword('chosen');
  const general = await signInReplacingTemporary(api, company.companyId, created.email, created.temporaryPassword, password);
  // The master's sign-in left the default lockout in a sign-in container's memory of the company; a burst sent
  // before it lapses is judged in part by that rule (seen in CI: T=4 with a request still on the default 10).
  await untilPolicyInForce(changedAt);
  return { companyId: company.companyId, master, general: { ...general, email: created.email, password } };
}

let client: ReturnType<typeof documentClient> | undefined;
const sharedClient = () => (client ??= documentClient());

/** Closes what the helpers above opened; call it in afterAll. */
export function closeHarness(): void {
  client?.destroy();
  client = undefined;
}

/** The account's lock as a master sees it. */
export async function lockOf(api: ApiClient, masterToken: string, adminId: string): Promise<{ locked: boolean; lockedUntil?: string }> {
  const response = await api.request('GET', `/admins/${adminId}`, { token: masterToken });
  return { locked: response.body?.locked === true, lockedUntil: response.body?.lockedUntil ?? undefined };
}
