// Adapter: the SessionStore port on DynamoDB. Items are keyed by the SHA-256 of the session token and carry a TTL
// attribute for clean-up; expiry itself is judged by the use case at every read, since TTL deletes days late.
import { DeleteCommand, GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Session, SessionStore } from '../../domain/ports';
import { secretKey } from './keys';
import { ttlSeconds } from './table-definitions';

/** The item a session is stored as; shared with the transactions that open a session alongside other writes. */
export const sessionItem = (session: Session): Record<string, unknown> => ({ ...secretKey(session.tokenHash), ...session, ttl: ttlSeconds(session.expiresAt) });

export function createDynamoSessionStore(client: DynamoDBDocumentClient, TableName: string): SessionStore {
  return {
    async create(session) {
      await client.send(
        new PutCommand({
          TableName,
          Item: sessionItem(session),
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async get(tokenHash) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: secretKey(tokenHash), ConsistentRead: true }));
      if (Item === undefined) return undefined;
      const { companyId, adminId, epoch, createdAt, expiresAt } = Item as Session;
      return { tokenHash, companyId, adminId, epoch, createdAt, expiresAt };
    },
    async delete(tokenHash) {
      await client.send(new DeleteCommand({ TableName, Key: secretKey(tokenHash) }));
    },
  };
}
