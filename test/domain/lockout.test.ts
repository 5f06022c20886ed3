// Use-case tests of the lockout with the fixed clock. Every comparison here comes from one source (ORIGIN), so the
// company's rule is the one that bites: the threshold of failures locks that source for the policy's minutes without
// revealing it, a success gives back its own place, a master unlocks at once, and threshold 0 never locks a source.
// The account's ceiling across sources, and known sources, have tests of their own at the end.
import type { AdminRecord } from '../../functions/domain/admin';
import type { Origin } from '../../functions/domain/audit';
import { changeOwnPassword } from '../../functions/use-cases/change-own-password';
import { unlockAdmin, unlockOwnSignIn } from '../../functions/use-cases/manage-admins';
import { signIn } from '../../functions/use-cases/sign-in';
import { ACCOUNT_CEILING, RESTARTED, comparisonRules, reserveComparison, sourceOf, succeeded } from '../../functions/domain/sign-in-attempts';
import { COMPANY, ORIGIN, adminRecord, failureOf, fakeDependencies, signedInActor, useCompanyPolicy } from './fakes';

const PASSWORD = 'the right passphrase of grace';
const SOURCE = sourceOf(ORIGIN.sourceIp);
const RULES = comparisonRules({ threshold: 3, minutes: 15 });
const WRONG = 'a wrong passphrase, typed again';

async function prepare(lockout: { lockoutThreshold: number; lockoutMinutes?: number }) {
  const deps = fakeDependencies();
  useCompanyPolicy(deps, { lockoutMinutes: 15, ...lockout });
  const admin = deps.directory.put(adminRecord({ password: await deps.hasher.hash(PASSWORD) }));
  const signInWith = (password: string) => signIn({ companyId: COMPANY, email: admin.email, password }, ORIGIN, deps);
  const failTimes = async (count: number) => {
    for (let i = 0; i < count; i += 1) await failureOf(signInWith(WRONG));
  };
  const stored = async () => (await deps.directory.getAdmin(COMPANY, admin.adminId)) as AdminRecord;
  /** The counters of ORIGIN, the source of every comparison here. */
  const counters = async () => (await stored()).sourceAttempts?.[sourceOf(ORIGIN.sourceIp)] ?? RESTARTED;
  const eventsOf = (type: string) => deps.auditLog.events.filter((event) => event.type === type);
  return { deps, admin, signInWith, failTimes, stored, counters, eventsOf };
}

describe('when failures reach the threshold', () => {
  it('locks the account on the threshold-th failure, until the clock passes lockoutMinutes, and records ACCOUNT_LOCKED once', async () => {
    // Prepare
    const { failTimes, stored, counters, eventsOf } = await prepare({ lockoutThreshold: 3 });
    await failTimes(2);
    const beforeThird = await counters();

    // Act
    await failTimes(1);

    // Assess
    expect(beforeThird).toMatchObject({ failedSignIns: 2, lockedUntil: undefined });
    expect(await counters()).toMatchObject({ lockedUntil: '2025-06-02T09:15:00.000Z', failedSignIns: 3 });
    expect(eventsOf('ACCOUNT_LOCKED')).toEqual([
      expect.objectContaining({ companyId: COMPANY, targetAdminId: (await stored()).adminId, outcome: 'failure', details: { scope: 'source', minutes: '15', until: '2025-06-02T09:15:00.000Z' } }),
    ]);
    expect(eventsOf('SIGN_IN_FAILED')).toHaveLength(3);
  });

  it('answers the right password with the same INVALID_CREDENTIALS as a wrong one, and no session', async () => {
    // Prepare
    const { deps, signInWith, failTimes, eventsOf } = await prepare({ lockoutThreshold: 3 });
    await failTimes(3);
    const wrong = await failureOf(signInWith(WRONG));

    // Act
    const right = await failureOf(signInWith(PASSWORD));

    // Assess
    expect({ code: right.code, message: right.message, details: right.details }).toEqual({ code: wrong.code, message: wrong.message, details: wrong.details });
    expect(right.code).toBe('INVALID_CREDENTIALS');
    expect(deps.sessions.items.size).toBe(0);
    expect(eventsOf('SIGN_IN_FAILED').at(-1)).toMatchObject({ details: { reason: 'LOCKED' } });
  });

  it('counts no further failures while locked, so the lock is not extended', async () => {
    // Prepare
    const { failTimes, eventsOf, counters } = await prepare({ lockoutThreshold: 3 });
    await failTimes(3);

    // Act
    await failTimes(10);

    // Assess
    expect(await counters()).toMatchObject({ lockedUntil: '2025-06-02T09:15:00.000Z', failedSignIns: 3 });
    expect(eventsOf('ACCOUNT_LOCKED')).toHaveLength(1);
  });

  it('locks with the default policy after ten failures', async () => {
    // Prepare: no saved policy, so the defaults (10 failures, 15 minutes) hold
    const deps = fakeDependencies();
    const admin = deps.directory.put(adminRecord({ password: await deps.hasher.hash(PASSWORD) }));
    for (let i = 0; i < 9; i += 1) await failureOf(signIn({ companyId: COMPANY, email: admin.email, password: WRONG }, ORIGIN, deps));
    const afterNine = await deps.directory.getAdmin(COMPANY, admin.adminId);

    // Act
    await failureOf(signIn({ companyId: COMPANY, email: admin.email, password: WRONG }, ORIGIN, deps));

    // Assess
    expect(afterNine?.sourceAttempts?.[SOURCE]).toMatchObject({ failedSignIns: 9, lockedUntil: undefined });
    expect((await deps.directory.getAdmin(COMPANY, admin.adminId))?.sourceAttempts?.[SOURCE]?.lockedUntil).toBe('2025-06-02T09:15:00.000Z');
  });
});

