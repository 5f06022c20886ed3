// Use-case tests of signing in (functions/use-cases/sign-in.ts) with in-memory ports and a fixed clock.
import { hashToken } from '../../functions/domain/tokens';
import { sourceOf } from '../../functions/domain/sign-in-attempts';
import { signIn, type Credentials } from '../../functions/use-cases/sign-in';
import type { DomainError } from '../../functions/domain/errors';
import type { AddressedAccount, SignInAttempts } from '../../functions/domain/ports';
import { COMPANY, ORIGIN, adminRecord, failureOf, fakeDependencies, useCompanyPolicy } from './fakes';

const PASSWORD = 'correct horse battery staple';

async function prepare(overrides: Parameters<typeof adminRecord>[0] = {}) {
  const deps = fakeDependencies();
  const admin = deps.directory.put(adminRecord({ password: await deps.hasher.hash(PASSWORD), ...overrides }));
  deps.hasher.verifyCalls.length = 0;
  const credentials: Credentials = { companyId: COMPANY, email: admin.email, password: PASSWORD };
  return { deps, admin, credentials };
}

describe('when the credentials are right', () => {
  it('creates a session in the current epoch and answers its token once', async () => {
    // Prepare
    const { deps, admin, credentials } = await prepare({ sessionEpoch: 3 });

    // Act
    const grant = await signIn(credentials, ORIGIN, deps);

    // Assess
    expect(grant).toMatchObject({ sessionToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), expiresAt: '2025-06-02T17:00:00.000Z' });
    const token = (grant as { sessionToken: string }).sessionToken;
    const stored = deps.sessions.items.get(hashToken(token));
    expect(stored).toMatchObject({ companyId: admin.companyId, adminId: admin.adminId, epoch: 3 });
    expect([...deps.sessions.items.keys()]).not.toContain(token);
  });

  it('finds the admin whatever the case and surrounding spaces of the email', async () => {
    // Prepare
    const { deps, credentials } = await prepare();

    // Act
    const grant = await signIn({ ...credentials, email: '  Grace.Hopper@ACME.example ' }, ORIGIN, deps);

    // Assess
    expect(grant).toHaveProperty('sessionToken');
  });

  it('gives back the place it took in the count, leaving the earlier failures of the window counted', async () => {
    // Prepare
    const { deps, admin, credentials } = await prepare({ failedSignIns: 2, failureWindowStartedAt: '2025-06-02T08:55:00.000Z' });

    // Act
    await signIn(credentials, ORIGIN, deps);

    // Assess
    expect((await deps.directory.getAdmin(admin.companyId, admin.adminId))?.failedSignIns).toBe(2);
    expect(deps.directory.reservations).toHaveLength(1);
  });

  it('answers the admin without any password field', async () => {
    // Prepare
    const { deps, credentials } = await prepare();

    // Act
    const grant = await signIn(credentials, ORIGIN, deps);

    // Assess
    expect(grant).toHaveProperty('admin');
    expect((grant as { admin: object }).admin).not.toHaveProperty('password');
  });

  it('re-hashes a password stored at a lower cost than today’s', async () => {
    // Prepare
    const { deps, admin, credentials } = await prepare();
    const weak = { ...admin.password!, cost: 3 };
    deps.directory.put({ ...admin, password: weak });
    deps.hasher.hashCalls = 0;

    // Act
    await signIn(credentials, ORIGIN, deps);

    // Assess
    expect(deps.hasher.hashCalls).toBe(1);
    expect((await deps.directory.getAdmin(admin.companyId, admin.adminId))?.password?.cost).toBe(4);
  });
});

describe('when the password is a temporary one', () => {
  it('answers the NEW_PASSWORD_REQUIRED challenge instead of a session', async () => {
    // Prepare
    const { deps, admin, credentials } = await prepare({
      passwordKind: 'temporary',
      temporaryPasswordExpiresAt: '2025-06-03T09:00:00.000Z',
      passwordVersion: 5,
    });

    // Act
    const answer = await signIn(credentials, ORIGIN, deps);

    // Assess
    expect(answer).toMatchObject({
      challenge: 'NEW_PASSWORD_REQUIRED',
      reason: 'TEMPORARY_PASSWORD',
      challengeToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      passwordPolicy: { policy: { minLength: 15, maxLength: 128 } },
    });
    const token = (answer as { challengeToken: string }).challengeToken;
    expect(deps.challenges.items.get(hashToken(token))).toEqual({
      tokenHash: hashToken(token),
      companyId: admin.companyId,
      adminId: admin.adminId,
      reason: 'TEMPORARY_PASSWORD',
      passwordVersion: 5,
      expiresAt: '2025-06-02T09:10:00.000Z',
    });
    expect(deps.sessions.items.size).toBe(0);
  });
});

