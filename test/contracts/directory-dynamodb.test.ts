// The directory ports' contract, run against the DynamoDB adapters on DynamoDB Local.
import { createDynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import { documentClient, testDirectory } from '../support/companies';
import { deliverySuppressionsContract } from './delivery-suppressions-contract';
import { directoryContract, type DirectoryUnderTest } from './directory-contract';

const client = documentClient();
afterAll(() => client.destroy());

const setUp = (): DirectoryUnderTest => {
  const auditLog = createDynamoAuditLog(client, process.env.AUDIT_TABLE!);
  return {
    stores: testDirectory(client),
    eventTypes: async (companyId) => (await auditLog.list(companyId, { limit: 100 })).items.map((event) => event.type),
  };
};

directoryContract('DynamoDB', setUp);
deliverySuppressionsContract('DynamoDB', setUp);