describe('when the failures arrive at the same moment', () => {
  // Failures that race all read the same old count: the lock must be judged on the stored count.
  it('still locks the account once the threshold is reached, so parallel guesses gain nothing', async () => {
    // Prepare
    const { signInWith, counters } = await prepare({ lockoutThreshold: 3 });

    // Act
    await Promise.all(Array.from({ length: 10 }, () => failureOf(signInWith(WRONG))));

    // Assess
    expect((await counters()).lockedUntil).toBe('2025-06-02T09:15:00.000Z');
    expect((await failureOf(signInWith(PASSWORD))).code).toBe('INVALID_CREDENTIALS');
  });
});

describe('when the lock lapses by the clock', () => {
  it('still refuses the right password a minute before lockoutMinutes have passed', async () => {
    // Prepare
    const { deps, signInWith, failTimes } = await prepare({ lockoutThreshold: 3 });
    await failTimes(3);
    deps.clock.advanceMinutes(14);

    // Act
    const error = await failureOf(signInWith(PASSWORD));

    // Assess
    expect(error.code).toBe('INVALID_CREDENTIALS');
  });

  it('gives a session once lockoutMinutes have passed, and clears the lock', async () => {
    // Prepare
    const { deps, signInWith, failTimes, counters } = await prepare({ lockoutThreshold: 3 });
    await failTimes(3);
    deps.clock.advanceMinutes(15);

    // Act
    const grant = await signInWith(PASSWORD);

    // Assess
    expect(grant).toMatchObject({ sessionToken: expect.any(String), admin: { locked: false, lockedUntil: null } });
    expect(await counters()).toMatchObject({ lockedUntil: undefined, failedSignIns: 0 });
  });

  it('locks again after another threshold of failures', async () => {
    // Prepare
    const { deps, failTimes, eventsOf, counters } = await prepare({ lockoutThreshold: 3 });
    await failTimes(3);
    deps.clock.advanceMinutes(15);

    // Act
    await failTimes(3);

    // Assess
    expect((await counters()).lockedUntil).toBe('2025-06-02T09:30:00.000Z');
    expect(eventsOf('ACCOUNT_LOCKED')).toHaveLength(2);
  });
});

describe('when a sign-in succeeds between failures', () => {
  it('gives back only its own place: the failures of the window still count towards the lock', async () => {
    // Prepare
    const { signInWith, failTimes, counters } = await prepare({ lockoutThreshold: 3 });
    await failTimes(2);
    await signInWith(PASSWORD);

    // Act
    await failTimes(1);

    // Assess
    expect(await counters()).toMatchObject({ failedSignIns: 3, lockedUntil: '2025-06-02T09:15:00.000Z' });
  });

  it('counts nothing of a window that has closed: failures older than lockoutMinutes no longer add up', async () => {
    // Prepare
    const { deps, signInWith, failTimes, counters } = await prepare({ lockoutThreshold: 3 });
    await failTimes(2);
    deps.clock.advanceMinutes(15);

    // Act
    await failTimes(2);

    // Assess
    expect(await counters()).toMatchObject({ failedSignIns: 2, lockedUntil: undefined, failureWindowStartedAt: '2025-06-02T09:15:00.000Z' });
    expect(await signInWith(PASSWORD)).toHaveProperty('sessionToken');
  });
});

