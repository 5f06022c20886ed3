// Adapter: the SignInAttempts port on DynamoDB, all on the admin item: the account's ceiling counters at the top
// level, each source's counters in the map `sourceAttempts`, the admin's own sources in the map `knownSources`.
// Each change is one conditional update of that item (with its audit events, when it has any, in one transaction):
// a comparison's reservation takes its place in its source's count and in the account's under one condition that
// both still allow it. The domain decides every value; this only states the conditions the stored counters must meet.
//
// A sign-in is three requests (README, "Requests per route"): the index query that finds the account by its address,
// the reservation, whose write returns the whole admin item (so the comparison runs against what is stored, not
// against the index's copy), and one transaction for what follows: the success with its events and the session it
// opens, or the failure's events. A refused reservation returns the stored item too, to decide on again.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { AuditEvent } from '../../domain/audit';
import type { AddressedAccount, SignInAttempts, SignInOpening } from '../../domain/ports';
import { RESTARTED, type AttemptGuard, type AttemptState, type ComparisonDecision, type HeldPlace } from '../../domain/sign-in-attempts';
import { refusalOf } from '../../domain/write-refusals';
import { toAdminRecord, type AdminItem } from './admin-item';
import { auditParts } from './audit-log';
import { ADMIN_PREFIX, adminKey, companyPartition, decoyAdminKey, emailKey } from './keys';
import { sessionItem } from './session-store';
import { TABLES } from './table-definitions';
import { tokenItem } from './token-store';
import { conditionalWrite, transact, type TransactItem, type TransactionPart } from './transaction';

/** The index that finds an admin by his address, with what a reservation is decided on. */
const BY_EMAIL = TABLES.directory.globalIndexes[0];

type Update = Omit<NonNullable<TransactItem['Update']>, 'TableName' | 'Key'>;

/** The clauses of one update expression, gathered from its parts and joined once. */
interface Clauses {
  readonly set: string[];
  readonly remove: string[];
  readonly conditions: string[];
  readonly names: Record<string, string>;
  readonly values: Record<string, unknown>;
}

const clauses = (): Clauses => ({ set: [], remove: [], conditions: ['attribute_exists(pk)'], names: {}, values: {} });

/** DynamoDB refuses placeholders an expression does not use; the parts declare freely and only the used ones go out. */
const usedIn = (text: string, entries: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(entries).filter(([placeholder]) => new RegExp(`${placeholder}(?![A-Za-z0-9_])`).test(text)));

function toUpdate(parts: Clauses): Update {
  const expression = [parts.set.length > 0 ? `SET ${parts.set.join(', ')}` : '', parts.remove.length > 0 ? `REMOVE ${parts.remove.join(', ')}` : ''].filter(Boolean).join(' ');
  const condition = parts.conditions.join(' AND ');
  const names = usedIn(`${expression} ${condition}`, parts.names) as Record<string, string>;
  const values = usedIn(`${expression} ${condition}`, parts.values);
  return {
    UpdateExpression: expression,
    ConditionExpression: condition,
    ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
    ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
  };
}

/**
 * Where one count is stored: the account's at the top level, a source's inside `sourceAttempts`. `p` prefixes its
 * placeholders so the parts of one update stay apart.
 */
interface CounterAt {
  readonly path: string;
  readonly p: string;
}

const SOURCE_MAP = 'sourceAttempts';
const KNOWN_MAP = 'knownSources';

function counterNames(parts: Clauses) {
  parts.names['#n'] = 'failedSignIns';
  parts.names['#w'] = 'failureWindowStartedAt';
  parts.names['#l'] = 'lockedUntil';
}

const ACCOUNT: CounterAt = { path: '', p: 'a' };

function sourceAt(parts: Clauses, source: string, p = 's'): CounterAt {
  parts.names['#sa'] = SOURCE_MAP;
  parts.names[`#${p}`] = source;
  return { path: `#sa.#${p}.`, p };
}

/** The condition that an optional attribute holds this value, or is absent when it is undefined. */
function holds(parts: Clauses, attribute: string, placeholder: string, value: string | undefined): string {
  if (value === undefined) return `attribute_not_exists(${attribute})`;
  parts.values[placeholder] = value;
  return `${attribute} = ${placeholder}`;
}

/** Sets or removes the counters of one count, as decided. */
function writeCounters(parts: Clauses, at: CounterAt, next: AttemptState) {
  parts.values[`:${at.p}n`] = next.failedSignIns;
  parts.set.push(`${at.path}#n = :${at.p}n`);
  for (const [name, value] of [['#w', next.failureWindowStartedAt], ['#l', next.lockedUntil]] as const) {
    if (value === undefined) parts.remove.push(`${at.path}${name}`);
    else {
      parts.values[`:${at.p}${name.slice(1)}`] = value;
      parts.set.push(`${at.path}${name} = :${at.p}${name.slice(1)}`);
    }
  }
}

