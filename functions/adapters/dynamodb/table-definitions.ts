// Adapter: the shape of every DynamoDB table, declared once. The CDK stack and the local runner both build their
// tables from these definitions, so the tables tested locally are the tables deployed.

/** A global secondary index; its keys are string attributes. */
export interface IndexDefinition {
  readonly indexName: string;
  readonly partitionKey: string;
  readonly sortKey: string;
  /** The attributes it copies beside the keys (INCLUDE); absent, it copies every attribute (ALL). */
  readonly projectedAttributes?: readonly string[];
}

export interface TableDefinition {
  /** Stable construct id in the stack; never renamed, since a new id replaces the table. */
  readonly constructId: string;
  /** The environment variable that carries the table's name to a function. */
  readonly envVar: 'DIRECTORY_TABLE' | 'SESSIONS_TABLE' | 'TOKENS_TABLE' | 'AUDIT_TABLE' | 'IDEMPOTENCY_TABLE';
  readonly partitionKey: string;
  readonly sortKey?: string;
  /** The numeric epoch-seconds attribute DynamoDB TTL deletes by (days late, so reads check expiry too). */
  readonly timeToLiveAttribute?: string;
  readonly globalIndexes?: readonly IndexDefinition[];
}

export const TABLES = {
  /**
   * Companies, their admins and the per-company unique email claims, all under the company's partition. The index
   * finds the admin holding an address with his sign-in counters in one request (SignInAttempts.findByAddress):
   * only items with an `email` are in it (admins, and suppressions, which the reader skips), and it copies only what
   * a reservation is decided on, so the writes that move nothing else (most of them) cost it nothing.
   */
  directory: {
    constructId: 'DirectoryTable',
    envVar: 'DIRECTORY_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    globalIndexes: [
      {
        indexName: 'byEmail',
        partitionKey: 'pk',
        sortKey: 'email',
        projectedAttributes: ['companyId', 'adminId', 'failedSignIns', 'failureWindowStartedAt', 'lockedUntil', 'sourceAttempts', 'knownSources'],
      },
    ],
  },
  /** Sign-in sessions, keyed by the SHA-256 of the session token. */
  sessions: { constructId: 'SessionsTable', envVar: 'SESSIONS_TABLE', partitionKey: 'pk', timeToLiveAttribute: 'ttl' },
  /** Single-use tokens (sign-in challenges), keyed by the SHA-256 of the token. */
  tokens: { constructId: 'TokensTable', envVar: 'TOKENS_TABLE', partitionKey: 'pk', timeToLiveAttribute: 'ttl' },
  /** Each company's audit events, newest first by ULID; the index lists one admin's events. Kept 400 days. */
  audit: {
    constructId: 'AuditTable',
    envVar: 'AUDIT_TABLE',
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'ttl',
    globalIndexes: [{ indexName: 'byAdmin', partitionKey: 'adminKey', sortKey: 'sk' }],
  },
  /**
   * Powertools idempotency records of retried requests (functions/http/idempotency.ts): `id` is the hash of the
   * caller's scope and Idempotency-Key, `expiration` the attribute names Powertools' DynamoDB layer writes.
   */
  idempotency: { constructId: 'IdempotencyTable', envVar: 'IDEMPOTENCY_TABLE', partitionKey: 'id', timeToLiveAttribute: 'expiration' },
} as const satisfies Record<string, TableDefinition>;

export type TableKey = keyof typeof TABLES;

/** The value DynamoDB TTL expects: whole seconds since the epoch. */
export const ttlSeconds = (isoTime: string): number => Math.ceil(Date.parse(isoTime) / 1000);
