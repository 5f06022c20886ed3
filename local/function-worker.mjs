// @ts-check
// Local runtime: one function's execution environment, as a worker thread: it imports the function's built bundle
// once (the cold start, with the environment the template gives the function) and then runs one invocation at a
// time, as a Lambda execution environment does. Plain JavaScript, because it runs no TypeScript: only the bundle.
import { parentPort, workerData } from 'node:worker_threads';
import { pathToFileURL } from 'node:url';

/** @type {{ bundle: string; functionName: string; memoryMb: number; timeoutMs: number }} */
const { bundle, functionName, memoryMb, timeoutMs } = workerData;
if (parentPort === null) throw new Error('function-worker.mjs runs only as a worker thread');
const port = parentPort;

/** The context Lambda hands a handler, with the invocation's own deadline. */
function contextFor(/** @type {string} */ requestId, /** @type {number} */ deadline) {
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: String(memoryMb),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** An error as Lambda reports it: its type and message, never a stack. */
const failure = (/** @type {unknown} */ error) => ({
  errorType: error instanceof Error ? error.name : 'Error',
  errorMessage: error instanceof Error ? error.message : String(error),
});

try {
  const module = await import(pathToFileURL(bundle).href);
  const handler = module.handler;
  if (typeof handler !== 'function') throw Object.assign(new Error(`${bundle} exports no handler`), { name: 'Runtime.HandlerNotFound' });
  port.on('message', async (/** @type {{ invocation: number; event: unknown; requestId: string }} */ message) => {
    const deadline = Date.now() + timeoutMs;
    try {
      const result = await handler(message.event, contextFor(message.requestId, deadline));
      port.postMessage({ invocation: message.invocation, result });
    } catch (error) {
      port.postMessage({ invocation: message.invocation, error: failure(error) });
    }
  });
  port.postMessage({ ready: true });
} catch (error) {
  // Lambda's Runtime.ImportModuleError: the function never becomes ready.
  port.postMessage({ initError: failure(error) });
}
