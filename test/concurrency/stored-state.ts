// Concurrency suite: every read of stored state that bypasses the API, in one place. The invariants are judged on
// what DynamoDB Local holds after a burst, not on what any answer said; when the storage layout changes (issue 9
// splits the directory into per-aggregate items), this file is the only one of the suite to follow it.
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';

// Today's layout (functions/adapters/dynamodb/admin-directory.ts and audit-log.ts).
const companyPartition = (companyId: string) => `COMPANY#${companyId}`;
const COMPANY_SORT_KEY = '#COMPANY';
const ADMIN_PREFIX = 'ADMIN#';
const auditAdminPartition = (companyId: string, adminId: string) => `COMPANY#${companyId}#ADMIN#${adminId}`;
const AUDIT_BY_ADMIN_INDEX = 'byAdmin';

let shared: DynamoDBDocumentClient | undefined;

/** One document client per test file, on the global setup's DynamoDB Local; close it with `closeStoredState`. */
function client(): DynamoDBDocumentClient {
  shared ??= DynamoDBDocumentClient.from(
    new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: process.env.AWS_REGION ?? 'us-east-1' }),
  );
  return shared;
}

export function closeStoredState(): void {
  shared?.destroy();
  shared = undefined;
}

const tables = () => ({ directory: process.env.DIRECTORY_TABLE!, audit: process.env.AUDIT_TABLE! });

/** Every item of a Query, across pages. */
async function queryAll(input: ConstructorParameters<typeof QueryCommand>[0]): Promise<Record<string, unknown>[]> {
  const items: Record<string, unknown>[] = [];
  let start: Record<string, unknown> | undefined;
  do {
    const page = await client().send(new QueryCommand({ ...input, ExclusiveStartKey: start }));
    items.push(...(page.Items ?? []));
    start = page.LastEvaluatedKey;
  } while (start !== undefined);
  return items;
}

export interface StoredAdmin {
  readonly adminId: string;
  readonly role: string;
  readonly status: string;
  readonly email: string;
}

/** The company's admins as stored (consistent read). */
export async function storedAdmins(companyId: string): Promise<StoredAdmin[]> {
  const items = await queryAll({
    TableName: tables().directory,
    KeyConditionExpression: 'pk = :pk AND begins_with(sk, :admins)',
    ExpressionAttributeValues: { ':pk': companyPartition(companyId), ':admins': ADMIN_PREFIX },
    ConsistentRead: true,
  });
  return items.map((item) => ({ adminId: String(item.adminId), role: String(item.role), status: String(item.status), email: String(item.email) }));
}

/** The ids of the company's admins stored as active masters. */
export async function activeMasters(companyId: string): Promise<string[]> {
  return (await storedAdmins(companyId)).filter((admin) => admin.role === 'master' && admin.status === 'active').map((admin) => admin.adminId);
}

/** The company's stored count of active masters, the figure the last-master rule is decided on. */
export async function masterCounter(companyId: string): Promise<number | undefined> {
  const { Item } = await client().send(
    new GetCommand({ TableName: tables().directory, Key: { pk: companyPartition(companyId), sk: COMPANY_SORT_KEY }, ConsistentRead: true }),
  );
  return Item?.activeMasterCount as number | undefined;
}

/**
 * How many sign-in attempts on the admin had their password actually compared and found wrong since `since` (an ISO
 * time): the audit trail's SIGN_IN_FAILED events with reason WRONG_PASSWORD. An attempt refused because the account
 * was locked is reason LOCKED and is not counted. The byAdmin index is eventually consistent in DynamoDB; DynamoDB
 * Local answers it at once.
 */
export async function evaluatedFailures(companyId: string, adminId: string, since: string): Promise<number> {
  const items = await queryAll({
    TableName: tables().audit,
    IndexName: AUDIT_BY_ADMIN_INDEX,
    KeyConditionExpression: 'adminKey = :partition AND begins_with(sk, :events)',
    ExpressionAttributeValues: { ':partition': auditAdminPartition(companyId, adminId), ':events': 'EVENT#' },
  });
  return items.filter(
    (item) =>
      item.type === 'SIGN_IN_FAILED' &&
      (item.details as Record<string, unknown> | undefined)?.reason === 'WRONG_PASSWORD' &&
      String(item.at) >= since,
  ).length;
}
