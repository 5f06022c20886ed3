// Adapter: the AdminNames port on DynamoDB. The admins a page of audit events mentions, read in one BatchGetItem
// per 100 ids (DynamoDB's limit) from the directory, by key: only admins of the caller's company can be found.
import { BatchGetCommand, type BatchGetCommandOutput, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdminName } from '../../domain/audit';
import type { AdminNames } from '../../domain/ports';
import { adminKey } from './keys';

const BATCH_GET_LIMIT = 100;

export function createDynamoAdminNames(client: DynamoDBDocumentClient, TableName: string): AdminNames {
  async function readBatch(companyId: string, adminIds: readonly string[]): Promise<AdminName[]> {
    const found: AdminName[] = [];
    let pending: Record<string, unknown>[] | undefined = adminIds.map((adminId) => adminKey(companyId, adminId));
    // DynamoDB may leave keys unprocessed under load; they are asked again, a few times, with a short pause.
    for (let attempt = 0; pending !== undefined && pending.length > 0; attempt += 1) {
      if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
      if (attempt === 4) throw new Error('admin names left unprocessed by DynamoDB');
      const answer: BatchGetCommandOutput = await client.send(
        new BatchGetCommand({
          RequestItems: { [TableName]: { Keys: pending, ProjectionExpression: 'adminId, #name, email', ExpressionAttributeNames: { '#name': 'name' } } },
        }),
      );
      found.push(...(answer.Responses?.[TableName] ?? []).map((item) => ({ adminId: String(item.adminId), name: String(item.name), email: String(item.email) })));
      pending = answer.UnprocessedKeys?.[TableName]?.Keys;
    }
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
