// End to end over HTTP: the company password policy (feature-gated), account lockout and the audit trail, as the
// issue's "done when" walks through them.
import { AuditEventList, CompanyPasswordPolicy } from '../../functions/contract/schemas';
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { enablePasswordPolicySettings, provisionTestCompany } from '../support/companies';
import { MASTER_PASSWORD, createGeneralAdmin, signInMaster, signInReplacingTemporary } from '../support/scenario';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

const DEFAULTS = {
  minLength: 15,
  requireUppercase: false,
  requireLowercase: false,
  requireDigit: false,
  requireSymbol: false,
  blockCommonPasswords: true,
  blockPersonalInfo: true,
  minGuessScore: 3,
  historyCount: 0,
  maxAgeDays: 0,
  lockoutThreshold: 10,
  lockoutMinutes: 15,
  temporaryPasswordValidityDays: 7,
};

/** What the operator's enable-feature does (the ops commands have their own tests). */
const enableFeature = (companyId: string) => enablePasswordPolicySettings(directory, companyId);

async function companyWithGeneral(canChangeOwnPassword = true) {
  const company = await provisionTestCompany(directory);
  const master = await signInMaster(api, company);
  const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`, { canChangeOwnPassword });
  const generalPassword = 'nothing fancy at all here';
  const session = await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, generalPassword);
  return { company, master, general, session, generalPassword };
}

describe('when the operator has not enabled the password policy settings', () => {
  it('shows the default policy as not editable and refuses a change, pointing to the inquiry form', async () => {
    const { master } = await companyWithGeneral();

    const shown = await api.request('GET', '/company/password-policy', { token: master.token });
    const change = await api.request('PUT', '/company/password-policy', { token: master.token, body: { ...DEFAULTS, minLength: 20 } });

    expect(CompanyPasswordPolicy.parse(shown.body)).toMatchObject({ editable: false, policy: { ...DEFAULTS, maxLength: 128 } });
    expect(change.status).toBe(403);
    expect(change.body.error.code).toBe('FEATURE_NOT_ENABLED');
    expect(change.body.error.message).toMatch(/inquiry form/);
  });
});

describe('when the operator enables the feature and the master tightens the policy', () => {
  it("refuses the admin's next change with every broken rule and shows the new rules", async () => {
    const { company, master, session, generalPassword } = await companyWithGeneral();
    await enableFeature(company.companyId);
    const tightened = { ...DEFAULTS, minLength: 20, requireUppercase: true, requireDigit: true, requireSymbol: true };

    const saved = await api.request('PUT', '/company/password-policy', { token: master.token, body: tightened });
    const seenByGeneral = await api.request('GET', '/company/password-policy', { token: session.token });
    const refused = await api.request('PUT', '/me/password', { token: session.token, body: { currentPassword: generalPassword, newPassword: 'lowercase only here' } });
    const accepted = await api.request('PUT', '/me/password', { token: session.token, body: { currentPassword: generalPassword, newPassword: 'Now Twenty+ Characters 4 Sure' } });

    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ editable: true, policy: { minLength: 20, requireUppercase: true } });
    expect(seenByGeneral.body.editable).toBe(false);
    expect(seenByGeneral.body.rules.map((rule: { code: string }) => rule.code)).toEqual(
      expect.arrayContaining(['TOO_SHORT', 'MISSING_UPPERCASE', 'MISSING_DIGIT', 'MISSING_SYMBOL']),
    );
    expect(refused.status).toBe(422);
    expect(refused.body.error.details.map((detail: { code: string }) => detail.code)).toEqual(['TOO_SHORT', 'MISSING_UPPERCASE', 'MISSING_DIGIT']);
    expect(accepted.status).toBe(204);
  });

  it('does not lock anyone out by itself: the old password still signs in under the tighter policy', async () => {
    const { company, master, general, generalPassword } = await companyWithGeneral();
    await enableFeature(company.companyId);

    await api.request('PUT', '/company/password-policy', { token: master.token, body: { ...DEFAULTS, minLength: 40 } });
    const signIn = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: generalPassword } });

    expect(signIn.status).toBe(200);
    expect(signIn.body.sessionToken).toBeDefined();
  });

  it('refuses to switch the common-password check off: only the operator may', async () => {
    const { company, master } = await companyWithGeneral();
    await enableFeature(company.companyId);

    const response = await api.request('PUT', '/company/password-policy', { token: master.token, body: { ...DEFAULTS, blockCommonPasswords: false } });

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('OPERATOR_SETTING');
  });
});

describe('when someone tries ten wrong passwords', () => {
  it('locks the account without saying so, until a master unlocks it', async () => {
    const { company, master, general, generalPassword } = await companyWithGeneral();
    const attempt = (password: string) => api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password } });
    const unknown = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: `nobody@${company.companyId}.example`, password: 'whatever it is here' } });

    const wrong = [];
    for (let index = 0; index < 10; index += 1) wrong.push(await attempt(`wrong guess number ${index}`));
    const rightWhileLocked = await attempt(generalPassword);
    const shown = await api.request('GET', `/admins/${general.adminId}`, { token: master.token });
    const unlocked = await api.request('POST', `/admins/${general.adminId}/unlock`, { token: master.token });
    const rightAfterUnlock = await attempt(generalPassword);

    expect(wrong.map((response) => response.status)).toEqual(Array(10).fill(401));
    expect(rightWhileLocked.status).toBe(401);
    expect(rightWhileLocked.text).toBe(unknown.text);
    expect(shown.body).toMatchObject({ locked: true, lockedUntil: expect.any(String) });
    expect(unlocked.status).toBe(204);
    expect(rightAfterUnlock.status).toBe(200);
  });
});

describe('when many wrong passwords arrive at once', () => {
  it('still locks the account: a burst of parallel guesses gains nothing', async () => {
    const { company, master, general, generalPassword } = await companyWithGeneral();

    await Promise.all(
      Array.from({ length: 25 }, (_, index) =>
        api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: `parallel guess ${index} here` } }),
      ),
    );
    const right = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: generalPassword } });
    const shown = await api.request('GET', `/admins/${general.adminId}`, { token: master.token });
    const locks = await api.request('GET', `/audit-events?adminId=${general.adminId}&limit=100`, { token: master.token });

    expect(right.status).toBe(401);
    expect(shown.body.locked).toBe(true);
    expect(locks.body.items.filter((event: { type: string }) => event.type === 'ACCOUNT_LOCKED')).toHaveLength(1);
  });
});

describe('when the master reads the audit trail', () => {
  it('finds every act, newest first, with actor, target, origin and no secret', async () => {
    const { company, master, general, generalPassword } = await companyWithGeneral();
    await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: 'a wrong guess at it' } });
    const etag = (await api.request('GET', `/admins/${general.adminId}`, { token: master.token })).headers.get('etag')!;
    await api.request('PATCH', `/admins/${general.adminId}`, { token: master.token, headers: { 'if-match': etag }, body: { canChangeOwnPassword: false } });
    await api.request('PUT', `/admins/${general.adminId}/temporary-password`, { token: master.token, body: { temporaryPassword: 'typed in by the boss' } });

    const all = await api.request('GET', '/audit-events?limit=100', { token: master.token, headers: { 'user-agent': 'audit-reader' } });
    const aboutGeneral = await api.request('GET', `/audit-events?adminId=${general.adminId}&limit=100`, { token: master.token });
    const types = AuditEventList.parse(all.body).items.map((event) => event.type);

    expect(types.slice(0, 3)).toEqual(['TEMPORARY_PASSWORD_SET', 'PERMISSION_REVOKED', 'SIGN_IN_FAILED']);
    expect(types).toEqual(expect.arrayContaining(['COMPANY_CREATED', 'ADMIN_CREATED', 'NEW_PASSWORD_SET', 'SIGN_IN_SUCCEEDED']));
    expect(aboutGeneral.body.items.every((event: { targetAdminId: string | null; actorAdminId: string | null }) => event.targetAdminId === general.adminId)).toBe(true);
    expect(all.body.items[0]).toMatchObject({ actorAdminId: master.adminId, targetAdminId: general.adminId, sourceIp: expect.any(String), outcome: 'success' });
    expect(all.text).not.toMatch(new RegExp([MASTER_PASSWORD, generalPassword, 'a wrong guess at it', 'typed in by the boss', master.token].join('|')));
  });

  it('is refused to a general administrator', async () => {
    const { session } = await companyWithGeneral();

    const response = await api.request('GET', '/audit-events', { token: session.token });

    expect(response.status).toBe(403);
  });

  it("never shows another company's events", async () => {
    const { master } = await companyWithGeneral();
    const other = await companyWithGeneral();

    const response = await api.request('GET', `/audit-events?adminId=${other.general.adminId}`, { token: master.token });

    expect(response.status).toBe(200);
    expect(response.body.items).toEqual([]);
  });
});
