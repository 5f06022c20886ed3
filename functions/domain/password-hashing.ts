// Domain layer: how passwords are stored. Pure computation (bcryptjs and node:crypto); the pepper, the scheme and
// the cost are handed in by the caller, so nothing here reads configuration or talks to AWS.
import { argon2, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import bcrypt from 'bcryptjs';
import { normalizePassword } from './password-policy';

/** The default scheme: bcrypt over base64(HMAC-SHA-384(NFKC(password), pepper)). */
export const PASSWORD_SCHEME = 'hmac-sha384-bcrypt';
/** The scheme a deployment may choose instead: argon2id over the same pre-hash, with Node's built-in crypto.argon2. */
export const ARGON2ID_SCHEME = 'hmac-sha384-argon2id';

/** The schemes a deployment chooses among, by their configuration names. */
export const HASH_SCHEMES = { bcrypt: PASSWORD_SCHEME, argon2id: ARGON2ID_SCHEME } as const;
export type HashSchemeName = keyof typeof HASH_SCHEMES;

/**
 * argon2id's parameters: OWASP's Password Storage Cheat Sheet minimum (19 MiB of memory, 2 passes, 1 lane), a
 * 16-byte salt and a 32-byte tag. Memory is the cost that matters against GPUs, and what `cost` records.
 */
export const ARGON2ID_PARAMETERS = { memoryKiB: 19 * 1024, passes: 2, parallelism: 1, saltBytes: 16, tagBytes: 32 } as const;

/**
 * A stored password: the scheme and cost travel with the hash so a later change can re-hash on sign-in. The cost is
 * bcrypt's log2 rounds, or argon2id's memory in KiB; argon2id's hash is its PHC string, every parameter in it.
 */
export interface StoredPassword {
  readonly scheme: string;
  readonly cost: number;
  readonly hash: string;
}

/** What new passwords are hashed with: the scheme, and the bcrypt cost (argon2id's parameters are fixed above). */
export interface HashTarget {
  readonly scheme: HashSchemeName;
  readonly cost: number;
}

/**
 * The cost of history entries. Checking a new password against 24 previous ones at cost 12 would take seconds, so
 * each password also gets a history form at this cost (same pepper and pre-hash, about 16 times cheaper).
 */
export const HISTORY_COST = 8;

export interface PasswordHasher {
  hash(password: string): Promise<StoredPassword>;
  /** The history form of a password: bcrypt at HISTORY_COST, whatever the scheme; verify() checks it like any other. */
  hashForHistory(password: string): Promise<StoredPassword>;
  /** Compares in constant work: with no stored password it still spends one bcrypt comparison. */
  verify(password: string, stored: StoredPassword | undefined): Promise<boolean>;
  /** True when the stored password was made with another scheme or a lower cost than today's. */
  needsRehash(stored: StoredPassword): boolean;
}

export interface PasswordHasherOptions {
  /** Secret key mixed into every hash; kept out of the table so a stolen table alone cannot be cracked. */
  readonly pepper: Buffer;
  /** bcrypt cost factor (log2 of the rounds), for new bcrypt hashes and the history form. */
  readonly cost: number;
  /**
   * The scheme of new passwords. Every stored scheme still verifies, and a password in another one is re-hashed in
   * this one at its owner's next sign-in.
   * @default 'bcrypt'
   */
  readonly scheme?: HashSchemeName;
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

/** argon2id's parameters and parts as its PHC string `$argon2id$v=19$m=…,t=…,p=…$<salt>$<tag>` holds them. */
interface Argon2idHash {
  readonly memoryKiB: number;
  readonly passes: number;
  readonly parallelism: number;
  readonly salt: Buffer;
  readonly tag: Buffer;
}

const PHC = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$([A-Za-z0-9+/]+)\$([A-Za-z0-9+/]+)$/;
const unpadded = (bytes: Buffer) => bytes.toString('base64').replace(/=+$/, '');

function parseArgon2id(hash: string): Argon2idHash | undefined {
  const match = PHC.exec(hash);
  if (match === null) return undefined;
  const [, memory, passes, parallelism, salt, tag] = match;
  const parsed = { memoryKiB: Number(memory), passes: Number(passes), parallelism: Number(parallelism), salt: Buffer.from(salt!, 'base64'), tag: Buffer.from(tag!, 'base64') };
  // What crypto.argon2 would refuse to compute is a damaged hash, not an error to answer 500 with.
  const computable = parsed.parallelism >= 1 && parsed.passes >= 1 && parsed.memoryKiB >= 8 * parsed.parallelism && parsed.salt.length >= 8 && parsed.tag.length >= 16;
  return computable ? parsed : undefined;
}

const formatArgon2id = (hash: Argon2idHash): string =>
  `$argon2id$v=19$m=${hash.memoryKiB},t=${hash.passes},p=${hash.parallelism}$${unpadded(hash.salt)}$${unpadded(hash.tag)}`;

/** argon2id of the pre-hash, off the event loop (libuv's thread pool), with the given parameters and salt. */
function argon2idTag(message: string, parameters: Omit<Argon2idHash, 'tag'>, tagBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) =>
    argon2(
      'argon2id',
      { message, nonce: parameters.salt, memory: parameters.memoryKiB, passes: parameters.passes, parallelism: parameters.parallelism, tagLength: tagBytes },
      (error, tag) => (error ? reject(error) : resolve(tag)),
    ),
  );
}

