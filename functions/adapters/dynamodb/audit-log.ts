// Adapter: the audit trail on DynamoDB. Each company's events sit under its partition, sorted by ULID, so a Query
// reads them newest first; the byAdmin index holds the same events under the admin they concern.
// The sort key is the event's ULID, which begins with its time, so a date range is a key condition.
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIT_RETENTION_DAYS, type AuditEvent } from '../../domain/audit';
import type { AuditLog } from '../../domain/ports';
import { ADMIN_ID_PATTERN, ulidBoundary } from '../../domain/tokens';
import { sendUntilProcessed } from './batches';
import { auditAdminPartition, auditPartition, auditSortKey } from './keys';
import { pageCursor } from './page-cursor';
import type { TransactionPart } from './transaction';

/** The item an event is stored as; shared with the transactions that store events beside the change they record. */
export function auditItem(event: AuditEvent): Record<string, unknown> {
  const subject = event.targetAdminId ?? event.actorAdminId;
  return {
    pk: auditPartition(event.companyId),
    sk: auditSortKey(event.eventId),
    ...(subject === null ? {} : { adminKey: auditAdminPartition(event.companyId, subject) }),
    ...event,
    ttl: Math.ceil(Date.parse(event.at) / 1000) + AUDIT_RETENTION_DAYS * 24 * 3600,
  };
}

/** The transaction parts that store events beside the change they record; they have no condition. */
export const auditParts = (auditTable: string | undefined, events: readonly AuditEvent[]): TransactionPart[] =>
  events.map((event, index) => {
    if (auditTable === undefined) throw new Error('this write records audit events, so it needs the audit table');
    return { name: `auditEvent${index}`, item: { Put: { TableName: auditTable, Item: auditItem(event) } } };
  });

function toEvent(item: Record<string, unknown>): AuditEvent {
  const { eventId, companyId, type, outcome, at, actorAdminId, targetAdminId, sourceIp, userAgent, details } = item as unknown as AuditEvent;
  return { eventId, companyId, type, outcome, at, actorAdminId, targetAdminId, sourceIp, userAgent, details };
}

/** The cursor carries only the last event's ULID (the last one read, which a type filter may have skipped). */
const eventCursor = pageCursor((eventId) => ADMIN_ID_PATTERN.test(eventId));

/**
 * A type filter reads past the events it skips: each page reads at most this many times this many events (DynamoDB
 * applies a filter after its Limit), and answers what it found with a cursor to go on from.
 */
const FILTERED_READS_PER_PAGE = 5;
const FILTERED_READ_SIZE = 100;
/** Later than any event: the upper bound of a range without `to` (ULIDs run out in the year 10889). */
const LATEST = new Date(2 ** 48 - 1);

export function createDynamoAuditLog(client: DynamoDBDocumentClient, TableName: string): AuditLog {
  return {
    async record(events) {
      for (let start = 0; start < events.length; start += 25) {
        await sendUntilProcessed<Record<string, unknown>>(
          events.slice(start, start + 25).map((event) => ({ PutRequest: { Item: auditItem(event) } })),
          async (pending) => {
            const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [TableName]: pending as never } }));
            return UnprocessedItems?.[TableName] as Record<string, unknown>[] | undefined;
          },
          'audit events',
        );
      }
    },

    async list(companyId, { limit, cursor, adminId, type, from, to }) {
      const byAdmin = adminId !== undefined;
      const partition = byAdmin ? auditAdminPartition(companyId, adminId) : auditPartition(companyId);
      const startKey = (eventId: string) =>
        byAdmin ? { adminKey: partition, sk: auditSortKey(eventId), pk: auditPartition(companyId) } : { pk: partition, sk: auditSortKey(eventId) };
      // The date range is a range of event ids (ULIDs begin with their millisecond), so it narrows the key condition
      // on the table and on the index alike; the type is a filter on what the key condition read.
      const read = (startAfter: string | undefined, Limit: number) =>
        client.send(
          new QueryCommand({
            TableName,
            ...(byAdmin ? { IndexName: 'byAdmin' } : {}),
            KeyConditionExpression: `${byAdmin ? 'adminKey' : 'pk'} = :partition AND sk BETWEEN :lowest AND :highest`,
            ExpressionAttributeValues: {
              ':partition': partition,
              ':lowest': auditSortKey(from === undefined ? '' : ulidBoundary(new Date(from), 'first')),
              ':highest': auditSortKey(ulidBoundary(to === undefined ? LATEST : new Date(to), 'last')),
              ...(type === undefined ? {} : { ':type': type }),
            },
            ...(type === undefined ? {} : { FilterExpression: '#type = :type', ExpressionAttributeNames: { '#type': 'type' } }),
            ScanIndexForward: false,
            Limit,
            ...(startAfter === undefined ? {} : { ExclusiveStartKey: startKey(startAfter) }),
          }),
        );

      const items: AuditEvent[] = [];
      let startAfter = cursor === undefined ? undefined : eventCursor.decode(cursor);
      for (let reads = 0; reads < FILTERED_READS_PER_PAGE; reads += 1) {
        const wanted = limit - items.length;
        const { Items = [], LastEvaluatedKey } = await read(startAfter, type === undefined ? wanted : FILTERED_READ_SIZE);
        items.push(...Items.slice(0, wanted).map(toEvent));
        // More matches than the page holds: the next page starts after the last one shown.
        if (Items.length > wanted) return { items, nextCursor: eventCursor.encode(items.at(-1)!.eventId) };
        if (LastEvaluatedKey === undefined) return { items, nextCursor: null };
        startAfter = String(LastEvaluatedKey.sk).slice(auditSortKey('').length);
        if (items.length === limit) break;
      }
      return { items, nextCursor: eventCursor.encode(startAfter!) };
    },
  };
}
