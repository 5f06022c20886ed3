// Adapter: the DeliverySuppressions port on DynamoDB. Each suppressed address is one item under its company's
// partition of the directory table (SUPPRESSED#<email>), put only if absent, so a notification SNS delivers twice
// suppresses once and records one event; the events go in the same transaction as the item they record.
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { DeliverySuppression } from '../../domain/delivery';
import type { DeliverySuppressions } from '../../domain/ports';
import { auditParts } from './audit-log';
import { SUPPRESSION_PREFIX, companyKey, companyPartition, suppressionKey } from './keys';
import { pageCursor } from './page-cursor';
import { transact } from './transaction';

/** The attributes of a suppression item besides its key, as the domain names them. */
const FIELDS = ['companyId', 'email', 'reason', 'detail', 'purpose', 'feedbackId', 'messageId', 'suppressedAt'] as const satisfies readonly (keyof DeliverySuppression)[];

const toSuppression = (item: Record<string, unknown>): DeliverySuppression =>
  Object.fromEntries(FIELDS.map((field) => [field, item[field] ?? null])) as unknown as DeliverySuppression;

/** The cursor carries only the last address of the page. */
const cursor = pageCursor((email) => /^[^\s@]{1,64}@[^\s@]{1,255}$/u.test(email));

export interface DynamoDeliverySuppressionsOptions {
  readonly client: DynamoDBDocumentClient;
  readonly directoryTable: string;
  /** Needed by the writes, which store their audit events in the same transaction. */
  readonly auditTable?: string | undefined;
}

export function createDynamoDeliverySuppressions({ client, directoryTable: TableName, auditTable }: DynamoDeliverySuppressionsOptions): DeliverySuppressions {
  return {
    async find(companyId, email) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: suppressionKey(companyId, email), ConsistentRead: true }));
      return Item === undefined ? undefined : toSuppression(Item);
    },

    async list(companyId, { limit, cursor: after }) {
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :suppressed)',
          ExpressionAttributeValues: { ':pk': companyPartition(companyId), ':suppressed': SUPPRESSION_PREFIX },
          Limit: limit,
          ...(after === undefined ? {} : { ExclusiveStartKey: suppressionKey(companyId, cursor.decode(after)) }),
        }),
      );
      const last = LastEvaluatedKey?.sk ? String(LastEvaluatedKey.sk).slice(SUPPRESSION_PREFIX.length) : undefined;
      return { items: Items.map(toSuppression), nextCursor: last === undefined ? null : cursor.encode(last) };
    },

    async suppress(suppression, events) {
      const { companyId, email } = suppression;
      await transact(client, [
        // Feedback names a company by a tag of our own sends; the item goes only into a company that exists.
        { name: 'company', item: { ConditionCheck: { TableName, Key: companyKey(companyId), ConditionExpression: 'attribute_exists(pk)' } }, refusal: 'COMPANY_MISSING' },
        {
          name: 'suppression',
          item: {
            Put: {
              TableName,
              Item: { ...suppressionKey(companyId, email), ...Object.fromEntries(FIELDS.map((field) => [field, suppression[field]])) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          refusal: 'ALREADY_SUPPRESSED',
        },
        ...auditParts(auditTable, events),
      ]);
    },

    async clear(companyId, email, events) {
      await transact(client, [
        { name: 'suppression', item: { Delete: { TableName, Key: suppressionKey(companyId, email), ConditionExpression: 'attribute_exists(pk)' } }, refusal: 'NOT_SUPPRESSED' },
        ...auditParts(auditTable, events),
      ]);
    },
  };
}
