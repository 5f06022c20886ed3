// Adapter: the CompanyStore port on DynamoDB. The company item sits at the head of its own partition; the registry
// partition holds one pointer per company so the operator lists them with a Query.
import { GetCommand, QueryCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Company, Feature } from '../../domain/company';
import type { CompanyStore } from '../../domain/ports';
import { auditParts } from './audit-log';
import { REGISTRY_PARTITION, companyKey, registryKey } from './keys';
import { transact } from './transaction';

export function toCompany(item: Record<string, unknown>): Company {
  return {
    companyId: item.companyId as string,
    name: item.name as string,
    activeMasterCount: (item.activeMasterCount as number | undefined) ?? 0,
    features: ((item.features as Feature[] | undefined) ?? []).slice(),
    passwordPolicy: item.passwordPolicy as Company['passwordPolicy'],
    ...(typeof item.resetsPerDay === 'number' ? { resetsPerDay: item.resetsPerDay } : {}),
    createdAt: item.createdAt as string,
  };
}

export interface DynamoCompanyStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly directoryTable: string;
  /** Needed by the writes, which store their audit events in the same transaction. */
  readonly auditTable?: string | undefined;
}

export function createDynamoCompanyStore({ client, directoryTable: TableName, auditTable }: DynamoCompanyStoreOptions): CompanyStore {
  const store: CompanyStore = {
    async create(company, events) {
      const { companyId, name, activeMasterCount, features, passwordPolicy, createdAt } = company;
      await transact(client, [
        {
          name: 'company',
          item: {
            Put: {
              TableName,
              Item: { ...companyKey(companyId), companyId, name, activeMasterCount, features: [...features], createdAt, ...(passwordPolicy ? { passwordPolicy } : {}) },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          refusal: 'COMPANY_EXISTS',
        },
        { name: 'registryEntry', item: { Put: { TableName, Item: { ...registryKey(companyId), companyId } } } },
        ...auditParts(auditTable, events),
      ]);
    },

    async get(companyId) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: companyKey(companyId), ConsistentRead: true }));
      return Item === undefined ? undefined : toCompany(Item);
    },

    async list() {
      const companies: Company[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({ TableName, KeyConditionExpression: 'pk = :registry', ExpressionAttributeValues: { ':registry': REGISTRY_PARTITION }, ExclusiveStartKey: start }),
        );
        for (const item of page.Items ?? []) {
          const company = await store.get(item.companyId as string);
          if (company !== undefined) companies.push(company);
        }
        start = page.LastEvaluatedKey;
      } while (start !== undefined);
      return companies;
    },

    async saveFeatures(before, features, events) {
      await transact(client, [
        {
          name: 'features',
          item: {
            Update: {
              TableName,
              Key: companyKey(before.companyId),
              UpdateExpression: 'SET features = :features',
              // The features the change was decided on are still the stored ones (a missing company has none).
              ConditionExpression: 'features = :before',
              ExpressionAttributeValues: { ':features': [...features], ':before': [...before.features] },
            },
          },
          refusal: 'FEATURES_MOVED',
        },
        ...auditParts(auditTable, events),
      ]);
    },

    async savePasswordPolicy(companyId, settings, events) {
      await transact(client, [
        {
          name: 'passwordPolicy',
          item: {
            Update: {
              TableName,
              Key: companyKey(companyId),
              UpdateExpression: 'SET passwordPolicy = :policy',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':policy': settings },
            },
          },
          refusal: 'COMPANY_MISSING',
        },
        ...auditParts(auditTable, events),
      ]);
    },

    async saveResetsPerDay(before, resetsPerDay, events) {
      const set = resetsPerDay !== undefined;
      const was = before.resetsPerDay !== undefined;
      await transact(client, [
        {
          name: 'resetsPerDay',
          item: {
            Update: {
              TableName,
              Key: companyKey(before.companyId),
              UpdateExpression: set ? 'SET resetsPerDay = :limit' : 'REMOVE resetsPerDay',
              // The limit the change was decided on is still the stored one, on a company that exists.
              ConditionExpression: `attribute_exists(pk) AND ${was ? 'resetsPerDay = :before' : 'attribute_not_exists(resetsPerDay)'}`,
              ...(set || was ? { ExpressionAttributeValues: { ...(set ? { ':limit': resetsPerDay } : {}), ...(was ? { ':before': before.resetsPerDay } : {}) } } : {}),
            },
          },
          refusal: 'RESETS_LIMIT_MOVED',
        },
        ...auditParts(auditTable, events),
      ]);
    },
  };
  return store;
}
