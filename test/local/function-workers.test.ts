// Local runtime tests (local/function-workers.ts, local/function-worker.mjs): each function runs its bundle in worker
// threads of its own, as Lambda runs execution environments: a warm worker is reused, a timed-out or crashed one is
// not, a bundle that cannot load fails the invocation, and the gateway answers a failed function with its DEFAULT_5XX.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createFunctionWorkers, type FunctionWorkers } from '../../local/function-workers';
import type { FunctionPolicy } from '../../local/synthesized-template';
import { routes } from '../../functions/contract/routes';
import { startApi, testBundles } from '../support/api-client';

/** Handlers written as bundles are: ES modules exporting `handler`. */
const HANDLERS = {
  // Answers which worker thread ran it, how many invocations that worker has run, and what its environment holds.
  counter: `import { threadId } from 'node:worker_threads';
let runs = 0;
export const handler = async (event, context) => ({ statusCode: 200, body: JSON.stringify({ threadId, runs: ++runs, stage: process.env.STAGE_NAME ?? null, other: process.env.HOME ?? null, remaining: context.getRemainingTimeInMillis() }) });`,
  // Never answers.
  hangs: `export const handler = () => new Promise(() => undefined);`,
  // Fails as the module loads: Lambda's Runtime.ImportModuleError.
  broken: `throw new Error('cannot load');`,
  // Throws from the handler.
  throws: `export const handler = async () => { throw new TypeError('a bug'); };`,
  // Answers after 1.5 s.
  slow: `export const handler = () => new Promise((resolve) => setTimeout(() => resolve({ statusCode: 200, body: '{}' }), 1500));`,
  // Answers, then fails outside any invocation: an error thrown by a timer it left behind.
  failsLater: `import { threadId } from 'node:worker_threads';
export const handler = async () => { setTimeout(() => { throw new RangeError('after the answer'); }, 20); return { statusCode: 200, body: JSON.stringify({ threadId }) }; };`,
} as const;
type Name = keyof typeof HANDLERS;

let dir: string;
let workers: FunctionWorkers;
const logged: string[] = [];

const fn = (handler: Name, timeoutSeconds = 10): FunctionPolicy => ({
  operationId: handler,
  handler,
  logicalId: handler,
  statements: [],
  environment: { STAGE_NAME: 'local' },
  timeoutSeconds,
  memoryMb: 256,
});
const event = { requestContext: { requestId: 'r-1' } } as unknown as APIGatewayProxyEvent;
const bodyOf = async (handler: Name, timeoutSeconds?: number) => {
  const outcome = await workers.invoke(fn(handler, timeoutSeconds), event);
  if (outcome.kind !== 'result') throw new Error(`expected a result, got ${outcome.errorType}`);
  return JSON.parse(outcome.result.body) as { threadId: number; runs: number; stage: string | null; other: string | null; remaining: number };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'adminpass-workers-'));
  for (const [name, source] of Object.entries(HANDLERS)) await writeFile(join(dir, `${name}.mjs`), source);
  workers = createFunctionWorkers({
    bundleOf: (handler) => join(dir, `${handler}.mjs`),
    environmentOf: (policy) => policy.environment,
    onLog: (operationId, line) => logged.push(`[${operationId}] ${line}`),
    // Lambda's limits exactly, with no allowance for a shared machine: the handlers here are either instant or endless.
    graceMs: 0,
  });
});
afterAll(async () => {
  await workers.stop();
  await rm(dir, { recursive: true, force: true });
});

