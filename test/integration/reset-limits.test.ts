// End to end over HTTP against the local API, DynamoDB Local and the SES emulator, at the deployed defaults of the
// reset limits: a burst of resets of one admin sends one email, a master's twelfth reset in an hour sends nothing,
// and a name with a URL reaches neither part of the email as a URL.
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { provisionTestCompany } from '../support/companies';
import { emailsTo, latestEmailTo } from '../support/inbox';
import { createGeneralAdmin, signInMaster, type SignedIn } from '../support/scenario';

// The handler modules read the limits when they first build the limiters, after these lines.
process.env.RESETS_PER_MASTER_PER_HOUR = '10';
process.env.RESETS_PER_TARGET_PER_HOUR = '3';
process.env.RESETS_PER_COMPANY_PER_DAY = '50';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

const resetTo = (master: SignedIn, adminId: string, email: string) => api.request('POST', `/admins/${adminId}/password-reset`, { token: master.token, body: { email } });

describe('when 10 resets of one administrator arrive together', () => {
  it('sends one email per accepted reset and none for a refused one, and the overlapping ones are refused', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
    const domain = `burst-${company.companyId}.example`;

    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => resetTo(master, general.adminId, `to-${index}@${domain}`)));
    await new Promise((resolve) => setTimeout(resolve, 500));

    // Resets that overlap the one holding the claim are refused at once. One that started after an earlier reset had
    // committed is a reset of its own (the local server queues requests past 8, so a burst can arrive in two waves),
    // and the target's limit of 3 an hour bounds those.
    const accepted = answers.filter((answer) => answer.status === 202);
    const refused = answers.filter((answer) => answer.status !== 202);
    expect(accepted.length).toBeGreaterThanOrEqual(1);
    expect(accepted.length).toBeLessThanOrEqual(3);
    expect(refused.map((answer) => answer.body.error.code)).toEqual(Array(refused.length).fill('CONCURRENT_CHANGE'));
    const recipients = (await emailsTo(domain)).flatMap((email) => email.destination.to);
    expect(recipients.sort()).toEqual(accepted.map((answer) => answer.body.sentTo).sort());
  });
});

describe('when one master sends 12 resets to different administrators within the hour', () => {
  it('sends 10, then answers 429 TOO_MANY_RESETS with Retry-After and sends nothing more', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const generals = [];
    for (let index = 0; index < 12; index += 1) generals.push(await createGeneralAdmin(api, master, `gen-${index}@${company.companyId}.example`));
    const domain = `relay-${company.companyId}.example`;

    const answers = [];
    for (const [index, general] of generals.entries()) answers.push(await resetTo(master, general.adminId, `outside-${index}@${domain}`));
    await new Promise((resolve) => setTimeout(resolve, 500));
    const audit = await api.request('GET', '/audit-events?limit=50', { token: master.token });

    expect(answers.map((answer) => answer.status)).toEqual([...Array(10).fill(202), 429, 429]);
    expect(answers[10]!.body.error.code).toBe('TOO_MANY_RESETS');
    const retryAfter = Number(answers[10]!.headers.get('retry-after'));
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    expect(await emailsTo(domain)).toHaveLength(10);
    const limited = audit.body.items.filter((event: { type: string }) => event.type === 'PASSWORD_RESET_LIMITED');
    expect(limited.map((event: { details: { limit: string } }) => event.details.limit)).toEqual(['master', 'master']);
  });
});

describe('when the administrator’s name carries a URL', () => {
  it('quotes the name without the URL in the text and the HTML part', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const created = await api.request('POST', '/admins', {
      token: master.token,
      body: { email: `named@${company.companyId}.example`, name: 'Gil Click here: http://evil.example/login', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'a temporary passphrase' },
    });
    const typed = `named-${company.companyId}@home.example`;

    const reset = await resetTo(master, created.body.adminId, typed);
    const email = await latestEmailTo(typed, /Reset your/);

    expect(reset.status).toBe(202);
    expect(email.body.text).toContain('Hello Gil Click here,');
    for (const part of [email.body.text ?? '', email.body.html ?? '']) {
      expect(part).not.toContain('evil');
      expect(part.match(/https?:\/\/[^\s"<]+/g)?.every((url) => url.startsWith(`${api.url}/password-reset#token=`))).toBe(true);
    }
  });
});
