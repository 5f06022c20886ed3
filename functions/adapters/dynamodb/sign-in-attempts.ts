// Adapter: the SignInAttempts port on DynamoDB: the failure count and lock kept on the admin item. Each change is
// one conditional update on the stored counters (with its audit events, when it has any, in one transaction): the
// reservation a comparison makes before it runs, the restart after a success, a master's unlock.
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit';
import type { AttemptGuard } from '../../domain/sign-in-attempts';
import type { SignInAttempts } from '../../domain/ports';
import { refusalOf } from '../../domain/write-refusals';
import { auditParts } from './audit-log';
import { adminKey } from './keys';
import { conditionalWrite, transact, type TransactItem } from './transaction';

type Update = Omit<NonNullable<TransactItem['Update']>, 'TableName' | 'Key'>;

/** The condition that the stored counters are exactly these (an item written before counters existed has none: zero). */
function exactly(state: { failedSignIns: number; lockedUntil: string | undefined }): { condition: string; values: Record<string, unknown> } {
  const count = state.failedSignIns === 0 ? '(attribute_not_exists(failedSignIns) OR failedSignIns = :readFailures)' : 'failedSignIns = :readFailures';
  const lock = state.lockedUntil === undefined ? 'attribute_not_exists(lockedUntil)' : 'lockedUntil = :readLock';
  return {
    condition: `attribute_exists(pk) AND ${count} AND ${lock}`,
    values: { ':readFailures': state.failedSignIns, ...(state.lockedUntil === undefined ? {} : { ':readLock': state.lockedUntil }) },
  };
}

function reservationUpdate(guard: AttemptGuard, next: { failedSignIns: number; lockedUntil: string | undefined }): Update {
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
    case 'exactly': {
      const { condition, values } = exactly(guard.state);
      return next.lockedUntil === undefined
        ? { UpdateExpression: 'SET failedSignIns = :next REMOVE lockedUntil', ConditionExpression: condition, ExpressionAttributeValues: { ...values, ':next': next.failedSignIns } }
        : {
            UpdateExpression: 'SET failedSignIns = :next, lockedUntil = :lock',
            ConditionExpression: condition,
            ExpressionAttributeValues: { ...values, ':next': next.failedSignIns, ':lock': next.lockedUntil },
          };
    }
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
        new GetCommand({ TableName, Key: adminKey(key.companyId, key.adminId), ConsistentRead: true, ProjectionExpression: 'failedSignIns, lockedUntil, pk' }),
      );
      if (Item === undefined) return undefined;
      return { failedSignIns: (Item.failedSignIns as number | undefined) ?? 0, lockedUntil: Item.lockedUntil as string | undefined };
    },

    reserve: (key, reservation, events) => apply(key, reservationUpdate(reservation.guard, reservation.next), events),

    restart: (key, { ownLock, now }, events) =>
      apply(
        key,
        {
          UpdateExpression: 'SET failedSignIns = :zero REMOVE lockedUntil',
          // A lock set by other comparisons while this one ran stays: only no lock, a lapsed one or this comparison's own goes.
          ConditionExpression: `attribute_exists(pk) AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now${ownLock === undefined ? '' : ' OR lockedUntil = :ownLock'})`,
          ExpressionAttributeValues: { ':zero': 0, ':now': now.toISOString(), ...(ownLock === undefined ? {} : { ':ownLock': ownLock }) },
        },
        events,
      ),

    unlock: (key, events) =>
      apply(key, { UpdateExpression: 'SET failedSignIns = :zero REMOVE lockedUntil', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':zero': 0 } }, events),
  };
}
