// Local runtime: the functions' execution environments. Each function runs its built bundle in worker threads of its
// own (local/function-worker.mjs), pooled as Lambda pools execution environments: an invocation takes an idle warm
// worker or starts a new one (a cold start), one invocation per worker at a time, with exactly the environment the
// local runtime derives from the template. Workers run on every core, so a password hash in one function never holds
// up another function's request, as on Lambda, where each concurrent invocation has its own share of a CPU.
import { performance } from 'node:perf_hooks';
import { Worker } from 'node:worker_threads';
import { join } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import type { FunctionPolicy } from './synthesized-template';
import { localFunctionName } from './function-environment';

const WORKER_SCRIPT = join(import.meta.dirname, 'function-worker.mjs');
/** Lambda gives a function's initialization (importing its bundle) 10 s before it fails the invocation. */
const LAMBDA_INIT_LIMIT_MS = 10_000;
/**
 * What this machine adds to Lambda's limits before it stops a worker. Lambda gives each environment a CPU share of
 * its own; here every worker, DynamoDB Local and whatever else runs (a test suite, a benchmark) share two cores, so
 * a function can be late for want of a CPU, not through any fault of its own. A worker past Lambda's limit but within
 * the grace is told in the log as a function that Lambda would have stopped, and is not stopped.
 */
export const DEFAULT_GRACE_MS = 30_000;

/** What an invocation came to: the handler's result, or a failure as Lambda reports one (the gateway answers 502). */
export type InvocationOutcome =
  | { readonly kind: 'result'; readonly result: APIGatewayProxyResult }
  | { readonly kind: 'failure'; readonly errorType: string; readonly errorMessage: string };

export interface FunctionWorkersOptions {
  /** The bundle file a handler folder runs (local/function-bundles.ts). */
  readonly bundleOf: (handler: string) => string;
  /** The environment a function's workers start with. */
  readonly environmentOf: (fn: FunctionPolicy) => Readonly<Record<string, string>>;
  /** Each line a function writes to stdout or stderr (its logs), with the function's operationId. */
  readonly onLog: (operationId: string, line: string) => void;
  /** @default DEFAULT_GRACE_MS */
  readonly graceMs?: number;
}

export interface FunctionWorkers {
  invoke(fn: FunctionPolicy, event: APIGatewayProxyEvent): Promise<InvocationOutcome>;
  /** Ends every worker. */
  stop(): Promise<void>;
}

interface WorkerMessage {
  readonly ready?: true;
  readonly initError?: { errorType: string; errorMessage: string };
  readonly invocation?: number;
  readonly result?: APIGatewayProxyResult;
  readonly error?: { errorType: string; errorMessage: string };
}

/** Forwards a worker's output to `onLine`, one line at a time. */
function linesOf(stream: NodeJS.ReadableStream, onLine: (line: string) => void): void {
  let pending = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk: string) => {
    pending += chunk;
    const lines = pending.split('\n');
    pending = lines.pop() ?? '';
    for (const line of lines) if (line.trim() !== '') onLine(line);
  });
  stream.on('end', () => pending.trim() !== '' && onLine(pending));
}

/** Waits for the worker's next message, bounded; a worker that dies or errs meanwhile is a failure. */
function nextMessage(worker: Worker, timeoutMs: number, timeoutType: string, timeoutMessage: string): Promise<WorkerMessage> {
  return new Promise((resolve) => {
    const done = (message: WorkerMessage) => {
      clearTimeout(timer);
      worker.off('message', resolve_);
      worker.off('error', onError);
      worker.off('exit', onExit);
      resolve(message);
    };
    const resolve_ = (message: WorkerMessage) => done(message);
    const onError = (error: Error) => done({ error: { errorType: error.name, errorMessage: error.message } });
    const onExit = (code: number) => done({ error: { errorType: 'Runtime.ExitError', errorMessage: `the execution environment exited (code ${code})` } });
    const timer = setTimeout(() => done({ error: { errorType: timeoutType, errorMessage: timeoutMessage } }), timeoutMs);
    worker.on('message', resolve_);
    worker.once('error', onError);
    worker.once('exit', onExit);
  });
}

