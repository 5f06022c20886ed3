// End to end over HTTP against the local API, DynamoDB Local and the SES emulator: the seed's "Reset Password".
import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { serviceError, type AwsReply } from '../../local/aws-endpoint';
import { PasswordResetDetails, PasswordResetSent } from '../../functions/contract/schemas';
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { provisionTestCompany } from '../support/companies';
import { emailsTo, latestEmailTo, resetLinkOf } from '../support/inbox';
import { createGeneralAdmin, signInMaster, signInReplacingTemporary, type SignedIn } from '../support/scenario';

let api: ApiClient;
/** What SES answers instead of sending, while a test sets it: a refusal the emulator never gives. */
let sesRefusal: AwsReply | undefined;
const { client, directory } = useLocalStack({
  started: (started) => (api = started),
  server: { interceptAws: (call) => (call.service === 'ses' && call.operation === 'SendEmail' ? sesRefusal : undefined) },
});

const OLD_PASSWORD = 'the password before the reset';
const NEW_PASSWORD = 'chosen on the change screen';

async function companyWithAdmin() {
  const company = await provisionTestCompany(directory);
  const master = await signInMaster(api, company);
  const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
  const session = await signInReplacingTemporary(api, company.companyId, general.email, general.temporaryPassword, OLD_PASSWORD);
  return { company, master, general, session };
}

const tokenOf = (link: string): string => new URL(link).hash.slice('#token='.length);

async function resetTo(master: SignedIn, adminId: string, email?: string) {
  return api.request('POST', `/admins/${adminId}/password-reset`, { token: master.token, body: email ? { email } : {} });
}

async function tokenItems(): Promise<Record<string, unknown>[]> {
  const { Items = [] } = await client.send(new ScanCommand({ TableName: process.env.TOKENS_TABLE! }));
  return Items;
}

describe('when the master resets a password to a typed address', () => {
  it('emails a working link there, stops the old password at once, and the new password signs in', async () => {
    const { company, master, general, session } = await companyWithAdmin();
    const typed = `private-${company.companyId}@home.example`;

    const reset = await resetTo(master, general.adminId, typed);
    const email = await latestEmailTo(typed, /Reset your/);
    const link = resetLinkOf(email);
    const oldPassword = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: OLD_PASSWORD } });
    const oldSession = await api.request('GET', '/me', { token: session.token });
    const verified = await api.request('POST', '/password-reset/verify', { body: { token: tokenOf(link) } });
    const completed = await api.request('POST', '/password-reset/complete', {
      body: { token: tokenOf(link), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD },
    });
    const signIn = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: NEW_PASSWORD } });
    const reused = await api.request('POST', '/password-reset/verify', { body: { token: tokenOf(link) } });

    expect(reset.status).toBe(202);
    expect(PasswordResetSent.parse(reset.body).sentTo).toBe(typed);
    expect(link.startsWith(`${api.url}/password-reset#token=`)).toBe(true);
    expect(email.body.text).toContain('Mia Master, master administrator of Company');
    expect(email.body.html).toContain('Choose a new password');
    expect(oldPassword.status).toBe(401);
    expect(oldSession.status).toBe(401);
    expect(PasswordResetDetails.parse(verified.body)).toMatchObject({ email: general.email, companyName: `Company ${company.companyId}` });
    expect(completed.status).toBe(204);
    expect(completed.text).toBe('');
    expect(signIn.status).toBe(200);
    expect(reused.status).toBe(410);
    expect(reused.body.error.code).toBe('RESET_LINK_INVALID');
  });

  it('sends the registered address a notice, without any secret, once the new password is set', async () => {
    const { master, general } = await companyWithAdmin();
    await resetTo(master, general.adminId);
    const link = resetLinkOf(await latestEmailTo(general.email, /Reset your/));

    await api.request('POST', '/password-reset/complete', { body: { token: tokenOf(link), newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } });
    const notice = await latestEmailTo(general.email, /was changed/);

    expect(notice.body.text).toContain('password reset link');
    expect(`${notice.body.text}${notice.body.html}`).not.toContain(tokenOf(link));
    expect(`${notice.body.text}${notice.body.html}`).not.toContain(NEW_PASSWORD);
  });
});

