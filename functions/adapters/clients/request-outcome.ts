// Adapter: what the AWS calls of one invocation did, so its answer can say only what is known. A record per
// invocation lives in an AsyncLocalStorage; one SDK middleware pair, registered once on each client, counts the
// writes sent and how each ended (committed, refused with a definite answer, or no answer), and refuses to start
// any call once the invocation has answered, so nothing is written after the client was told the outcome.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { FinalizeRequestMiddleware, HandlerExecutionContext, InitializeMiddleware, MiddlewareStack } from '@smithy/types';

/** What one invocation's AWS calls did so far. */
export interface RequestOutcome {
  /** Write commands started (DynamoDB writes, SES sends). */
  writesSent: number;
  /** Writes the service confirmed. */
  writesCommitted: number;
  /** Writes the service definitely refused: nothing of them was stored or sent. */
  writesRefused: number;
  /** Writes that ended without an answer (timeout, socket error, 5xx): they may or may not have taken effect. */
  writesUnknown: number;
  /** Calls (reads or writes) that ended without an answer. */
  callsUnanswered: number;
  /** A call was throttled. */
  throttled: boolean;
  /** The invocation has answered: no further call may start. */
  answered: boolean;
}

/** How an SDK call failed: refused (the service answered no), throttled (answered no: too busy), no answer. */
export type SdkFailure = 'refused' | 'throttled' | 'no-answer';