export function createFunctionWorkers(options: FunctionWorkersOptions): FunctionWorkers {
  const graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
  /** Tells a function that finished later than Lambda would have let it. */
  const late = (fn: FunctionPolicy, what: string, tookMs: number, limitMs: number) => {
    if (tookMs > limitMs) options.onLog(fn.operationId, `${what} took ${Math.round(tookMs)} ms, past Lambda's ${limitMs / 1000} s: deployed, it would have been stopped (here the machine is shared, so it was let finish)`);
  };
  const idle = new Map<string, Worker[]>();
  const all = new Set<Worker>();
  let invocations = 0;

  /** Takes a worker out of every pool, so no invocation gets it again. */
  const forget = (worker: Worker) => {
    all.delete(worker);
    for (const pool of idle.values()) {
      const at = pool.indexOf(worker);
      if (at >= 0) pool.splice(at, 1);
    }
  };
  const discard = (worker: Worker) => {
    forget(worker);
    void worker.terminate();
  };

  /** A new execution environment for the function, ready to invoke, or the failure of its initialization. */
  async function coldStart(fn: FunctionPolicy): Promise<Worker | InvocationOutcome> {
    const worker = new Worker(WORKER_SCRIPT, {
      workerData: { bundle: options.bundleOf(fn.handler), functionName: localFunctionName(fn), memoryMb: fn.memoryMb, timeoutMs: fn.timeoutSeconds * 1000 },
      env: { ...options.environmentOf(fn) },
      stdout: true,
      stderr: true,
      // The function's memory size, as the ceiling of its heap.
      resourceLimits: { maxOldGenerationSizeMb: fn.memoryMb },
    });
    all.add(worker);
    // A worker can fail between invocations too (a rejection no one awaited): it is told and never used again.
    worker.on('error', (error) => {
      options.onLog(fn.operationId, `the execution environment failed: ${error.name}: ${error.message}`);
      forget(worker);
    });
    worker.on('exit', () => forget(worker));
    linesOf(worker.stdout, (line) => options.onLog(fn.operationId, line));
    linesOf(worker.stderr, (line) => options.onLog(fn.operationId, line));
    const started = performance.now();
    const message = await nextMessage(worker, LAMBDA_INIT_LIMIT_MS + graceMs, 'Runtime.InitTimeout', `the bundle did not load within ${LAMBDA_INIT_LIMIT_MS + graceMs} ms`);
    late(fn, 'loading the bundle', performance.now() - started, LAMBDA_INIT_LIMIT_MS);
    if (message.ready === true) return worker;
    discard(worker);
    const failure = message.initError ?? message.error ?? { errorType: 'Runtime.Unknown', errorMessage: 'the execution environment did not start' };
    return { kind: 'failure', ...failure };
  }

  return {
    async invoke(fn, event) {
      const warm = idle.get(fn.operationId)?.pop();
      const worker = warm ?? (await coldStart(fn));
      if (!(worker instanceof Worker)) return worker;
      const invocation = (invocations += 1);
      const timeoutMs = fn.timeoutSeconds * 1000;
      const started = performance.now();
      worker.postMessage({ invocation, event, requestId: event.requestContext.requestId });
      const message = await nextMessage(worker, timeoutMs + graceMs, 'Sandbox.Timedout', `Task timed out after ${fn.timeoutSeconds.toFixed(2)} seconds`);
      late(fn, 'the invocation', performance.now() - started, timeoutMs);
      if (message.invocation === invocation && message.result !== undefined) {
        const pool = idle.get(fn.operationId) ?? [];
        pool.push(worker);
        idle.set(fn.operationId, pool);
        return { kind: 'result', result: message.result };
      }
      // As Lambda does after a timeout or a crash, the environment is not reused.
      if (message.invocation !== invocation) discard(worker);
      else {
        const pool = idle.get(fn.operationId) ?? [];
        pool.push(worker);
        idle.set(fn.operationId, pool);
      }
      return { kind: 'failure', ...(message.error ?? { errorType: 'Runtime.Unknown', errorMessage: 'no result' }) };
    },
    async stop() {
      const workers = [...all];
      all.clear();
      idle.clear();
      await Promise.all(workers.map((worker) => worker.terminate()));
    },
  };
}
