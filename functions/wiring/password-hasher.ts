// Composition root: the password hasher with its pepper, loaded once per container: from PASSWORD_PEPPER locally,
// from Secrets Manager when deployed. Only functions that hash passwords import this module (and bcrypt).
import { GetSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { secretsManager } from '../adapters/clients/secrets-manager';
import { hashingConfig } from '../config';
import { createPasswordHasher, isWeakerThan, type HashTarget, type PasswordHasher, type StoredPassword } from '../domain/password-hashing';

async function loadPepper(): Promise<Buffer> {
  const { PASSWORD_PEPPER, PEPPER_SECRET_ARN } = hashingConfig();
  if (PASSWORD_PEPPER !== undefined) return Buffer.from(PASSWORD_PEPPER, 'utf8');
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: PEPPER_SECRET_ARN }));
  if (!SecretString || SecretString.length < 32) throw new Error('the pepper secret is missing or shorter than 32 characters');
  return Buffer.from(SecretString, 'utf8');
}

/** The scheme and bcrypt cost new hashes are made with. */
const target = (): HashTarget => ({ scheme: hashingConfig().PASSWORD_HASH_SCHEME, cost: hashingConfig().BCRYPT_COST });

let ready: Promise<PasswordHasher> | undefined;
function hasherOnce(): Promise<PasswordHasher> {
  ready ??= loadPepper().then((pepper) => createPasswordHasher({ pepper, ...target() }));
  // A failed load is not cached: the next request tries again instead of failing for the container's lifetime.
  ready.catch(() => {
    ready = undefined;
  });
  return ready;
}

export const passwordHasher: PasswordHasher = {
  hash: async (password) => (await hasherOnce()).hash(password),
  hashForHistory: async (password) => (await hasherOnce()).hashForHistory(password),
  verify: async (password, stored) => (await hasherOnce()).verify(password, stored),
  // Answers without the pepper, which may not be loaded yet: the rule needs only the configured scheme and cost.
  needsRehash: (stored: StoredPassword) => isWeakerThan(stored, target()),
};
