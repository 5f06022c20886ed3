// Concurrency suite, single use: a reset link, a new-password challenge and the first master's set-up link each
// complete at most once. N completions with different new passwords sent together: exactly one is answered 2xx, the
// others their documented 4xx (410 RESET_LINK_INVALID, 401 CHALLENGE_INVALID...), and the password that signs in
// afterwards is exactly the one whose request got the 2xx.
import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { provisionTestCompany } from '../support/companies';
import { latestEmailTo, resetLinkOf } from '../support/inbox';
import { createGeneralAdmin, signInMaster } from '../support/scenario';
import { PROPERTY_TIMEOUT_MS, Tally, checkNoServerErrors, freshPassword, operator, passwordOpens, propertySettings, runTogether, sleep } from './harness';
import { closeStoredState } from './stored-state';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

afterAll(() => {
  closeStoredState();
});

type Kind = 'reset link' | 'challenge' | 'set-up link';

const tokenOf = (link: string): string => new URL(link).hash.slice('#token='.length);

/** The single-use credential of a fresh company, and the account it opens. */
async function credentialOf(kind: Kind): Promise<{ companyId: string; email: string; token: string }> {
  if (kind === 'set-up link') {
    const companyId = `co-${randomBytes(6).toString('hex')}`;
    const email = `owner@${companyId}.example`;
    await operator('create-company', '--id', companyId, '--name', `Setup ${companyId}`, '--master-email', email, '--master-name', 'Sam Owner');
    return { companyId, email, token: tokenOf(resetLinkOf(await latestEmailTo(email, /was created/))) };
  }
  const company = await provisionTestCompany(directory);
  const master = await signInMaster(api, company);
  const general = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`);
  if (kind === 'challenge') {
    const first = await api.request('POST', '/sign-in', { body: { companyId: company.companyId, email: general.email, password: general.temporaryPassword } });
    if (typeof first.body?.challengeToken !== 'string') throw new Error(`expected a challenge, got ${first.status} ${first.text}`);
    return { companyId: company.companyId, email: general.email, token: first.body.challengeToken };
  }
  const reset = await api.request('POST', `/admins/${general.adminId}/password-reset`, { token: master.token, body: {} });
  if (reset.status !== 202) throw new Error(`expected 202, got ${reset.status} ${reset.text}`);
  return { companyId: company.companyId, email: general.email, token: tokenOf(resetLinkOf(await latestEmailTo(general.email))) };
}

const completion = (kind: Kind, token: string, password: string) => () =>
  kind === 'challenge'
    ? api.request('POST', '/sign-in/new-password', { body: { challengeToken: token, newPassword: password } })
    : api.request('POST', '/password-reset/complete', { body: { token, newPassword: password, confirmPassword: password } });

describe('when one single-use link or challenge is completed several times at once', () => {
  it(
    'answers exactly one with success, and exactly that one password signs in afterwards',
    async () => {
      const settings = propertySettings(9);
      const tally = new Tally('single use', settings.seed);
      const kinds = fc.constantFrom<Kind>('reset link', 'challenge', 'set-up link');

      await fc.assert(
        fc.asyncProperty(kinds, fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 2, maxLength: 8 }), async (kind, delays) => {
          // Prepare
          tally.runs += 1;
          const { companyId, email, token } = await credentialOf(kind);
          const passwords = delays.map((_, index) => freshPassword(`chosen ${index}`));

          // Act
          tally.operations += delays.length;
          const outcomes = await runTogether(
            delays.map((wait, index) => ({
              label: `completion ${index}`,
              run: async () => {
                await sleep(wait);
                return completion(kind, token, passwords[index]!)();
              },
            })),
          );

          // Assess: the winners' passwords first, so the losers' wrong ones cannot lock the account before them.
          const won = outcomes.map((outcome) => outcome.status >= 200 && outcome.status < 300);
          const order = passwords.map((_, index) => index).sort((a, b) => Number(won[b]) - Number(won[a]));
          const opens: boolean[] = [];
          for (const index of order) opens[index] = await passwordOpens(api, companyId, email, passwords[index]!);
          tally.operations += passwords.length;
          const story = () =>
            `${kind} of ${companyId}, ${delays.length} completions: ${outcomes.map((outcome, index) => `${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}${opens[index] ? ' (signs in)' : ''}`).join(', ')}`;
          if (process.env.CONCURRENCY_DEBUG) console.log(story());
          tally.check(won.filter(Boolean).length === 1, `a ${kind} completes exactly once`, story);
          tally.check(opens.every((open, index) => open === won[index]), `the ${kind} password that signs in is the one answered with success`, story);
          checkNoServerErrors(tally, outcomes);
        }),
        { ...settings, endOnFailure: true },
      );

      tally.report();
    },
    PROPERTY_TIMEOUT_MS,
  );
});