/** One count's place in a reservation: an increment while the window allows it, else a write of what was decided on exactly what was read. */
function reservePlace(parts: Clauses, at: CounterAt, guard: AttemptGuard, next: AttemptState) {
  counterNames(parts);
  const count = `${at.path}#n`;
  switch (guard.kind) {
    case 'none':
      parts.values[':one'] = 1;
      parts.values[':zero'] = 0;
      parts.set.push(`${count} = if_not_exists(${count}, :zero) + :one`);
      return;
    case 'unlocked-below':
      // An increment: parallel reservations below the last place of the same window apply together, none of them can lock.
      parts.values[':one'] = 1;
      parts.values[`:${at.p}below`] = guard.below;
      parts.set.push(`${count} = ${count} + :one`);
      parts.conditions.push(
        `attribute_not_exists(${at.path}#l)`,
        holds(parts, `${at.path}#w`, `:${at.p}window`, guard.window),
        `${count} < :${at.p}below`,
      );
      return;
    case 'exactly': {
      const read = guard.state;
      parts.values[`:${at.p}readN`] = read.failedSignIns;
      // A count never stored (a new source, an item from before counters existed) reads as zero.
      const readCount = read.failedSignIns === 0 ? `(attribute_not_exists(${count}) OR ${count} = :${at.p}readN)` : `${count} = :${at.p}readN`;
      parts.conditions.push(
        readCount,
        holds(parts, `${at.path}#w`, `:${at.p}readW`, read.failureWindowStartedAt),
        holds(parts, `${at.path}#l`, `:${at.p}readL`, read.lockedUntil),
      );
      writeCounters(parts, at, next);
      return;
    }
  }
}

function reservationUpdate(reservation: Extract<ComparisonDecision, { kind: 'reserve' }>): Update {
  const parts = clauses();
  if (reservation.accountPlace !== undefined) reservePlace(parts, ACCOUNT, reservation.accountPlace.guard, reservation.accountPlace.next);
  if (reservation.knownUntil !== undefined) {
    // Skipping the account's count rests on the source being known: it must still be, as it was read.
    parts.names['#ks'] = KNOWN_MAP;
    parts.names['#s'] = reservation.source;
    parts.values[':knownAs'] = reservation.knownUntil;
    parts.conditions.push('#ks.#s = :knownAs');
  }
  const place = reservation.sourcePlace;
  if (place !== undefined && reservation.firstSource) {
    // No source was ever counted on this item: the map is written whole, only if still absent.
    parts.names['#sa'] = SOURCE_MAP;
    parts.values[':sources'] = { [reservation.source]: entryOf(place.next) };
    parts.set.push('#sa = :sources');
    parts.conditions.push('attribute_not_exists(#sa)');
  } else if (place !== undefined) {
    const at = sourceAt(parts, reservation.source);
    if (place.guard.kind === 'exactly' && place.guard.state.failureWindowStartedAt === undefined) {
      // A source's first count in this map: the entry is written whole (a nested counter cannot be set inside a missing map).
      parts.values[':entry'] = entryOf(place.next);
      parts.set.push('#sa.#s = :entry');
      parts.conditions.push('attribute_not_exists(#sa.#s)');
    } else reservePlace(parts, at, place.guard, place.next);
  }
  reservation.lapsed.forEach((lapsed, index) => {
    const at = sourceAt(parts, lapsed.source, `x${index}`);
    counterNames(parts);
    parts.remove.push(at.path.slice(0, -1));
    parts.conditions.push(holds(parts, `${at.path}#w`, `:x${index}w`, lapsed.window));
  });
  return toUpdate(parts);
}

/** A source's counters as a stored map entry (no attribute for what is undefined). */
const entryOf = (counters: AttemptState) =>
  Object.fromEntries(Object.entries({ failedSignIns: counters.failedSignIns, failureWindowStartedAt: counters.failureWindowStartedAt, lockedUntil: counters.lockedUntil }).filter(([, value]) => value !== undefined));

/** Gives back one place: in the window it was counted in, or with the lock the comparison set itself. */
function giveBackPlace(parts: Clauses, at: CounterAt, place: HeldPlace) {
  counterNames(parts);
  const count = `${at.path}#n`;
  parts.values[':one'] = 1;
  parts.values[':zero'] = 0;
  parts.set.push(`${count} = ${count} - :one`);
  parts.conditions.push(`${count} > :zero`);
  if (place.ownLock !== undefined) {
    parts.values[`:${at.p}ownLock`] = place.ownLock;
    parts.remove.push(`${at.path}#l`);
    parts.conditions.push(`${at.path}#l = :${at.p}ownLock`);
  } else parts.conditions.push(holds(parts, `${at.path}#w`, `:${at.p}window`, place.window));
}

