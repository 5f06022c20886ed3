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