/** A parseable argon2id hash at today's parameters that matches no password: the same work as a real comparison. */
const ARGON2ID_DECOY = formatArgon2id({ ...ARGON2ID_PARAMETERS, salt: Buffer.alloc(ARGON2ID_PARAMETERS.saltBytes), tag: Buffer.alloc(ARGON2ID_PARAMETERS.tagBytes) });

/**
 * True when a stored password was made with another scheme than the target's or with less work than it asks (a lower
 * bcrypt cost, smaller argon2id parameters): re-hash it at sign-in.
 */
export function isWeakerThan(stored: StoredPassword, target: HashTarget): boolean {
  if (stored.scheme !== HASH_SCHEMES[target.scheme]) return true;
  if (target.scheme === 'bcrypt') return stored.cost < target.cost;
  const parsed = parseArgon2id(stored.hash);
  return parsed === undefined || parsed.memoryKiB < ARGON2ID_PARAMETERS.memoryKiB || parsed.passes < ARGON2ID_PARAMETERS.passes;
}

export function createPasswordHasher(options: PasswordHasherOptions): PasswordHasher {
  const { pepper, cost } = options;
  const target: HashTarget = { scheme: options.scheme ?? 'bcrypt', cost };
  const bcryptDecoy = decoyHash(cost);

  const verifyBcrypt = async (message: string, hash: string | undefined) => (await bcrypt.compare(message, hash ?? bcryptDecoy)) && hash !== undefined;
  const decoyArgon2id = parseArgon2id(ARGON2ID_DECOY)!;
  const verifyArgon2id = async (message: string, hash: string | undefined) => {
    const parsed = hash === undefined ? undefined : parseArgon2id(hash);
    // A missing or damaged hash costs the decoy's work and never matches.
    const against = parsed ?? decoyArgon2id;
    const tag = await argon2idTag(message, against, against.tag.length);
    return timingSafeEqual(tag, against.tag) && parsed !== undefined;
  };

  return {
    async hash(password) {
      const message = preHash(password, pepper);
      if (target.scheme === 'bcrypt') return { scheme: PASSWORD_SCHEME, cost, hash: await bcrypt.hash(message, cost) };
      const parameters = { ...ARGON2ID_PARAMETERS, salt: randomBytes(ARGON2ID_PARAMETERS.saltBytes) };
      const tag = await argon2idTag(message, parameters, ARGON2ID_PARAMETERS.tagBytes);
      return { scheme: ARGON2ID_SCHEME, cost: ARGON2ID_PARAMETERS.memoryKiB, hash: formatArgon2id({ ...parameters, tag }) };
    },
    async hashForHistory(password) {
      return { scheme: PASSWORD_SCHEME, cost: HISTORY_COST, hash: await bcrypt.hash(preHash(password, pepper), HISTORY_COST) };
    },
    async verify(password, stored) {
      const message = preHash(password, pepper);
      if (stored?.scheme === PASSWORD_SCHEME) return verifyBcrypt(message, stored.hash);
      if (stored?.scheme === ARGON2ID_SCHEME) return verifyArgon2id(message, stored.hash);
      // No usable password: the configured scheme's work, for nothing, so the answer takes as long as a real one.
      return target.scheme === 'bcrypt' ? verifyBcrypt(message, undefined) : verifyArgon2id(message, undefined);
    },
    needsRehash: (stored) => isWeakerThan(stored, target),
  };
}
