// End to end over HTTP against the local API, DynamoDB Local and the SES emulator: retries with Idempotency-Key act
// once (one email, one link, one admin), keys are scoped to their company, and refused requests are not kept.
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { provisionTestCompany } from '../support/companies';
import { emailsTo, latestEmailTo, resetLinkOf } from '../support/inbox';
import { createGeneralAdmin, signInMaster, type SignedIn } from '../support/scenario';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

const NEW_PASSWORD = 'chosen after a retried reset';

async function companyWithAdmin() {
  const company = await provisionTestCompany(directory);
  const master = await signInMaster(api, company);
  const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
  return { company, master, general };
}

const resetWithKey = (master: SignedIn, adminId: string, key: string, body: unknown = {}) =>
  api.request('POST', `/admins/${adminId}/password-reset`, { token: master.token, body, headers: { 'idempotency-key': key } });

const registration = (email: string) => ({ email, name: 'Rita Retry', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'a retried temporary passphrase' });

const createWithKey = (master: SignedIn, body: unknown, key: string) =>
  api.request('POST', '/admins', { token: master.token, body, headers: { 'idempotency-key': key } });

async function adminCount(master: SignedIn): Promise<number> {
  const list = await api.request('GET', '/admins?limit=100', { token: master.token });
  return (list.body.items as unknown[]).length;
}

describe('when a master retries a password reset with one Idempotency-Key', () => {
  it('sends one email with one link that still works, and answers the retry with the first answer', async () => {
    const { master, general } = await companyWithAdmin();
    const key = `reset-${general.adminId}`;

    const first = await resetWithKey(master, general.adminId, key);
    const retry = await resetWithKey(master, general.adminId, key);
    const link = resetLinkOf(await latestEmailTo(general.email, /Reset your/));
    const token = new URL(link).hash.slice('#token='.length);
    const completed = await api.request('POST', '/password-reset/complete', { body: { token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } });

    expect([first.status, retry.status]).toEqual([202, 202]);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('idempotent-replayed')).toBe('true');
    expect((await emailsTo(general.email)).filter((email) => /Reset your/.test(email.subject))).toHaveLength(1);
    expect(completed.status).toBe(204);
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body, and sends nothing more', async () => {
    const { company, master, general } = await companyWithAdmin();
    const key = `reset-other-${general.adminId}`;

    await resetWithKey(master, general.adminId, key);
    const other = await resetWithKey(master, general.adminId, key, { email: `elsewhere@${company.companyId}.example` });

    expect(other.status).toBe(422);
    expect(other.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await emailsTo(`elsewhere@${company.companyId}.example`)).toHaveLength(0);
    expect((await emailsTo(general.email)).filter((email) => /Reset your/.test(email.subject))).toHaveLength(1);
  });

  it('lets exactly one of two parallel requests with the key act; the other is told to wait or gets the replay', async () => {
    const { master, general } = await companyWithAdmin();
    const key = `reset-parallel-${general.adminId}`;

    const answers = await Promise.all([resetWithKey(master, general.adminId, key), resetWithKey(master, general.adminId, key)]);
    await latestEmailTo(general.email, /Reset your/);

    const statuses = answers.map((answer) => answer.status).sort();
    expect([[202, 202], [202, 409]]).toContainEqual(statuses);
    const waiting = answers.find((answer) => answer.status === 409);
    if (waiting !== undefined) {
      expect(waiting.body.error.code).toBe('IDEMPOTENCY_IN_PROGRESS');
      expect(waiting.headers.get('retry-after')).toBe('2');
    } else {
      expect(answers.filter((answer) => answer.headers.get('idempotent-replayed') === 'true')).toHaveLength(1);
    }
    expect((await emailsTo(general.email)).filter((email) => /Reset your/.test(email.subject))).toHaveLength(1);
  });
});

describe('when a master retries POST /admins with one Idempotency-Key', () => {
  it('creates one admin and answers the same 201, body and Location', async () => {
    const { company, master } = await companyWithAdmin();
    const body = registration(`rita@${company.companyId}.example`);
    const before = await adminCount(master);

    const first = await createWithKey(master, body, 'create-rita');
    const retry = await createWithKey(master, body, 'create-rita');

    expect([first.status, retry.status]).toEqual([201, 201]);
    expect(retry.text).toBe(first.text);
    expect(retry.headers.get('location')).toBe(first.headers.get('location'));
    expect(retry.headers.get('etag')).toBe(first.headers.get('etag'));
    expect(await adminCount(master)).toBe(before + 1);
  });

  it("replays nothing of company X's answer to a master of company Y who sends the same key and body", async () => {
    const x = await companyWithAdmin();
    const y = await companyWithAdmin();
    const body = registration('shared.address@example.org');

    const inX = await createWithKey(x.master, body, 'same-key-everywhere');
    const inY = await createWithKey(y.master, body, 'same-key-everywhere');

    expect([inX.status, inY.status]).toEqual([201, 201]);
    expect(inY.headers.get('idempotent-replayed')).toBeNull();
    expect(inY.body.companyId).toBe(y.company.companyId);
    expect(inY.body.adminId).not.toBe(inX.body.adminId);
    const fromY = await api.request('GET', `/admins/${inY.body.adminId}`, { token: y.master.token });
    const xAdminFromY = await api.request('GET', `/admins/${inX.body.adminId}`, { token: y.master.token });
    expect(fromY.status).toBe(200);
    expect(xAdminFromY.status).toBe(404);
  });

  it('keeps no 4xx answer: after 409 EMAIL_TAKEN and the email freed, a retry with the key creates the admin', async () => {
    const { company, master, general } = await companyWithAdmin();
    const body = registration(general.email);

    const refused = await createWithKey(master, body, 'create-after-refusal');
    const read = await api.request('GET', `/admins/${general.adminId}`, { token: master.token });
    const moved = await api.request('PATCH', `/admins/${general.adminId}`, {
      token: master.token,
      body: { email: `moved@${company.companyId}.example` },
      headers: { 'if-match': read.headers.get('etag')! },
    });
    const retried = await createWithKey(master, body, 'create-after-refusal');

    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('EMAIL_TAKEN');
    expect(moved.status).toBe(200);
    expect(retried.status).toBe(201);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
  });
});
