// Composition root: the DynamoDB stores, built once per container on the one document client. A table a function
// was not given (see the route table's `tables`) is simply absent from its configuration.
import { dynamoDb } from '../adapters/clients/dynamodb';
import { createDynamoAdminDirectory } from '../adapters/dynamodb/admin-directory';
import { createDynamoChallengeStore } from '../adapters/dynamodb/challenge-store';
import { createDynamoSessionStore } from '../adapters/dynamodb/session-store';
import { requireTable, tableConfig } from '../config';
import type { AdminDirectory, ChallengeStore, SessionStore } from '../domain/ports';

const tables = tableConfig();

export const directory: AdminDirectory = createDynamoAdminDirectory({
  client: dynamoDb,
  directoryTable: requireTable('DIRECTORY_TABLE'),
  ...(tables.SESSIONS_TABLE ? { sessionsTable: tables.SESSIONS_TABLE } : {}),
  ...(tables.TOKENS_TABLE ? { tokensTable: tables.TOKENS_TABLE } : {}),
});

export const sessions: SessionStore = createDynamoSessionStore(dynamoDb, requireTable('SESSIONS_TABLE'));

/** Built on first use: only the sign-in functions have the token table. */
let challengeStore: ChallengeStore | undefined;
export const challenges: ChallengeStore = {
  create: (challenge) => challengeStoreOnce().create(challenge),
  get: (tokenHash) => challengeStoreOnce().get(tokenHash),
};
function challengeStoreOnce(): ChallengeStore {
  challengeStore ??= createDynamoChallengeStore(dynamoDb, requireTable('TOKENS_TABLE'));
  return challengeStore;
}
