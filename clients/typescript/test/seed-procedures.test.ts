// Tests of the typed client against the local stack (the real handlers, DynamoDB Local, the SES emulator): every
// procedure of the help article, driven only through the client, as a client app would. Every answer is also held
// to the OpenAPI document by the test server (test/support/api-client.ts).
import type { ApiClient } from '../../../test/support/api-client';
import { enablePasswordPolicySettings, provisionTestCompany, type ProvisionedCompany } from '../../../test/support/companies';
import { latestEmailTo, resetLinkOf } from '../../../test/support/inbox';
import { useLocalStack } from '../../../test/support/local-stack';
import { AdminpassError, createAdminpassClient, isAdminpassError, newIdempotencyKey, type AdminpassClient, type NewPasswordChallenge } from '../src/index';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

const MASTER_PASSWORD = 'correct horse battery staple';
const client = (): AdminpassClient => createAdminpassClient({ baseUrl: api.url });

/** The error a call threw, for assertions on it. */
async function refusal(call: Promise<unknown>): Promise<AdminpassError<string>> {
  try {
    await call;
  } catch (error) {
    if (error instanceof AdminpassError) return error;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** Signs in with a temporary password and answers the challenge; the client then holds the session. */
async function signInReplacing(as: AdminpassClient, companyId: string, email: string, temporary: string, chosen: string): Promise<void> {
  const first = await as.signIn({ companyId, email, password: temporary });
  expect(first).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED', reason: 'TEMPORARY_PASSWORD' });
  await as.answerNewPasswordChallenge({ challengeToken: (first as NewPasswordChallenge).challengeToken, newPassword: chosen });
}

async function signedInMaster(): Promise<{ company: ProvisionedCompany; master: AdminpassClient }> {
  const company = await provisionTestCompany(directory);
  const master = client();
  await signInReplacing(master, company.companyId, company.masterEmail, company.masterTemporaryPassword, MASTER_PASSWORD);
  return { company, master };
}

describe('when a client app drives the pre-setting and a change of one\'s own password', () => {
  it('is refused CHANGE_OWN_PASSWORD_NOT_PERMITTED until the master grants it with the ETag the client keeps', async () => {
    // Prepare
    const { company, master } = await signedInMaster();
    const gil = await master.createAdmin({ email: `gil@${company.companyId}.example`, name: 'Gil', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'first day passphrase' });
    const general = client();
    await signInReplacing(general, company.companyId, gil.email, 'first day passphrase', 'sunny meadow long passphrase');
    const change = { currentPassword: 'sunny meadow long passphrase', newPassword: 'quiet river second passphrase' };

    // Act
    const refused = await refusal(general.changeOwnPassword(change));
    await master.getAdmin(gil.adminId);
    const granted = await master.updateAdmin(gil.adminId, { canChangeOwnPassword: true });
    await general.changeOwnPassword(change);

    // Assess
    expect([refused.status, refused.code]).toEqual([403, 'CHANGE_OWN_PASSWORD_NOT_PERMITTED']);
    expect(granted.canChangeOwnPassword).toBe(true);
    expect(master.etagOf(gil.adminId)).toMatch(/^"\d+"$/);
    expect(await client().signIn({ companyId: company.companyId, email: gil.email, password: change.newPassword })).toHaveProperty('sessionToken');
  });

  it('sends back the administrator it read, edited, and is told 412 when someone changed him since', async () => {
    // Prepare
    const { company, master } = await signedInMaster();
    const other = client();
    other.useSession(master.sessionToken);
    const gil = await master.createAdmin({ email: `gil@${company.companyId}.example`, name: 'Gil', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'first day passphrase' });
    const read = await other.getAdmin(gil.adminId);

    // Act: the round trip (read, change one field, write back), then a write on a version that is no longer current.
    const renamed = await master.updateAdmin(gil.adminId, { ...gil, name: 'Gil Renamed' });
    const stale = await refusal(other.updateAdmin(gil.adminId, { ...read, name: 'Lost Update' }));

    // Assess
    expect(renamed).toMatchObject({ name: 'Gil Renamed', adminId: gil.adminId });
    expect([stale.status, stale.code]).toEqual([412, 'PRECONDITION_FAILED']);
    expect((await master.getAdmin(gil.adminId)).name).toBe('Gil Renamed');
  });
});

describe('when the master uses Change Password and Reset Password through the client', () => {
  it('sets a temporary password that the next sign-in must replace', async () => {
    // Prepare
    const { company, master } = await signedInMaster();
    const gil = await master.createAdmin({ email: `gil@${company.companyId}.example`, name: 'Gil', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'first day passphrase' });

    // Act
    await master.setTemporaryPassword(gil.adminId, 'master chose this one', { idempotencyKey: newIdempotencyKey() });
    const next = await client().signIn({ companyId: company.companyId, email: gil.email, password: 'master chose this one' });

    // Assess
    expect(next).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED', reason: 'TEMPORARY_PASSWORD' });
  });

  it('emails a link whose token the client verifies and completes, after which the new password signs in', async () => {
    // Prepare
    const { company, master } = await signedInMaster();
    const gil = await master.createAdmin({ email: `gil@${company.companyId}.example`, name: 'Gil', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'first day passphrase' });
    const typed = `gil.home@${company.companyId}.example`;

    // Act
    const sent = await master.requestPasswordReset(gil.adminId, { email: typed }, { idempotencyKey: newIdempotencyKey() });
    const token = new URL(resetLinkOf(await latestEmailTo(typed))).hash.slice('#token='.length);
    const reset = client();
    const details = await reset.verifyPasswordReset(token);
    await reset.completePasswordReset({ token, newPassword: 'chosen on the change screen', confirmPassword: 'chosen on the change screen' });
    const again = await refusal(reset.verifyPasswordReset(token));

    // Assess
    expect(sent.sentTo).toBe(typed);
    expect(details).toMatchObject({ email: gil.email, passwordPolicy: { policy: { maxLength: 128 } } });
    expect([again.status, again.code]).toEqual([410, 'RESET_LINK_INVALID']);
    expect(await client().signIn({ companyId: company.companyId, email: gil.email, password: 'chosen on the change screen' })).toHaveProperty('sessionToken');
  });
});

describe('when a retry carries the same Idempotency-Key', () => {
  it('gets the first answer again and registers the administrator once', async () => {
    // Prepare
    const { company, master } = await signedInMaster();
    const key = newIdempotencyKey();
    const newAdmin = { email: `once@${company.companyId}.example`, name: 'Once', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'a temporary passphrase' } as const;

    // Act
    const first = await master.createAdmin(newAdmin, { idempotencyKey: key });
    const retried = await master.createAdmin(newAdmin, { idempotencyKey: key });
    const reused = await refusal(master.createAdmin({ ...newAdmin, name: 'Other' }, { idempotencyKey: key }));

    // Assess
    expect(retried).toEqual(first);
    expect((await master.listAdmins()).items.filter((admin) => admin.email === newAdmin.email)).toHaveLength(1);
    expect([reused.status, reused.code]).toEqual([422, 'IDEMPOTENCY_KEY_REUSED']);
  });
});

describe('when the master edits the password policy through the client', () => {
  it('writes back the policy it read with one field changed, read-only maxLength included', async () => {
    // Prepare
    const { company, master } = await signedInMaster();
    await enablePasswordPolicySettings(directory, company.companyId);
    const { policy } = await master.getPasswordPolicy();

    // Act
    const saved = await master.updatePasswordPolicy({ ...policy, minLength: policy.minLength + 1 });
    const changedReadOnly = await refusal(master.updatePasswordPolicy({ ...policy, maxLength: 64 }));

    // Assess
    expect(saved.policy).toEqual({ ...policy, minLength: policy.minLength + 1 });
    expect(changedReadOnly.code).toBe('VALIDATION_FAILED');
    expect(changedReadOnly.details).toEqual([expect.objectContaining({ field: 'maxLength', code: 'READ_ONLY_FIELD' })]);
  });
});

describe('when the session ends', () => {
  it('forgets the token and tells the app, which sees UNAUTHENTICATED typed for the operation', async () => {
    // Prepare
    const { company } = await signedInMaster();
    const ended: string[] = [];
    const app = createAdminpassClient({ baseUrl: api.url, onSessionEnded: (error) => ended.push(error.code) });
    await app.signIn({ companyId: company.companyId, email: company.masterEmail, password: MASTER_PASSWORD });
    const token = app.sessionToken;
    const other = client();
    other.useSession(token);

    // Act
    await other.signOut();
    let caught: unknown;
    try {
      await app.me();
    } catch (error) {
      caught = error;
    }

    // Assess
    expect(isAdminpassError(caught, 'getMe') && caught.is('UNAUTHENTICATED')).toBe(true);
    expect(ended).toEqual(['UNAUTHENTICATED']);
    expect(app.sessionToken).toBeUndefined();
    expect((await refusal(app.listAuditEvents())).status).toBe(401);
  });
});
