// Adapter: single-use tokens (sign-in challenges, password reset links) in the token table, keyed by the SHA-256 of
// the token and tagged by kind, so a token of one kind is never accepted as another. A token is consumed by the
// password write that uses it (AdminDirectory.writePassword deletes it under a condition), never here.
import { GetCommand, PutCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Challenge, ResetToken } from '../../domain/ports';
import { secretKey } from './keys';
import { ttlSeconds } from './table-definitions';

export type TokenKind = 'sign-in-challenge' | 'password-reset';

interface StoredToken {
  readonly tokenHash: string;
  readonly expiresAt: string;
}

/** The item a token is stored as; shared with the transactions that write tokens alongside other items. */
export const tokenItem = (kind: TokenKind, token: StoredToken): Record<string, unknown> => ({
  ...secretKey(token.tokenHash),
  kind,
  ...token,
  ttl: ttlSeconds(token.expiresAt),
});

export interface TokenStore<T extends StoredToken> {
  create(token: T): Promise<void>;
  get(tokenHash: string): Promise<T | undefined>;
}

function createDynamoTokenStore<T extends StoredToken>(
  client: DynamoDBDocumentClient,
  TableName: string,
  kind: TokenKind,
  fields: readonly (keyof T & string)[],
): TokenStore<T> {
  return {
    async create(token) {
      await client.send(new PutCommand({ TableName, Item: tokenItem(kind, token), ConditionExpression: 'attribute_not_exists(pk)' }));
    },
    async get(tokenHash) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: secretKey(tokenHash), ConsistentRead: true }));
      if (Item === undefined || Item.kind !== kind) return undefined;
      return Object.fromEntries(fields.map((field) => [field, Item[field]])) as T;
    },
  };
}

export const createDynamoChallengeStore = (client: DynamoDBDocumentClient, tableName: string): TokenStore<Challenge> =>
  createDynamoTokenStore<Challenge>(client, tableName, 'sign-in-challenge', ['tokenHash', 'companyId', 'adminId', 'reason', 'passwordVersion', 'expiresAt']);

export const createDynamoResetTokenStore = (client: DynamoDBDocumentClient, tableName: string): TokenStore<ResetToken> =>
  createDynamoTokenStore<ResetToken>(client, tableName, 'password-reset', [
    'tokenHash',
    'companyId',
    'adminId',
    'passwordVersion',
    'requestedBy',
    'sentTo',
    'issuedForEmail',
    'purpose',
    'createdAt',
    'expiresAt',
  ]);
