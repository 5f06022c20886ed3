// Use-case tests of the seed's "Company settings > Password policy settings" (functions/use-cases/
// company-password-policy.ts): the operator's feature gate, the operator-only setting, the audit record, and a
// change that applies only when a password is next set.
import { getCompanyPasswordPolicy, updateCompanyPasswordPolicy } from '../../functions/use-cases/company-password-policy';
import { changeOwnPassword } from '../../functions/use-cases/change-own-password';
import { signIn } from '../../functions/use-cases/sign-in';
import {
  COMPANY,
  ORIGIN,
  adminRecord,
  companyRecord,
  failureOf,
  fakeDependencies,
  policySettings,
  signedInActor,
  useCompanyPolicy,
} from './fakes';

async function prepare(options: { feature: boolean; role?: 'master' | 'general' }) {
  const deps = fakeDependencies();
  deps.directory.putCompany(companyRecord({ features: options.feature ? ['password-policy'] : [] }));
  const caller = deps.directory.put(adminRecord({ role: options.role ?? 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  return { deps, caller, actor: await signedInActor(deps, caller) };
}

describe('when the operator has not enabled the password policy feature', () => {
  it('refuses a change with FEATURE_NOT_ENABLED, pointing to the inquiry form, and saves nothing', async () => {
    // Prepare
    const { deps, actor } = await prepare({ feature: false });

    // Act
    const error = await failureOf(updateCompanyPasswordPolicy(actor, policySettings({ minLength: 20 }), deps));

    // Assess
    expect(error.code).toBe('FEATURE_NOT_ENABLED');
    expect(error.message).toMatch(/inquiry form/);
    expect((await deps.directory.getCompany(COMPANY))?.passwordPolicy).toBeUndefined();
    expect(deps.auditLog.events).toHaveLength(0);
  });

  it('shows a master the policy in force, not editable', async () => {
    // Prepare
    const { deps, actor } = await prepare({ feature: false });

    // Act
    const view = await getCompanyPasswordPolicy(actor, deps);

    // Assess
    expect(view).toMatchObject({ editable: false, policy: { minLength: 15, maxLength: 128, blockCommonPasswords: true } });
    expect(view.rules.map((rule) => rule.code)).toContain('TOO_SHORT');
  });
});

describe('when the operator has enabled the feature', () => {
  it('saves the master’s settings and answers the policy now in force with its rules', async () => {
    // Prepare
    const { deps, actor } = await prepare({ feature: true });
    const settings = policySettings({ minLength: 20, requireDigit: true, historyCount: 5 });

    // Act
    const view = await updateCompanyPasswordPolicy(actor, settings, deps);

    // Assess
    expect((await deps.directory.getCompany(COMPANY))?.passwordPolicy).toEqual(settings);
    expect(view).toMatchObject({ editable: true, policy: { ...settings, maxLength: 128 } });
    expect(view.rules.map((rule) => rule.code)).toEqual(expect.arrayContaining(['TOO_SHORT', 'MISSING_DIGIT', 'REUSED']));
  });

  it('records PASSWORD_POLICY_CHANGED with each changed setting from and to, by whom and from where', async () => {
    // Prepare
    const { deps, caller, actor } = await prepare({ feature: true });

    // Act
    await updateCompanyPasswordPolicy(actor, policySettings({ minLength: 20, requireDigit: true }), deps);

    // Assess
    expect(deps.auditLog.events).toEqual([
      expect.objectContaining({
        type: 'PASSWORD_POLICY_CHANGED',
        companyId: COMPANY,
        outcome: 'success',
        actorAdminId: caller.adminId,
        targetAdminId: null,
        sourceIp: ORIGIN.sourceIp,
        userAgent: ORIGIN.userAgent,
        at: '2025-06-02T09:00:00.000Z',
        details: { minLengthFrom: 15, minLengthTo: 20, requireDigitFrom: false, requireDigitTo: true },
      }),
    ]);
  });

  it('refuses to switch off the common-password check with OPERATOR_SETTING on that field, and saves nothing', async () => {
    // Prepare
    const { deps, actor } = await prepare({ feature: true });

    // Act
    const error = await failureOf(updateCompanyPasswordPolicy(actor, policySettings({ minLength: 20, blockCommonPasswords: false }), deps));

    // Assess
    expect(error.code).toBe('OPERATOR_SETTING');
    expect(error.details).toEqual([expect.objectContaining({ field: 'blockCommonPasswords', code: 'OPERATOR_SETTING' })]);
    expect((await deps.directory.getCompany(COMPANY))?.passwordPolicy).toBeUndefined();
    expect(deps.auditLog.events).toHaveLength(0);
  });

  it('lets the master keep the check off once the operator has switched it off', async () => {
    // Prepare
    const { deps, actor } = await prepare({ feature: true });
    useCompanyPolicy(deps, { blockCommonPasswords: false }, ['password-policy']);

    // Act
    await updateCompanyPasswordPolicy(actor, policySettings({ minLength: 20, blockCommonPasswords: false }), deps);

    // Assess
    expect((await deps.directory.getCompany(COMPANY))?.passwordPolicy).toMatchObject({ minLength: 20, blockCommonPasswords: false });
  });
});

describe('when the policy is read for the settings screen', () => {
  it.each([
    ['a master, with the feature', 'master', true, true],
    ['a master, without the feature', 'master', false, false],
    ['a general admin, with the feature', 'general', true, false],
    ['a general admin, without the feature', 'general', false, false],
  ] as const)('makes it editable only for a master with the feature: %s', async (_who, role, feature, editable) => {
    // Prepare
    const { deps, actor } = await prepare({ feature, role });

    // Act
    const view = await getCompanyPasswordPolicy(actor, deps);

    // Assess
    expect(view.editable).toBe(editable);
  });

  it('shows a policy saved before the operator switched the feature off again, still in force', async () => {
    // Prepare
    const { deps, actor } = await prepare({ feature: false });
    useCompanyPolicy(deps, { minLength: 24 }, []);

    // Act
    const view = await getCompanyPasswordPolicy(actor, deps);

    // Assess
    expect(view).toMatchObject({ editable: false, policy: { minLength: 24 } });
  });
});

describe('when a master tightens the policy', () => {
  const OLD = 'fifteen chars!!';
  const WITH_DIGITS = 'twenty-one chars 4 u!';

  async function tightened() {
    const prepared = await prepare({ feature: true });
    const admin = prepared.deps.directory.put(adminRecord({ password: await prepared.deps.hasher.hash(OLD) }));
    await updateCompanyPasswordPolicy(prepared.actor, policySettings({ minLength: 20, requireDigit: true }), prepared.deps);
    return { ...prepared, admin };
  }

  it('lets an existing password that breaks the new rules still sign in to a session', async () => {
    // Prepare
    const { deps, admin } = await tightened();

    // Act
    const answer = await signIn({ companyId: COMPANY, email: admin.email, password: OLD }, ORIGIN, deps);

    // Assess
    expect(answer).toHaveProperty('sessionToken');
  });

  it('applies the new rules when that password is next set, listing every one it breaks', async () => {
    // Prepare
    const { deps, admin } = await tightened();
    const actor = await signedInActor(deps, admin);

    // Act
    const refused = await failureOf(changeOwnPassword(actor, { currentPassword: OLD, newPassword: 'sixteen chars!!!' }, deps));
    await changeOwnPassword(actor, { currentPassword: OLD, newPassword: WITH_DIGITS }, deps);

    // Assess
    expect(refused.details?.map((detail) => detail.code)).toEqual(['TOO_SHORT', 'MISSING_DIGIT']);
    expect(await deps.hasher.verify(WITH_DIGITS, (await deps.directory.getAdmin(COMPANY, admin.adminId))?.password)).toBe(true);
  });
});
