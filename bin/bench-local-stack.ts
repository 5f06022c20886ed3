// Benchmark section: the local stack as `npm start` runs it (each function's bundle in worker threads of its own),
// measured from outside over HTTP: how many `GET /me` it answers per second alone, and while two clients sign in
// without pause at the deployed bcrypt cost. Prints numbers and ratios and asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { DEMO, localBcryptCost, startLocalStack } from '../local/local-stack';
import { freePort } from '../local/ports';

const TEMPORARY = 'bench temporary password 0123';
const PASSWORD = 'bench own password, long enough';
/** Requests of `GET /me` in flight at once: enough to keep the server busy, as several console tabs would. */
const READERS = 4;
/** Clients signing in back to back during the loaded phase. */
const SIGNERS = 2;
const PHASE_MS = 10_000;

interface Phase {
  readonly perSecond: number;
  readonly p50: number;
  readonly p99: number;
  readonly signIns: number;
}

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** The demo master's session: his temporary password replaced by his own. */
async function signInDemo(api: string): Promise<string> {
  const challenge = await post(`${api}/sign-in`, { companyId: DEMO.companyId, email: DEMO.masterEmail, password: TEMPORARY });
  const grant = await post(`${api}/sign-in/new-password`, { challengeToken: challenge.challengeToken, newPassword: PASSWORD });
  if (typeof grant.sessionToken !== 'string') throw new Error(`the demo master could not sign in: ${JSON.stringify(grant)}`);
  return grant.sessionToken as string;
}

const percentile = (sorted: readonly number[], rank: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(rank * sorted.length) - 1))] ?? NaN;

/** `GET /me` from `readers` loops for PHASE_MS, with `signers` loops signing in meanwhile. */
async function phase(api: string, token: string, signers: number, readers = READERS): Promise<Phase> {
  const until = performance.now() + PHASE_MS;
  const latencies: number[] = [];
  let signIns = 0;
  const reader = async () => {
    while (performance.now() < until) {
      const started = performance.now();
      const response = await fetch(`${api}/me`, { headers: { authorization: `Bearer ${token}` } });
      await response.arrayBuffer();
      if (response.status === 200) latencies.push(performance.now() - started);
    }
  };
  const signer = async () => {
    while (performance.now() < until) {
      const answer = await post(`${api}/sign-in`, { companyId: DEMO.companyId, email: DEMO.masterEmail, password: PASSWORD });
      if (typeof answer.sessionToken === 'string') signIns += 1;
    }
  };
  await Promise.all([...Array.from({ length: readers }, reader), ...Array.from({ length: signers }, signer)]);
  const sorted = latencies.sort((a, b) => a - b);
  return { perSecond: (sorted.length * 1000) / PHASE_MS, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), signIns: (signIns * 1000) / PHASE_MS };
}

/**
 * Password comparisons per second of SIGNERS bare worker threads comparing with bcryptjs at the stack's cost, back to
 * back for PHASE_MS: what signing in could reach if it were nothing but the hash.
 */
async function bareComparisons(cost: number): Promise<number> {
  const bcryptjs = createRequire(import.meta.url).resolve('bcryptjs');
  const script = `
    const { parentPort, workerData } = require('node:worker_threads');
    const bcrypt = require(workerData.bcryptjs);
    (async () => {
      const hash = await bcrypt.hash('a password to compare', workerData.cost);
      const until = Date.now() + workerData.phaseMs;
      let count = 0;
      while (Date.now() < until) { await bcrypt.compare('a password to compare', hash); count += 1; }
      parentPort.postMessage(count);
    })();`;
  const counts = await Promise.all(
    Array.from({ length: SIGNERS }, () => {
      const worker = new Worker(script, { eval: true, workerData: { bcryptjs, cost, phaseMs: PHASE_MS } });
      return new Promise<number>((resolve, reject) => {
        worker.once('message', (count: number) => void worker.terminate().then(() => resolve(count)));
        worker.once('error', reject);
      });
    }),
  );
  return (counts.reduce((sum, count) => sum + count, 0) * 1000) / PHASE_MS;
}

/** Prints the local stack's `GET /me` throughput alone and beside two clients signing in. */
export async function benchLocalStack(printTable: (headers: readonly string[], rows: readonly (readonly string[])[]) => void): Promise<void> {
  console.log(`## The local stack: GET /me alone and while ${SIGNERS} clients sign in (bcrypt cost ${localBcryptCost()})\n`);
  const stateDir = await mkdtemp(join(tmpdir(), 'adminpass-bench-local-'));
  const stack = await startLocalStack({
    apiPort: await freePort(),
    dynamoDbPort: await freePort(),
    sesPort: await freePort(),
    stateDir,
    fresh: true,
    demoMasterPassword: TEMPORARY,
    log: () => undefined,
  });
  try {
    const token = await signInDemo(stack.apiUrl);
    // Warm: every worker the phases use has loaded its bundle.
    await phase(stack.apiUrl, token, SIGNERS).catch(() => undefined);
    const idle = await phase(stack.apiUrl, token, 0);
    const loaded = await phase(stack.apiUrl, token, SIGNERS);
    const row = (name: string, result: Phase) => [name, result.perSecond.toFixed(1), result.p50.toFixed(1), result.p99.toFixed(1), result.signIns.toFixed(2), (result.perSecond / idle.perSecond).toFixed(2)];
    printTable(['phase', 'GET /me per s', 'p50 ms', 'p99 ms', 'sign-ins per s', 'GET /me vs alone'], [row('alone', idle), row(`${SIGNERS} clients signing in`, loaded)]);
    console.log(`${READERS} readers, ${PHASE_MS / 1000} s a phase. Only the ratios carry to another machine.\n`);
    // Sign-ins alone against the same number of bare comparisons: how near the stack comes to the hash's own cost.
    const signInsAlone = await phase(stack.apiUrl, token, SIGNERS, 0);
    const bare = await bareComparisons(localBcryptCost());
    printTable(
      ['what', 'per s', 'vs bare workers'],
      [
        [`${SIGNERS} bare bcryptjs workers, compare`, bare.toFixed(2), '1.00'],
        [`${SIGNERS} clients signing in over the local stack`, signInsAlone.signIns.toFixed(2), (signInsAlone.signIns / bare).toFixed(2)],
      ],
    );
  } finally {
    await stack.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}
