// Adapter: the ports of the directory table built together, for the programs that run outside a function
// (the operator's CLI, the local stack's seed, the tests), which are handed table names rather than configuration.
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdminAccounts, CompanyStore, CredentialStore, DeliverySuppressions, SignInAttempts } from '../../domain/ports';
import { createDynamoAdminAccounts } from './admin-accounts';
import { createDynamoCompanyStore } from './company-store';
import { createDynamoCredentialStore } from './credential-store';
import { createDynamoDeliverySuppressions } from './delivery-suppressions';
import { createDynamoSignInAttempts } from './sign-in-attempts';

export interface DirectoryStores {
  readonly companies: CompanyStore;
  readonly admins: AdminAccounts;
  readonly credentials: CredentialStore;
  readonly attempts: SignInAttempts;
  readonly suppressions: DeliverySuppressions;
}

export interface DirectoryTables {
  readonly directory: string;
  readonly audit: string;
  readonly sessions?: string | undefined;
  readonly tokens?: string | undefined;
}

export function createDynamoDirectoryStores(client: DynamoDBDocumentClient, tables: DirectoryTables): DirectoryStores {
  const common = { client, directoryTable: tables.directory, auditTable: tables.audit };
  return {
    companies: createDynamoCompanyStore(common),
    admins: createDynamoAdminAccounts(common),
    credentials: createDynamoCredentialStore({ ...common, sessionsTable: tables.sessions, tokensTable: tables.tokens }),
    attempts: createDynamoSignInAttempts({ ...common, sessionsTable: tables.sessions, tokensTable: tables.tokens }),
    suppressions: createDynamoDeliverySuppressions(common),
  };
}
