// The directory ports' contract, run against the in-memory fakes that the use-case tests use.
import {
  InMemoryAdminAccounts,
  InMemoryCompanyStore,
  InMemoryCredentialStore,
  InMemoryDeliverySuppressions,
  InMemoryDirectory,
  InMemorySignInAttempts,
} from '../domain/fakes';
import { deliverySuppressionsContract } from './delivery-suppressions-contract';
import { directoryContract, type DirectoryUnderTest } from './directory-contract';

const setUp = (): DirectoryUnderTest => {
  const table = new InMemoryDirectory();
  return {
    stores: {
      companies: new InMemoryCompanyStore(table),
      admins: new InMemoryAdminAccounts(table),
      credentials: new InMemoryCredentialStore(table),
      attempts: new InMemorySignInAttempts(table),
      suppressions: new InMemoryDeliverySuppressions(table),
    },
    eventTypes: async (companyId) => table.events.filter((event) => event.companyId === companyId).map((event) => event.type),
    sessionOf: async (tokenHash) => table.sessions.get(tokenHash),
    challengeOf: async (tokenHash) => {
      const token = table.tokens.get(tokenHash);
      return token !== undefined && 'reason' in token ? token : undefined;
    },
  };
};

directoryContract('in memory', setUp);
deliverySuppressionsContract('in memory', setUp);
