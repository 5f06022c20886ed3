// Adapter: the AdminNames port on DynamoDB. The admins a page of audit events mentions, read in one BatchGetItem
// per 100 ids (DynamoDB's limit) from the directory, by key: only admins of the caller's company can be found.
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdminName } from '../../domain/audit';
import type { AdminNames } from '../../domain/ports';
import { sendUntilProcessed } from './batches';
import { adminKey } from './keys';

const BATCH_GET_LIMIT = 100;

export function createDynamoAdminNames(client: DynamoDBDocumentClient, TableName: string): AdminNames {
  async function readBatch(companyId: string, adminIds: readonly string[]): Promise<AdminName[]> {
    const found: AdminName[] = [];
    await sendUntilProcessed<Record<string, unknown>>(
      adminIds.map((adminId) => adminKey(companyId, adminId)),
      async (pending) => {
        const answer: BatchGetCommandOutput = await client.send(
          new BatchGetCommand({
            RequestItems: { [TableName]: { Keys: [...pending], ProjectionExpression: 'adminId, #name, email', ExpressionAttributeNames: { '#name': 'name' } } },
          }),
        );
        found.push(...(answer.Responses?.[TableName] ?? []).map((item) => ({ adminId: String(item.adminId), name: String(item.name), email: String(item.email) })));
        return answer.UnprocessedKeys?.[TableName]?.Keys;
      },
      'admin names',
    );
    return found;
  }

  return {
    async namesOf(companyId, adminIds) {
      const unique = [...new Set(adminIds)];
      const batches: string[][] = [];
      for (let start = 0; start < unique.length; start += BATCH_GET_LIMIT) batches.push(unique.slice(start, start + BATCH_GET_LIMIT));
      return (await Promise.all(batches.map((batch) => readBatch(companyId, batch)))).flat();
    },
  };
}
