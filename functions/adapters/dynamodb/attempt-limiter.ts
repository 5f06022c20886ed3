// Adapter: the AttemptLimiter port on DynamoDB: one counter item per purpose, client and fixed window in the token
// table. Taking a place is one conditional increment of the stored count, so parallel attempts never pass the
// limit; the item is left to TTL once its window has passed.
import { UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AttemptLimiter } from '../../domain/ports';
import { refusalOf } from '../../domain/write-refusals';
import { limitKey } from './keys';
import { conditionalWrite } from './transaction';

export interface AttemptLimiterOptions {
  readonly client: DynamoDBDocumentClient;
  readonly tableName: string;
  /** What is limited, so two limiters never share counters. */
  readonly purpose: string;
  readonly maxAttempts: number;
  readonly windowMinutes: number;
}

export function createDynamoAttemptLimiter(options: AttemptLimiterOptions): AttemptLimiter {
  const { client, tableName: TableName, purpose, maxAttempts, windowMinutes } = options;
  const windowMs = windowMinutes * 60_000;
  const windowOf = (now: Date) => {
    const window = Math.floor(now.getTime() / windowMs);
    return { window, expires: Math.ceil(((window + 1) * windowMs) / 1000) };
  };
  return {
    async take(clientKey, now, limit = maxAttempts) {
      const { window, expires } = windowOf(now);
      const write = conditionalWrite(
        client.send(
          new UpdateCommand({
            TableName,
            Key: limitKey(purpose, clientKey, window),
            UpdateExpression: 'ADD attempts :one SET #kind = :kind, #ttl = :ttl',
            ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :max',
            ExpressionAttributeNames: { '#kind': 'kind', '#ttl': 'ttl' },
            ExpressionAttributeValues: { ':one': 1, ':max': limit, ':kind': 'attempt-limit', ':ttl': expires },
          }),
        ),
        'ATTEMPTS_MOVED',
      );
      return (await refusalOf(write)) === undefined;
    },
    async giveBack(clientKey, now) {
      const { window } = windowOf(now);
      const write = conditionalWrite(
        client.send(
          new UpdateCommand({
            TableName,
            Key: limitKey(purpose, clientKey, window),
            UpdateExpression: 'ADD attempts :minusOne',
            ConditionExpression: 'attempts > :zero',
            ExpressionAttributeValues: { ':minusOne': -1, ':zero': 0 },
          }),
        ),
        'ATTEMPTS_MOVED',
      );
      // Nothing stored to give back (the counter expired): the place is free anyway.
      await refusalOf(write);
    },
    windowEndsAt(now) {
      return new Date((windowOf(now).window + 1) * windowMs);
    },
  };
}
