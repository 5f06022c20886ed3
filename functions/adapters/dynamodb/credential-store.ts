// Adapter: the CredentialStore port on DynamoDB. A password write stores the record the domain decided on, with
// the tokens and sessions it uses up or opens, in one transaction that applies only while the stored password
// version and session epoch are the ones it was decided on: of racing writes, exactly one applies. A reset link's
// completion also checks that the link's sender is still an active master and its target still holds the address.
import { DeleteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { ATTEMPT_FIELDS, CREDENTIAL_FIELDS, partOf, type AdminRecord } from '../../domain/admin';
import type { CredentialParts, CredentialStore, ResetClaim } from '../../domain/ports';
import { refusalOf } from '../../domain/write-refusals';
import { passwordAttributes, setOrRemove } from './admin-item';
import { auditParts } from './audit-log';
import { adminKey, emailKey, resetClaimKey, secretKey } from './keys';
import { ttlSeconds } from './table-definitions';
import { sessionItem } from './session-store';
import { tokenItem } from './token-store';
import { conditionalWrite, transact, type TransactionPart } from './transaction';
import { isConditionFailure } from './conditional-writes';

/**
 * The credential attributes a save writes (the password flattened); the sign-in attempt counters only when the write
 * restarts them; the time of the last sign-in when it opens a session.
 */
function credentialAttributes(after: AdminRecord, parts: CredentialParts): Record<string, unknown> {
  const { password: _flattened, ...credentials } = partOf(after, CREDENTIAL_FIELDS);
  return {
    ...credentials,
    ...passwordAttributes(after),
    passwordHistory: [...after.passwordHistory],
    ...(parts.restartAttempts === true ? partOf(after, ATTEMPT_FIELDS) : {}),
    ...(parts.newSession === undefined ? {} : { lastSignInAt: parts.newSession.createdAt }),
  };
}

/**
 * The conditions that keep a reset link alive, as checks on items the write does not otherwise touch (a transaction
 * may hold one operation per item): the requester's admin item is an active master's, and the email claim of the
 * address the link was issued under is still the target's. The claim moves with the email in one transaction
 * (AdminAccounts.saveProfile), so it is the stored email, with a refusal of its own rather than PASSWORD_MOVED.
 */
function linkRuleParts(TableName: string, target: AdminRecord, parts: CredentialParts): TransactionPart[] {
  const checks: TransactionPart[] = [];
  const requester = parts.requireActiveMaster;
  if (requester !== undefined) {
    if (requester.companyId === target.companyId && requester.adminId === target.adminId) throw new Error('a reset link is never its own requester\'s');
    checks.push({
      name: 'requester',
      item: {
        ConditionCheck: {
          TableName,
          Key: adminKey(requester.companyId, requester.adminId),
          ConditionExpression: '#status = :active AND #role = :master',
          ExpressionAttributeNames: { '#status': 'status', '#role': 'role' },
          ExpressionAttributeValues: { ':active': 'active', ':master': 'master' },
        },
      },
      refusal: 'REQUESTER_NOT_MASTER',
    });
  }
  if (parts.requireEmail !== undefined) {
    checks.push({
      name: 'emailClaim',
      item: {
        ConditionCheck: {
          TableName,
          Key: emailKey(target.companyId, parts.requireEmail),
          ConditionExpression: 'adminId = :adminId',
          ExpressionAttributeValues: { ':adminId': target.adminId },
        },
      },
      refusal: 'EMAIL_CHANGED',
    });
  }
  return checks;
}

/** The key and condition of a claim still held by its holder. */
const heldClaim = (claim: ResetClaim) => ({
  Key: resetClaimKey(claim.companyId, claim.adminId),
  ConditionExpression: 'claimId = :claimId',
  ExpressionAttributeValues: { ':claimId': claim.claimId },
});

export interface DynamoCredentialStoreOptions {
  readonly client: DynamoDBDocumentClient;
  readonly directoryTable: string;
  /** Needed only by writes that touch sessions, tokens or the audit trail in the same transaction. */
  readonly sessionsTable?: string | undefined;
  readonly tokensTable?: string | undefined;
  readonly auditTable?: string | undefined;
}

export function createDynamoCredentialStore(options: DynamoCredentialStoreOptions): CredentialStore {
  const { client, directoryTable: TableName } = options;
  const table = (name: string | undefined, purpose: string): string => {
    if (name === undefined) throw new Error(`this password write needs the ${purpose} table`);
    return name;
  };

  return {
    async save(before, after, parts, events) {
      const update = setOrRemove(credentialAttributes(after, parts));
      const items: TransactionPart[] = [
        {
          name: 'credentials',
          item: {
            Update: {
              TableName,
              Key: adminKey(before.companyId, before.adminId),
              UpdateExpression: update.expression,
              ConditionExpression: 'attribute_exists(pk) AND passwordVersion = :readPasswordVersion AND sessionEpoch = :readSessionEpoch',
              ExpressionAttributeNames: update.names,
              ExpressionAttributeValues: { ...update.values, ':readPasswordVersion': before.passwordVersion, ':readSessionEpoch': before.sessionEpoch },
            },
          },
          refusal: 'PASSWORD_MOVED',
        },
      ];
      if (parts.keepSession !== undefined) {
        items.push({
          name: 'keptSession',
          item: {
            Update: {
              TableName: table(options.sessionsTable, 'sessions'),
              Key: secretKey(parts.keepSession),
              UpdateExpression: 'SET epoch = :epoch',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':epoch': after.sessionEpoch },
            },
          },
          refusal: 'SESSION_GONE',
        });
      }
      if (parts.consumeToken !== undefined) {
        items.push({
          name: 'consumedToken',
          item: { Delete: { TableName: table(options.tokensTable, 'tokens'), Key: secretKey(parts.consumeToken), ConditionExpression: 'attribute_exists(pk)' } },
          refusal: 'TOKEN_USED',
        });
      }
      if (parts.newSession !== undefined) {
        const session = { ...parts.newSession, epoch: after.sessionEpoch };
        items.push({
          name: 'newSession',
          item: {
            Put: {
              TableName: table(options.sessionsTable, 'sessions'),
              Item: sessionItem(session),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
        });
      }
      if (parts.issueResetToken !== undefined) {
        items.push({
          name: 'resetToken',
          item: { Put: { TableName: table(options.tokensTable, 'tokens'), Item: tokenItem('password-reset', parts.issueResetToken), ConditionExpression: 'attribute_not_exists(pk)' } },
        });
      }
      items.push(...linkRuleParts(TableName, before, parts));
      if (parts.endResetClaim !== undefined) {
        items.push({
          name: 'resetClaim',
          item: { Delete: { TableName: table(options.tokensTable, 'tokens'), ...heldClaim(parts.endResetClaim) } },
          refusal: 'CLAIM_LOST',
        });
      }
      await transact(client, [...items, ...auditParts(options.auditTable, events)]);
    },

    async claimReset(claim, before, now) {
      const { companyId, adminId, claimId, heldUntil } = claim;
      await transact(client, [
        {
          name: 'credentialsUnchanged',
          item: {
            ConditionCheck: {
              TableName,
              Key: adminKey(before.companyId, before.adminId),
              ConditionExpression: 'passwordVersion = :readPasswordVersion AND sessionEpoch = :readSessionEpoch',
              ExpressionAttributeValues: { ':readPasswordVersion': before.passwordVersion, ':readSessionEpoch': before.sessionEpoch },
            },
          },
          refusal: 'PASSWORD_MOVED',
        },
        {
          name: 'resetClaim',
          item: {
            Put: {
              TableName: table(options.tokensTable, 'tokens'),
              Item: { ...resetClaimKey(companyId, adminId), kind: 'reset-claim', companyId, adminId, claimId, heldUntil, ttl: ttlSeconds(heldUntil) },
              // ISO 8601 UTC instants of one format compare as strings; TTL deletes late, so a lapsed claim is judged here.
              ConditionExpression: 'attribute_not_exists(pk) OR heldUntil <= :now',
              ExpressionAttributeValues: { ':now': now.toISOString() },
            },
          },
          refusal: 'RESET_IN_PROGRESS',
        },
      ]);
    },

    async releaseReset(claim) {
      // Refused when the claim is no longer this one (it lapsed and another took it): then there is nothing of ours to release.
      await refusalOf(conditionalWrite(client.send(new DeleteCommand({ TableName: table(options.tokensTable, 'tokens'), ...heldClaim(claim) })), 'CLAIM_LOST'));
    },

    async upgradeHash(before, password) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: adminKey(before.companyId, before.adminId),
            UpdateExpression: 'SET passwordScheme = :scheme, passwordCost = :cost, passwordHash = :hash',
            ConditionExpression: 'passwordVersion = :readPasswordVersion',
            ExpressionAttributeValues: { ':scheme': password.scheme, ':cost': password.cost, ':hash': password.hash, ':readPasswordVersion': before.passwordVersion },
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