describe('when the sign-in fails', () => {
  const failures = {
    'the email is unknown': async () => {
      const { deps, credentials } = await prepare();
      return { deps, credentials: { ...credentials, email: 'nobody@acme.example' } };
    },
    'the company is unknown': async () => {
      const { deps, credentials } = await prepare();
      return { deps, credentials: { ...credentials, companyId: 'initech' } };
    },
    'the password is wrong': async () => {
      const { deps, credentials } = await prepare();
      return { deps, credentials: { ...credentials, password: 'correct horse battery stapler' } };
    },
    'the account is disabled': async () => {
      const { deps, credentials } = await prepare({ status: 'disabled' });
      return { deps, credentials };
    },
    'the temporary password has expired': async () => {
      const { deps, credentials } = await prepare({ passwordKind: 'temporary', temporaryPasswordExpiresAt: '2025-06-02T09:00:00.000Z' });
      return { deps, credentials };
    },
    'the temporary password has no expiry recorded': async () => {
      const { deps, credentials } = await prepare({ passwordKind: 'temporary', temporaryPasswordExpiresAt: undefined });
      return { deps, credentials };
    },
  };

  it.each(Object.keys(failures))('answers the generic INVALID_CREDENTIALS when %s', async (reason) => {
    // Prepare
    const { deps, credentials } = await failures[reason as keyof typeof failures]();

    // Act
    const error = await failureOf(signIn(credentials, ORIGIN, deps));

    // Assess
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(error.message).toBe('The company, email address or password is incorrect.');
    expect(error.details).toBeUndefined();
    expect(deps.sessions.items.size).toBe(0);
    expect(deps.challenges.items.size).toBe(0);
  });

  it('gives an identical error for every reason', async () => {
    // Prepare
    const errors: DomainError[] = [];
    for (const make of Object.values(failures)) {
      const { deps, credentials } = await make();
      errors.push(await failureOf(signIn(credentials, ORIGIN, deps)));
    }

    // Act
    const shapes = new Set(errors.map((error) => JSON.stringify({ code: error.code, message: error.message, details: error.details, name: error.name })));

    // Assess
    expect(shapes.size).toBe(1);
  });

  it('still runs one password comparison for an unknown email', async () => {
    // Prepare
    const { deps, credentials } = await failures['the email is unknown']();

    // Act
    await failureOf(signIn(credentials, ORIGIN, deps));

    // Assess
    expect(deps.hasher.verifyCalls).toEqual([undefined]);
  });

  it('counts a failed attempt against the account when the password is wrong', async () => {
    // Prepare: one failure five minutes ago, in a window that is still open
    const { deps, admin, credentials } = await prepare({ failedSignIns: 1, failureWindowStartedAt: '2025-06-02T08:55:00.000Z' });

    // Act
    await failureOf(signIn({ ...credentials, password: 'wrong but long enough!!' }, ORIGIN, deps));

    // Assess
    expect(deps.directory.reservations).toEqual([{ companyId: admin.companyId, adminId: admin.adminId }]);
    expect((await deps.directory.getAdmin(admin.companyId, admin.adminId))?.failedSignIns).toBe(2);
  });

  it('counts a failed attempt against a disabled account signed into with its right password', async () => {
    // Prepare
    const { deps, admin, credentials } = await prepare({ status: 'disabled' });

    // Act
    await failureOf(signIn(credentials, ORIGIN, deps));

    // Assess
    expect(deps.directory.reservations).toEqual([{ companyId: admin.companyId, adminId: admin.adminId }]);
  });

  it('counts nothing for an unknown email, having no account to count against', async () => {
    // Prepare
    const { deps, credentials } = await failures['the email is unknown']();

    // Act
    await failureOf(signIn(credentials, ORIGIN, deps));

    // Assess
    expect(deps.directory.reservations).toEqual([]);
  });

  it('accepts a temporary password one minute before it expires', async () => {
    // Prepare: the counterpart of the expired case, to show the boundary is the expiry instant
    const { deps, credentials } = await prepare({ passwordKind: 'temporary', temporaryPasswordExpiresAt: '2025-06-02T09:01:00.000Z' });

    // Act
    const answer = await signIn(credentials, ORIGIN, deps);

    // Assess
    expect(answer).toHaveProperty('challenge', 'NEW_PASSWORD_REQUIRED');
  });
});

