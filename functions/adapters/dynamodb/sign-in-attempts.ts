// Adapter: the SignInAttempts port on DynamoDB: the counters of the current window and the lock, kept on the admin
// item. Each change is one conditional update on the stored counters (with its audit events, when it has any, in one
// transaction): the reservation a comparison makes before it runs, the place a success gives back, a master's
// unlock. The domain decides every value; this only states the condition the stored counters must meet.
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AuditEvent } from '../../domain/audit';
import type { SignInAttempts } from '../../domain/ports';
import { RESTARTED, type AttemptGuard, type AttemptState, type HeldPlace } from '../../domain/sign-in-attempts';
import { refusalOf } from '../../domain/write-refusals';
import { setOrRemove } from './admin-item';
import { auditParts } from './audit-log';
import { adminKey, decoyAdminKey } from './keys';
import { conditionalWrite, transact, type TransactItem } from './transaction';

type Update = Omit<NonNullable<TransactItem['Update']>, 'TableName' | 'Key'>;

/** The condition that an optional attribute holds this value, or is absent when it is undefined. */
const holds = (attribute: string, placeholder: string, value: string | undefined) =>
  value === undefined ? `attribute_not_exists(${attribute})` : `${attribute} = ${placeholder}`;

/** Writes the counters as decided, if they are still exactly what was read (an item from before counters existed has none: zero). */
function replacement(read: AttemptState, next: AttemptState): Update {
  const count = read.failedSignIns === 0 ? '(attribute_not_exists(failedSignIns) OR failedSignIns = :readFailures)' : 'failedSignIns = :readFailures';
  const update = setOrRemove({ failedSignIns: next.failedSignIns, failureWindowStartedAt: next.failureWindowStartedAt, lockedUntil: next.lockedUntil });
  return {
    UpdateExpression: update.expression,
    ConditionExpression: `attribute_exists(pk) AND ${count} AND ${holds('failureWindowStartedAt', ':readWindow', read.failureWindowStartedAt)} AND ${holds('lockedUntil', ':readLock', read.lockedUntil)}`,
    ExpressionAttributeNames: update.names,
    ExpressionAttributeValues: {
      ...update.values,
      ':readFailures': read.failedSignIns,
      ...(read.failureWindowStartedAt === undefined ? {} : { ':readWindow': read.failureWindowStartedAt }),
      ...(read.lockedUntil === undefined ? {} : { ':readLock': read.lockedUntil }),
    },
  };
}

function reservationUpdate(guard: AttemptGuard, next: AttemptState): Update {
  switch (guard.kind) {
    case 'none':
      return { UpdateExpression: 'ADD failedSignIns :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': 1 } };
    case 'unlocked-below':
      // An increment: parallel reservations below the last place of the same window apply together, none of them can lock.
      return {
        UpdateExpression: 'ADD failedSignIns :one',
        ConditionExpression: 'attribute_exists(pk) AND attribute_not_exists(lockedUntil) AND failureWindowStartedAt = :window AND failedSignIns < :below',
        ExpressionAttributeValues: { ':one': 1, ':below': guard.below, ':window': guard.window },
      };
    case 'exactly':
      return replacement(guard.state, next);
  }
}

/** Gives back one place: in the window it was counted in, or with the lock the comparison set itself. */
function giveBackUpdate(place: HeldPlace): Update {
  if (place.ownLock !== undefined) {
    return {
      UpdateExpression: 'ADD failedSignIns :minusOne REMOVE lockedUntil',
      ConditionExpression: 'lockedUntil = :ownLock AND failedSignIns > :zero',
      ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0, ':ownLock': place.ownLock },
    };
  }
  return {
    UpdateExpression: 'ADD failedSignIns :minusOne',
    ConditionExpression: `${holds('failureWindowStartedAt', ':window', place.window)} AND failedSignIns > :zero`,
    ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0, ...(place.window === undefined ? {} : { ':window': place.window }) },
  };
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
        new GetCommand({ TableName, Key: adminKey(key.companyId, key.adminId), ConsistentRead: true, ProjectionExpression: 'pk, failedSignIns, failureWindowStartedAt, lockedUntil' }),
      );
      if (Item === undefined) return undefined;
      return {
        failedSignIns: (Item.failedSignIns as number | undefined) ?? 0,
        failureWindowStartedAt: Item.failureWindowStartedAt as string | undefined,
        lockedUntil: Item.lockedUntil as string | undefined,
      };
    },

    reserve: (key, reservation, events) => apply(key, reservationUpdate(reservation.guard, reservation.next), events),

    async giveBack(key, place, events) {
      // The place is gone already (a new window, an unlock, a new password): the success is recorded all the same.
      if (!(await apply(key, giveBackUpdate(place), events)) && events.length > 0) await transact(client, auditParts(auditTable, events));
    },

    async decoy(companyId) {
      // The reservation's own update, on a key no item has: its condition fails and nothing is stored.
      await refusalOf(
        conditionalWrite(
          client.send(new UpdateCommand({ TableName, Key: decoyAdminKey(companyId), ...reservationUpdate({ kind: 'unlocked-below', below: 1, window: 'decoy' }, RESTARTED) })),
          'ATTEMPTS_MOVED',
        ),
      );
    },

    unlock: (key, events) =>
      apply(
        key,
        { UpdateExpression: 'SET failedSignIns = :zero REMOVE lockedUntil, failureWindowStartedAt', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':zero': 0 } },
        events,
      ),
  };
}
