// Test support for the handler tests: the DynamoDB items the adapters read, answered through aws-sdk-client-mock,
// and hashes made with the handlers' own pepper and cost.
import { BatchWriteCommand, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClientResolvedConfig, type ServiceInputTypes, type ServiceOutputTypes } from '@aws-sdk/lib-dynamodb';
import { TABLES } from '../../functions/adapters/dynamodb/table-definitions';
import type { AwsStub } from 'aws-sdk-client-mock';
import { createPasswordHasher } from '../../functions/domain/password-hashing';
import { issueToken } from '../../functions/domain/tokens';
import type { Role } from '../../functions/domain/admin';
import { guessability } from '../../functions/wiring/guessability';
import { cryptoRandom } from '../../functions/wiring/system';

/** What mockClient(DynamoDBDocumentClient) returns. */
export type DocumentClientMock = AwsStub<ServiceInputTypes, ServiceOutputTypes, DynamoDBDocumentClientResolvedConfig>;

export const COMPANY = 'acme';
export const MASTER_ID = '01JX7A9B3C4D5E6F7G8H9JKMNP';
export const GENERAL_ID = '01JX7A9B3C4D5E6F7G8H9JKMNQ';

/** Table names as the handlers read them (the global setup may rename them). */
export const tables = () => ({
  directory: process.env.DIRECTORY_TABLE as string,
  sessions: process.env.SESSIONS_TABLE as string,
  audit: process.env.AUDIT_TABLE as string,
});

/** The hasher the handlers build: the test pepper and BCRYPT_COST from test/support/environment.ts. */
export const testHasher = () =>
  createPasswordHasher({ pepper: Buffer.from(process.env.PASSWORD_PEPPER as string, 'utf8'), cost: Number(process.env.BCRYPT_COST) });

/** The password attributes of an admin item, hashed the way the handlers verify them. */
export async function passwordAttributes(password: string) {
  const stored = await testHasher().hash(password);
  return { passwordScheme: stored.scheme, passwordCost: stored.cost, passwordHash: stored.hash };
}

/** An admin item as the directory table stores it. */
export function adminItem(overrides: Record<string, unknown> & { adminId?: string; role?: Role } = {}) {
  const adminId = overrides.adminId ?? GENERAL_ID;
  return {
    pk: `COMPANY#${COMPANY}`,
    sk: `ADMIN#${adminId}`,
    companyId: COMPANY,
    adminId,
    email: 'grace.hopper@acme.example',
    name: 'Grace Hopper',
    role: 'general',
    canChangeOwnPassword: true,
    status: 'active',
    passwordKind: 'permanent',
    passwordChangedAt: '2025-06-01T09:00:00.000Z',
    passwordVersion: 1,
    sessionEpoch: 1,
    failedSignIns: 0,
    version: 1,
    createdAt: '2025-06-01T09:00:00.000Z',
    updatedAt: '2025-06-01T09:00:00.000Z',
    ...overrides,
  };
}

/** The company item as the directory table stores it: no feature and no saved policy unless overridden. */
export function companyItem(overrides: Record<string, unknown> = {}) {
  return {
    pk: `COMPANY#${COMPANY}`,
    sk: '#COMPANY',
    companyId: COMPANY,
    name: 'Acme Corporation',
    activeMasterCount: 1,
    features: [],
    createdAt: '2025-06-01T09:00:00.000Z',
    ...overrides,
  };
}

/** Answers the directory's read of the company item. */
/**
 * What a sign-in meets in an empty directory: every read a miss, as DynamoDB answers one (no item), every write
 * accepted. Items stored after this are answered instead (of two matching answers, the mock gives the later one).
 */
export function answerSignInDefaults(ddb: DocumentClientMock): void {
  ddb.on(GetCommand).resolves({});
  ddb.on(QueryCommand).resolves({ Items: [] });
  ddb.on(UpdateCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
}

export function storeCompany(ddb: DocumentClientMock, item: ReturnType<typeof companyItem> = companyItem()): void {
  ddb.on(GetCommand, { TableName: tables().directory, Key: { pk: item.pk, sk: item.sk } }).resolves({ Item: item });
}

/**
 * Answers the directory's reads of an admin item: by its key, through the address index, and as the item a
 * comparison's reservation returns (the counters a reservation would move do not matter at this tier).
 */
export function storeAdmin(ddb: DocumentClientMock, item: ReturnType<typeof adminItem>): void {
  ddb
    .on(GetCommand, { TableName: tables().directory, Key: { pk: item.pk, sk: item.sk } })
    .resolves({ Item: item });
  ddb
    .on(QueryCommand, { TableName: tables().directory, IndexName: TABLES.directory.globalIndexes[0].indexName, ExpressionAttributeValues: { ':pk': item.pk, ':email': item.email } })
    .resolves({ Items: [item] });
  ddb.on(UpdateCommand, { TableName: tables().directory, Key: { pk: item.pk, sk: item.sk }, ReturnValues: 'ALL_NEW' }).resolves({ Attributes: item });
}

/**
 * Stores a live session for the admin and answers its reads and those of the company (the default company item
 * unless given); returns the Authorization header that presents it.
 */
export function signedInAs(
  ddb: DocumentClientMock,
  item: ReturnType<typeof adminItem>,
  session: { expiresAt?: string; company?: ReturnType<typeof companyItem> } = {},
): string {
  const { token, tokenHash } = issueToken(cryptoRandom);
  storeCompany(ddb, session.company);
  storeAdmin(ddb, item);
  ddb.on(GetCommand, { TableName: tables().sessions, Key: { pk: tokenHash } }).resolves({
    Item: {
      pk: tokenHash,
      tokenHash,
      companyId: item.companyId,
      adminId: item.adminId,
      epoch: item.sessionEpoch,
      createdAt: new Date(Date.now() - 60_000).toISOString(),
      expiresAt: session.expiresAt ?? new Date(Date.now() + 3_600_000).toISOString(),
    },
  });
  return `Bearer ${token}`;
}

/**
 * Loads the password judges (zxcvbn's dictionaries and matcher, the common-password list) ahead of a file's first
 * request: a function loads them at the first password it judges, which on a busy machine can outlast the deadline
 * the handler tests run with (functions/wiring/guessability.ts).
 */
export const loadPasswordJudges = async (): Promise<void> => {
  const [judge, { isCommonPassword }] = await Promise.all([guessability(), import('../../functions/domain/common-passwords')]);
  judge('a password judged before the first request', []);
  isCommonPassword('a password judged before the first request');
};
