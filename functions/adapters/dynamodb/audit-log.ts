// Adapter: the audit trail on DynamoDB. Each company's events sit under its partition, sorted by ULID, so a Query
// reads them newest first; the byAdmin index holds the same events under the admin they concern.
import { BatchWriteCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { AUDIT_RETENTION_DAYS, type AuditEvent } from '../../domain/audit';
import type { AuditLog } from '../../domain/ports';
import { ADMIN_ID_PATTERN } from '../../domain/tokens';
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

/** The cursor carries only the last event's ULID. */
const eventCursor = pageCursor((eventId) => ADMIN_ID_PATTERN.test(eventId));

export function createDynamoAuditLog(client: DynamoDBDocumentClient, TableName: string): AuditLog {
  return {
    async record(events) {
      for (let start = 0; start < events.length; start += 25) {
        let pending: Record<string, unknown>[] | undefined = events.slice(start, start + 25).map((event) => ({ PutRequest: { Item: auditItem(event) } }));
        // DynamoDB may leave items unprocessed under load; they are sent again, a few times, with a short pause.
        for (let attempt = 0; pending && pending.length > 0; attempt += 1) {
          if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
          if (attempt === 4) throw new Error('audit events left unprocessed by DynamoDB');
          const { UnprocessedItems } = await client.send(new BatchWriteCommand({ RequestItems: { [TableName]: pending as never } }));
          pending = UnprocessedItems?.[TableName] as Record<string, unknown>[] | undefined;
        }
      }
    },

    async list(companyId, { limit, cursor, adminId }) {
      const byAdmin = adminId !== undefined;
      const partition = byAdmin ? auditAdminPartition(companyId, adminId) : auditPartition(companyId);
      const after = cursor === undefined ? undefined : auditSortKey(eventCursor.decode(cursor));
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName,
          ...(byAdmin ? { IndexName: 'byAdmin' } : {}),
          KeyConditionExpression: `${byAdmin ? 'adminKey' : 'pk'} = :partition AND begins_with(sk, :events)`,
          ExpressionAttributeValues: { ':partition': partition, ':events': auditSortKey('') },
          ScanIndexForward: false,
          Limit: limit,
          ...(after === undefined
            ? {}
            : { ExclusiveStartKey: byAdmin ? { adminKey: partition, sk: after, pk: auditPartition(companyId) } : { pk: partition, sk: after } }),
        }),
      );
      const last = LastEvaluatedKey?.sk ? String(LastEvaluatedKey.sk).slice(auditSortKey('').length) : undefined;
      return { items: Items.map(toEvent), nextCursor: last === undefined ? null : eventCursor.encode(last) };
    },
  };
}
