// End to end over HTTP against the local API (real handlers, DynamoDB Local): the procedures of the help article.
import { SessionGrant, NewPasswordChallenge, Admin, AdminList } from '../../functions/contract/schemas';
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { provisionTestCompany, type ProvisionedCompany } from '../support/companies';
import { MASTER_PASSWORD, createGeneralAdmin, signIn, signInMaster, signInReplacingTemporary } from '../support/scenario';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

describe('when the master signs in with the temporary password the operator gave him', () => {
  let company: ProvisionedCompany;
  beforeEach(async () => {
    company = await provisionTestCompany(directory);
  });

  it('answers the new-password challenge with the policy instead of a session', async () => {
    const response = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });

    expect(response.status).toBe(200);
    expect(NewPasswordChallenge.parse(response.body)).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED', reason: 'TEMPORARY_PASSWORD' });
    expect(response.body.passwordPolicy.rules.map((rule: { code: string }) => rule.code)).toContain('TOO_SHORT');
    expect(response.body.sessionToken).toBeUndefined();
  });

  it('gives a session once he sets a new password, and the temporary one stops working', async () => {
    const session = await signInMaster(api, company);

    const me = await api.request('GET', '/me', { token: session.token });
    const withTemporary = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });
    const withNew = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: company.masterEmail, password: MASTER_PASSWORD } });

    expect(Admin.parse(me.body)).toMatchObject({ role: 'master', canChangeOwnPassword: true, email: company.masterEmail });
    expect(withTemporary.status).toBe(401);
    expect(SessionGrant.parse(withNew.body).admin.adminId).toBe(session.adminId);
  });

  it('refuses a new password that breaks the policy, listing every broken rule', async () => {
    const challenge = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });

    const response = await api.request('POST', '/sign-in/new-password', { body: { challengeToken: challenge.body.challengeToken, newPassword: 'master' } });

    expect(response.status).toBe(422);
    expect(response.body.error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(response.body.error.details.map((detail: { code: string }) => detail.code).sort()).toEqual(['COMMON_PASSWORD', 'CONTAINS_PERSONAL_INFO', 'TOO_GUESSABLE', 'TOO_SHORT']);
  });

  it('refuses keeping the temporary password as the new one', async () => {
    const challenge = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });

    const response = await api.request('POST', '/sign-in/new-password', {
      body: { challengeToken: challenge.body.challengeToken, newPassword: company.masterTemporaryPassword },
    });

    expect(response.status).toBe(422);
    expect(response.body.error.details.map((detail: { code: string }) => detail.code)).toEqual(['SAME_AS_CURRENT']);
  });

  it('accepts the challenge token once: the second use is refused', async () => {
    const challenge = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });
    const answer = { challengeToken: challenge.body.challengeToken, newPassword: MASTER_PASSWORD };

    const first = await api.request('POST', '/sign-in/new-password', { body: answer });
    const second = await api.request('POST', '/sign-in/new-password', { body: { ...answer, newPassword: 'another long passphrase here' } });

    expect(first.status).toBe(200);
    expect(second.status).toBe(401);
    expect(second.body.error.code).toBe('CHALLENGE_INVALID');
  });

  it('lets exactly one of ten parallel answers to the same challenge succeed', async () => {
    const challenge = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });

    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) =>
        api.request('POST', '/sign-in/new-password', { body: { challengeToken: challenge.body.challengeToken, newPassword: `parallel passphrase number ${index}` } }),
      ),
    );

    expect(answers.filter((answer) => answer.status === 200)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status === 401)).toHaveLength(9);
  });

  it('does not accept the challenge token as a session anywhere else', async () => {
    const challenge = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword },
    });

    const me = await api.request('GET', '/me', { token: challenge.body.challengeToken });

    expect(me.status).toBe(401);
    expect(me.body.error.code).toBe('UNAUTHENTICATED');
  });
});

