// Use-case tests of the password history (historyCount) through the own change, with the real hasher at the test
// cost behind the fakes: the last N passwords are refused with REUSED, older ones are allowed again.
import type { AdminRecord } from '../../functions/domain/admin';
import { changeOwnPassword } from '../../functions/use-cases/change-own-password';
import { COMPANY, adminRecord, failureOf, fakeDependencies, signedInActor, useCompanyPolicy, type FakeDependencies } from './fakes';

const INITIAL = 'the initial passphrase of the account';
/** The 1st to the 25th password the admin changes to. */
const PASSWORDS = Array.from({ length: 25 }, (_, index) => `changed passphrase number ${String(index + 1).padStart(2, '0')}`);

async function prepare(historyCount: number) {
  const deps = fakeDependencies();
  useCompanyPolicy(deps, { historyCount });
  const admin = deps.directory.put(
    adminRecord({ password: await deps.hasher.hash(INITIAL), historyEntry: await deps.hasher.hashForHistory(INITIAL) }),
  );
  const actor = await signedInActor(deps, admin);
  let current = INITIAL;
  /** Changes from the current password to the next, as the admin would: his session, his record as read now. */
  const changeTo = async (newPassword: string) => {
    const stored = (await deps.directory.getAdmin(COMPANY, admin.adminId)) as AdminRecord;
    await changeOwnPassword({ ...actor, admin: stored }, { currentPassword: current, newPassword }, deps);
    current = newPassword;
  };
  return { deps, admin, changeTo };
}

const codesOf = async (attempt: Promise<unknown>) => (await failureOf(attempt)).details?.map((detail) => detail.code);

async function storedAdmin(deps: FakeDependencies, adminId: string): Promise<AdminRecord> {
  return (await deps.directory.getAdmin(COMPANY, adminId)) as AdminRecord;
}

describe('when the policy keeps 24 previous passwords', () => {
  it('refuses the 2nd to the 25th of 25 changes with REUSED, and the current one also as SAME_AS_CURRENT', async () => {
    // Prepare
    const { deps, admin, changeTo } = await prepare(24);
    for (const password of PASSWORDS) await changeTo(password);

    // Act
    const verdicts = [];
    for (const password of PASSWORDS.slice(1)) verdicts.push(await codesOf(changeTo(password)));

    // Assess
    expect(verdicts.slice(0, 23)).toEqual(Array.from({ length: 23 }, () => ['REUSED']));
    expect(verdicts[23]).toEqual(['REUSED', 'SAME_AS_CURRENT']);
    const stored = await storedAdmin(deps, admin.adminId);
    expect(stored.passwordHistory).toHaveLength(24);
    expect(await deps.hasher.verify(PASSWORDS[24]!, stored.password)).toBe(true);
  });

  it('allows the 1st of 25 changes again, 25 changes later', async () => {
    // Prepare
    const { deps, admin, changeTo } = await prepare(24);
    for (const password of PASSWORDS) await changeTo(password);

    // Act
    await changeTo(PASSWORDS[0]!);

    // Assess
    expect(await deps.hasher.verify(PASSWORDS[0]!, (await storedAdmin(deps, admin.adminId)).password)).toBe(true);
  });

  it('refuses the initial password after fewer than 24 changes', async () => {
    // Prepare
    const { changeTo } = await prepare(24);
    for (const password of PASSWORDS.slice(0, 23)) await changeTo(password);

    // Act
    const codes = await codesOf(changeTo(INITIAL));

    // Assess
    expect(codes).toEqual(['REUSED']);
  });

  it('stores each new password’s history form beside it, never the password itself', async () => {
    // Prepare
    const { deps, admin, changeTo } = await prepare(24);

    // Act
    await changeTo(PASSWORDS[0]!);

    // Assess
    const stored = await storedAdmin(deps, admin.adminId);
    expect(await deps.hasher.verify(PASSWORDS[0]!, stored.historyEntry)).toBe(true);
    expect(await deps.hasher.verify(INITIAL, stored.passwordHistory[0])).toBe(true);
    expect(JSON.stringify(stored)).not.toContain(PASSWORDS[0]);
  });
});

describe('when the policy keeps a shorter history', () => {
  it('with historyCount 3, refuses the 2nd of 4 changes and allows the 1st back', async () => {
    // Prepare: the 4th is current, so the 2nd, 3rd and 4th are the last three
    const { deps, admin, changeTo } = await prepare(3);
    for (const password of PASSWORDS.slice(0, 4)) await changeTo(password);

    // Act
    const second = await codesOf(changeTo(PASSWORDS[1]!));
    await changeTo(PASSWORDS[0]!);

    // Assess
    expect(second).toEqual(['REUSED']);
    expect(await deps.hasher.verify(PASSWORDS[0]!, (await storedAdmin(deps, admin.adminId)).password)).toBe(true);
  });
});

describe('when the policy keeps no history (historyCount 0)', () => {
  it('allows going back to the previous password', async () => {
    // Prepare
    const { deps, admin, changeTo } = await prepare(0);
    await changeTo(PASSWORDS[0]!);
    await changeTo(PASSWORDS[1]!);

    // Act
    await changeTo(PASSWORDS[0]!);

    // Assess
    expect(await deps.hasher.verify(PASSWORDS[0]!, (await storedAdmin(deps, admin.adminId)).password)).toBe(true);
  });

  it('still refuses the current password itself as SAME_AS_CURRENT, without REUSED', async () => {
    // Prepare
    const { changeTo } = await prepare(0);
    await changeTo(PASSWORDS[0]!);

    // Act
    const codes = await codesOf(changeTo(PASSWORDS[0]!));

    // Assess
    expect(codes).toEqual(['SAME_AS_CURRENT']);
  });

  it('keeps the history anyway, so raising historyCount takes effect at once', async () => {
    // Prepare
    const { deps, changeTo } = await prepare(0);
    await changeTo(PASSWORDS[0]!);
    await changeTo(PASSWORDS[1]!);
    useCompanyPolicy(deps, { historyCount: 5 });

    // Act
    const codes = await codesOf(changeTo(PASSWORDS[0]!));

    // Assess
    expect(codes).toEqual(['REUSED']);
  });
});
