// Unit tests of password storage (functions/domain/password-hashing.ts): peppered pre-hash, bcrypt, rehash rules.
import { jest } from '@jest/globals';
import bcrypt from 'bcryptjs';
import { ARGON2ID_PARAMETERS, ARGON2ID_SCHEME, PASSWORD_SCHEME, createPasswordHasher } from '../../functions/domain/password-hashing';

const pepper = Buffer.from('unit-test-pepper-0123456789abcdefghij');
const hasher = createPasswordHasher({ pepper, cost: 4 });

afterEach(() => {
  jest.restoreAllMocks();
});

describe('when a password is hashed and verified', () => {
  it('verifies the same password', async () => {
    // Prepare
    const stored = await hasher.hash('correct horse battery staple');

    // Act
    const verified = await hasher.verify('correct horse battery staple', stored);

    // Assess
    expect(verified).toBe(true);
  });

  it('rejects a different password', async () => {
    // Prepare
    const stored = await hasher.hash('correct horse battery staple');

    // Act
    const verified = await hasher.verify('correct horse battery stapler', stored);

    // Assess
    expect(verified).toBe(false);
  });

  it('does not change case: the upper-case variant is another password', async () => {
    // Prepare
    const stored = await hasher.hash('correct horse battery staple');

    // Act
    const verified = await hasher.verify('CORRECT HORSE BATTERY STAPLE', stored);

    // Assess
    expect(verified).toBe(false);
  });

  it('records the scheme and the cost it used', async () => {
    // Act
    const stored = await hasher.hash('correct horse battery staple');

    // Assess
    expect(stored.scheme).toBe(PASSWORD_SCHEME);
    expect(stored.cost).toBe(4);
    expect(bcrypt.getRounds(stored.hash)).toBe(4);
  });

  it('never puts the password into the stored hash', async () => {
    // Prepare
    const password = 'correct horse battery staple';

    // Act
    const stored = await hasher.hash(password);

    // Assess
    expect(JSON.stringify(stored)).not.toContain(password);
    expect(JSON.stringify(stored)).not.toContain('horse');
  });

  it('salts each hash, so the same password stores differently twice', async () => {
    // Act
    const first = await hasher.hash('correct horse battery staple');
    const second = await hasher.hash('correct horse battery staple');

    // Assess
    expect(first.hash).not.toBe(second.hash);
  });
});

describe('when two long passwords share their first 72 bytes or more', () => {
  it('does not verify one against the hash of the other', async () => {
    // Prepare: bcrypt alone reads only 72 bytes, so these would collide without the pre-hash
    const prefix = 'p'.repeat(100);
    const stored = await hasher.hash(`${prefix}-one`);

    // Act
    const verified = await hasher.verify(`${prefix}-two`, stored);

    // Assess
    expect(Buffer.byteLength(prefix)).toBeGreaterThan(72);
    expect(verified).toBe(false);
    expect(await hasher.verify(`${prefix}-one`, stored)).toBe(true);
  });

  it('keeps 64 kanji (192 bytes) distinct in their last character', async () => {
    // Prepare
    const prefix = '漢'.repeat(63);
    const stored = await hasher.hash(`${prefix}字`);

    // Act
    const verified = await hasher.verify(`${prefix}語`, stored);

    // Assess
    expect(verified).toBe(false);
  });
});

describe('when the same password is typed in two Unicode forms', () => {
  it("verifies 'café' decomposed against 'café' composed", async () => {
    // Prepare
    const composed = 'mon café préféré du matin';
    const decomposed = composed.normalize('NFD');
    const stored = await hasher.hash(composed);

    // Act
    const verified = await hasher.verify(decomposed, stored);

    // Assess
    expect(decomposed).not.toBe(composed);
    expect(verified).toBe(true);
  });

  it("verifies 'café' composed against 'café' stored decomposed", async () => {
    // Prepare
    const composed = 'mon café préféré du matin';
    const stored = await hasher.hash(composed.normalize('NFD'));

    // Act
    const verified = await hasher.verify(composed, stored);

    // Assess
    expect(verified).toBe(true);
  });
});

describe('when there is no stored password', () => {
  it('returns false', async () => {
    // Act
    const verified = await hasher.verify('correct horse battery staple', undefined);

    // Assess
    expect(verified).toBe(false);
  });

  it('still spends one bcrypt comparison at the configured cost', async () => {
    // Prepare
    const compare = jest.spyOn(bcrypt, 'compare');

    // Act
    await hasher.verify('correct horse battery staple', undefined);

    // Assess
    expect(compare).toHaveBeenCalledTimes(1);
    const comparedWith = compare.mock.calls[0]?.[1] as string;
    expect(comparedWith).toHaveLength(60);
    expect(bcrypt.getRounds(comparedWith)).toBe(4);
  });

  it('also spends one comparison, and refuses, for a password stored under an unknown scheme', async () => {
    // Prepare
    const real = await hasher.hash('correct horse battery staple');
    const compare = jest.spyOn(bcrypt, 'compare');

    // Act
    const verified = await hasher.verify('correct horse battery staple', { ...real, scheme: 'plain-bcrypt' });

    // Assess
    expect(verified).toBe(false);
    expect(compare).toHaveBeenCalledTimes(1);
  });
});

