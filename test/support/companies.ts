// Test support: a fresh company per test, provisioned as the operator does, so tests never share admins.
import { randomBytes } from 'node:crypto';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { createDynamoDirectoryStores, type DirectoryStores } from '../../functions/adapters/dynamodb/directory-stores';
import { createPasswordHasher } from '../../functions/domain/password-hashing';
import { provisionCompany } from '../../functions/use-cases/provision-company';
import { guessability } from '../../functions/wiring/guessability';
import { setCompanyFeature } from '../../functions/use-cases/operator';

export const documentClient = (): DynamoDBDocumentClient =>
  DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: process.env.DYNAMODB_ENDPOINT, region: 'us-east-1' }), {
    marshallOptions: { removeUndefinedValues: true },
  });

/** The directory's ports on the shared DynamoDB Local, as a function with every table has them. */
export const testDirectory = (client: DynamoDBDocumentClient): DirectoryStores =>
  createDynamoDirectoryStores(client, {
    directory: process.env.DIRECTORY_TABLE!,
    sessions: process.env.SESSIONS_TABLE!,
    tokens: process.env.TOKENS_TABLE!,
    audit: process.env.AUDIT_TABLE!,
  });

const systemTime = { clock: { now: () => new Date() }, random: { bytes: (count: number) => randomBytes(count) } };

/** Switches the operator's password-policy feature on for the company, as `npm run ops -- enable-feature` does. */
export const enablePasswordPolicySettings = (directory: DirectoryStores, companyId: string) =>
  setCompanyFeature({ companyId, feature: 'password-policy', enabled: true }, { companies: directory.companies, ...systemTime });

export const testHasher = () => createPasswordHasher({ pepper: Buffer.from(process.env.PASSWORD_PEPPER!, 'utf8'), cost: Number(process.env.BCRYPT_COST) });

export const uniqueCompanyId = (): string => `co-${randomBytes(6).toString('hex')}`;

export interface ProvisionedCompany {
  readonly companyId: string;
  readonly masterEmail: string;
  readonly masterTemporaryPassword: string;
}

/** A new company whose master still holds the temporary password the operator gave him. */
export async function provisionTestCompany(directory: DirectoryStores): Promise<ProvisionedCompany> {
  const companyId = uniqueCompanyId();
  const masterEmail = `master@${companyId}.example`;
  const masterTemporaryPassword = `temporary ${randomBytes(8).toString('hex')}`;
  await provisionCompany(
    { companyId, companyName: `Company ${companyId}`, masterEmail, masterName: 'Mia Master', temporaryPassword: masterTemporaryPassword },
    { ...directory, hasher: testHasher(), guessability, breachedPasswords: undefined, ...systemTime },
  );
  return { companyId, masterEmail, masterTemporaryPassword };
}
