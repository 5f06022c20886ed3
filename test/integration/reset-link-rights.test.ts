// End to end over HTTP against the local API, DynamoDB Local and the SES emulator: a reset link lives only while
// the master who sent it is an active master and its target still holds the address it was issued under.
import { randomBytes } from 'node:crypto';
import { SESClient } from '@aws-sdk/client-ses';
import { createDynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import { createSesMailer } from '../../functions/adapters/ses/ses-mailer';
import { resetMasterPassword } from '../../functions/use-cases/operator';
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { provisionTestCompany } from '../support/companies';
import { emailsTo, latestEmailTo, resetLinkOf } from '../support/inbox';
import { MASTER_PASSWORD, createGeneralAdmin, signInMaster, signInReplacingTemporary, type SignedIn } from '../support/scenario';

let api: ApiClient;
const { client, directory } = useLocalStack({ started: (started) => (api = started) });
const sesClient = new SESClient({ region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' }, endpoint: process.env.SES_ENDPOINT });

afterAll(() => {
  sesClient.destroy();
});

const OLD_PASSWORD = 'the password before the reset';
const NEW_PASSWORD = 'chosen on the change screen';
const tokenOf = (link: string): string => new URL(link).hash.slice('#token='.length);

/** Master Mia (A), a second master (C) and a general admin (B) with a password of his own, each signed in. */
async function companyOfThree() {
  const company = await provisionTestCompany(directory);
  const masterA = await signInMaster(api, company);
  const created = await createGeneralAdmin(api, masterA, `c@${company.companyId}.example`, { role: 'master' });
  const masterC = await signInReplacingTemporary(api, company.companyId, created.email, created.temporaryPassword, 'second master passphrase');
  const general = await createGeneralAdmin(api, masterA, `b@${company.companyId}.example`);
  await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, OLD_PASSWORD);
  return { company, masterA, masterC, general };
}

async function resetLinkSent(master: SignedIn, adminId: string, to: string, email?: string): Promise<string> {
  const reset = await api.request('POST', `/admins/${adminId}/password-reset`, { token: master.token, body: email ? { email } : {} });
  if (reset.status !== 202) throw new Error(`expected 202, got ${reset.status} ${reset.text}`);
  return tokenOf(resetLinkOf(await latestEmailTo(to, /Reset your/)));
}

const verify = (token: string) => api.request('POST', '/password-reset/verify', { body: { token } });
const complete = (token: string) => api.request('POST', '/password-reset/complete', { body: { token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } });
const signInStatus = async (companyId: string, email: string, password: string) =>
  (await api.request('POST', '/sign-in', { body: { companyId, email, password } })).status;

async function refusalsSeenBy(master: SignedIn, adminId: string) {
  const events = await api.request('GET', `/audit-events?adminId=${adminId}&limit=50`, { token: master.token });
  return (events.body.items as { type: string; outcome: string; details: Record<string, unknown> }[]).filter((event) => event.type === 'PASSWORD_RESET_REFUSED');
}

describe('when the master who sent a reset link is disabled', () => {
  it('kills the link she sent to an address of her own: 410, no password set, and the refusal audited', async () => {
    const { company, masterA, masterC, general } = await companyOfThree();
    const hers = `mia-private-${company.companyId}@home.example`;
    const token = await resetLinkSent(masterA, general.adminId, hers, hers);

    const disabled = await api.request('DELETE', `/admins/${masterA.adminId}`, { token: masterC.token });
    const screen = await verify(token);
    const completion = await complete(token);

    expect(disabled.status).toBe(204);
    expect([screen.status, completion.status]).toEqual([410, 410]);
    expect(completion.body.error.code).toBe('RESET_LINK_INVALID');
    expect(await signInStatus(company.companyId, general.email, NEW_PASSWORD)).toBe(401);
    expect(await refusalsSeenBy(masterC, general.adminId)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ outcome: 'failure', details: expect.objectContaining({ reason: 'REQUESTER_NOT_MASTER', stage: 'complete', requestedBy: masterA.adminId, sentTo: hers }) }),
        expect.objectContaining({ details: expect.objectContaining({ reason: 'REQUESTER_NOT_MASTER', stage: 'verify' }) }),
      ]),
    );
  });
});

describe('when the admin’s email changes after a link was sent to his registered address', () => {
  it('kills the link, and tells the old address of the change without any secret', async () => {
    const { company, masterA, masterC, general } = await companyOfThree();
    const token = await resetLinkSent(masterA, general.adminId, general.email);
    const read = await api.request('GET', `/admins/${general.adminId}`, { token: masterC.token });
    const newEmail = `b-new-${randomBytes(3).toString('hex')}@${company.companyId}.example`;

    const changed = await api.request('PATCH', `/admins/${general.adminId}`, { token: masterC.token, headers: { 'if-match': read.headers.get('etag')! }, body: { email: newEmail } });
    const completion = await complete(token);
    const notice = await latestEmailTo(general.email, /email address of your/);

    expect(changed.status).toBe(200);
    expect(completion.status).toBe(410);
    expect(await signInStatus(company.companyId, newEmail, NEW_PASSWORD)).toBe(401);
    expect(notice.body.text).toContain(`administrator account was changed on`);
    expect(`${notice.body.text}${notice.body.html}`).not.toContain(newEmail);
    expect(notice.body.text).not.toMatch(/#token=/);
    expect(await emailsTo(newEmail)).toEqual([]);
    expect((await refusalsSeenBy(masterC, general.adminId)).map((event) => event.details.reason)).toEqual(['EMAIL_CHANGED']);
  });
});

describe('when nothing the link depends on changed', () => {
  it('still completes a typed-address link after another master edits the admin’s name', async () => {
    const { company, masterA, masterC, general } = await companyOfThree();
    const typed = `b-home-${company.companyId}@home.example`;
    const token = await resetLinkSent(masterA, general.adminId, typed, typed);
    const read = await api.request('GET', `/admins/${general.adminId}`, { token: masterC.token });
    await api.request('PATCH', `/admins/${general.adminId}`, { token: masterC.token, headers: { 'if-match': read.headers.get('etag')! }, body: { name: 'Gil Renamed' } });

    const completion = await complete(token);

    expect(completion.status).toBe(204);
    expect(await signInStatus(company.companyId, general.email, NEW_PASSWORD)).toBe(200);
    expect(await refusalsSeenBy(masterC, general.adminId)).toEqual([]);
  });

  it('completes the operator’s link to a master, whom no master sent', async () => {
    const { company, masterA } = await companyOfThree();
    await resetMasterPassword(
      { companyId: company.companyId, email: company.masterEmail },
      {
        ...directory,
        auditLog: createDynamoAuditLog(client, process.env.AUDIT_TABLE!),
        mailer: createSesMailer(sesClient, 'adminpass@localhost.localdomain'),
        clock: { now: () => new Date() },
        random: { bytes: (count: number) => randomBytes(count) },
        lifetimes: { resetLinkMinutes: 24 * 60 },
        publicBaseUrl: api.url,
      },
    );
    const token = tokenOf(resetLinkOf(await latestEmailTo(company.masterEmail, /./)));

    const completion = await complete(token);

    expect(completion.status).toBe(204);
    expect(await signInStatus(company.companyId, company.masterEmail, MASTER_PASSWORD)).toBe(401);
    expect(await signInStatus(company.companyId, company.masterEmail, NEW_PASSWORD)).toBe(200);
    expect(masterA.adminId).toBeDefined();
  });
});