describe('when deciding whether a stored password needs rehashing', () => {
  const current = createPasswordHasher({ pepper, cost: 6 });

  it('asks for a rehash of a hash made at a lower cost', () => {
    // Act
    const answer = current.needsRehash({ scheme: PASSWORD_SCHEME, cost: 4, hash: 'irrelevant' });

    // Assess
    expect(answer).toBe(true);
  });

  it('asks for a rehash of a hash made with another scheme', () => {
    // Act
    const answer = current.needsRehash({ scheme: 'bcrypt-legacy', cost: 6, hash: 'irrelevant' });

    // Assess
    expect(answer).toBe(true);
  });

  it('leaves a hash of today’s scheme and cost alone', () => {
    // Act
    const answer = current.needsRehash({ scheme: PASSWORD_SCHEME, cost: 6, hash: 'irrelevant' });

    // Assess
    expect(answer).toBe(false);
  });

  it('leaves a hash of a higher cost alone', () => {
    // Act
    const answer = current.needsRehash({ scheme: PASSWORD_SCHEME, cost: 10, hash: 'irrelevant' });

    // Assess
    expect(answer).toBe(false);
  });

  it('still verifies a password hashed at the lower cost', async () => {
    // Prepare
    const stored = await hasher.hash('correct horse battery staple');

    // Act
    const verified = await current.verify('correct horse battery staple', stored);

    // Assess
    expect(verified).toBe(true);
  });
});

describe('when the pepper differs', () => {
  it('does not verify a hash made with another pepper', async () => {
    // Prepare
    const stored = await hasher.hash('correct horse battery staple');
    const other = createPasswordHasher({ pepper: Buffer.from('another-pepper-entirely-0123456789abc'), cost: 4 });

    // Act
    const verified = await other.verify('correct horse battery staple', stored);

    // Assess
    expect(verified).toBe(false);
  });
});

describe('when a deployment chooses argon2id', () => {
  const argon = createPasswordHasher({ pepper, cost: 4, scheme: 'argon2id' });

  it("hashes with argon2id at OWASP's minimum, every parameter in the PHC string, and verifies the same password only", async () => {
    // Act
    const stored = await argon.hash('correct horse battery staple');

    // Assess
    expect(stored.scheme).toBe(ARGON2ID_SCHEME);
    expect(stored.cost).toBe(ARGON2ID_PARAMETERS.memoryKiB);
    expect(stored.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
    expect(stored.hash).not.toContain('correct horse');
    await expect(argon.verify('correct horse battery staple', stored)).resolves.toBe(true);
    await expect(argon.verify('correct horse battery stapler', stored)).resolves.toBe(false);
  });

  it('salts each hash: the same password twice gives two hashes', async () => {
    const [first, second] = await Promise.all([argon.hash('the same passphrase'), argon.hash('the same passphrase')]);

    expect(first!.hash).not.toBe(second!.hash);
  });

  it('needs the pepper: another pepper does not verify the hash', async () => {
    const stored = await argon.hash('correct horse battery staple');
    const otherPepper = createPasswordHasher({ pepper: Buffer.from('another-pepper-0123456789abcdefghijkl'), cost: 4, scheme: 'argon2id' });

    await expect(otherPepper.verify('correct horse battery staple', stored)).resolves.toBe(false);
  });

  it('still verifies every bcrypt hash, and asks to move it to argon2id', async () => {
    const stored = await hasher.hash('correct horse battery staple');

    await expect(argon.verify('correct horse battery staple', stored)).resolves.toBe(true);
    expect(argon.needsRehash(stored)).toBe(true);
  });

  it('leaves an argon2id hash at its parameters alone, and asks to move one with less memory', async () => {
    const stored = await argon.hash('correct horse battery staple');
    const weaker = { ...stored, hash: stored.hash.replace('m=19456', 'm=8192') };

    expect(argon.needsRehash(stored)).toBe(false);
    expect(argon.needsRehash(weaker)).toBe(true);
  });

  it('asks to move an argon2id hash back when the deployment returns to bcrypt, and still verifies it', async () => {
    const stored = await argon.hash('correct horse battery staple');

    expect(hasher.needsRehash(stored)).toBe(true);
    await expect(hasher.verify('correct horse battery staple', stored)).resolves.toBe(true);
  });

  it('refuses, after the same work, a missing password or a malformed argon2id hash', async () => {
    await expect(argon.verify('correct horse battery staple', undefined)).resolves.toBe(false);
    await expect(argon.verify('correct horse battery staple', { scheme: ARGON2ID_SCHEME, cost: 19_456, hash: '$argon2id$v=19$m=19456,t=2,p=1$broken' })).resolves.toBe(false);
    await expect(argon.verify('correct horse battery staple', { scheme: ARGON2ID_SCHEME, cost: 19_456, hash: '$argon2id$v=19$m=19456,t=0,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAA' })).resolves.toBe(false);
  });
});