describe('when a master unlocks the account', () => {
  it('lifts the lock at once and records ACCOUNT_UNLOCKED', async () => {
    // Prepare
    const { deps, admin, signInWith, failTimes, eventsOf } = await prepare({ lockoutThreshold: 3 });
    const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
    const actor = await signedInActor(deps, master);
    await failTimes(3);

    // Act
    await unlockAdmin(actor, admin.adminId, deps);

    // Assess
    expect(await signInWith(PASSWORD)).toHaveProperty('sessionToken');
    expect(eventsOf('ACCOUNT_UNLOCKED')).toEqual([
      expect.objectContaining({
        actorAdminId: master.adminId,
        targetAdminId: admin.adminId,
        outcome: 'success',
        details: { wasLockedUntil: '2025-06-02T09:15:00.000Z' },
      }),
    ]);
  });

  it('answers ADMIN_NOT_FOUND for an admin of another company', async () => {
    // Prepare
    const { deps } = await prepare({ lockoutThreshold: 3 });
    const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example' }));
    const foreign = deps.directory.put(adminRecord({ companyId: 'globex', lockedUntil: '2025-06-02T09:15:00.000Z' }));

    // Act
    const error = await failureOf(unlockAdmin(await signedInActor(deps, master), foreign.adminId, deps));

    // Assess
    expect(error.code).toBe('ADMIN_NOT_FOUND');
    expect((await deps.directory.getAdmin('globex', foreign.adminId))?.lockedUntil).toBe('2025-06-02T09:15:00.000Z');
  });
});

describe('when the policy switches lockout off (threshold 0)', () => {
  it('never locks, however many failures', async () => {
    // Prepare
    const { signInWith, failTimes, eventsOf } = await prepare({ lockoutThreshold: 0 });

    // Act
    await failTimes(50);

    // Assess
    expect(await signInWith(PASSWORD)).toHaveProperty('sessionToken');
    expect(eventsOf('ACCOUNT_LOCKED')).toHaveLength(0);
  });
});

describe('when the current password is wrong on an own change', () => {
  it('counts towards the lockout like a failed sign-in, and then refuses even the right current password', async () => {
    // Prepare
    const { deps, admin, signInWith, stored, eventsOf } = await prepare({ lockoutThreshold: 3 });
    const actor = await signedInActor(deps, admin);
    const change = async (currentPassword: string) =>
      changeOwnPassword({ ...actor, admin: await stored() }, { currentPassword, newPassword: 'seven purple otters sing loudly' }, deps);
    for (let i = 0; i < 3; i += 1) expect((await failureOf(change(WRONG))).code).toBe('CURRENT_PASSWORD_INCORRECT');

    // Act
    const error = await failureOf(change(PASSWORD));

    // Assess
    expect(error.code).toBe('CURRENT_PASSWORD_INCORRECT');
    expect(eventsOf('ACCOUNT_LOCKED')).toHaveLength(1);
    expect(eventsOf('PASSWORD_CHANGED')).toEqual(
      Array.from({ length: 3 }, () => expect.objectContaining({ outcome: 'failure', details: { reason: 'CURRENT_PASSWORD_INCORRECT' } })),
    );
    expect((await failureOf(signInWith(PASSWORD))).code).toBe('INVALID_CREDENTIALS');
    expect(deps.directory.passwordWrites).toHaveLength(0);
  });

  it('adds to the failures of sign-in: two there and one here lock the account', async () => {
    // Prepare
    const { deps, admin, failTimes, stored, counters } = await prepare({ lockoutThreshold: 3 });
    const actor = await signedInActor(deps, admin);
    await failTimes(2);

    // Act
    await failureOf(changeOwnPassword({ ...actor, admin: await stored() }, { currentPassword: WRONG, newPassword: 'seven purple otters sing loudly' }, deps));

    // Assess
    expect((await counters()).lockedUntil).toBe('2025-06-02T09:15:00.000Z');
  });
});

