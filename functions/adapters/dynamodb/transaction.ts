// Adapter: a DynamoDB transaction whose items are named parts. When DynamoDB cancels it on a condition, the names
// of the parts whose condition failed come back, and each part says which refusal its failure means, so callers
// get typed reasons (LAST_MASTER, EMAIL_TAKEN, ...) instead of positions.
import { TransactWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { WriteRefused, type WriteRefusal } from '../../domain/write-refusals';
import { isConditionFailure } from './conditional-writes';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';

export type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

/** One item of a transaction: what it writes, and what the failure of its condition means (none: it has no condition that can fail for a domain reason). */
export interface TransactionPart {
  readonly name: string;
  readonly item: TransactItem;
  readonly refusal?: WriteRefusal;
}

/** Times a transaction cancelled only by a conflicting concurrent transaction is tried again before giving up. */
const CONFLICT_ATTEMPTS = 5;

const pause = (attempt: number) => new Promise((resolve) => setTimeout(resolve, 15 * attempt + Math.random() * 25));

/**
 * Runs the parts as one transaction. Resolves when it committed; rejects with WriteRefused naming every refusal
 * when a condition failed (nothing was written). A cancellation caused only by a conflict with another
 * transaction judged no condition, so it is run again and then sees the other's outcome.
 */
export async function transact(client: DynamoDBDocumentClient, parts: readonly TransactionPart[]): Promise<void> {
  for (let attempt = 1; ; attempt += 1) {
    try {
      await client.send(new TransactWriteCommand({ TransactItems: parts.map((part) => part.item) }));
      return;
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const codes = (error.CancellationReasons ?? []).map((reason) => reason.Code ?? 'None');
      const failed = parts.filter((_, index) => codes[index] === 'ConditionalCheckFailed');
      if (failed.length === 0) {
        if (codes.includes('TransactionConflict') && attempt < CONFLICT_ATTEMPTS) {
          await pause(attempt);
          continue;
        }
        throw error;
      }
      // A part without a refusal holds whenever the named parts' conditions do (an email claim is its admin's while his
      // version is the one read): failing beside a named part, it failed for that part's reason; failing alone, the
      // stored state is not what the design allows, and that is no refusal to answer.
      const refusals = failed.flatMap((part) => (part.refusal === undefined ? [] : [part.refusal]));
      if (refusals.length === 0) throw new Error(`transaction part ${failed.map((part) => part.name).join(', ')} failed a condition that means no refusal`);
      throw new WriteRefused([...new Set(refusals)]);
    }
  }
}

/** Runs one conditional write; its condition failing is the given refusal. */
export async function conditionalWrite(write: Promise<unknown>, refusal: WriteRefusal): Promise<void> {
  try {
    await write;
  } catch (error) {
    if (isConditionFailure(error)) throw new WriteRefused([refusal]);
    throw error;
  }
}