describe('when a general administrator wants to change his own password (the pre-setting)', () => {
  it('is refused with 403 until the master grants the permission, then succeeds and the old password fails', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
    const firstPassword = 'first long passphrase here';
    const generalSession = await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, firstPassword);
    const change = { currentPassword: firstPassword, newPassword: 'second long passphrase here' };

    const refused = await api.request('PUT', '/me/password', { token: generalSession.token, body: change });
    const fetched = await api.request('GET', `/admins/${general.adminId}`, { token: master.token });
    const granted = await api.request('PATCH', `/admins/${general.adminId}`, {
      token: master.token,
      headers: { 'if-match': fetched.headers.get('etag')! },
      body: { canChangeOwnPassword: true },
    });
    const me = await api.request('GET', '/me', { token: generalSession.token });
    const changed = await api.request('PUT', '/me/password', { token: generalSession.token, body: change });
    const oldPassword = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: firstPassword } });
    const newPassword = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: change.newPassword } });

    expect(refused.status).toBe(403);
    expect(refused.body.error.code).toBe('CHANGE_OWN_PASSWORD_NOT_PERMITTED');
    expect(refused.body.error.message).toMatch(/master administrator/);
    expect(granted.status).toBe(200);
    expect(granted.body.canChangeOwnPassword).toBe(true);
    expect(me.body.canChangeOwnPassword).toBe(true);
    expect(changed.status).toBe(204);
    expect(oldPassword.status).toBe(401);
    expect(newPassword.status).toBe(200);
  });

  it('keeps the current session but ends every other one when the password changes', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const otherDevice = await signIn(api, company.companyId, company.masterEmail, MASTER_PASSWORD);

    const changed = await api.request('PUT', '/me/password', {
      token: master.token,
      body: { currentPassword: MASTER_PASSWORD, newPassword: 'a freshly picked new passphrase' },
    });
    const current = await api.request('GET', '/me', { token: master.token });
    const other = await api.request('GET', '/me', { token: otherDevice.token });

    expect(changed.status).toBe(204);
    expect(current.status).toBe(200);
    expect(other.status).toBe(401);
  });

  it('answers a wrong current password with 400 and counts it as a failed attempt', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);

    const response = await api.request('PUT', '/me/password', {
      token: master.token,
      body: { currentPassword: 'not the current password', newPassword: 'a freshly picked new passphrase' },
    });
    const stored = await directory.admins.get(company.companyId, master.adminId);

    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('CURRENT_PASSWORD_INCORRECT');
    expect(stored?.failedSignIns).toBe(1);
  });
});

describe("when the master sets an administrator's temporary password (the seed's Change Password)", () => {
  it("ends the admin's sessions and makes his next sign-in ask for a new password", async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `tpw@${company.companyId}.example`);
    const generalSession = await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, 'he chose this passphrase');
    const temporaryPassword = 'typed in as a temporary one';

    const set = await api.request('PUT', `/admins/${general.adminId}/temporary-password`, { token: master.token, body: { temporaryPassword } });
    const oldSession = await api.request('GET', '/me', { token: generalSession.token });
    const oldPassword = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: 'he chose this passphrase' } });
    const next = await signInReplacingTemporary(api, company.companyId, general.email, temporaryPassword, 'he replaced the temporary');

    expect(set.status).toBe(204);
    expect(oldSession.status).toBe(401);
    expect(oldPassword.status).toBe(401);
    expect(next.adminId).toBe(general.adminId);
  });

  it('refuses a temporary password that breaks the policy', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `weak@${company.companyId}.example`);

    const response = await api.request('PUT', `/admins/${general.adminId}/temporary-password`, { token: master.token, body: { temporaryPassword: 'short' } });

    expect(response.status).toBe(422);
    expect(response.body.error.details[0]).toMatchObject({ code: 'TOO_SHORT', field: 'temporaryPassword' });
  });

  it('refuses a general administrator with 403', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `nope@${company.companyId}.example`);
    const generalSession = await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, 'he chose this passphrase');

    const response = await api.request('PUT', `/admins/${master.adminId}/temporary-password`, {
      token: generalSession.token,
      body: { temporaryPassword: 'an attempt at a takeover' },
    });

    expect(response.status).toBe(403);
    expect(response.body.error.code).toBe('FORBIDDEN');
  });
});

