// Composition root: the DynamoDB stores, built once per container on the one document client. A function gets
// only the tables its route declares (see the route table's `tables`), so every store is built on first use: a
// function that never touches one never needs its table.
// Every write that stores audit events passes through countStored, which counts the stored events in the
// service's metrics (functions/http/metrics.ts).
import { dynamoDb } from '../adapters/clients/dynamodb';
import { createDynamoAdminAccounts } from '../adapters/dynamodb/admin-accounts';
import { createDynamoAttemptLimiter } from '../adapters/dynamodb/attempt-limiter';
import { createDynamoCompanyStore } from '../adapters/dynamodb/company-store';
import { createDynamoCredentialStore } from '../adapters/dynamodb/credential-store';
import { createDynamoDeliverySuppressions } from '../adapters/dynamodb/delivery-suppressions';
import { createDynamoSignInAttempts } from '../adapters/dynamodb/sign-in-attempts';
import { createDynamoAdminNames } from '../adapters/dynamodb/admin-names';
import { createDynamoAuditLog } from '../adapters/dynamodb/audit-log';
import { createDynamoSessionStore } from '../adapters/dynamodb/session-store';
import { createDynamoChallengeStore, createDynamoResetTokenStore } from '../adapters/dynamodb/token-store';
import { countStored } from '../http/metrics';
import { attemptLimitConfig, requireTable, resetLimitConfig, tableConfig } from '../config';
import type {
  AdminAccounts,
  AdminNames,
  AttemptLimiter,
  AuditLog,
  ChallengeStore,
  CompanyStore,
  CredentialStore,
  DeliverySuppressions,
  ResetLimits,
  ResetTokenStore,
  SessionStore,
  SignInAttempts,
} from '../domain/ports';

/**
 * Builds the value on first call, then returns the same one. Declared free of side effects, so esbuild drops a store
 * its function never uses, with its adapter (a call's result is otherwise kept, unused or not).
 */
/* @__NO_SIDE_EFFECTS__ */
function once<T>(build: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= build());
}

/** The directory table and, where the function has it, the audit table its writes record events in. */
const directoryTables = () => ({ client: dynamoDb, directoryTable: requireTable('DIRECTORY_TABLE'), auditTable: tableConfig().AUDIT_TABLE });

const companyStore = once(() => createDynamoCompanyStore(directoryTables()));
export const companies: CompanyStore = {
  create: (company, events) => countStored(events, companyStore().create(company, events)),
  get: (companyId) => companyStore().get(companyId),
  list: () => companyStore().list(),
  saveFeatures: (before, features, events) => countStored(events, companyStore().saveFeatures(before, features, events)),
  savePasswordPolicy: (companyId, settings, events) => countStored(events, companyStore().savePasswordPolicy(companyId, settings, events)),
  saveResetsPerDay: (before, resetsPerDay, events) => countStored(events, companyStore().saveResetsPerDay(before, resetsPerDay, events)),
};

const adminAccounts = once(() => createDynamoAdminAccounts(directoryTables()));
export const admins: AdminAccounts = {
  get: (companyId, adminId) => adminAccounts().get(companyId, adminId),
  findByEmail: (companyId, email) => adminAccounts().findByEmail(companyId, email),
  list: (companyId, query) => adminAccounts().list(companyId, query),
  create: (admin, events) => countStored(events, adminAccounts().create(admin, events)),
  saveProfile: (before, after, events) => countStored(events, adminAccounts().saveProfile(before, after, events)),
};

const credentialStore = once(() =>
  createDynamoCredentialStore({ ...directoryTables(), sessionsTable: tableConfig().SESSIONS_TABLE, tokensTable: tableConfig().TOKENS_TABLE }),
);
export const credentials: CredentialStore = {
  save: (before, after, parts, events) => countStored(events, credentialStore().save(before, after, parts, events)),
  upgradeHash: (before, password) => credentialStore().upgradeHash(before, password),
  claimReset: (claim, before, now) => credentialStore().claimReset(claim, before, now),
  releaseReset: (claim) => credentialStore().releaseReset(claim),
};

const signInAttempts = once(() =>
  createDynamoSignInAttempts({ ...directoryTables(), sessionsTable: tableConfig().SESSIONS_TABLE, tokensTable: tableConfig().TOKENS_TABLE }),
);
export const attempts: SignInAttempts = {
  read: (key) => signInAttempts().read(key),
  findByAddress: (companyId, email) => signInAttempts().findByAddress(companyId, email),
  reserve: (key, reservation, holding) => signInAttempts().reserve(key, reservation, holding),
  giveBack: (key, success, events, opening) => countStored(events, signInAttempts().giveBack(key, success, events, opening)),
  decoy: (companyId) => signInAttempts().decoy(companyId),
  unlock: (key, events) => countStored(events, signInAttempts().unlock(key, events)),
  unlockOwnSource: (key, unlock, events) => countStored(events, signInAttempts().unlockOwnSource(key, unlock, events)),
};

const suppressionStore = once(() => createDynamoDeliverySuppressions(directoryTables()));
export const suppressions: DeliverySuppressions = {
  find: (companyId, email) => suppressionStore().find(companyId, email),
  list: (companyId, query) => suppressionStore().list(companyId, query),
  suppress: (suppression, events) => countStored(events, suppressionStore().suppress(suppression, events)),
  clear: (companyId, email, events) => countStored(events, suppressionStore().clear(companyId, email, events)),
};

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
    maxAttempts: RESET_LINK_MAX_MISSES,
    windowMinutes: RESET_LINK_MISS_WINDOW_MINUTES,
  });
});
/** A limiter built on first use, behind the port (so a function that never limits never reads the config). */
/* @__NO_SIDE_EFFECTS__ */
function lazyLimiter(build: () => AttemptLimiter): AttemptLimiter {
  const limiter = once(build);
  return {
    take: (clientKey, now, limit) => limiter().take(clientKey, now, limit),
    giveBack: (clientKey, now) => limiter().giveBack(clientKey, now),
    windowEndsAt: (now) => limiter().windowEndsAt(now),
  };
}

export const resetAttempts: AttemptLimiter = lazyLimiter(resetAttemptLimiter);

/** One counter per purpose in the tokens table; the defaults are argued in the README ("Limits of reset emails"). */
/* @__NO_SIDE_EFFECTS__ */
const resetLimiter = (purpose: string, pick: (config: ReturnType<typeof resetLimitConfig>) => number, windowMinutes: number) =>
  lazyLimiter(() => createDynamoAttemptLimiter({ client: dynamoDb, tableName: requireTable('TOKENS_TABLE'), purpose, maxAttempts: pick(resetLimitConfig()), windowMinutes }));

export const resetLimits: ResetLimits = {
  perMaster: resetLimiter('resets-by-master', (config) => config.RESETS_PER_MASTER_PER_HOUR, 60),
  perTarget: resetLimiter('resets-of-target', (config) => config.RESETS_PER_TARGET_PER_HOUR, 60),
  perCompany: resetLimiter('resets-in-company', (config) => config.RESETS_PER_COMPANY_PER_DAY, 24 * 60),
};

const auditLogStore = once(() => createDynamoAuditLog(dynamoDb, requireTable('AUDIT_TABLE')));
export const auditLog: AuditLog = {
  record: (events) => countStored(events, auditLogStore().record(events)),
  list: (companyId, query) => auditLogStore().list(companyId, query),
};

const adminNamesStore = once(() => createDynamoAdminNames(dynamoDb, requireTable('DIRECTORY_TABLE')));
export const adminNames: AdminNames = { namesOf: (companyId, adminIds) => adminNamesStore().namesOf(companyId, adminIds) };
