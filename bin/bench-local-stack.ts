// Benchmark section: the local stack as `npm start` runs it (each function's bundle in worker threads of its own, every
// AWS call through the local IAM endpoint), measured from outside over HTTP: two clients signing in back to back at
// the deployed bcrypt cost against two bare bcryptjs workers comparing back to back, and `GET /me` from four clients
// alone and beside those two. Prints tables and returns the numbers; asserts nothing. (Sign-in at a low cost and one
// sign-in against one bare compare are measured on the bench's own stack: bin/bench-routes.ts, bin/bench-sign-in-overhead.ts.)
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { DEMO, localBcryptCost, startLocalStack, type LocalStack } from '../local/local-stack';
import { freePort } from '../local/ports';

const TEMPORARY = 'bench temporary password 0123';
const PASSWORD = 'bench own password, long enough';
/** Requests of `GET /me` in flight at once: enough to keep the server busy, as several console tabs would. */
const READERS = 4;
/** Clients signing in back to back: one per core of a 2-core machine. */
const SIGNERS = 2;
/** Each comparison is repeated, its sides alternating, and the median of the repetitions reported. */
const REPETITIONS = 3;
/** Phases are short and alternate, so that what else runs on the machine weighs on both sides of each ratio alike. */
const WARM_MS = 4_000;
const READ_PHASE_MS = 3_000;
const SIGN_IN_PHASE_MS = 5_000;

/** One client loop (or one bare worker) of a phase: when it started, and when each of its operations started and ended. */
interface Loop {
  readonly started: number;
  readonly operations: readonly (readonly [start: number, end: number])[];
  readonly failures: number;
}

/** Operations per second of loops running side by side: each loop's count over its own time to its last operation. */
function perSecond(loops: readonly Loop[]): number {
  return loops.reduce((sum, loop) => {
    const last = loop.operations.at(-1);
    return last === undefined ? sum : sum + (loop.operations.length * 1000) / (last[1] - loop.started);
  }, 0);
}

const durations = (loops: readonly Loop[]): number[] => loops.flatMap((loop) => loop.operations.map(([start, end]) => end - start)).sort((a, b) => a - b);
const percentile = (sorted: readonly number[], rank: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(rank * sorted.length) - 1))] ?? NaN;
const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 0.5);

/** Runs `script` (CommonJS, evaluated) in a worker thread with `workerData` and resolves its one message. */
function inWorker<T>(script: string, workerData: unknown): Promise<T> {
  const worker = new Worker(script, { eval: true, workerData });
  return new Promise<T>((resolve, reject) => {
    worker.once('message', (result: T) => void worker.terminate().then(() => resolve(result)));
    worker.once('error', reject);
  });
}

/** One loop per operation, for `durationMs`, in a worker thread's event loop: shared by the clients and the bare workers. */
const LOOP_SCRIPT = `
  const { performance } = require('node:perf_hooks');
  async function loop(operation, durationMs) {
    const started = performance.now();
    const until = started + durationMs;
    const operations = [];
    let failures = 0;
    while (performance.now() < until) {
      const start = performance.now();
      if (await operation()) operations.push([start, performance.now()]);
      else failures += 1;
    }
    return { started, operations, failures };
  }`;

/**
 * The clients, in a worker thread of their own so that they do not take turns with the server on its event loop:
 * `readers` loops of `GET /me` and `signers` loops of sign-in, for `durationMs`.
 */
const CLIENTS_SCRIPT = `${LOOP_SCRIPT}
  const { parentPort, workerData } = require('node:worker_threads');
  const { api, token, credentials, readers, signers, durationMs } = workerData;
  const read = async () => {
    const response = await fetch(api + '/me', { headers: { authorization: 'Bearer ' + token } });
    await response.arrayBuffer();
    return response.status === 200;
  };
  const signIn = async () => {
    const response = await fetch(api + '/sign-in', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(credentials) });
    const answer = await response.json();
    return typeof answer.sessionToken === 'string';
  };
  Promise.all([...Array.from({ length: readers }, () => loop(read, durationMs)), ...Array.from({ length: signers }, () => loop(signIn, durationMs))])
    .then((loops) => parentPort.postMessage({ reads: loops.slice(0, readers), signIns: loops.slice(readers) }));`;