describe('when ten completions with the same link arrive at once', () => {
  it('lets exactly one set the password', async () => {
    const { company, master, general } = await companyWithAdmin();
    await resetTo(master, general.adminId);
    const token = tokenOf(resetLinkOf(await latestEmailTo(general.email, /Reset your/)));

    const results = await Promise.all(
      Array.from({ length: 10 }, (_, index) => {
        const password = `parallel completion number ${index}`;
        return api.request('POST', '/password-reset/complete', { body: { token, newPassword: password, confirmPassword: password } });
      }),
    );
    const winners = results.flatMap((result, index) => (result.status === 204 ? [index] : []));
    const signIn = await api.request('POST', '/sign-in', {
      body: { companyId: company.companyId, email: general.email, password: `parallel completion number ${winners[0]}` },
    });

    expect(winners).toHaveLength(1);
    expect(results.filter((result) => result.status === 410)).toHaveLength(9);
    expect(signIn.status).toBe(200);
  });
});

describe('when SES refuses the email', () => {
  it('answers 502 and leaves no half state: the password still works and no live token exists', async () => {
    const { company, master, general } = await companyWithAdmin();
    // SES's own answer to an unverified address, in its query API's error format.
    sesRefusal = serviceError('ses', 400, 'MessageRejected', 'Email address is not verified.');
    let response;
    try {
      response = await resetTo(master, general.adminId);
    } finally {
      sesRefusal = undefined;
    }
    const signIn = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: OLD_PASSWORD } });
    const tokens = (await tokenItems()).filter((item) => item.adminId === general.adminId);

    expect(response.status).toBe(502);
    expect(response.body.error.code).toBe('EMAIL_DELIVERY_FAILED');
    expect(response.text).not.toContain('not verified');
    expect(signIn.status).toBe(200);
    expect(tokens).toEqual([]);
  });
});

describe('when a newer reset is sent', () => {
  it('makes the older link invalid', async () => {
    const { master, general } = await companyWithAdmin();
    await resetTo(master, general.adminId);
    const older = tokenOf(resetLinkOf(await latestEmailTo(general.email, /Reset your/)));
    await resetTo(master, general.adminId, `second-${general.email}`);
    const newer = tokenOf(resetLinkOf(await latestEmailTo(`second-${general.email}`, /Reset your/)));

    const olderAnswer = await api.request('POST', '/password-reset/verify', { body: { token: older } });
    const newerAnswer = await api.request('POST', '/password-reset/verify', { body: { token: newer } });

    expect(olderAnswer.status).toBe(410);
    expect(newerAnswer.status).toBe(200);
  });
});

describe('when the reset is stored', () => {
  it('keeps only the hash of the token, with a TTL, and never the token itself', async () => {
    const { master, general } = await companyWithAdmin();
    await resetTo(master, general.adminId);
    const token = tokenOf(resetLinkOf(await latestEmailTo(general.email, /Reset your/)));

    const items = (await tokenItems()).filter((item) => item.adminId === general.adminId);
    const everything = JSON.stringify([...items, ...(await client.send(new ScanCommand({ TableName: process.env.DIRECTORY_TABLE! }))).Items!]);

    expect(items).toEqual([expect.objectContaining({ kind: 'password-reset', ttl: expect.any(Number) })]);
    expect(everything).not.toContain(token);
  });
});

describe('when the mismatch and policy checks run on the server', () => {
  it('answers 400 PASSWORD_MISMATCH and 422 with every broken rule, and the link still works after', async () => {
    const { master, general } = await companyWithAdmin();
    await resetTo(master, general.adminId);
    const token = tokenOf(resetLinkOf(await latestEmailTo(general.email, /Reset your/)));

    const mismatch = await api.request('POST', '/password-reset/complete', { body: { token, newPassword: NEW_PASSWORD, confirmPassword: 'something else entirely' } });
    const weak = await api.request('POST', '/password-reset/complete', { body: { token, newPassword: 'gen', confirmPassword: 'gen' } });
    const good = await api.request('POST', '/password-reset/complete', { body: { token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD } });

    expect(mismatch.status).toBe(400);
    expect(mismatch.body.error.code).toBe('PASSWORD_MISMATCH');
    expect(weak.status).toBe(422);
    expect(weak.body.error.details.map((detail: { code: string }) => detail.code)).toEqual(['TOO_SHORT', 'CONTAINS_PERSONAL_INFO', 'TOO_GUESSABLE']);
    expect(good.status).toBe(204);
  });
});

describe('when a general administrator tries to reset someone', () => {
  it('is refused with 403 and no email is sent', async () => {
    const { company, master, session } = await companyWithAdmin();

    const response = await resetTo(session, master.adminId, `attacker-${company.companyId}@evil.example`);

    expect(response.status).toBe(403);
    expect(await emailsTo(`attacker-${company.companyId}@evil.example`)).toEqual([]);
  });
});

