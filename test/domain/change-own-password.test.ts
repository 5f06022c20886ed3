// Use-case tests of changing one's own password (functions/use-cases/change-own-password.ts) with in-memory ports.
import { changeOwnPassword } from '../../functions/use-cases/change-own-password';
import { adminRecord, failureOf, fakeDependencies, signedInActor } from './fakes';

const CURRENT = 'correct horse battery staple';
const NEW = 'seven purple otters sing loudly';

async function prepare(overrides: Parameters<typeof adminRecord>[0] = {}) {
  const deps = fakeDependencies();
  const admin = deps.directory.put(adminRecord({ password: await deps.hasher.hash(CURRENT), ...overrides }));
  return { deps, admin, actor: await signedInActor(deps, admin) };
}

describe('when a permitted admin gives the right current password and an acceptable new one', () => {
  it('stores the new password and revokes every other session, keeping the caller’s', async () => {
    // Prepare
    const { deps, admin, actor } = await prepare();

    // Act
    await changeOwnPassword(actor, { currentPassword: CURRENT, newPassword: NEW }, deps);

    // Assess
    const stored = await deps.directory.getAdmin(admin.companyId, admin.adminId);
    expect(await deps.hasher.verify(NEW, stored?.password)).toBe(true);
    expect(deps.directory.passwordWrites).toEqual([
      expect.objectContaining({
        after: expect.objectContaining({ passwordKind: 'permanent', sessionEpoch: admin.sessionEpoch + 1, passwordChangedAt: '2025-06-02T09:00:00.000Z' }),
        parts: { keepSession: actor.sessionHash, restartAttempts: true },
      }),
    ]);
  });

  it('lets a master change it without the explicit grant', async () => {
    // Prepare
    const { deps, actor } = await prepare({ role: 'master', canChangeOwnPassword: false });

    // Act
    await changeOwnPassword(actor, { currentPassword: CURRENT, newPassword: NEW }, deps);

    // Assess
    expect(deps.directory.passwordWrites).toHaveLength(1);
  });
});

describe('when a general admin has not been granted the right', () => {
  it('refuses with CHANGE_OWN_PASSWORD_NOT_PERMITTED, pointing to the master administrator', async () => {
    // Prepare
    const { deps, actor } = await prepare({ role: 'general', canChangeOwnPassword: false });

    // Act
    const error = await failureOf(changeOwnPassword(actor, { currentPassword: CURRENT, newPassword: NEW }, deps));

    // Assess
    expect(error.code).toBe('CHANGE_OWN_PASSWORD_NOT_PERMITTED');
    expect(error.message).toMatch(/master administrator/);
    expect(deps.directory.passwordWrites).toHaveLength(0);
  });

  it('refuses before looking at the passwords, so it is no oracle for the current one', async () => {
    // Prepare
    const { deps, actor } = await prepare({ role: 'general', canChangeOwnPassword: false });

    // Act
    const error = await failureOf(changeOwnPassword(actor, { currentPassword: 'wrong', newPassword: NEW }, deps));

    // Assess
    expect(error.code).toBe('CHANGE_OWN_PASSWORD_NOT_PERMITTED');
    expect(deps.directory.reservations).toHaveLength(0);
  });
});

describe('when the current password is wrong', () => {
  it('refuses with CURRENT_PASSWORD_INCORRECT on the currentPassword field', async () => {
    // Prepare
    const { deps, actor } = await prepare();

    // Act
    const error = await failureOf(changeOwnPassword(actor, { currentPassword: 'correct horse battery stapler', newPassword: NEW }, deps));

    // Assess
    expect(error.code).toBe('CURRENT_PASSWORD_INCORRECT');
    expect(error.details).toEqual([expect.objectContaining({ field: 'currentPassword', code: 'CURRENT_PASSWORD_INCORRECT' })]);
    expect(deps.directory.passwordWrites).toHaveLength(0);
  });

  it('records a failed attempt against the account', async () => {
    // Prepare
    const { deps, admin, actor } = await prepare();

    // Act
    await failureOf(changeOwnPassword(actor, { currentPassword: 'correct horse battery stapler', newPassword: NEW }, deps));

    // Assess
    expect(deps.directory.reservations).toEqual([{ companyId: admin.companyId, adminId: admin.adminId }]);
  });
});

describe('when the new password is not acceptable', () => {
  it('refuses the current password as the new one', async () => {
    // Prepare
    const { deps, actor } = await prepare();

    // Act
    const error = await failureOf(changeOwnPassword(actor, { currentPassword: CURRENT, newPassword: CURRENT }, deps));

    // Assess
    expect(error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(error.details?.map((detail) => detail.code)).toEqual(['SAME_AS_CURRENT']);
    expect(deps.directory.passwordWrites).toHaveLength(0);
  });

  it('refuses the current password typed in another Unicode form', async () => {
    // Prepare
    const current = 'mon café préféré du matin';
    const { deps, actor } = await prepare({ password: await fakeDependencies().hasher.hash(current) });

    // Act
    const error = await failureOf(changeOwnPassword(actor, { currentPassword: current, newPassword: current.normalize('NFD') }, deps));

    // Assess
    expect(error.details?.map((detail) => detail.code)).toEqual(['SAME_AS_CURRENT']);
  });

  it('lists every broken rule at once, each on the newPassword field', async () => {
    // Prepare
    const { deps, actor } = await prepare();

    // Act
    const error = await failureOf(changeOwnPassword(actor, { currentPassword: CURRENT, newPassword: 'Hopper!' }, deps));

    // Assess
    expect(error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(error.details).toEqual([
      expect.objectContaining({ code: 'TOO_SHORT', field: 'newPassword' }),
      expect.objectContaining({ code: 'CONTAINS_PERSONAL_INFO', field: 'newPassword' }),
      expect.objectContaining({ code: 'TOO_GUESSABLE', field: 'newPassword' }),
    ]);
    expect(deps.directory.passwordWrites).toHaveLength(0);
  });
});

describe('when another request changed the password meanwhile', () => {
  it('refuses with CONCURRENT_CHANGE instead of overwriting it', async () => {
    // Prepare: the actor holds the record as read before another write bumped the version
    const { deps, admin, actor } = await prepare();
    deps.directory.put({ ...admin, passwordVersion: admin.passwordVersion + 1 });

    // Act
    const error = await failureOf(changeOwnPassword(actor, { currentPassword: CURRENT, newPassword: NEW }, deps));

    // Assess
    expect(error.code).toBe('CONCURRENT_CHANGE');
  });
});