/** A bare worker: bcryptjs comparing the same password with its hash at `cost`, back to back, for `durationMs`. */
const BARE_SCRIPT = `${LOOP_SCRIPT}
  const { parentPort, workerData } = require('node:worker_threads');
  const bcrypt = require(workerData.bcryptjs);
  const password = 'a password to compare';
  bcrypt.hash(password, workerData.cost)
    .then((hash) => loop(() => bcrypt.compare(password, hash), workerData.durationMs))
    .then((result) => parentPort.postMessage(result));`;

interface Phase {
  readonly reads: readonly Loop[];
  readonly signIns: readonly Loop[];
}

interface Target {
  readonly api: string;
  readonly token: string;
}

function clients(target: Target, readers: number, signers: number, durationMs: number): Promise<Phase> {
  const credentials = { companyId: DEMO.companyId, email: DEMO.masterEmail, password: PASSWORD };
  return inWorker<Phase>(CLIENTS_SCRIPT, { ...target, credentials, readers, signers, durationMs });
}

/** `workers` bare bcryptjs workers comparing at `cost`: what signing in would be if it were nothing but the hash. */
function bareWorkers(workers: number, cost: number, durationMs: number): Promise<Loop[]> {
  const bcryptjs = createRequire(import.meta.url).resolve('bcryptjs');
  return Promise.all(Array.from({ length: workers }, () => inWorker<Loop>(BARE_SCRIPT, { bcryptjs, cost, durationMs })));
}

async function post(url: string, body: unknown): Promise<any> {
  const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  return response.json();
}

/** A fresh local stack, its demo master signed in with his own password (hashed at the stack's cost). */
async function withStack<T>(measure: (target: Target) => Promise<T>): Promise<T> {
  const stateDir = await mkdtemp(join(tmpdir(), 'adminpass-bench-local-'));
  let stack: LocalStack | undefined;
  try {
    stack = await startLocalStack({
      apiPort: await freePort(),
      dynamoDbPort: await freePort(),
      sesPort: await freePort(),
      stateDir,
      fresh: true,
      inMemory: true,
      demoMasterPassword: TEMPORARY,
      log: () => undefined,
    });
    const api = stack.apiUrl;
    const challenge = await post(`${api}/sign-in`, { companyId: DEMO.companyId, email: DEMO.masterEmail, password: TEMPORARY });
    const grant = await post(`${api}/sign-in/new-password`, { challengeToken: challenge.challengeToken, newPassword: PASSWORD });
    if (typeof grant.sessionToken !== 'string') throw new Error(`the demo master could not sign in: ${JSON.stringify(grant)}`);
    return await measure({ api, token: grant.sessionToken as string });
  } finally {
    await stack?.stop();
    await rm(stateDir, { recursive: true, force: true });
  }
}

/** Latency of one operation, in milliseconds. */
export interface Latency {
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly samples: number;
}

const latencyOf = (loops: readonly Loop[]): Latency => {
  const sorted = durations(loops);
  return { p50Ms: percentile(sorted, 0.5), p99Ms: percentile(sorted, 0.99), samples: sorted.length };
};

/** What benchLocalStack measured. Medians of REPETITIONS interleaved repetitions; only the ratios carry to another machine. */
export interface LocalStackBench {
  /** The bcrypt cost of the stack's hashes and of the bare workers'. */
  readonly bcryptCost: number;
  /** Two clients signing in back to back against two bare bcryptjs workers comparing back to back. */
  readonly twoWaySignIns: { readonly stackPerSecond: number; readonly barePerSecond: number; readonly ratio: number; readonly ratios: readonly number[] };
  /** Requests that did not succeed (counted in no rate): any is worth a look, since the phases send only valid ones. */
  readonly failedRequests: number;
  /** `GET /me` from READERS clients at once, alone and while two clients sign in. */
  readonly getMe: {
    readonly readers: number;
    readonly alone: Latency & { readonly perSecond: number };
    readonly besideSignIns: Latency & { readonly perSecond: number; readonly signInsPerSecond: number };
    /** Throughput beside the sign-ins over throughput alone. */
    readonly ratio: number;
  };
}

type PrintTable = (headers: readonly string[], rows: readonly (readonly string[])[]) => void;

