// Adapter: every key format of the tables, defined once. The directory table keeps each company's record, its
// admins and one claim item per email address under the company's partition, so that every read and write is
// scoped to one company by key; the registry partition lists the companies without a Scan.

/** The partition of everything a company owns in the directory table. */
export const companyPartition = (companyId: string): string => `COMPANY#${companyId}`;

/** Where admin items start in a company's partition. */
export const ADMIN_PREFIX = 'ADMIN#';

export const companyKey = (companyId: string) => ({ pk: companyPartition(companyId), sk: '#COMPANY' });
export const REGISTRY_PARTITION = 'REGISTRY';
export const registryKey = (companyId: string) => ({ pk: REGISTRY_PARTITION, sk: `COMPANY#${companyId}` });
export const adminKey = (companyId: string, adminId: string) => ({ pk: companyPartition(companyId), sk: `${ADMIN_PREFIX}${adminId}` });
export const emailKey = (companyId: string, email: string) => ({ pk: companyPartition(companyId), sk: `EMAIL#${email}` });

/** The admin id of an admin item's sort key. */
export const adminIdOf = (sortKey: string): string => sortKey.slice(ADMIN_PREFIX.length);

/** The audit table: each company's events, and the index partition of the admin an event concerns. */
export const auditPartition = companyPartition;
export const auditAdminPartition = (companyId: string, adminId: string): string => `COMPANY#${companyId}#ADMIN#${adminId}`;
export const auditSortKey = (eventId: string): string => `EVENT#${eventId}`;

/** The sessions and tokens tables are keyed by the SHA-256 of the secret alone. */
export const secretKey = (tokenHash: string) => ({ pk: tokenHash });

/** A rate limit's counter: one item per purpose, client and fixed window, in the tokens table. */
export const limitKey = (purpose: string, clientKey: string, window: number) => ({ pk: `LIMIT#${purpose}#${clientKey}#${window}` });

/**
 * A key no item ever has (admin ids are ULIDs): reading or conditionally writing it costs what the real request
 * costs and finds or stores nothing, so a sign-in of an unknown address takes the round trips of a known one.
 */
export const decoyAdminKey = (companyId: string) => adminKey(companyId, 'DECOY');
/** The claim to send one admin's reset link (see CredentialStore.claimReset), in the tokens table. */
export const resetClaimKey = (companyId: string, adminId: string) => ({ pk: `RESET-CLAIM#${companyId}#${adminId}` });

/** Where a company's suppressed addresses start in its partition (see DeliverySuppressions). */
export const SUPPRESSION_PREFIX = 'SUPPRESSED#';
/** The suppression of one (normalized) address in the company, in the directory table. */
export const suppressionKey = (companyId: string, email: string) => ({ pk: companyPartition(companyId), sk: `${SUPPRESSION_PREFIX}${email}` });