describe('when a function is invoked in its workers', () => {
  it('runs off the main thread, with exactly the environment it was given and its deadline in the context', async () => {
    const { threadId, stage, other, remaining } = await bodyOf('counter');

    expect(threadId).toBeGreaterThan(0);
    expect(stage).toBe('local');
    expect(other).toBeNull();
    expect(remaining).toBeGreaterThan(0);
    expect(remaining).toBeLessThanOrEqual(10_000);
  });

  it('reuses a warm worker for the next invocation, and starts another for invocations at the same time', async () => {
    const first = await bodyOf('counter');
    const second = await bodyOf('counter');
    const together = await Promise.all([bodyOf('counter'), bodyOf('counter')]);

    expect(second.threadId).toBe(first.threadId);
    expect(second.runs).toBe(first.runs + 1);
    expect(new Set(together.map((body) => body.threadId)).size).toBe(2);
  });

  it('fails an invocation that outlives the timeout as Sandbox.Timedout, and does not reuse that worker', async () => {
    const outcome = await workers.invoke(fn('hangs', 1), event);

    expect(outcome).toEqual({ kind: 'failure', errorType: 'Sandbox.Timedout', errorMessage: 'Task timed out after 1.00 seconds' });
  });

  it('fails an invocation whose bundle cannot load, with the error as Lambda reports it', async () => {
    const outcome = await workers.invoke(fn('broken'), event);

    expect(outcome).toEqual({ kind: 'failure', errorType: 'Error', errorMessage: 'cannot load' });
  });

  it('fails an invocation whose handler throws, and keeps the worker for the next one', async () => {
    const outcome = await workers.invoke(fn('throws'), event);

    expect(outcome).toEqual({ kind: 'failure', errorType: 'TypeError', errorMessage: 'a bug' });
  });
});

describe('when a function is late only for want of a CPU on this shared machine', () => {
  it("lets it finish within the grace, and tells that Lambda would have stopped it", async () => {
    const lenient = createFunctionWorkers({
      bundleOf: (handler) => join(dir, `${handler}.mjs`),
      environmentOf: (policy) => policy.environment,
      onLog: (operationId, line) => logged.push(`[${operationId}] ${line}`),
      graceMs: 20_000,
    });
    try {
      const outcome = await lenient.invoke(fn('slow', 1), event);

      expect(outcome.kind).toBe('result');
      expect(logged).toContainEqual(expect.stringMatching(/^\[slow\] the invocation took \d+ ms, past Lambda's 1 s: deployed, it would have been stopped/));
    } finally {
      await lenient.stop();
    }
  });
});

describe('when a worker fails between invocations', () => {
  it('tells it, keeps the local server running, and gives the next invocation a new worker', async () => {
    const told = '[failsLater] the execution environment failed: RangeError: after the answer';
    const first = await workers.invoke(fn('failsLater'), event);
    // Until the failure is told (its timer fires 20 ms after the answer), however slow the machine.
    for (let waited = 0; !logged.includes(told) && waited < 20_000; waited += 50) await new Promise((resolve) => setTimeout(resolve, 50));
    const second = await workers.invoke(fn('failsLater'), event);

    expect(first.kind).toBe('result');
    expect(second.kind).toBe('result');
    const threadOf = (outcome: typeof first) => (outcome.kind === 'result' ? JSON.parse(outcome.result.body).threadId : undefined);
    expect(threadOf(second)).not.toBe(threadOf(first));
    expect(logged).toContainEqual(told);
  });
});

describe('when the function behind a route cannot load on the local server', () => {
  it("answers with the template's DEFAULT_5XX: 502 OUTCOME_UNKNOWN, never that nothing changed", async () => {
    const bundles = testBundles();
    const log: string[] = [];
    const api = await startApi({
      bundles: { ...bundles, bundleOf: (handler) => (handler === routes.health.handler ? join(dir, 'broken.mjs') : bundles.bundleOf(handler)) },
      onRequest: (line) => log.push(line),
    });
    try {
      const response = await api.request('GET', '/health');

      expect(response.status).toBe(502);
      expect(response.body.error.code).toBe('OUTCOME_UNKNOWN');
      expect(log).toContainEqual('function health failed: Error: cannot load');
    } finally {
      await api.stop();
    }
  });
});
