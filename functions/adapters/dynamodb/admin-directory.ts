// Adapter: the AdminDirectory port on DynamoDB. One table holds each company's record, its admins and one claim
// item per email address, all under the company's partition key, so that every read and write is scoped to one
// company by key and a Query lists a company's admins without a Scan. Every write runs as one transaction with the
// audit events that record it.
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AdminRecord } from '../../domain/admin';
import type { AuditEvent } from '../../domain/audit';
import type { Company, Feature } from '../../domain/company';
import { DomainError, emailTaken, lastMaster, staleVersion } from '../../domain/errors';
import type { StoredPassword } from '../../domain/password-hashing';
import type { AdminDirectory, AdminPage, NewAdmin, PasswordWrite, ProfileChange } from '../../domain/ports';
import { ADMIN_ID_PATTERN } from '../../domain/tokens';
import { auditItem } from './audit-log';
import { failedConditions, isConditionFailure, isTransactionConflict } from './conditional-writes';
import { ttlSeconds } from './table-definitions';
import { tokenItem } from './token-store';

const TRANSACTION_ATTEMPTS = 4;

type TransactItem = NonNullable<ConstructorParameters<typeof TransactWriteCommand>[0]['TransactItems']>[number];

const companyKey = (companyId: string) => ({ pk: `COMPANY#${companyId}`, sk: '#COMPANY' });
const registryKey = (companyId: string) => ({ pk: 'REGISTRY', sk: `COMPANY#${companyId}` });
const adminKey = (companyId: string, adminId: string) => ({ pk: `COMPANY#${companyId}`, sk: `ADMIN#${adminId}` });
const emailKey = (companyId: string, email: string) => ({ pk: `COMPANY#${companyId}`, sk: `EMAIL#${email}` });

interface AdminItem {
  companyId: string;
  adminId: string;
  email: string;
  name: string;
  role: AdminRecord['role'];
  canChangeOwnPassword: boolean;
  status: AdminRecord['status'];
  passwordScheme?: string;
  passwordCost?: number;
  passwordHash?: string;
  passwordKind: AdminRecord['passwordKind'];
  temporaryPasswordExpiresAt?: string;
  passwordChangedAt?: string;
  passwordVersion: number;
  sessionEpoch: number;
  failedSignIns?: number;
  lockedUntil?: string;
  historyEntry?: StoredPassword;
  passwordHistory?: StoredPassword[];
  version: number;
  createdAt: string;
  updatedAt: string;
}

function toRecord(item: AdminItem): AdminRecord {
  return {
    companyId: item.companyId,
    adminId: item.adminId,
    email: item.email,
    name: item.name,
    role: item.role,
    canChangeOwnPassword: item.canChangeOwnPassword,
    status: item.status,
    password:
      item.passwordHash !== undefined && item.passwordScheme !== undefined && item.passwordCost !== undefined
        ? { scheme: item.passwordScheme, cost: item.passwordCost, hash: item.passwordHash }
        : undefined,
    passwordKind: item.passwordKind,
    temporaryPasswordExpiresAt: item.temporaryPasswordExpiresAt,
    passwordChangedAt: item.passwordChangedAt,
    passwordVersion: item.passwordVersion,
    sessionEpoch: item.sessionEpoch,
    failedSignIns: item.failedSignIns ?? 0,
    lockedUntil: item.lockedUntil,
    historyEntry: item.historyEntry,
    passwordHistory: item.passwordHistory ?? [],
    version: item.version,
    createdAt: item.createdAt,
    updatedAt: item.updatedAt,
  };
}

function toCompany(item: Record<string, unknown>): Company {
  return {
    companyId: item.companyId as string,
    name: item.name as string,
    activeMasterCount: (item.activeMasterCount as number | undefined) ?? 0,
    features: ((item.features as Feature[] | undefined) ?? []).slice(),
    passwordPolicy: item.passwordPolicy as Company['passwordPolicy'],
    createdAt: item.createdAt as string,
  };
}

/** The cursor carries only the last admin id; the company is always taken from the caller's session. */
const encodeCursor = (adminId: string): string => Buffer.from(adminId, 'utf8').toString('base64url');

