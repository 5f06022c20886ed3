// The AttemptLimiter contract, run against the DynamoDB adapter on DynamoDB Local.
import { createDynamoAttemptLimiter } from '../../functions/adapters/dynamodb/attempt-limiter';
import { documentClient } from '../support/companies';
import { attemptLimiterContract } from './attempt-limiter-contract';

const client = documentClient();
afterAll(() => client.destroy());

attemptLimiterContract('DynamoDB', ({ maxAttempts, windowMinutes }) =>
  createDynamoAttemptLimiter({ client, tableName: process.env.TOKENS_TABLE!, purpose: 'contract', maxAttempts, windowMinutes }),
);
