// Test support: a fresh company per test, provisioned as the operator does, so tests never share admins.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoAdminDirectory } from '../../functions/adapters/dynamodb/admin-directory';
import { createPasswordHasher } from '../../functions/domain/password-hashing';
import type { AdminDirectory } from '../../functions/domain/ports';
import { provisionCompany } from '../../functions/use-cases/provision-company';

export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }), {
    marshallOptions: { removeUndefinedValues: true },
  });

export const testDirectory = (client: DynamoDBDocumentClient): AdminDirectory =>
  createDynamoAdminDirectory({
    client,
    directoryTable: process.env.DIRECTORY_TABLE!,
    sessionsTable: process.env.SESSIONS_TABLE!,
    tokensTable: process.env.TOKENS_TABLE!,
    auditTable: process.env.AUDIT_TABLE!,
  });

export const testHasher = () => createPasswordHasher({ pepper: Buffer.from(process.env.PASSWORD_PEPPER!, 'utf8'), cost: Number(process.env.BCRYPT_COST) });

export const uniqueCompanyId = (): string => `co-${randomBytes(6).toString('hex')}`;

export interface ProvisionedCompany {
  readonly companyId: string;
  readonly masterEmail: string;
  readonly masterTemporaryPassword: string;
}

/** A new company whose master still holds the temporary password the operator gave him. */
export async function provisionTestCompany(directory: AdminDirectory): Promise<ProvisionedCompany> {
  const companyId = uniqueCompanyId();
  const masterEmail = `master@${companyId}.example`;
  const masterTemporaryPassword = `temporary ${randomBytes(8).toString('hex')}`;
  await provisionCompany(
    { companyId, companyName: `Company ${companyId}`, masterEmail, masterName: 'Mia Master', temporaryPassword: masterTemporaryPassword },
    {
      directory,
      hasher: testHasher(),
      clock: { now: () => new Date() },
      random: { bytes: (count) => randomBytes(count) },
    },
  );
  return { companyId, masterEmail, masterTemporaryPassword };
}