function decodeCursor(cursor: string): string {
  const adminId = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!ADMIN_ID_PATTERN.test(adminId)) {
    throw new DomainError('VALIDATION_FAILED', 'The cursor is not one this API returned.', [
      { field: 'cursor', code: 'INVALID_CURSOR', message: 'Use the nextCursor value of the previous page as it is.' },
    ]);
  }
  return adminId;
}

export interface DynamoAdminDirectoryOptions {
  readonly client: DynamoDBDocumentClient;
  readonly directoryTable: string;
  /** Needed only by writes that touch sessions, tokens or the audit trail in the same transaction. */
  readonly sessionsTable?: string;
  readonly tokensTable?: string;
  readonly auditTable?: string;
}

export function createDynamoAdminDirectory(options: DynamoAdminDirectoryOptions): AdminDirectory {
  const { client, directoryTable: TableName } = options;

  const requireTable = (name: string | undefined, purpose: string): string => {
    if (name === undefined) throw new Error(`the admin directory needs the ${purpose} table for this write`);
    return name;
  };

  /** The Put items of audit events, appended to a transaction so the record and the change commit together. */
  const auditPuts = (events: readonly AuditEvent[]): TransactItem[] =>
    events.map((event) => ({ Put: { TableName: requireTable(options.auditTable, 'audit'), Item: auditItem(event) } }));

  /**
   * Runs a transaction; returns the indexes of the items whose condition failed, empty when it committed. A
   * cancellation caused only by a concurrent transaction is retried, so the caller always gets a verdict.
   */
  async function transact(items: TransactItem[]): Promise<number[]> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await client.send(new TransactWriteCommand({ TransactItems: items }));
        return [];
      } catch (error) {
        if (isTransactionConflict(error) && attempt < TRANSACTION_ATTEMPTS) {
          await new Promise((resolve) => setTimeout(resolve, 20 * attempt + Math.random() * 20));
          continue;
        }
        const failed = failedConditions(error);
        if (failed === undefined) throw error;
        return failed;
      }
    }
  }

  /** Moves the count of active masters when an admin stops or starts being one. */
  function masterCountUpdate(companyId: string, delta: 1 | -1): TransactItem {
    return {
      Update: {
        TableName,
        Key: companyKey(companyId),
        UpdateExpression: 'ADD activeMasterCount :delta',
        // Removing a master needs another one left; the count is kept on the company item so this is atomic.
        ConditionExpression: delta < 0 ? 'activeMasterCount > :one' : 'attribute_exists(pk)',
        ExpressionAttributeValues: delta < 0 ? { ':delta': delta, ':one': 1 } : { ':delta': delta },
      },
    };
  }

  /** An update of one admin item, conditional on it existing, recorded by the events. */
  async function updateAdmin(admin: Pick<AdminRecord, 'companyId' | 'adminId'>, update: Omit<NonNullable<TransactItem['Update']>, 'TableName' | 'Key'>, events: readonly AuditEvent[]): Promise<boolean> {
    const failed = await transact([{ Update: { TableName, Key: adminKey(admin.companyId, admin.adminId), ...update } }, ...auditPuts(events)]);
    return failed.length === 0;
  }

  const directory: AdminDirectory = {
    async createCompany({ companyId, name, now }, events) {
      const failed = await transact([
        {
          Put: {
            TableName,
            Item: { ...companyKey(companyId), companyId, name, activeMasterCount: 0, features: [], createdAt: now },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        { Put: { TableName, Item: { ...registryKey(companyId), companyId } } },
        ...auditPuts(events),
      ]);
      return failed.length === 0;
    },

    async getCompany(companyId) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: companyKey(companyId), ConsistentRead: true }));
      return Item === undefined ? undefined : toCompany(Item);
    },

    async listCompanies() {
      const companies: Company[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({ TableName, KeyConditionExpression: 'pk = :registry', ExpressionAttributeValues: { ':registry': 'REGISTRY' }, ExclusiveStartKey: start }),
        );
        for (const item of page.Items ?? []) {
          const company = await directory.getCompany(item.companyId as string);
          if (company !== undefined) companies.push(company);
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return companies;
    },

    async setFeature(companyId, feature, enabled, events) {
      const company = await directory.getCompany(companyId);
      if (company === undefined) return false;
      const features = enabled ? [...new Set([...company.features, feature])] : company.features.filter((existing) => existing !== feature);
      const failed = await transact([
        {
          Update: {
            TableName,
            Key: companyKey(companyId),
            UpdateExpression: 'SET features = :features',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':features': features },
          },
        },
        ...auditPuts(events),
      ]);
      return failed.length === 0;
    },

    async savePasswordPolicy(companyId, settings, events) {
      const failed = await transact([
        {
          Update: {
            TableName,
            Key: companyKey(companyId),
            UpdateExpression: 'SET passwordPolicy = :policy',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':policy': settings },
          },
        },
        ...auditPuts(events),
      ]);
      if (failed.length > 0) throw new Error(`company ${companyId} does not exist`);
    },

    async getAdmin(companyId, adminId) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: adminKey(companyId, adminId), ConsistentRead: true }));
      return Item === undefined ? undefined : toRecord(Item as AdminItem);
    },

    async findAdminByEmail(companyId, email) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: emailKey(companyId, email), ConsistentRead: true }));
      if (Item === undefined) return undefined;
      return directory.getAdmin(companyId, Item.adminId as string);
    },

    async listAdmins(companyId, limit, cursor): Promise<AdminPage> {
      const { pk } = companyKey(companyId);
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :admins)',
          ExpressionAttributeValues: { ':pk': pk, ':admins': 'ADMIN#' },
          Limit: limit,
          ...(cursor === undefined ? {} : { ExclusiveStartKey: adminKey(companyId, decodeCursor(cursor)) }),
        }),
      );
      const lastAdminId = LastEvaluatedKey?.sk ? String(LastEvaluatedKey.sk).slice('ADMIN#'.length) : undefined;
      return {
        items: Items.map((item) => toRecord(item as AdminItem)),
        nextCursor: lastAdminId === undefined ? null : encodeCursor(lastAdminId),
      };
    },

    async createAdmin(admin: NewAdmin, events) {
      const item: AdminItem = {
        companyId: admin.companyId,
        adminId: admin.adminId,
        email: admin.email,
        name: admin.name,
        role: admin.role,
        canChangeOwnPassword: admin.canChangeOwnPassword,
        status: 'active',
        passwordScheme: admin.password.scheme,
        passwordCost: admin.password.cost,
        passwordHash: admin.password.hash,
        passwordKind: 'temporary',
        temporaryPasswordExpiresAt: admin.temporaryPasswordExpiresAt,
        passwordChangedAt: admin.now,
        passwordVersion: 1,
        sessionEpoch: 1,
        failedSignIns: 0,
        passwordHistory: [],
        version: 1,
        createdAt: admin.now,
        updatedAt: admin.now,
      };
      const companyItem: TransactItem =
        admin.role === 'master'
          ? masterCountUpdate(admin.companyId, 1)
          : { ConditionCheck: { TableName, Key: companyKey(admin.companyId), ConditionExpression: 'attribute_exists(pk)' } };
      const failed = await transact([
        companyItem,
        { Put: { TableName, Item: { ...adminKey(admin.companyId, admin.adminId), ...item }, ConditionExpression: 'attribute_not_exists(pk)' } },
        {
          Put: {
            TableName,
            Item: { ...emailKey(admin.companyId, admin.email), adminId: admin.adminId },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        },
        ...auditPuts(events),
      ]);
      if (failed.includes(2)) throw emailTaken();
      if (failed.includes(0)) throw new Error(`company ${admin.companyId} does not exist`);
      if (failed.length > 0) throw new Error('admin id collision');
      return toRecord(item);
    },

    async updateProfile(current, expectedVersion, change: ProfileChange, now, events) {
      const { companyId, adminId } = current;
      const next = { ...current, ...change };
      const names: Record<string, string> = { '#version': 'version', '#updatedAt': 'updatedAt' };
      const values: Record<string, unknown> = { ':expected': expectedVersion, ':one': 1, ':now': now };
      const sets = ['#version = #version + :one', '#updatedAt = :now'];
      for (const field of ['name', 'email', 'role', 'canChangeOwnPassword'] as const) {
        if (change[field] !== undefined && change[field] !== current[field]) {
          names[`#${field}`] = field;
          values[`:${field}`] = change[field];
          sets.push(`#${field} = :${field}`);
        }
      }
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: adminKey(companyId, adminId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk) AND #version = :expected',
            ExpressionAttributeNames: names,
            ExpressionAttributeValues: values,
          },
        },
      ];
      const emailChanged = next.email !== current.email;
      if (emailChanged) {
        items.push(
          {
            Delete: {
              TableName,
              Key: emailKey(companyId, current.email),
              ConditionExpression: 'adminId = :adminId',
              ExpressionAttributeValues: { ':adminId': adminId },
            },
          },
          { Put: { TableName, Item: { ...emailKey(companyId, next.email), adminId }, ConditionExpression: 'attribute_not_exists(pk)' } },
        );
      }
      const masterCountIndex = items.length;
      if (current.status === 'active' && next.role !== current.role) {
        items.push(masterCountUpdate(companyId, next.role === 'master' ? 1 : -1));
      }
      const failed = await transact([...items, ...auditPuts(events)]);
      if (failed.includes(0)) throw staleVersion();
      if (emailChanged && failed.includes(2)) throw emailTaken();
      if (failed.includes(masterCountIndex)) throw lastMaster();
      if (failed.length > 0) throw new Error('the email claim of the admin is inconsistent');
      return { ...next, version: current.version + 1, updatedAt: now };
    },

    async disable(current, now, events) {
      if (current.status === 'disabled') return;
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: adminKey(current.companyId, current.adminId),
            UpdateExpression: 'SET #status = :disabled, sessionEpoch = sessionEpoch + :one, #version = #version + :one, updatedAt = :now',
            ConditionExpression: '#status = :active',
            ExpressionAttributeNames: { '#status': 'status', '#version': 'version' },
            ExpressionAttributeValues: { ':disabled': 'disabled', ':active': 'active', ':one': 1, ':now': now },
          },
        },
      ];
      if (current.role === 'master') items.push(masterCountUpdate(current.companyId, -1));
      const failed = await transact([...items, ...auditPuts(events)]);
      if (failed.includes(1)) throw lastMaster();
      // A failure of the admin's own condition means another master disabled it meanwhile: the outcome holds.
    },

    async startPasswordReset(target, token, now, events) {
      const failed = await transact([
        {
          Update: {
            TableName,
            Key: adminKey(target.companyId, target.adminId),
            UpdateExpression:
              'SET passwordVersion = :nextVersion, sessionEpoch = sessionEpoch + :one, updatedAt = :now, passwordKind = :permanent, ' +
              'passwordHistory = :history REMOVE passwordHash, passwordScheme, passwordCost, temporaryPasswordExpiresAt, historyEntry',
            ConditionExpression: 'passwordVersion = :version AND sessionEpoch = :epoch',
            ExpressionAttributeValues: {
              ':version': target.passwordVersion,
              ':nextVersion': token.passwordVersion,
              ':epoch': target.sessionEpoch,
              ':one': 1,
              ':now': now,
              ':permanent': 'permanent',
              ':history': target.historyEntry === undefined ? [...target.passwordHistory] : [target.historyEntry, ...target.passwordHistory].slice(0, 24),
            },
          },
        },
        { Put: { TableName: requireTable(options.tokensTable, 'tokens'), Item: tokenItem('password-reset', token), ConditionExpression: 'attribute_not_exists(pk)' } },
        ...auditPuts(events),
      ]);
      return failed.length === 0;
    },

    async writePassword(write: PasswordWrite) {
      const { expected } = write;
      const nextEpoch = expected.sessionEpoch + (write.revokeSessions ? 1 : 0);
      const temporary = write.temporaryPasswordExpiresAt;
      const removals = [
        ...(temporary === undefined ? ['temporaryPasswordExpiresAt'] : []),
        ...(write.historyEntry === undefined ? ['historyEntry'] : []),
        'lockedUntil',
      ];
      const items: TransactItem[] = [
        {
          Update: {
            TableName,
            Key: adminKey(write.companyId, write.adminId),
            UpdateExpression:
              'SET passwordScheme = :scheme, passwordCost = :cost, passwordHash = :hash, passwordKind = :kind, ' +
              'passwordChangedAt = :now, updatedAt = :now, failedSignIns = :zero, passwordHistory = :history, ' +
              'passwordVersion = :nextVersion, sessionEpoch = :nextEpoch' +
              (temporary === undefined ? '' : ', temporaryPasswordExpiresAt = :temporary') +
              (write.historyEntry === undefined ? '' : ', historyEntry = :historyEntry') +
              ` REMOVE ${removals.join(', ')}`,
            // Both counters are what the use case read, so the write applies to the state it judged and the new
            // epoch is known exactly.
            ConditionExpression: 'passwordVersion = :version AND sessionEpoch = :epoch',
            ExpressionAttributeValues: {
              ':scheme': write.password.scheme,
              ':cost': write.password.cost,
              ':hash': write.password.hash,
              ':kind': write.kind,
              ':now': write.now,
              ':zero': 0,
              ':history': write.passwordHistory,
              ':version': expected.passwordVersion,
              ':nextVersion': expected.passwordVersion + 1,
              ':epoch': expected.sessionEpoch,
              ':nextEpoch': nextEpoch,
              ...(temporary === undefined ? {} : { ':temporary': temporary }),
              ...(write.historyEntry === undefined ? {} : { ':historyEntry': write.historyEntry }),
            },
          },
        },
      ];
      if (write.keepSessionHash !== undefined) {
        items.push({
          Update: {
            TableName: requireTable(options.sessionsTable, 'sessions'),
            Key: { pk: write.keepSessionHash },
            UpdateExpression: 'SET epoch = :epoch',
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeValues: { ':epoch': nextEpoch },
          },
        });
      }
      if (write.consumeTokenHash !== undefined) {
        items.push({ Delete: { TableName: requireTable(options.tokensTable, 'tokens'), Key: { pk: write.consumeTokenHash }, ConditionExpression: 'attribute_exists(pk)' } });
      }
      if (write.newSession !== undefined) {
        items.push({
          Put: {
            TableName: requireTable(options.sessionsTable, 'sessions'),
            Item: { pk: write.newSession.tokenHash, ...write.newSession, epoch: nextEpoch, ttl: ttlSeconds(write.newSession.expiresAt) },
            ConditionExpression: 'attribute_not_exists(pk)',
          },
        });
      }
      return (await transact([...items, ...auditPuts(write.events)])).length === 0;
    },

    async upgradePasswordHash(admin, password) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: adminKey(admin.companyId, admin.adminId),
            UpdateExpression: 'SET passwordScheme = :scheme, passwordCost = :cost, passwordHash = :hash',
            ConditionExpression: 'passwordVersion = :version',
            ExpressionAttributeValues: { ':scheme': password.scheme, ':cost': password.cost, ':hash': password.hash, ':version': admin.passwordVersion },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },

    async recordFailedAttempt(admin, lockout, now, events, lockEvents) {
      await updateAdmin(admin, { UpdateExpression: 'ADD failedSignIns :one', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':one': 1 } }, events);
      if (lockout.threshold === 0) return { locked: false };
      // The lock is judged on the stored count, never on the count this request read: failures that race all read
      // the same old count, and a guess from that would let a burst of parallel guesses pass the threshold.
      const until = new Date(now.getTime() + lockout.minutes * 60_000).toISOString();
      // Locks once however many failures race: only while the stored count has reached the threshold and no lock holds.
      const locked = await updateAdmin(
        admin,
        {
          UpdateExpression: 'SET lockedUntil = :until, failedSignIns = :zero',
          ConditionExpression: 'failedSignIns >= :threshold AND (attribute_not_exists(lockedUntil) OR lockedUntil <= :now)',
          ExpressionAttributeValues: { ':until': until, ':zero': 0, ':threshold': lockout.threshold, ':now': now.toISOString() },
        },
        lockEvents,
      );
      return { locked };
    },

    async recordSignIn(admin, events) {
      await updateAdmin(
        admin,
        { UpdateExpression: 'SET failedSignIns = :zero REMOVE lockedUntil', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':zero': 0 } },
        events,
      );
    },

    async unlock(admin, events) {
      await updateAdmin(
        admin,
        { UpdateExpression: 'SET failedSignIns = :zero REMOVE lockedUntil', ConditionExpression: 'attribute_exists(pk)', ExpressionAttributeValues: { ':zero': 0 } },
        events,
      );
    },
  };
  return directory;
}