async function measure(bcryptCost: number): Promise<LocalStackBench> {
  const repetitions = await withStack(async (target) => {
    // Every worker the phases use has loaded its bundle, and the JIT has seen the hot paths.
    await clients(target, READERS, SIGNERS, WARM_MS);
    const measured = [];
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      const alone = await clients(target, READERS, 0, READ_PHASE_MS);
      const beside = await clients(target, READERS, SIGNERS, READ_PHASE_MS);
      const signIns = await clients(target, 0, SIGNERS, SIGN_IN_PHASE_MS);
      const bare = await bareWorkers(SIGNERS, bcryptCost, SIGN_IN_PHASE_MS);
      measured.push({ alone, beside, signIns, bare });
    }
    return measured;
  });
  const medianOf = (rate: (repetition: (typeof repetitions)[number]) => number) => median(repetitions.map(rate));
  const ratios = repetitions.map((repetition) => perSecond(repetition.signIns.signIns) / perSecond(repetition.bare));
  const alonePerSecond = medianOf((repetition) => perSecond(repetition.alone.reads));
  const besidePerSecond = medianOf((repetition) => perSecond(repetition.beside.reads));
  const clientLoops = repetitions.flatMap(({ alone, beside, signIns }) => [alone, beside, signIns].flatMap((phase) => [...phase.reads, ...phase.signIns]));
  return {
    bcryptCost,
    failedRequests: clientLoops.reduce((sum, loop) => sum + loop.failures, 0),
    twoWaySignIns: {
      stackPerSecond: medianOf((repetition) => perSecond(repetition.signIns.signIns)),
      barePerSecond: medianOf((repetition) => perSecond(repetition.bare)),
      ratio: median(ratios),
      ratios,
    },
    getMe: {
      readers: READERS,
      alone: { ...latencyOf(repetitions.flatMap((repetition) => repetition.alone.reads)), perSecond: alonePerSecond },
      besideSignIns: {
        ...latencyOf(repetitions.flatMap((repetition) => repetition.beside.reads)),
        perSecond: besidePerSecond,
        signInsPerSecond: medianOf((repetition) => perSecond(repetition.beside.signIns)),
      },
      ratio: besidePerSecond / alonePerSecond,
    },
  };
}

function printLocalStackBench({ bcryptCost, twoWaySignIns, failedRequests, getMe }: LocalStackBench, printTable: PrintTable): void {
  const ms = (value: number) => value.toFixed(1);
  printTable(
    ['two at once, back to back', 'per s', 'vs bare workers', 'each repetition'],
    [
      [`${SIGNERS} bare bcryptjs workers comparing at cost ${bcryptCost}`, twoWaySignIns.barePerSecond.toFixed(2), '1.00', ''],
      [`${SIGNERS} clients signing in over the local stack`, twoWaySignIns.stackPerSecond.toFixed(2), twoWaySignIns.ratio.toFixed(2), twoWaySignIns.ratios.map((ratio) => ratio.toFixed(2)).join(' ')],
    ],
  );
  printTable(
    [`GET /me, ${getMe.readers} clients`, 'per s', 'p50 ms', 'p99 ms', 'sign-ins per s', 'vs alone'],
    [
      ['alone', getMe.alone.perSecond.toFixed(1), ms(getMe.alone.p50Ms), ms(getMe.alone.p99Ms), '', '1.00'],
      [`beside ${SIGNERS} clients signing in`, getMe.besideSignIns.perSecond.toFixed(1), ms(getMe.besideSignIns.p50Ms), ms(getMe.besideSignIns.p99Ms), getMe.besideSignIns.signInsPerSecond.toFixed(2), getMe.ratio.toFixed(2)],
    ],
  );
  if (failedRequests > 0) console.log(`${failedRequests} requests failed and are counted in no rate.`);
  console.log('DynamoDB Local keeps its data in memory here, as the tests run it. Only the ratios carry to another machine.\n');
}

/**
 * Measures the local stack against bare bcryptjs, prints the tables and returns the numbers. DynamoDB Local keeps
 * its data in memory, as the tests run it: `npm start` keeps it on disk, where each write waits for several fsyncs,
 * which is the disk's cost, not the local runtime's.
 */
export async function benchLocalStack(printTable: PrintTable): Promise<LocalStackBench> {
  const bcryptCost = localBcryptCost();
  console.log(`## The local stack over HTTP at bcrypt cost ${bcryptCost} (medians of ${REPETITIONS} interleaved repetitions)\n`);
  const result = await measure(bcryptCost);
  printLocalStackBench(result, printTable);
  return result;
}