/** Makes a source known until the given time, forgetting others; the map is written whole when it was never stored. */
function knowSource(parts: Clauses, known: { source: string; knownUntil: string; forget: readonly string[]; firstKnown: boolean }) {
  parts.names['#ks'] = KNOWN_MAP;
  if (known.firstKnown) {
    parts.values[':known'] = { [known.source]: known.knownUntil };
    parts.set.push('#ks = :known');
    return;
  }
  parts.names['#k'] = known.source;
  parts.values[':knownUntil'] = known.knownUntil;
  parts.set.push('#ks.#k = :knownUntil');
  known.forget.forEach((forgotten, index) => {
    parts.names[`#f${index}`] = forgotten;
    parts.remove.push(`#ks.#f${index}`);
  });
}

export interface DynamoSignInAttemptsOptions {
  readonly client: DynamoDBDocumentClient;
  readonly directoryTable: string;
  readonly auditTable?: string | undefined;
  /** Needed by a sign-in's success, which opens its session (or its challenge) in the same transaction. */
  readonly sessionsTable?: string | undefined;
  readonly tokensTable?: string | undefined;
}

/** The counters of an item as the port gives them (a count never stored reads as zero). */
const countersOf = (item: Record<string, unknown>) => ({
  failedSignIns: (item.failedSignIns as number | undefined) ?? 0,
  failureWindowStartedAt: item.failureWindowStartedAt as string | undefined,
  lockedUntil: item.lockedUntil as string | undefined,
  sourceAttempts: item.sourceAttempts as Record<string, AttemptState> | undefined,
  knownSources: item.knownSources as Record<string, string> | undefined,
});