describe('when a master manages the administrators of his company', () => {
  it('lists them a page at a time, each once, oldest first', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    for (const name of ['a', 'b', 'c', 'd']) await createGeneralAdmin(api, master, `${name}-list@${company.companyId}.example`);

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: Awaited<ReturnType<ApiClient['request']>> = await api.request('GET', `/admins?limit=2${cursor ? `&cursor=${cursor}` : ''}`, { token: master.token });
      const parsed = AdminList.parse(page.body);
      seen.push(...parsed.items.map((item) => item.email));
      cursor = parsed.nextCursor;
    } while (cursor !== null);

    expect(seen).toEqual([company.masterEmail, ...['a', 'b', 'c', 'd'].map((name) => `${name}-list@${company.companyId}.example`)]);
  });

  it("cannot see or touch another company's administrators: they are not found", async () => {
    const companyA = await provisionTestCompany(directory);
    const companyB = await provisionTestCompany(directory);
    const masterA = await signInMaster(api, companyA);
    const masterB = await signInMaster(api, companyB);

    const read = await api.request('GET', `/admins/${masterA.adminId}`, { token: masterB.token });
    const patch = await api.request('PATCH', `/admins/${masterA.adminId}`, { token: masterB.token, headers: { 'if-match': '"1"' }, body: { name: 'Hijacked' } });
    const temporary = await api.request('PUT', `/admins/${masterA.adminId}/temporary-password`, { token: masterB.token, body: { temporaryPassword: 'an attempt at a takeover' } });
    const disable = await api.request('DELETE', `/admins/${masterA.adminId}`, { token: masterB.token });
    const list = await api.request('GET', '/admins', { token: masterB.token });

    expect([read.status, patch.status, temporary.status, disable.status]).toEqual([404, 404, 404, 404]);
    expect(list.body.items.map((item: { companyId: string }) => item.companyId)).toEqual([companyB.companyId]);
    expect((await directory.admins.get(companyA.companyId, masterA.adminId))?.name).toBe('Mia Master');
  });

  it('refuses an edit without If-Match (428) and an edit of a stale version (412)', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `etag@${company.companyId}.example`);
    const fetched = await api.request('GET', `/admins/${general.adminId}`, { token: master.token });
    const etag = fetched.headers.get('etag')!;

    const withoutEtag = await api.request('PATCH', `/admins/${general.adminId}`, { token: master.token, body: { name: 'No Etag' } });
    const first = await api.request('PATCH', `/admins/${general.adminId}`, { token: master.token, headers: { 'if-match': etag }, body: { name: 'First Edit' } });
    const stale = await api.request('PATCH', `/admins/${general.adminId}`, { token: master.token, headers: { 'if-match': etag }, body: { name: 'Stale Edit' } });

    expect(withoutEtag.status).toBe(428);
    expect(first.status).toBe(200);
    expect(first.headers.get('etag')).not.toBe(etag);
    expect(stale.status).toBe(412);
    expect((await directory.admins.get(company.companyId, general.adminId))?.name).toBe('First Edit');
  });

  it('refuses an email address another administrator of the company already uses', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `first@${company.companyId}.example`);
    const etag = (await api.request('GET', `/admins/${general.adminId}`, { token: master.token })).headers.get('etag')!;

    const duplicateCreate = await api.request('POST', '/admins', {
      token: master.token,
      body: { email: company.masterEmail.toUpperCase(), name: 'Dup', temporaryPassword: 'a fine temporary passphrase' },
    });
    const duplicateEdit = await api.request('PATCH', `/admins/${general.adminId}`, { token: master.token, headers: { 'if-match': etag }, body: { email: company.masterEmail } });

    expect(duplicateCreate.status).toBe(409);
    expect(duplicateCreate.body.error.code).toBe('EMAIL_TAKEN');
    expect(duplicateEdit.status).toBe(409);
    expect(duplicateEdit.body.error.code).toBe('EMAIL_TAKEN');
  });

  it('moves the email: the new address signs in and the old one is free again', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `old@${company.companyId}.example`);
    const etag = (await api.request('GET', `/admins/${general.adminId}`, { token: master.token })).headers.get('etag')!;

    const moved = await api.request('PATCH', `/admins/${general.adminId}`, { token: master.token, headers: { 'if-match': etag }, body: { email: `new@${company.companyId}.example` } });
    const viaNew = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: `new@${company.companyId}.example`, password: general.temporaryPassword } });
    const reuseOld = await createGeneralAdmin(api, master, `old@${company.companyId}.example`);

    expect(moved.status).toBe(200);
    expect(viaNew.body.challenge).toBe('NEW_PASSWORD_REQUIRED');
    expect(reuseOld.adminId).not.toBe(general.adminId);
  });

  it('never leaves the company without an active master', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const etag = (await api.request('GET', `/admins/${master.adminId}`, { token: master.token })).headers.get('etag')!;

    const demote = await api.request('PATCH', `/admins/${master.adminId}`, { token: master.token, headers: { 'if-match': etag }, body: { role: 'general' } });
    const disable = await api.request('DELETE', `/admins/${master.adminId}`, { token: master.token });

    expect(demote.status).toBe(409);
    expect(demote.body.error.code).toBe('LAST_MASTER');
    expect(disable.status).toBe(409);
    expect(disable.body.error.code).toBe('LAST_MASTER');
  });

  it('disables an administrator: his session ends and he can no longer sign in', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `gone@${company.companyId}.example`);
    const generalSession = await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, 'he chose this passphrase');

    const disabled = await api.request('DELETE', `/admins/${general.adminId}`, { token: master.token });
    const session = await api.request('GET', '/me', { token: generalSession.token });
    const again = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: 'he chose this passphrase' } });
    const shown = await api.request('GET', `/admins/${general.adminId}`, { token: master.token });

    expect(disabled.status).toBe(204);
    expect(session.status).toBe(401);
    expect(again.status).toBe(401);
    expect(shown.body.status).toBe('disabled');
  });

  it('demoting a master to general takes his master rights away on his very next request', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const second = await createGeneralAdmin(api, master, `second@${company.companyId}.example`, { role: 'master' });
    const secondSession = await signInReplacingTemporary(api, company.companyId, second.email, second.temporaryPassword, 'another boss passphrase');
    const etag = (await api.request('GET', `/admins/${second.adminId}`, { token: master.token })).headers.get('etag')!;

    const demoted = await api.request('PATCH', `/admins/${second.adminId}`, { token: master.token, headers: { 'if-match': etag }, body: { role: 'general' } });
    const list = await api.request('GET', '/admins', { token: secondSession.token });

    expect(demoted.status).toBe(200);
    expect(list.status).toBe(403);
  });
});

describe('when a session is signed out', () => {
  it('no longer authenticates anything', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);

    const signedOut = await api.request('POST', '/sign-out', { token: master.token });
    const me = await api.request('GET', '/me', { token: master.token });

    expect(signedOut.status).toBe(204);
    expect(me.status).toBe(401);
  });
});
