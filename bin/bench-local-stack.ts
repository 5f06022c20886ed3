// Benchmark section: the local stack as `npm start` runs it (each function's bundle in worker threads of its own, every
// AWS call through the local IAM endpoint), measured from outside over HTTP against what no runtime could beat on the
// same machine: a GetItem sent straight to DynamoDB Local under `GET /me` and sign-in at a low cost, one bare bcryptjs
// compare under one sign-in at the deployed cost, two bare workers under two clients signing in, and `GET /me` alone
// and beside those two clients. Prints tables and returns the numbers; asserts nothing.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { localClient, localTableNames } from '../local/dynamodb-local';
import { DEMO, TABLE_PREFIX, localBcryptCost, startLocalStack, type LocalStack } from '../local/local-stack';
import { freePort } from '../local/ports';

const TEMPORARY = 'bench temporary password 0123';
const PASSWORD = 'bench own password, long enough';
/** The cost at which what is not hashing shows: a cost-4 bcrypt takes about a millisecond. */
const LOW_COST = 4;
/** Requests of `GET /me` in flight at once: enough to keep the server busy, as several console tabs would. */
const READERS = 4;
/** Clients signing in back to back: one per core of a 2-core machine. */
const SIGNERS = 2;
/** Each comparison is repeated, its sides alternating, and the median of the repetitions reported. */
const REPETITIONS = 3;
/** Phases are short and alternate, so that what else runs on the machine weighs on both sides of each ratio alike. */
const WARM_MS = 4_000;
const READ_PHASE_MS = 3_000;
const SIGN_IN_PHASE_MS = 4_000;
const SINGLE_PHASE_MS = 2_500;

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
  /** DynamoDB Local itself, for the reference GetItem. */
  readonly dynamoDb: string;
}

function clients({ api, token }: Target, readers: number, signers: number, durationMs: number): Promise<Phase> {
  const credentials = { companyId: DEMO.companyId, email: DEMO.masterEmail, password: PASSWORD };
  return inWorker<Phase>(CLIENTS_SCRIPT, { api, token, credentials, readers, signers, durationMs });
}

/**
 * One GetItem of a stored item sent straight to DynamoDB Local, back to back for `durationMs`: the floor under every
 * route, which no local runtime could go below (`GET /me` reads two items).
 */
async function bareGetItems(endpoint: string, durationMs: number): Promise<Loop> {
  const client = localClient(endpoint);
  const TableName = localTableNames(TABLE_PREFIX).sessions;
  const Key = { pk: { S: 'bench reference item' } };
  try {
    await client.send(new PutItemCommand({ TableName, Item: { ...Key, payload: { S: 'x'.repeat(200) } } }));
    const started = performance.now();
    const operations: [number, number][] = [];
    while (performance.now() < started + durationMs) {
      const start = performance.now();
      await client.send(new GetItemCommand({ TableName, Key }));
      operations.push([start, performance.now()]);
    }
    return { started, operations, failures: 0 };
  } finally {
    client.destroy();
  }
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

/** A fresh local stack at `bcryptCost`, its demo master signed in with his own password (hashed at that cost). */
async function withStack<T>(bcryptCost: number, measure: (target: Target) => Promise<T>): Promise<T> {
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
      bcryptCost,
      demoMasterPassword: TEMPORARY,
      log: () => undefined,
    });
    const api = stack.apiUrl;
    const challenge = await post(`${api}/sign-in`, { companyId: DEMO.companyId, email: DEMO.masterEmail, password: TEMPORARY });
    const grant = await post(`${api}/sign-in/new-password`, { challengeToken: challenge.challengeToken, newPassword: PASSWORD });
    if (typeof grant.sessionToken !== 'string') throw new Error(`the demo master could not sign in: ${JSON.stringify(grant)}`);
    return await measure({ api, token: grant.sessionToken as string, dynamoDb: stack.dynamoDbUrl });
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
  /** The cost of the deployed hash, at which the sign-in comparisons run. */
  readonly bcryptCost: number;
  /**
   * One client at a time, on a stack at bcrypt cost 4 (a hash of about a millisecond), so that what is not hashing
   * shows: a GetItem sent straight to DynamoDB Local (the floor), `GET /me` (two GetItems) and sign-in.
   */
  readonly oneClient: {
    readonly bcryptCost: number;
    readonly bareGetItem: Latency;
    readonly getMe: Latency & { readonly vsBareGetItem: number };
    readonly signIn: Latency;
  };
  /** One client signing in at the deployed cost against one bare bcryptjs compare at that cost (p50 over p50). */
  readonly signInVsBareCompare: { readonly signIn: Latency; readonly bareCompare: Latency; readonly ratio: number };
  /** Two clients signing in back to back against two bare bcryptjs workers comparing back to back. */
  readonly twoWaySignIns: { readonly stackPerSecond: number; readonly barePerSecond: number; readonly ratio: number; readonly ratios: readonly number[] };
  /** `GET /me` from READERS clients at once, alone and while two clients sign in at the deployed cost. */
  readonly getMe: {
    readonly readers: number;
    readonly alone: Latency & { readonly perSecond: number };
    readonly besideSignIns: Latency & { readonly perSecond: number; readonly signInsPerSecond: number };
    /** Throughput beside the sign-ins over throughput alone. */
    readonly ratio: number;
  };
}

type PrintTable = (headers: readonly string[], rows: readonly (readonly string[])[]) => void;

