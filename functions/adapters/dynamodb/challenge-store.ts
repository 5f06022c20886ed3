// Adapter: the ChallengeStore port on DynamoDB, in the single-use token table. A challenge is consumed by the
// password write that answers it (AdminDirectory.writePassword deletes it under a condition), never here.
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Challenge, ChallengeStore } from '../../domain/ports';
import { ttlSeconds } from './table-definitions';

const KIND = 'sign-in-challenge';

export function createDynamoChallengeStore(client: DynamoDBDocumentClient, TableName: string): ChallengeStore {
  return {
    async create(challenge) {
      await client.send(
        new PutCommand({
          TableName,
          Item: { pk: challenge.tokenHash, kind: KIND, ...challenge, ttl: ttlSeconds(challenge.expiresAt) },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },
    async get(tokenHash) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: { pk: tokenHash }, ConsistentRead: true }));
      // The table will hold other single-use tokens too; a token of another kind is no challenge.
      if (Item === undefined || Item.kind !== KIND) return undefined;
      const { companyId, adminId, reason, passwordVersion, expiresAt } = Item as Challenge;
      return { tokenHash, companyId, adminId, reason, passwordVersion, expiresAt };
    },
  };
}
