// Domain layer: opaque bearer tokens (sessions, sign-in challenges). Only their SHA-256 is ever stored, so a read
// of the table yields nothing that can be presented back to the API.
import { createHash } from 'node:crypto';
import type { RandomSource } from './ports';

/** 256 random bits, base64url: 43 characters. */
export const TOKEN_BYTES = 32;
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

export interface IssuedToken {
  /** Handed to the client once and never stored. */
  readonly token: string;
  /** The lookup key stored in DynamoDB. */
  readonly tokenHash: string;
}

export const hashToken = (token: string): string => createHash('sha256').update(token, 'utf8').digest('hex');

export function issueToken(random: RandomSource): IssuedToken {
  const token = random.bytes(TOKEN_BYTES).toString('base64url');
  return { token, tokenHash: hashToken(token) };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';
export const ADMIN_ID_PATTERN = /^[0-9A-HJKMNP-TV-Z]{26}$/;

/**
 * A ULID: 48 bits of milliseconds then 80 random bits, in Crockford base32. Ids sort by creation time, so the
 * admin list (a DynamoDB Query on the sort key) reads oldest first without an index.
 */
export function newUlid(now: Date, random: RandomSource): string {
  const timePart = ulidTimePart(now);
  const bytes = random.bytes(10);
  let bits = 0n;
  for (const byte of bytes) bits = (bits << 8n) | BigInt(byte);
  let randomPart = '';
  for (let i = 0; i < 16; i += 1) {
    randomPart = CROCKFORD[Number(bits & 31n)] + randomPart;
    bits >>= 5n;
  }
  return timePart + randomPart;
}

/** The first ten characters of every ULID made in that millisecond. */
export function ulidTimePart(now: Date): string {
  let time = now.getTime();
  let timePart = '';
  for (let i = 0; i < 10; i += 1) {
    timePart = CROCKFORD[time % 32] + timePart;
    time = Math.floor(time / 32);
  }
  return timePart;
}

/** The lowest or highest ULID of a millisecond, to bound a range of ULIDs by time. */
export const ulidBoundary = (time: Date, edge: 'first' | 'last'): string => ulidTimePart(time) + (edge === 'first' ? '0' : 'Z').repeat(16);

// No 0/O, 1/l/I: a temporary password is read off a screen and typed by a person.
const READABLE = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789';

/** A random temporary password of `length` readable characters (about 5.8 bits each), without modulo bias. */
export function generateTemporaryPassword(random: RandomSource, length = 20): string {
  let password = '';
  while (password.length < length) {
    for (const byte of random.bytes(length)) {
      // 57 symbols: bytes at or above 4 * 57 = 228 would favour the first symbols, so they are drawn again.
      if (byte < READABLE.length * 4 && password.length < length) password += READABLE[byte % READABLE.length];
    }
  }
  return password;
}