/** One client at a time on a stack at LOW_COST: the floor, a read route and sign-in, alternating. */
function measureOneClient(): Promise<LocalStackBench['oneClient']> {
  return withStack(LOW_COST, async (target) => {
    await clients(target, 1, 1, WARM_MS);
    await bareGetItems(target.dynamoDb, WARM_MS);
    const getItems: Loop[] = [];
    const getMes: Loop[] = [];
    const signIns: Loop[] = [];
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      getItems.push(await bareGetItems(target.dynamoDb, SINGLE_PHASE_MS));
      getMes.push(...(await clients(target, 1, 0, SINGLE_PHASE_MS)).reads);
      signIns.push(...(await clients(target, 0, 1, SINGLE_PHASE_MS)).signIns);
    }
    const bareGetItem = latencyOf(getItems);
    const getMe = latencyOf(getMes);
    return { bcryptCost: LOW_COST, bareGetItem, getMe: { ...getMe, vsBareGetItem: getMe.p50Ms / bareGetItem.p50Ms }, signIn: latencyOf(signIns) };
  });
}

/** The stack at the deployed cost against bare bcryptjs workers, and `GET /me` beside its sign-ins, alternating. */
async function measureDeployedCost(bcryptCost: number): Promise<Omit<LocalStackBench, 'bcryptCost' | 'oneClient'>> {
  const repetitions = await withStack(bcryptCost, async (target) => {
    // Every worker the phases use has loaded its bundle, and the JIT has seen the hot paths.
    await clients(target, READERS, SIGNERS, WARM_MS);
    const measured = [];
    for (let repetition = 0; repetition < REPETITIONS; repetition += 1) {
      const alone = await clients(target, READERS, 0, READ_PHASE_MS);
      const beside = await clients(target, READERS, SIGNERS, READ_PHASE_MS);
      const twoWay = await clients(target, 0, SIGNERS, SIGN_IN_PHASE_MS);
      const bareTwoWay = await bareWorkers(SIGNERS, bcryptCost, SIGN_IN_PHASE_MS);
      const single = await clients(target, 0, 1, SINGLE_PHASE_MS);
      const bareSingle = await bareWorkers(1, bcryptCost, SINGLE_PHASE_MS);
      measured.push({ alone, beside, twoWay, bareTwoWay, single, bareSingle });
    }
    return measured;
  });
  const medianOf = (rate: (repetition: (typeof repetitions)[number]) => number) => median(repetitions.map(rate));
  const twoWayRatios = repetitions.map((repetition) => perSecond(repetition.twoWay.signIns) / perSecond(repetition.bareTwoWay));
  const signIn = latencyOf(repetitions.flatMap((repetition) => repetition.single.signIns));
  const bareCompare = latencyOf(repetitions.flatMap((repetition) => repetition.bareSingle));
  const alonePerSecond = medianOf((repetition) => perSecond(repetition.alone.reads));
  const besidePerSecond = medianOf((repetition) => perSecond(repetition.beside.reads));
  return {
    signInVsBareCompare: { signIn, bareCompare, ratio: signIn.p50Ms / bareCompare.p50Ms },
    twoWaySignIns: {
      stackPerSecond: medianOf((repetition) => perSecond(repetition.twoWay.signIns)),
      barePerSecond: medianOf((repetition) => perSecond(repetition.bareTwoWay)),
      ratio: median(twoWayRatios),
      ratios: twoWayRatios,
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

function printLocalStackBench(result: LocalStackBench, printTable: PrintTable): void {
  const ms = (value: number) => value.toFixed(1);
  const latencyRow = (what: string, latency: Latency, ratio: string) => [what, ms(latency.p50Ms), ms(latency.p99Ms), String(latency.samples), ratio];
  const { oneClient, signInVsBareCompare, twoWaySignIns, getMe } = result;
  printTable(
    ['one client at a time', 'p50 ms', 'p99 ms', 'samples', 'vs bare'],
    [
      latencyRow('GetItem straight to DynamoDB Local', oneClient.bareGetItem, '1.00'),
      latencyRow('GET /me (two GetItems)', oneClient.getMe, oneClient.getMe.vsBareGetItem.toFixed(2)),
      latencyRow(`sign-in at cost ${oneClient.bcryptCost}`, oneClient.signIn, ''),
      latencyRow(`one bare bcryptjs compare at cost ${result.bcryptCost}`, signInVsBareCompare.bareCompare, '1.00'),
      latencyRow(`sign-in at cost ${result.bcryptCost}`, signInVsBareCompare.signIn, signInVsBareCompare.ratio.toFixed(2)),
    ],
  );
  printTable(
    ['two at once, back to back', 'per s', 'vs bare workers', 'each repetition'],
    [
      [`${SIGNERS} bare bcryptjs workers comparing at cost ${result.bcryptCost}`, twoWaySignIns.barePerSecond.toFixed(2), '1.00', ''],
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
  console.log('DynamoDB Local keeps its data in memory here, as the tests run it. Only the ratios carry to another machine.\n');
}

/**
 * Measures the local stack against DynamoDB Local and bare bcryptjs, prints the tables and returns the numbers.
 * DynamoDB Local keeps its data in memory, as the tests run it: `npm start` keeps it on disk, where each write waits
 * for several fsyncs, which is the disk's cost, not the local runtime's.
 */
export async function benchLocalStack(printTable: PrintTable): Promise<LocalStackBench> {
  const bcryptCost = localBcryptCost();
  console.log(`## The local stack over HTTP (medians of ${REPETITIONS} interleaved repetitions)\n`);
  const oneClient = await measureOneClient();
  const result: LocalStackBench = { bcryptCost, oneClient, ...(await measureDeployedCost(bcryptCost)) };
  printLocalStackBench(result, printTable);
  return result;
}
