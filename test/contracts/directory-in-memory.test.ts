// The directory ports' contract, run against the in-memory fakes that the use-case tests use.
import {
  InMemoryAdminAccounts,
  InMemoryCompanyStore,
  InMemoryCredentialStore,
  InMemoryDeliverySuppressions,
  InMemoryDirectory,
  InMemorySignInAttempts,
} from '../domain/fakes';
import { directoryContract } from './directory-contract';

directoryContract('in memory', () => {
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
  };
});
