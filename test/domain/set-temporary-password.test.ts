// Use-case tests of a master setting a temporary password (functions/use-cases/set-temporary-password.ts).
import { setTemporaryPassword } from '../../functions/use-cases/set-temporary-password';
import { OTHER_COMPANY, actorFor, adminRecord, failureOf, fakeDependencies } from './fakes';

const TEMPORARY = 'blue kettle under a tall bridge';

function prepare() {
  const deps = fakeDependencies();
  const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  const target = deps.directory.put(adminRecord({ email: 'grace.hopper@acme.example', name: 'Grace Hopper', sessionEpoch: 2 }));
  return { deps, master, target, actor: actorFor(master) };
}

describe('when a master sets another admin’s temporary password', () => {
  it('stores it as temporary, with its expiry, and revokes the admin’s sessions', async () => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    await setTemporaryPassword(actor, target.adminId, TEMPORARY, deps);

    // Assess
    const stored = await deps.directory.getAdmin(target.companyId, target.adminId);
    expect(stored).toMatchObject({ passwordKind: 'temporary', temporaryPasswordExpiresAt: '2025-06-09T09:00:00.000Z', sessionEpoch: 3 });
    expect(await deps.hasher.verify(TEMPORARY, stored?.password)).toBe(true);
  });
});

describe('when the master targets his own account', () => {
  it('refuses with OWN_ACCOUNT and changes nothing', async () => {
    // Prepare
    const { deps, master, actor } = prepare();

    // Act
    const error = await failureOf(setTemporaryPassword(actor, master.adminId, TEMPORARY, deps));

    // Assess
    expect(error.code).toBe('OWN_ACCOUNT');
    expect(error.message).toContain('/me/password');
    expect(deps.directory.passwordWrites).toHaveLength(0);
  });
});

describe('when the target belongs to another company', () => {
  it('answers ADMIN_NOT_FOUND, as for an id that does not exist', async () => {
    // Prepare
    const { deps, actor } = prepare();
    const foreign = deps.directory.put(adminRecord({ companyId: OTHER_COMPANY, email: 'x@globex.example' }));

    // Act
    const foreignError = await failureOf(setTemporaryPassword(actor, foreign.adminId, TEMPORARY, deps));
    const missingError = await failureOf(setTemporaryPassword(actor, '01JX9999999999999999999999', TEMPORARY, deps));

    // Assess
    expect(foreignError.code).toBe('ADMIN_NOT_FOUND');
    expect(foreignError.message).toBe(missingError.message);
    expect((await deps.directory.getAdmin(OTHER_COMPANY, foreign.adminId))?.password).toBeUndefined();
  });
});

describe('when the temporary password breaks the policy', () => {
  it('lists every broken rule on the temporaryPassword field, judged against the target’s own name', async () => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    const error = await failureOf(setTemporaryPassword(actor, target.adminId, 'hopper', deps));

    // Assess
    expect(error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(error.details).toEqual([
      expect.objectContaining({ code: 'TOO_SHORT', field: 'temporaryPassword' }),
      // "hopper" is also on the common-password list
      expect.objectContaining({ code: 'COMMON_PASSWORD', field: 'temporaryPassword' }),
      expect.objectContaining({ code: 'CONTAINS_PERSONAL_INFO', field: 'temporaryPassword' }),
      expect.objectContaining({ code: 'TOO_GUESSABLE', field: 'temporaryPassword' }),
    ]);
    expect(deps.directory.passwordWrites).toHaveLength(0);
  });
});
