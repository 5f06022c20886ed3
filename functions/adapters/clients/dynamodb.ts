// Adapter: the one DynamoDB document client of a container, built once at module scope so warm invocations reuse
// its connections. Endpoint and region come from the validated configuration; timeouts and retries from the
// request's time budget; the outcome of every write is recorded for the answer.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { endpointConfig } from '../../config';
import { WRITE_COMMANDS, trackRequestOutcomes } from './request-outcome';
import { sdkClientBudget } from './sdk-budget';

const { AWS_REGION, DYNAMODB_ENDPOINT } = endpointConfig();

const client = new DynamoDBClient({ region: AWS_REGION, ...sdkClientBudget, ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}) });
// The document client shares this stack, so its commands are tracked too.
trackRequestOutcomes(client.middlewareStack, WRITE_COMMANDS.dynamoDb);

export const dynamoDb = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
