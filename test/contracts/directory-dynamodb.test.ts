// The directory ports' contract, run against the DynamoDB adapters on DynamoDB Local.
import { createDynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import { createDynamoSessionStore } from '../../functions/adapters/dynamodb/session-store';
import { createDynamoChallengeStore } from '../../functions/adapters/dynamodb/token-store';
import { documentClient, testDirectory } from '../support/companies';
import { deliverySuppressionsContract } from './delivery-suppressions-contract';
import { directoryContract, type DirectoryUnderTest } from './directory-contract';

const client = documentClient();
afterAll(() => client.destroy());

const setUp = (): DirectoryUnderTest => {
  const auditLog = createDynamoAuditLog(client, process.env.AUDIT_TABLE!);
  const sessions = createDynamoSessionStore(client, process.env.SESSIONS_TABLE!);
  const challenges = createDynamoChallengeStore(client, process.env.TOKENS_TABLE!);
  return {
    stores: testDirectory(client),
    eventTypes: async (companyId) => (await auditLog.list(companyId, { limit: 100 })).items.map((event) => event.type),
    sessionOf: (tokenHash) => sessions.get(tokenHash),
    challengeOf: (tokenHash) => challenges.get(tokenHash),
  };
};

directoryContract('DynamoDB', setUp);
deliverySuppressionsContract('DynamoDB', setUp);
