// Adapter: the one DynamoDB document client of a container, built once at module scope so warm invocations reuse
// its connections. Endpoint and region come from the validated configuration.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { endpointConfig } from '../../config';

const { AWS_REGION, DYNAMODB_ENDPOINT } = endpointConfig();

export const dynamoDb = DynamoDBDocumentClient.from(
  new DynamoDBClient({ region: AWS_REGION, ...(DYNAMODB_ENDPOINT ? { endpoint: DYNAMODB_ENDPOINT } : {}) }),
  { marshallOptions: { removeUndefinedValues: true } },
);