describe('when guesses arrive together, faster than any of them is compared', () => {
  it('compares no more than the threshold against the stored hash, and refuses the rest as locked', async () => {
    // Prepare
    const { deps, admin, signInWith, counters } = await prepare({ lockoutThreshold: 3 });
    const hash = admin.password!;

    // Act: eleven wrong guesses and the right password, all started before any comparison ends
    const outcomes = await Promise.allSettled([...Array.from({ length: 11 }, () => signInWith(WRONG)), signInWith(PASSWORD)]);

    // Assess
    const compared = deps.hasher.verifyCalls.filter((call) => call?.hash === hash.hash);
    expect(compared.length).toBeLessThanOrEqual(3);
    const granted = outcomes.filter((outcome) => outcome.status === 'fulfilled');
    // The right password got in only if it was among the three compared; either way the wrong ones locked the account.
    expect(granted.length).toBeLessThanOrEqual(1);
    if (granted.length === 0) expect((await counters()).lockedUntil).toBe('2025-06-02T09:15:00.000Z');
  });
});

describe('when the comparison that reaches the threshold is the right password', () => {
  it('signs in and lifts the lock its own reservation set', async () => {
    // Prepare
    const { failTimes, signInWith, counters } = await prepare({ lockoutThreshold: 3 });
    await failTimes(2);

    // Act
    const grant = await signInWith(PASSWORD);

    // Assess
    expect(grant).toHaveProperty('sessionToken');
    expect(await counters()).toMatchObject({ failedSignIns: 2, lockedUntil: undefined });
  });
});

describe('when a burst locks the source while a right password from it is being compared', () => {
  it('keeps the burst’s lock although the right password signs in', async () => {
    // Prepare: the right password takes its place first; two wrong ones then reach the threshold of 3
    const { deps, admin, stored, counters } = await prepare({ lockoutThreshold: 3 });
    const reserve = async () => {
      const decision = reserveComparison(await stored(), SOURCE, RULES, deps.clock.now());
      if (decision.kind !== 'reserve') throw new Error('expected a place');
      expect(await deps.attempts.reserve(admin, decision)).toMatchObject({ reserved: true });
      return decision;
    };
    const right = await reserve();
    await reserve();
    const lockingGuess = await reserve();

    // Act: the right comparison ends last and gives its place back, holding no lock of its own
    await deps.attempts.giveBack(admin, succeeded(await stored(), right, deps.clock.now()), []);

    // Assess
    expect(lockingGuess.sourcePlace?.locks).toBe('2025-06-02T09:15:00.000Z');
    expect(await counters()).toMatchObject({ failedSignIns: 2, lockedUntil: '2025-06-02T09:15:00.000Z' });
  });
});

describe('when a lock has lapsed', () => {
  it('starts the count afresh: one wrong password does not lock again', async () => {
    // Prepare
    const { deps, failTimes, signInWith, counters } = await prepare({ lockoutThreshold: 3 });
    await failTimes(3);
    deps.clock.advanceMinutes(15);

    // Act
    await failTimes(1);

    // Assess
    expect(await counters()).toMatchObject({ failedSignIns: 1, lockedUntil: undefined });
    expect(await signInWith(PASSWORD)).toHaveProperty('sessionToken');
  });
});

describe('when a success ends while other guesses of the same burst hold their places', () => {
  it('keeps them counted, so the burst gets no more guesses than the threshold in its window', async () => {
    // Prepare: one wrong guess holds its place, the right password takes the next one and ends first
    const { deps, admin, stored } = await prepare({ lockoutThreshold: 3 });
    const take = async () => {
      const decision = reserveComparison(await stored(), SOURCE, RULES, deps.clock.now());
      if (decision.kind !== 'reserve' || !(await deps.attempts.reserve(admin, decision)).reserved) throw new Error('expected a place');
      return decision;
    };
    await take();
    const right = await take();

    // Act
    await deps.attempts.giveBack(admin, succeeded(await stored(), right, deps.clock.now()), []);
    const later = [await take(), await take()];

    // Assess: the earlier guess and two later ones reach the threshold of 3
    expect(later[1]!.sourcePlace?.locks).toBe('2025-06-02T09:15:00.000Z');
    expect(reserveComparison(await stored(), SOURCE, RULES, deps.clock.now()).kind).toBe('refused');
  });
});

