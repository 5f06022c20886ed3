// Unit tests of opaque tokens and admin ids (functions/domain/tokens.ts).
import { createHash } from 'node:crypto';
import { ADMIN_ID_PATTERN, TOKEN_BYTES, TOKEN_PATTERN, hashToken, issueToken, newUlid } from '../../functions/domain/tokens';
import type { RandomSource } from '../../functions/domain/ports';
import { CountingRandom } from './fakes';

describe('when a token is issued', () => {
  it('is 43 base64url characters', () => {
    // Act
    const { token } = issueToken(new CountingRandom());

    // Assess
    expect(token).toHaveLength(43);
    expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(token).toMatch(TOKEN_PATTERN);
  });

  it('draws 32 bytes from the injected random source and encodes exactly those', () => {
    // Prepare
    const bytes = Buffer.alloc(TOKEN_BYTES, 0xfb);
    const requested: number[] = [];
    const random: RandomSource = {
      bytes: (count) => {
        requested.push(count);
        return bytes;
      },
    };

    // Act
    const { token } = issueToken(random);

    // Assess
    expect(requested).toEqual([32]);
    expect(token).toBe(bytes.toString('base64url'));
    expect(Buffer.from(token, 'base64url').equals(bytes)).toBe(true);
  });

  it('stores the SHA-256 of the token in hex, never the token itself', () => {
    // Act
    const { token, tokenHash } = issueToken(new CountingRandom());

    // Assess
    expect(tokenHash).toMatch(/^[0-9a-f]{64}$/);
    expect(tokenHash).toBe(createHash('sha256').update(token).digest('hex'));
    expect(tokenHash).not.toBe(token);
    expect(tokenHash).toBe(hashToken(token));
  });

  it('gives different tokens for different random bytes', () => {
    // Prepare
    const random = new CountingRandom();

    // Act
    const first = issueToken(random);
    const second = issueToken(random);

    // Assess
    expect(first.token).not.toBe(second.token);
    expect(first.tokenHash).not.toBe(second.tokenHash);
  });
});

describe('when an admin id is made', () => {
  it('is a 26-character ULID in Crockford base32', () => {
    // Act
    const id = newUlid(new Date('2025-06-02T09:00:00.000Z'), new CountingRandom());

    // Assess
    expect(id).toHaveLength(26);
    expect(id).toMatch(ADMIN_ID_PATTERN);
  });

  it('encodes the millisecond time in its first ten characters', () => {
    // Prepare: 2^40 ms is 1 followed by eight zeros in base 32, after a leading zero
    const at = new Date(2 ** 40);

    // Act
    const id = newUlid(at, new CountingRandom());

    // Assess
    expect(id.slice(0, 10)).toBe('0100000000');
  });

  it('encodes the ten random bytes in its last sixteen characters', () => {
    // Prepare
    const random: RandomSource = { bytes: (count) => Buffer.alloc(count, 0xff) };

    // Act
    const id = newUlid(new Date(0), random);

    // Assess
    expect(id).toBe(`${'0'.repeat(10)}${'Z'.repeat(16)}`);
  });

  it('sorts by creation time, whatever the random part', () => {
    // Prepare: later ids get smaller random bytes, so only the time part can order them
    const times = [0, 1, 31, 32, 1_000, 1_717_000_000_000, 1_717_000_000_001, 1_800_000_000_000];
    const ids = times.map((time, index) =>
      newUlid(new Date(time), { bytes: (count) => Buffer.alloc(count, 0xff - index) }),
    );

    // Act
    const sorted = [...ids].sort();

    // Assess
    expect(sorted).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
  });
});