const THROTTLING = new Set([
  // A write that met a running transaction on the same item: nothing was written, and trying later is the cure.
  'TransactionConflictException',
  'ProvisionedThroughputExceededException',
  'ThrottlingException',
  'Throttling',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/** The service answered, and its answer says nothing was written. */
const REFUSED = new Set([
  'ConditionalCheckFailedException',
  'TransactionCanceledException',
  'ValidationException',
  'AccessDenied',
  'AccessDeniedException',
  'ResourceNotFoundException',
  'ItemCollectionSizeLimitExceededException',
  'IdempotentParameterMismatchException',
  'MessageRejected',
  'MailFromDomainNotVerifiedException',
  'InvocationAnswered',
]);

/** No answer, or an answer that does not say whether the write happened. */
const NO_ANSWER = new Set([
  'TimeoutError',
  'AbortError',
  'InternalServerError',
  'InternalFailure',
  'ServiceUnavailable',
  'ServiceUnavailableException',
  // A retry of a transaction finds the first attempt still running: that one may yet commit.
  'TransactionInProgressException',
]);

/** Cancellation reasons of a transaction that mean it was throttled or met another one on its items (nothing of it was written). */
const THROTTLED_REASONS = new Set(['ThrottlingError', 'ProvisionedThroughputExceeded', 'TransactionConflict']);

/**
 * Classifies an error that came out of an SDK call. Any other answer of the service with a 4xx status is a refusal;
 * everything without an answer (socket errors, 5xx, unknown shapes) counts as no answer, the safe side.
 */
export function classifySdkError(error: unknown): SdkFailure {
  const { name, $metadata, CancellationReasons } = (error ?? {}) as {
    name?: string;
    $metadata?: { httpStatusCode?: number };
    CancellationReasons?: { Code?: string }[];
  };
  if (name !== undefined && THROTTLING.has(name)) return 'throttled';
  if (name === 'TransactionCanceledException' && CancellationReasons?.some((reason) => THROTTLED_REASONS.has(reason.Code ?? ''))) return 'throttled';
  if (name !== undefined && NO_ANSWER.has(name)) return 'no-answer';
  if (name !== undefined && REFUSED.has(name)) return 'refused';
  const status = $metadata?.httpStatusCode;
  if (status === 429) return 'throttled';
  if (status !== undefined && status >= 400 && status < 500) return 'refused';
  return 'no-answer';
}

/** Thrown instead of starting an AWS call after the invocation answered. */
export class InvocationAnswered extends Error {
  constructor(commandName: string | undefined) {
    super(`${commandName ?? 'an AWS call'} was not started: the invocation has already answered`);
    this.name = 'InvocationAnswered';
  }
}

const invocations = new AsyncLocalStorage<RequestOutcome>();

/** Runs one invocation with a fresh record; the record is marked answered when `run` settles. */
export async function withRequestOutcome<T>(run: (outcome: RequestOutcome) => Promise<T>): Promise<T> {
  const outcome = freshRequestOutcome();
  return invocations.run(outcome, () => run(outcome));
}

/** A record of an invocation that has made no call yet. */
export const freshRequestOutcome = (): RequestOutcome => ({
  writesSent: 0,
  writesCommitted: 0,
  writesRefused: 0,
  writesUnknown: 0,
  callsUnanswered: 0,
  throttled: false,
  answered: false,
});

/** The record of the invocation this code runs in; undefined outside one (scripts, the local seed). */
export const currentOutcome = (): RequestOutcome | undefined => invocations.getStore();

/** Writes that may have taken effect without the service confirming it: no answer, or still under way. */
export const writesInDoubt = (outcome: RequestOutcome): number =>
  outcome.writesUnknown + (outcome.writesSent - outcome.writesCommitted - outcome.writesRefused - outcome.writesUnknown);

/** The facts of the record for the request's log line. */
export const outcomeFacts = (outcome: RequestOutcome) => ({
  writesSent: outcome.writesSent,
  writesCommitted: outcome.writesCommitted,
  writesRefused: outcome.writesRefused,
  writesUnknown: writesInDoubt(outcome),
});

/** Commands (SDK class names) that write: what a client of each service may change. */
export const WRITE_COMMANDS = {
  dynamoDb: new Set(['PutItemCommand', 'UpdateItemCommand', 'DeleteItemCommand', 'TransactWriteItemsCommand', 'BatchWriteItemCommand']),
  ses: new Set(['SendEmailCommand', 'SendRawEmailCommand', 'SendTemplatedEmailCommand', 'SendBulkTemplatedEmailCommand']),
  none: new Set<string>(),
} as const;

/** Attempts of a call that ended without an answer, per call (the context lives as long as the call). */
const unansweredAttempts = new WeakSet<HandlerExecutionContext>();

/** Wraps each call once, outside the retries: counts it and records how it ended. */
const callMiddleware =
  <I extends object, O extends object>(writes: ReadonlySet<string>): InitializeMiddleware<I, O> =>
  (next, context) =>
  async (args) => {
    const outcome = invocations.getStore();
    if (outcome === undefined) return next(args);
    if (outcome.answered) throw new InvocationAnswered(context.commandName);
    // lib-dynamodb's document commands run the plain client command (PutCommand runs PutItemCommand).
    const isWrite = writes.has(context.commandName ?? '');
    if (isWrite) outcome.writesSent += 1;
    try {
      const result = await next(args);
      if (isWrite) outcome.writesCommitted += 1;
      return result;
    } catch (error) {
      const failure = classifySdkError(error);
      if (failure === 'throttled') outcome.throttled = true;
      // A refusal after an attempt that got no answer proves nothing: that attempt may have written.
      const unknown = failure === 'no-answer' || unansweredAttempts.has(context);
      if (unknown) outcome.callsUnanswered += 1;
      if (isWrite) {
        if (unknown) outcome.writesUnknown += 1;
        else outcome.writesRefused += 1;
      }
      throw error;
    }
  };

/** Wraps each attempt, inside the retries: no attempt starts after the answer, and unanswered attempts are noted. */
const attemptMiddleware = <I extends object, O extends object>(): FinalizeRequestMiddleware<I, O> => (next, context) => async (args) => {
  if (invocations.getStore()?.answered) throw new InvocationAnswered(context.commandName);
  try {
    return await next(args);
  } catch (error) {
    if (classifySdkError(error) === 'no-answer') unansweredAttempts.add(context);
    throw error;
  }
};

/** Registers the tracking on a client, once, where it is built. */
export function trackRequestOutcomes<I extends object, O extends object>(stack: MiddlewareStack<I, O>, writes: ReadonlySet<string>): void {
  stack.add(callMiddleware<I, O>(writes), { step: 'initialize', priority: 'high', name: 'adminpassCallOutcome', override: true });
  stack.add(attemptMiddleware<I, O>(), { step: 'finalizeRequest', priority: 'low', name: 'adminpassAttemptGuard', override: true });
}
