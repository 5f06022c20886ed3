// Adapter: reading which condition of a DynamoDB write or transaction failed, so callers can name the domain
// error instead of guessing.
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';

/** True when a single conditional write failed on its condition. */
export const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/**
 * The indexes of the transaction items whose condition failed, or undefined when the error is not a cancelled
 * transaction (which the caller then rethrows).
 */
export function failedConditions(error: unknown): number[] | undefined {
  if (!(error instanceof TransactionCanceledException)) return undefined;
  const reasons = error.CancellationReasons ?? [];
  const failed = reasons.flatMap((reason, index) => (reason.Code === 'ConditionalCheckFailed' ? [index] : []));
  // A transaction cancelled only by a conflict with another transaction has no condition failure: rethrow it.
  return failed.length > 0 ? failed : undefined;
}

/**
 * True when a transaction was cancelled only because another transaction touched the same items at the same time:
 * no condition was judged, so running it again is safe and will see the other's outcome.
 */
export function isTransactionConflict(error: unknown): boolean {
  if (!(error instanceof TransactionCanceledException)) return false;
  const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
  return codes.includes('TransactionConflict') && !codes.includes('ConditionalCheckFailed');
}
