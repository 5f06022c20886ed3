// Adapter: telling a failed condition of a single DynamoDB write from any other failure.
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';

/** True when a single conditional write failed on its condition. */
export const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;
