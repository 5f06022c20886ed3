// Use-case tests of turning a bearer token into an actor (functions/use-cases/authenticate.ts).
import { issueToken } from '../../functions/domain/tokens';
import { authenticate } from '../../functions/use-cases/authenticate';
import { ORIGIN, adminRecord, failureOf, fakeDependencies } from './fakes';

async function prepare(overrides: Parameters<typeof adminRecord>[0] = {}, session: { epoch?: number; expiresAt?: string } = {}) {
  const deps = fakeDependencies();
  const admin = deps.directory.put(adminRecord(overrides));
  const { token, tokenHash } = issueToken(deps.random);
  await deps.sessions.create({
    tokenHash,
    companyId: admin.companyId,
    adminId: admin.adminId,
    epoch: session.epoch ?? admin.sessionEpoch,
    createdAt: '2025-06-02T08:00:00.000Z',
    expiresAt: session.expiresAt ?? '2025-06-02T16:00:00.000Z',
  });
  return { deps, admin, token, tokenHash };
}

describe('when the session is valid', () => {
  it('answers the admin and the hash of the token', async () => {
    // Prepare
    const { deps, admin, token, tokenHash } = await prepare();

    // Act
    const actor = await authenticate(`Bearer ${token}`, 'session', ORIGIN, deps);

    // Assess
    expect(actor).toEqual({ admin, sessionHash: tokenHash, origin: ORIGIN });
  });

  it('lets a master through a master route', async () => {
    // Prepare
    const { deps, token } = await prepare({ role: 'master' });

    // Act
    const actor = await authenticate(`Bearer ${token}`, 'master', ORIGIN, deps);

    // Assess
    expect(actor.admin.role).toBe('master');
  });
});

describe('when the bearer token is missing or malformed', () => {
  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['another scheme', 'Basic dXNlcjpwYXNz'],
    ['a token of the wrong shape', 'Bearer not-a-token'],
    ['a token with trailing text', `Bearer ${'A'.repeat(43)} extra`],
  ])('refuses %s as UNAUTHENTICATED', async (_what, header) => {
    // Prepare
    const { deps } = await prepare();

    // Act
    const error = await failureOf(authenticate(header, 'session', ORIGIN, deps));

    // Assess
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses a well-formed token that no session has', async () => {
    // Prepare
    const { deps } = await prepare();

    // Act
    const error = await failureOf(authenticate(`Bearer ${'A'.repeat(43)}`, 'session', ORIGIN, deps));

    // Assess
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});

describe('when the session has expired but its item still exists', () => {
  it('refuses it, since DynamoDB TTL deletes days late', async () => {
    // Prepare
    const { deps, token, tokenHash } = await prepare({}, { expiresAt: '2025-06-02T09:30:00.000Z' });
    deps.clock.advanceMinutes(30);

    // Act
    const error = await failureOf(authenticate(`Bearer ${token}`, 'session', ORIGIN, deps));

    // Assess
    expect(deps.sessions.items.has(tokenHash)).toBe(true);
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('still accepts it one minute earlier', async () => {
    // Prepare
    const { deps, token } = await prepare({}, { expiresAt: '2025-06-02T09:30:00.000Z' });
    deps.clock.advanceMinutes(29);

    // Act
    const actor = await authenticate(`Bearer ${token}`, 'session', ORIGIN, deps);

    // Assess
    expect(actor.sessionHash).toBeDefined();
  });
});

describe('when the admin behind the session has changed', () => {
  it('refuses a session from an older epoch (revoked by a password change)', async () => {
    // Prepare
    const { deps, token } = await prepare({ sessionEpoch: 4 }, { epoch: 3 });

    // Act
    const error = await failureOf(authenticate(`Bearer ${token}`, 'session', ORIGIN, deps));

    // Assess
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses the session of a disabled admin', async () => {
    // Prepare
    const { deps, token } = await prepare({ status: 'disabled' });

    // Act
    const error = await failureOf(authenticate(`Bearer ${token}`, 'session', ORIGIN, deps));

    // Assess
    expect(error.code).toBe('UNAUTHENTICATED');
  });

  it('refuses the session of an admin who no longer exists', async () => {
    // Prepare
    const { deps, admin, token } = await prepare();
    deps.directory.admins.clear();

    // Act
    const error = await failureOf(authenticate(`Bearer ${token}`, 'session', ORIGIN, deps));

    // Assess
    expect(admin.adminId).toBeDefined();
    expect(error.code).toBe('UNAUTHENTICATED');
  });
});

describe('when a general admin calls a master route', () => {
  it('refuses with FORBIDDEN', async () => {
    // Prepare
    const { deps, token } = await prepare({ role: 'general' });

    // Act
    const error = await failureOf(authenticate(`Bearer ${token}`, 'master', ORIGIN, deps));

    // Assess
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toMatch(/master administrator/);
  });

  it('lets the same admin through a session route', async () => {
    // Prepare
    const { deps, token } = await prepare({ role: 'general' });

    // Act
    const actor = await authenticate(`Bearer ${token}`, 'session', ORIGIN, deps);

    // Assess
    expect(actor.admin.role).toBe('general');
  });
});
