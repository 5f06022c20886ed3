// Adapter: the AttemptLimiter port on DynamoDB: one counter item per client and fixed window in the token table,
// incremented atomically and left to TTL once its window has passed.
import { GetCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttemptLimiter } from '../../domain/ports';

export interface AttemptLimiterOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** What is limited, so two limiters never share counters. */
  readonly purpose: string;
  readonly maxMisses: number;
  readonly windowMinutes: number;
}

export function createDynamoAttemptLimiter(options: AttemptLimiterOptions): AttemptLimiter {
  const { client, tableName: TableName, purpose, maxMisses, windowMinutes } = options;
  const windowMs = windowMinutes * 60_000;
  const keyOf = (clientKey: string, now: Date) => {
    const window = Math.floor(now.getTime() / windowMs);
    return { pk: `LIMIT#${purpose}#${clientKey}#${window}`, expires: Math.ceil(((window + 1) * windowMs) / 1000) };
  };
  return {
    async isBlocked(clientKey, now) {
      const { pk } = keyOf(clientKey, now);
      const { Item } = await client.send(new GetCommand({ TableName, Key: { pk } }));
      return Number(Item?.misses ?? 0) >= maxMisses;
    },
    async recordMiss(clientKey, now) {
      const { pk, expires } = keyOf(clientKey, now);
      await client.send(
        new UpdateCommand({
          TableName,
          Key: { pk },
          UpdateExpression: 'ADD misses :one SET #kind = :kind, #ttl = :ttl',
          ExpressionAttributeNames: { '#kind': 'kind', '#ttl': 'ttl' },
          ExpressionAttributeValues: { ':one': 1, ':kind': 'attempt-limit', ':ttl': expires },
        }),
      );
    },
  };
}