export function createDynamoSignInAttempts({ client, directoryTable: TableName, auditTable, sessionsTable, tokensTable }: DynamoSignInAttemptsOptions): SignInAttempts {
  /** One conditional update of the counters, with its events and other parts in the same transaction when there are any. Resolves false when refused. */
  async function apply(key: { companyId: string; adminId: string }, update: Update, events: readonly AuditEvent[], others: readonly TransactionPart[] = []): Promise<boolean> {
    const Key = adminKey(key.companyId, key.adminId);
    const write =
      events.length === 0 && others.length === 0
        ? conditionalWrite(client.send(new UpdateCommand({ TableName, Key, ...update })), 'ATTEMPTS_MOVED')
        : transact(client, [{ name: 'attempts', item: { Update: { TableName, Key, ...update } }, refusal: 'ATTEMPTS_MOVED' }, ...auditParts(auditTable, events), ...others]);
    return (await refusalOf(write)) === undefined;
  }

  const table = (name: string | undefined, purpose: string): string => {
    if (name === undefined) throw new Error(`a sign-in that opens a ${purpose} needs the ${purpose === 'session' ? 'sessions' : 'tokens'} table`);
    return name;
  };

  /** The session or challenge a success opens, as a part of its transaction; a fresh random key, so never there already. */
  function openingPart(opening: SignInOpening): TransactionPart {
    if ('session' in opening) {
      return { name: 'session', item: { Put: { TableName: table(sessionsTable, 'session'), Item: sessionItem(opening.session), ConditionExpression: 'attribute_not_exists(pk)' } } };
    }
    return { name: 'challenge', item: { Put: { TableName: table(tokensTable, 'challenge'), Item: tokenItem('sign-in-challenge', opening.challenge), ConditionExpression: 'attribute_not_exists(pk)' } } };
  }

  /** The admin items of one address in the index: more than one only while the index catches up with a moved address. */
  async function indexedHolders(companyId: string, email: string): Promise<Record<string, unknown>[]> {
    const { Items = [] } = await client.send(
      new QueryCommand({
        TableName,
        IndexName: BY_EMAIL.indexName,
        KeyConditionExpression: '#pk = :pk AND #email = :email',
        ExpressionAttributeNames: { '#pk': BY_EMAIL.partitionKey, '#email': BY_EMAIL.sortKey },
        ExpressionAttributeValues: { ':pk': companyPartition(companyId), ':email': email },
      }),
    );
    // Suppressed addresses carry an `email` too.
    return Items.filter((item) => String(item.sk).startsWith(ADMIN_PREFIX));
  }

  return {
    async findByAddress(companyId, email) {
      const holders = await indexedHolders(companyId, email);
      let holder = holders[0];
      if (holders.length > 1) {
        // The address moved a moment ago and the index still lists its old holder: the claim, read consistently, says who holds it.
        const { Item: claim } = await client.send(new GetCommand({ TableName, Key: emailKey(companyId, email), ConsistentRead: true }));
        holder = holders.find((item) => item.adminId === claim?.adminId);
      }
      if (holder === undefined) return undefined;
      const account: AddressedAccount = { companyId, adminId: holder.adminId as string, email, ...countersOf(holder) };
      return account;
    },

    async read(key) {
      const { Item } = await client.send(
        new GetCommand({
          TableName,
          Key: adminKey(key.companyId, key.adminId),
          ConsistentRead: true,
          ProjectionExpression: 'pk, failedSignIns, failureWindowStartedAt, lockedUntil, sourceAttempts, knownSources',
        }),
      );
      return Item === undefined ? undefined : countersOf(Item);
    },

    async reserve(key, reservation, holding) {
      const update = reservationUpdate(reservation);
      const withHolder =
        holding === undefined
          ? update
          : {
              ...update,
              ConditionExpression: `${update.ConditionExpression} AND #holding = :holding`,
              ExpressionAttributeNames: { ...update.ExpressionAttributeNames, '#holding': 'email' },
              ExpressionAttributeValues: { ...update.ExpressionAttributeValues, ':holding': holding },
            };
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({ TableName, Key: adminKey(key.companyId, key.adminId), ...withHolder, ReturnValues: 'ALL_NEW', ReturnValuesOnConditionCheckFailure: 'ALL_OLD' }),
        );
        return { reserved: true, admin: toAdminRecord(Attributes as AdminItem) };
      } catch (error) {
        if (!(error instanceof ConditionalCheckFailedException)) throw error;
        // The stored item comes back with the refusal (in DynamoDB's own format: the document client leaves errors as they are).
        return { reserved: false, stored: error.Item === undefined ? undefined : toAdminRecord(unmarshall(error.Item) as AdminItem) };
      }
    },

    async giveBack(key, success, events, opening) {
      const opened = opening === undefined ? [] : [openingPart(opening)];
      // A session opened is the admin's last sign-in; a challenge is not one yet.
      const signedIn = (parts: Clauses) => {
        if (opening === undefined || !('session' in opening)) return;
        parts.names['#lastSignInAt'] = 'lastSignInAt';
        parts.values[':lastSignInAt'] = opening.session.createdAt;
        parts.set.push('#lastSignInAt = :lastSignInAt');
      };
      const parts = clauses();
      signedIn(parts);
      if (success.sourcePlace !== undefined) giveBackPlace(parts, sourceAt(parts, success.source), success.sourcePlace);
      if (success.accountPlace !== undefined) giveBackPlace(parts, ACCOUNT, success.accountPlace);
      knowSource(parts, success);
      if (await apply(key, toUpdate(parts), events, opened)) return;
      // A place is gone already (a new window, an unlock, a new password): the source is made known and the success
      // recorded all the same.
      const known = clauses();
      signedIn(known);
      knowSource(known, success);
      // Only a vanished admin item refuses this one: then no session may be answered as opened.
      if (!(await apply(key, toUpdate(known), events, opened))) throw new Error('the admin item is gone: the success was not stored');
    },

    async decoy(companyId) {
      // A reservation's own update, on a key no item has: its condition fails and nothing is stored.
      const place = { kind: 'reserve', next: RESTARTED, guard: { kind: 'unlocked-below', below: 1, window: 'decoy' }, locks: undefined } as const;
      await refusalOf(
        conditionalWrite(
          client.send(
            new UpdateCommand({
              TableName,
              Key: decoyAdminKey(companyId),
              ...reservationUpdate({ kind: 'reserve', source: 'decoy', sourcePlace: place, firstSource: false, accountPlace: place, knownUntil: undefined, lapsed: [] }),
            }),
          ),
          'ATTEMPTS_MOVED',
        ),
      );
    },

    unlock: (key, events) =>
      apply(
        key,
        {
          UpdateExpression: 'SET failedSignIns = :zero, sourceAttempts = :none REMOVE lockedUntil, failureWindowStartedAt',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':zero': 0, ':none': {} },
        },
        events,
      ),

    unlockOwnSource(key, unlock, events) {
      const parts = clauses();
      knowSource(parts, unlock);
      if (unlock.clearsCount) {
        sourceAt(parts, unlock.source);
        parts.remove.push('#sa.#s');
      }
      return apply(key, toUpdate(parts), events);
    },
  };
}
