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
const { directory } = useLocalStack({ started: (started) => (api = started), linksToThisServer: true });

const resetTo = (master: SignedIn, adminId: string, email: string) => api.request('POST', `/admins/${adminId}/password-reset`, { token: master.token, body: { email } });

describe('when 10 resets of one administrator arrive together', () => {
  it('sends exactly one email; the others are refused and send nothing', async () => {
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
    const domain = `burst-${company.companyId}.example`;

    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => resetTo(master, general.adminId, `to-${index}@${domain}`)));
    await new Promise((resolve) => setTimeout(resolve, 500));

    expect(answers.filter((answer) => answer.status === 202)).toHaveLength(1);
    expect(answers.filter((answer) => answer.status !== 202).map((answer) => answer.body.error.code)).toEqual(Array(9).fill('CONCURRENT_CHANGE'));
    expect(await emailsTo(domain)).toHaveLength(1);
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