describe('when an outsider guesses from sources of his own', () => {
  const from = (n: number): Origin => ({ sourceIp: `198.51.100.${n}`, userAgent: 'guesser' });

  it('locks only his sources: the admin, from a source of his own, still signs in', async () => {
    // Prepare: 3 failures from each of three outside sources, a threshold of 3 per source
    const { deps, admin } = await prepare({ lockoutThreshold: 3 });
    const attempt = (password: string, origin: Origin) => signIn({ companyId: COMPANY, email: admin.email, password }, origin, deps);
    for (const n of [1, 2, 3]) for (let i = 0; i < 3; i += 1) await failureOf(attempt(WRONG, from(n)));

    // Act
    const guessedRight = await failureOf(attempt(PASSWORD, from(1)));
    const grant = await attempt(PASSWORD, ORIGIN);

    // Assess
    expect(guessedRight.code).toBe('INVALID_CREDENTIALS');
    expect(grant).toHaveProperty('sessionToken');
  });

  it('stops every source that is not known once the account’s ceiling is reached, but not a source the admin signed in from', async () => {
    // Prepare: the admin signed in once from ORIGIN; then the ceiling's worth of failures from many sources
    const { deps, admin, stored, eventsOf } = await prepare({ lockoutThreshold: 3 });
    const attempt = (password: string, origin: Origin) => signIn({ companyId: COMPANY, email: admin.email, password }, origin, deps);
    await attempt(PASSWORD, ORIGIN);
    for (let n = 0; n < ACCOUNT_CEILING.threshold; n += 1) await failureOf(attempt(WRONG, from(n % 250)));
    const newSource: Origin = { sourceIp: '192.0.2.44', userAgent: 'the admin on a new network' };

    // Act
    const fromNewSource = await failureOf(attempt(PASSWORD, newSource));
    const fromKnownSource = await attempt(PASSWORD, ORIGIN);

    // Assess
    expect(fromNewSource.code).toBe('INVALID_CREDENTIALS');
    expect(fromKnownSource).toHaveProperty('sessionToken');
    expect((await stored()).lockedUntil).toBe('2025-06-03T09:00:00.000Z');
    expect(eventsOf('ACCOUNT_LOCKED').filter((event) => event.details.scope === 'account')).toHaveLength(1);
    expect(eventsOf('SIGN_IN_FAILED').at(-1)).toMatchObject({ details: { reason: 'LOCKED', scope: 'account' } });
  });

  it('lets no more than the ceiling be compared in its window however many sources guess', async () => {
    // Prepare
    const { deps, admin } = await prepare({ lockoutThreshold: 3 });
    const hash = admin.password!;

    // Act: three guesses from each of 60 sources, 180 in all
    for (let n = 0; n < 60; n += 1) for (let i = 0; i < 3; i += 1) await failureOf(signIn({ companyId: COMPANY, email: admin.email, password: WRONG }, from(n), deps));

    // Assess
    expect(deps.hasher.verifyCalls.filter((call) => call?.hash === hash.hash)).toHaveLength(ACCOUNT_CEILING.threshold);
  });
});

describe('when a locked-out admin unlocks himself from a session he still has', () => {
  it('makes his source known, so he signs in from it while the account stays locked for others', async () => {
    // Prepare: an existing session on a new network; the account is locked by the ceiling
    const { deps, admin, stored, eventsOf } = await prepare({ lockoutThreshold: 3 });
    const office: Origin = { sourceIp: '192.0.2.10', userAgent: 'the admin at the office' };
    const actor = await signedInActor(deps, admin, office);
    deps.directory.put({ ...(await stored()), failedSignIns: ACCOUNT_CEILING.threshold, failureWindowStartedAt: '2025-06-02T08:59:00.000Z', lockedUntil: '2025-06-03T08:59:00.000Z' });
    const lockedOut = await failureOf(signIn({ companyId: COMPANY, email: admin.email, password: PASSWORD }, office, deps));

    // Act
    await unlockOwnSignIn({ ...actor, admin: await stored() }, deps);

    // Assess
    expect(lockedOut.code).toBe('INVALID_CREDENTIALS');
    expect(await signIn({ companyId: COMPANY, email: admin.email, password: PASSWORD }, office, deps)).toHaveProperty('sessionToken');
    expect((await failureOf(signIn({ companyId: COMPANY, email: admin.email, password: PASSWORD }, { sourceIp: '192.0.2.99', userAgent: null }, deps))).code).toBe(
      'INVALID_CREDENTIALS',
    );
    expect((await stored()).lockedUntil).toBe('2025-06-03T08:59:00.000Z');
    expect(eventsOf('ACCOUNT_UNLOCKED')).toEqual([
      expect.objectContaining({ actorAdminId: admin.adminId, targetAdminId: admin.adminId, details: { by: 'self', source: '192.0.2.10', wasLockedUntil: '2025-06-03T08:59:00.000Z' } }),
    ]);
  });
});
