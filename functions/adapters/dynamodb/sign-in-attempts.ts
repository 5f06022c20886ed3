// Adapter: the SignInAttempts port on DynamoDB: the failure counters and lock kept on the admin item. Each change is
// one conditional update on the stored counters (with its audit events, when it has any, in one transaction): the
// reservation a comparison makes before it runs, the mark of a wrong one, the settling of a success, a master's
// unlock. The domain decides every value; this only states the condition the stored counters must meet.
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit';
import type { SignInAttempts } from '../../domain/ports';
import type { AttemptGuard, AttemptState } from '../../domain/sign-in-attempts';
import { refusalOf } from '../../domain/write-refusals';
import { setOrRemove } from './admin-item';
import { auditParts } from './audit-log';
import { adminKey } from './keys';
import { conditionalWrite, transact, type TransactItem } from './transaction';

type Update = Omit<NonNullable<TransactItem['Update']>, 'TableName' | 'Key'>;

/** A counter stored before it existed reads as zero. */
const counterIs = (attribute: string, placeholder: string, value: number) =>
  value === 0 ? `(attribute_not_exists(${attribute}) OR ${attribute} = ${placeholder})` : `${attribute} = ${placeholder}`;

/**
 * The condition that the stored counters are exactly these. An item counted before comparisons were marked as
 * concluded has no concludedFailures: it reads as its whole count, which the failedSignIns part already pins.
 */
function exactly(state: AttemptState): { condition: string; values: Record<string, unknown> } {
  const lock = state.lockedUntil === undefined ? 'attribute_not_exists(lockedUntil)' : 'lockedUntil = :readLock';
  return {
    condition: `attribute_exists(pk) AND ${counterIs('failedSignIns', ':readFailures', state.failedSignIns)} AND (attribute_not_exists(concludedFailures) OR concludedFailures = :readConcluded) AND ${lock}`,
    values: { ':readFailures': state.failedSignIns, ':readConcluded': state.concludedFailures, ...(state.lockedUntil === undefined ? {} : { ':readLock': state.lockedUntil }) },
  };
}

/** Writes the counters as decided, if they are still exactly what was read. */
function replacement(read: AttemptState, next: AttemptState): Update {
  const { condition, values } = exactly(read);
  const update = setOrRemove({ failedSignIns: next.failedSignIns, concludedFailures: next.concludedFailures, lockedUntil: next.lockedUntil });
  return { UpdateExpression: update.expression, ConditionExpression: condition, ExpressionAttributeNames: update.names, ExpressionAttributeValues: { ...update.values, ...values } };
}

function guarded(guard: AttemptGuard, next: AttemptState): Update {
  switch (guard.kind) {
    case 'none':
      return { UpdateExpression: 'ADD failedSignIns :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': 1 } };
    case 'unlocked-below':
      // An increment: parallel reservations below the last place apply together, none of them can reach the threshold.
      return {
        UpdateExpression: 'ADD failedSignIns :one',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(lockedUntil) AND (attribute_not_exists(failedSignIns) OR failedSignIns < :below)',
        ExpressionAttributeValues: { ':one': 1, ':below': guard.below },
      };
    case 'exactly':
      return replacement(guard.state, next);
  }
}

export interface DynamoSignInAttemptsOptions {
  readonly client: DynamoDBDocumentClient;
  readonly directoryTable: string;
  readonly auditTable?: string | undefined;
}

export function createDynamoSignInAttempts({ client, directoryTable: TableName, auditTable }: DynamoSignInAttemptsOptions): SignInAttempts {
  /** One conditional update of the counters, with its events in the same transaction when there are any. Resolves false when refused. */
  async function apply(key: { companyId: string; adminId: string }, update: Update, events: readonly AuditEvent[]): Promise<boolean> {
    const Key = adminKey(key.companyId, key.adminId);
    const write =
      events.length === 0
        ? conditionalWrite(client.send(new UpdateCommand({ TableName, Key, ...update })), 'ATTEMPTS_MOVED')
        : transact(client, [{ name: 'attempts', item: { Update: { TableName, Key, ...update } }, refusal: 'ATTEMPTS_MOVED' }, ...auditParts(auditTable, events)]);
    return (await refusalOf(write)) === undefined;
  }

  return {
    async read(key) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: adminKey(key.companyId, key.adminId), ConsistentRead: true, ProjectionExpression: 'pk, failedSignIns, concludedFailures, lockedUntil' }),
      );
      if (Item === undefined) return undefined;
      return {
        failedSignIns: (Item.failedSignIns as number | undefined) ?? 0,
        concludedFailures: (Item.concludedFailures as number | undefined) ?? (Item.failedSignIns as number | undefined) ?? 0,
        lockedUntil: Item.lockedUntil as string | undefined,
      };
    },

    reserve: (key, reservation, events) => apply(key, guarded(reservation.guard, reservation.next), events),

    concludeFailure: (key, events) =>
      apply(
        key,
        {
          UpdateExpression: 'ADD concludedFailures :one',
          // Only a place still counted can end: after a restart (unlock, new password, lapse) there is none to mark.
          ConditionExpression: 'attribute_exists(pk) AND (attribute_not_exists(concludedFailures) OR concludedFailures < failedSignIns)',
          ExpressionAttributeValues: { ':one': 1 },
        },
        events,
      ),

    settle: (key, success, events) => apply(key, guarded(success.guard, success.next), events),

    unlock: (key, events) =>
      apply(
        key,
        { UpdateExpression: 'SET failedSignIns = :zero, concludedFailures = :zero REMOVE lockedUntil', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':zero': 0 } },
        events,
      ),
  };
}
