// Domain layer: how passwords are stored. Pure computation (bcryptjs and node:crypto); the pepper and the cost
// are handed in by the caller, so nothing here reads configuration or talks to AWS.
import { createHmac } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { normalizePassword } from './password-policy';

/** The only scheme so far: bcrypt over base64(HMAC-SHA-384(NFKC(password), pepper)). */
export const PASSWORD_SCHEME = 'hmac-sha384-bcrypt';

/** A stored password: the scheme and cost travel with the hash so a later change can re-hash on sign-in. */
export interface StoredPassword {
  readonly scheme: string;
  readonly cost: number;
  readonly hash: string;
}

/**
 * The cost of history entries. Checking a new password against 24 previous ones at cost 12 would take seconds, so
 * each password also gets a history form at this cost (same pepper and pre-hash, about 16 times cheaper).
 */
export const HISTORY_COST = 8;

export interface PasswordHasher {
  hash(password: string): Promise<StoredPassword>;
  /** The history form of a password: the same scheme at HISTORY_COST; verify() checks it like any other. */
  hashForHistory(password: string): Promise<StoredPassword>;
  /** Compares in constant work: with no stored password it still spends one bcrypt comparison. */
  verify(password: string, stored: StoredPassword | undefined): Promise<boolean>;
  /** True when the stored password was made with another scheme or a lower cost than today's. */
  needsRehash(stored: StoredPassword): boolean;
}

export interface PasswordHasherOptions {
  /** Secret key mixed into every hash; kept out of the table so a stolen table alone cannot be cracked. */
  readonly pepper: Buffer;
  /** bcrypt cost factor (log2 of the rounds). */
  readonly cost: number;
}

/**
 * bcrypt reads only the first 72 bytes of its input, so two long passwords with a shared prefix would verify
 * against each other. The HMAC folds any length into 48 bytes (64 base64 characters) first.
 */
function preHash(password: string, pepper: Buffer): string {
  return createHmac('sha384', pepper).update(normalizePassword(password), 'utf8').digest('base64');
}

/**
 * A syntactically valid bcrypt hash at the given cost that matches no password: comparing against it costs the
 * same as a real comparison, so an unknown account answers as slowly as a known one.
 */
function decoyHash(cost: number): string {
  return `$2b$${String(cost).padStart(2, '0')}$${'N'.repeat(53)}`;
}

/** True when a stored password was made with another scheme or a lower cost than `cost`: re-hash it at sign-in. */
export const isWeakerThan = (stored: StoredPassword, cost: number): boolean => stored.scheme !== PASSWORD_SCHEME || stored.cost < cost;

export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const { pepper, cost } = options;
  const decoy = decoyHash(cost);
  return {
    async hash(password) {
      return { scheme: PASSWORD_SCHEME, cost, hash: await bcrypt.hash(preHash(password, pepper), cost) };
    },
    async hashForHistory(password) {
      return { scheme: PASSWORD_SCHEME, cost: HISTORY_COST, hash: await bcrypt.hash(preHash(password, pepper), HISTORY_COST) };
    },
    async verify(password, stored) {
      const usable = stored !== undefined && stored.scheme === PASSWORD_SCHEME;
      const matches = await bcrypt.compare(preHash(password, pepper), usable ? stored.hash : decoy);
      return usable && matches;
    },
    needsRehash: (stored) => isWeakerThan(stored, cost),
  };
}