describe('when the address index lags the table', () => {
  type Deps = Awaited<ReturnType<typeof prepare>>['deps'];
  /** The fakes, with the address index answering as it stood a moment ago. */
  const lagging = (deps: Deps, indexed: SignInAttempts['findByAddress']): Deps => ({
    ...deps,
    attempts: Object.assign(Object.create(deps.attempts) as typeof deps.attempts, { findByAddress: indexed }),
  });
  /** The index's copy of the account: what is stored, with the counters it held before. */
  const copyWith = (deps: Deps, heldBefore: Partial<AddressedAccount>): SignInAttempts['findByAddress'] => async (companyId, email) => {
    const current = await deps.attempts.findByAddress(companyId, email);
    return current === undefined ? undefined : { ...current, ...heldBefore };
  };

  it('signs in when the index still shows a lock a master lifted a moment ago, having read the stored counters', async () => {
    // Prepare: the index's copy is locked; the stored counters were cleared by the master's unlock
    const { deps, credentials } = await prepare();
    const indexed = lagging(deps, copyWith(deps, { failedSignIns: 5, failureWindowStartedAt: '2025-06-02T08:55:00.000Z', lockedUntil: '2025-06-02T09:30:00.000Z' }));

    // Act
    const grant = await signIn(credentials, ORIGIN, indexed);

    // Assess
    expect(grant).toHaveProperty('sessionToken');
    expect(deps.directory.reservations).toHaveLength(1);
  });

  it('counts the comparison on the stored counters when the index’s copy is behind, never on the copy', async () => {
    // Prepare: four failures from this source stored in the window; the index's copy still shows none
    const source = sourceOf(ORIGIN.sourceIp);
    const { deps, admin, credentials } = await prepare({ sourceAttempts: { [source]: { failedSignIns: 4, failureWindowStartedAt: '2025-06-02T08:55:00.000Z', lockedUntil: undefined } } });
    useCompanyPolicy(deps, { lockoutThreshold: 5 });
    const indexed = lagging(deps, copyWith(deps, { sourceAttempts: undefined }));

    // Act
    const failure = await failureOf(signIn({ ...credentials, password: 'a wrong one' }, ORIGIN, indexed));

    // Assess: the fifth failure of the window, decided on what was stored, locks the source
    expect(failure.code).toBe('INVALID_CREDENTIALS');
    expect((await deps.directory.getAdmin(admin.companyId, admin.adminId))?.sourceAttempts?.[source]).toMatchObject({ failedSignIns: 5, lockedUntil: expect.any(String) });
    expect(deps.auditLog.events.map((event) => event.type)).toEqual(['SIGN_IN_FAILED', 'ACCOUNT_LOCKED']);
  });

  it('refuses as an unknown address, taking no place, when the account gave the address up a moment ago', async () => {
    // Prepare: the admin's address moved; the index still finds him under the old one
    const { deps, admin, credentials } = await prepare();
    const before = (await deps.attempts.findByAddress(admin.companyId, admin.email))!;
    deps.directory.put({ ...admin, email: 'grace@elsewhere.example' });
    const indexed = lagging(deps, async () => before);

    // Act
    const failure = await failureOf(signIn(credentials, ORIGIN, indexed));

    // Assess
    expect(failure.code).toBe('INVALID_CREDENTIALS');
    expect(deps.directory.reservations).toHaveLength(0);
    expect(deps.hasher.verifyCalls).toEqual([undefined]);
    expect(deps.auditLog.events.map((event) => [event.type, event.details])).toEqual([['SIGN_IN_FAILED', { reason: 'UNKNOWN_EMAIL' }]]);
  });
});
