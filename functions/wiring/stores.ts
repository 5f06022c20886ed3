// Composition root: the DynamoDB stores, built once per container on the one document client. A function gets
// only the tables its route declares (see the route table's `tables`), so stores on the token table are built on
// first use: a function that never touches them never needs TOKENS_TABLE.
import { dynamoDb } from '../adapters/clients/dynamodb';
import { createDynamoAdminDirectory } from '../adapters/dynamodb/admin-directory';
import { createDynamoAttemptLimiter } from '../adapters/dynamodb/attempt-limiter';
import { createDynamoAuditLog } from '../adapters/dynamodb/audit-log';
import { createDynamoSessionStore } from '../adapters/dynamodb/session-store';
import { createDynamoChallengeStore, createDynamoResetTokenStore } from '../adapters/dynamodb/token-store';
import { attemptLimitConfig, requireTable, tableConfig } from '../config';
import type { AdminDirectory, AttemptLimiter, AuditLog, ChallengeStore, ResetTokenStore, SessionStore } from '../domain/ports';

const tables = tableConfig();

export const directory: AdminDirectory = createDynamoAdminDirectory({
  client: dynamoDb,
  directoryTable: requireTable('DIRECTORY_TABLE'),
  ...(tables.SESSIONS_TABLE ? { sessionsTable: tables.SESSIONS_TABLE } : {}),
  ...(tables.TOKENS_TABLE ? { tokensTable: tables.TOKENS_TABLE } : {}),
  ...(tables.AUDIT_TABLE ? { auditTable: tables.AUDIT_TABLE } : {}),
});

/** Builds the value on first call, then returns the same one. */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

const sessionStore = once(() => createDynamoSessionStore(dynamoDb, requireTable('SESSIONS_TABLE')));
export const sessions: SessionStore = {
  create: (session) => sessionStore().create(session),
  get: (tokenHash) => sessionStore().get(tokenHash),
  delete: (tokenHash) => sessionStore().delete(tokenHash),
};

const challengeStore = once(() => createDynamoChallengeStore(dynamoDb, requireTable('TOKENS_TABLE')));
export const challenges: ChallengeStore = {
  create: (challenge) => challengeStore().create(challenge),
  get: (tokenHash) => challengeStore().get(tokenHash),
};

const resetTokenStore = once(() => createDynamoResetTokenStore(dynamoDb, requireTable('TOKENS_TABLE')));
export const resetTokens: ResetTokenStore = { get: (tokenHash) => resetTokenStore().get(tokenHash) };

// By default ten misses in a quarter of an hour from one client: enough for typos, far too few to guess a 256-bit
// token (the real defence) and enough to stop a script hammering the endpoint.
const resetAttemptLimiter = once(() => {
  const { RESET_LINK_MAX_MISSES, RESET_LINK_MISS_WINDOW_MINUTES } = attemptLimitConfig();
  return createDynamoAttemptLimiter({
    client: dynamoDb,
    tableName: requireTable('TOKENS_TABLE'),
    purpose: 'reset-link',
    maxMisses: RESET_LINK_MAX_MISSES,
    windowMinutes: RESET_LINK_MISS_WINDOW_MINUTES,
  });
});
export const resetAttempts: AttemptLimiter = {
  isBlocked: (clientKey, now) => resetAttemptLimiter().isBlocked(clientKey, now),
  recordMiss: (clientKey, now) => resetAttemptLimiter().recordMiss(clientKey, now),
};

const auditLogStore = once(() => createDynamoAuditLog(dynamoDb, requireTable('AUDIT_TABLE')));
export const auditLog: AuditLog = {
  record: (events) => auditLogStore().record(events),
  list: (companyId, query) => auditLogStore().list(companyId, query),
};
