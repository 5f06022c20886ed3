// Adapter: the AdminAccounts port on DynamoDB. An admin's profile, his email claim and the company's count of
// active masters change in one transaction, each part conditional on the stored state: the admin item on the
// version the change was decided on, the claim on nobody else holding the address, the count on a master being
// left. The domain decides the next record; this only stores it.
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { PROFILE_FIELDS, activeMasterDelta, partOf } from '../../domain/admin';
import type { AdminAccounts, AdminPage } from '../../domain/ports';
import { ADMIN_ID_PATTERN } from '../../domain/tokens';
import { toAdminRecord, adminItem, setOrRemove, type AdminItem } from './admin-item';
import { auditParts } from './audit-log';
import { ADMIN_PREFIX, adminIdOf, adminKey, companyKey, companyPartition, decoyAdminKey, emailKey } from './keys';
import { pageCursor } from './page-cursor';
import { transact, type TransactionPart } from './transaction';

/** The cursor carries only the last admin id; the company is always taken from the caller's session. */
const cursor = pageCursor((adminId) => ADMIN_ID_PATTERN.test(adminId));

export interface DynamoAdminAccountsOptions {
  readonly client: DynamoDBDocumentClient;
  readonly directoryTable: string;
  /** Needed by the writes, which store their audit events in the same transaction. */
  readonly auditTable?: string | undefined;
}

export function createDynamoAdminAccounts({ client, directoryTable: TableName, auditTable }: DynamoAdminAccountsOptions): AdminAccounts {
  /** The company part of a change: the active master count moved by `delta`, never below one; or a check that the company exists. */
  function companyPart(companyId: string, delta: number): TransactionPart {
    if (delta === 0) {
      return { name: 'company', item: { ConditionCheck: { TableName, Key: companyKey(companyId), ConditionExpression: 'attribute_exists(pk)' } }, refusal: 'COMPANY_MISSING' };
    }
    // Removing a master needs another one left: judged on the stored count, which every change of a master moves.
    const falls = delta < 0;
    return {
      name: 'activeMasterCount',
      item: {
        Update: {
          TableName,
          Key: companyKey(companyId),
          UpdateExpression: 'ADD activeMasterCount :delta',
          ConditionExpression: falls ? 'activeMasterCount > :one' : 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':delta': delta, ...(falls ? { ':one': 1 } : {}) },
        },
      },
      refusal: falls ? 'LAST_MASTER' : 'COMPANY_MISSING',
    };
  }

  const claimPart = (companyId: string, email: string, adminId: string): TransactionPart => ({
    name: 'emailClaim',
    item: { Put: { TableName, Item: { ...emailKey(companyId, email), adminId }, ConditionExpression: 'attribute_not_exists(pk)' } },
    refusal: 'EMAIL_TAKEN',
  });

  const accounts: AdminAccounts = {
    async get(companyId, adminId) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: adminKey(companyId, adminId), ConsistentRead: true }));
      return Item === undefined ? undefined : toAdminRecord(Item as AdminItem);
    },

    async findByEmail(companyId, email) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: emailKey(companyId, email), ConsistentRead: true }));
      if (Item !== undefined) return accounts.get(companyId, Item.adminId as string);
      // A miss reads as much as a hit, so the time of an answer does not tell which addresses exist.
      await client.send(new GetCommand({ TableName, Key: decoyAdminKey(companyId), ConsistentRead: true }));
      return undefined;
    },

    async list(companyId, { limit, cursor: after }): Promise<AdminPage> {
      const { Items = [], LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :admins)',
          ExpressionAttributeValues: { ':pk': companyPartition(companyId), ':admins': ADMIN_PREFIX },
          Limit: limit,
          ...(after === undefined ? {} : { ExclusiveStartKey: adminKey(companyId, cursor.decode(after)) }),
        }),
      );
      const lastAdminId = LastEvaluatedKey?.sk ? adminIdOf(String(LastEvaluatedKey.sk)) : undefined;
      return { items: Items.map((item) => toAdminRecord(item as AdminItem)), nextCursor: lastAdminId === undefined ? null : cursor.encode(lastAdminId) };
    },

    async create(admin, events) {
      await transact(client, [
        companyPart(admin.companyId, activeMasterDelta(undefined, admin)),
        { name: 'admin', item: { Put: { TableName, Item: adminItem(admin), ConditionExpression: 'attribute_not_exists(pk)' } }, refusal: 'ADMIN_ID_TAKEN' },
        claimPart(admin.companyId, admin.email, admin.adminId),
        ...auditParts(auditTable, events),
      ]);
    },

    async saveProfile(before, after, events) {
      const { companyId, adminId } = before;
      const epochDelta = after.sessionEpoch - before.sessionEpoch;
      // A disable kills every link issued for the password by moving its version on, and the link's record goes with it.
      const passwordVersionDelta = after.passwordVersion - before.passwordVersion;
      const update = setOrRemove(partOf(after, passwordVersionDelta > 0 ? [...PROFILE_FIELDS, 'resetLink'] : PROFILE_FIELDS));
      const increments = [
        ...(epochDelta > 0 ? ['sessionEpoch :epochDelta'] : []),
        ...(passwordVersionDelta > 0 ? ['passwordVersion :passwordVersionDelta'] : []),
      ];
      const parts: TransactionPart[] = [
        {
          name: 'profile',
          item: {
            Update: {
              TableName,
              Key: adminKey(companyId, adminId),
              // Revoking sessions and killing links are increments: a password write may have moved the epoch or the
              // password version meanwhile, and both must count.
              UpdateExpression: update.expression + (increments.length > 0 ? ` ADD ${increments.join(', ')}` : ''),
              // The stored profile (role, status, email) is the one the change was decided on.
              ConditionExpression: 'attribute_exists(pk) AND #version = :readVersion',
              ExpressionAttributeNames: { ...update.names, '#version': 'version' },
              ExpressionAttributeValues: {
                ...update.values,
                ':readVersion': before.version,
                ...(epochDelta > 0 ? { ':epochDelta': epochDelta } : {}),
                ...(passwordVersionDelta > 0 ? { ':passwordVersionDelta': passwordVersionDelta } : {}),
              },
            },
          },
          refusal: 'STALE_VERSION',
        },
      ];
      if (after.email !== before.email) {
        parts.push(
          // With the version unchanged the old claim is this admin's; a failure here is corruption, not a refusal.
          {
            name: 'releasedEmailClaim',
            item: { Delete: { TableName, Key: emailKey(companyId, before.email), ConditionExpression: 'adminId = :adminId', ExpressionAttributeValues: { ':adminId': adminId } } },
          },
          claimPart(companyId, after.email, adminId),
        );
      }
      const delta = activeMasterDelta(before, after);
      if (delta !== 0) parts.push(companyPart(companyId, delta));
      await transact(client, [...parts, ...auditParts(auditTable, events)]);
    },
  };
  return accounts;
}
