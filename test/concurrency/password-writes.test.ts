// Concurrency suite, honest password writes: an admin's own change racing his master's temporary password and
// Reset Password. Afterwards exactly one password signs in, and it is one whose request was answered with success
// (none at all when a reset, which removes the password, was the last to commit); a password whose request was
// answered with an error never signs in, and the old one stops working once any change succeeded.
import fc from 'fast-check';
import type { ApiClient } from '../support/api-client';
import { useLocalStack } from '../support/local-stack';
import { provisionTestCompany } from '../support/companies';
import { createGeneralAdmin, signInMaster, signInReplacingTemporary } from '../support/scenario';
import { PROPERTY_TIMEOUT_MS, Tally, checkNoServerErrors, freshPassword, passwordOpens, propertySettings, runTogether, sleep } from './harness';
import { closeStoredState } from './stored-state';

let api: ApiClient;
const { directory } = useLocalStack({ started: (started) => (api = started) });

afterAll(() => {
  closeStoredState();
});

type Kind = 'own change' | 'temporary password' | 'reset';
const delay = fc.integer({ min: 0, max: 10 });

/** 1-2 own changes, 0-2 temporary passwords and 0-1 resets, shuffled, with small lags. */
const writes = fc
  .tuple(
    fc.array(delay, { minLength: 1, maxLength: 2 }),
    fc.array(delay, { minLength: 0, maxLength: 2 }),
    fc.array(delay, { minLength: 0, maxLength: 1 }),
  )
  .map(([own, temporary, reset]) => [
    ...own.map((wait) => ({ kind: 'own change' as Kind, delay: wait })),
    ...temporary.map((wait) => ({ kind: 'temporary password' as Kind, delay: wait })),
    ...reset.map((wait) => ({ kind: 'reset' as Kind, delay: wait })),
  ])
  .filter((operations) => operations.length >= 2)
  .chain((operations) => fc.shuffledSubarray(operations, { minLength: operations.length }));

describe("when an admin changes his password while his master sets a temporary one or resets it", () => {
  it(
    'lets exactly a password answered with success sign in, never one answered with an error',
    async () => {
      const settings = propertySettings(8);
      const tally = new Tally('password writes', settings.seed);

      await fc.assert(
        fc.asyncProperty(writes, async (operations) => {
          // Prepare
          tally.runs += 1;
          const company = await provisionTestCompany(directory);
          const master = await signInMaster(api, company);
          const created = await createGeneralAdmin(api, master, `gen@${company.companyId}.example`, { canChangeOwnPassword: true });
          const original = freshPassword('chosen first');
          const general = await signInReplacingTemporary(api, company.companyId, created.email, created.temporaryPassword, original);
          const passwords = operations.map(({ kind }, index) => (kind === 'reset' ? undefined : freshPassword(`chosen ${index}`)));
          const request = (kind: Kind, password: string | undefined) => {
            if (kind === 'own change') return () => api.request('PUT', '/me/password', { token: general.token, body: { currentPassword: original, newPassword: password } });
            if (kind === 'temporary password') return () => api.request('PUT', `/admins/${general.adminId}/temporary-password`, { token: master.token, body: { temporaryPassword: password } });
            return () => api.request('POST', `/admins/${general.adminId}/password-reset`, { token: master.token, body: {} });
          };

          // Act
          tally.operations += operations.length;
          const outcomes = await runTogether(
            operations.map(({ kind, delay: wait }, index) => ({
              label: kind,
              run: async () => {
                await sleep(wait);
                return request(kind, passwords[index])();
              },
            })),
          );

          // Assess: the successful requests' passwords first, so wrong ones cannot lock the account before them.
          const won = outcomes.map((outcome) => outcome.status >= 200 && outcome.status < 300);
          const candidates = operations.map((_, index) => index).filter((index) => passwords[index] !== undefined);
          candidates.sort((a, b) => Number(won[b]) - Number(won[a]));
          const opens: Record<number, boolean> = {};
          for (const index of candidates) opens[index] = await passwordOpens(api, company.companyId, created.email, passwords[index]!);
          const originalOpens = await passwordOpens(api, company.companyId, created.email, original);
          tally.operations += candidates.length + 1;
          const opened = candidates.filter((index) => opens[index]);
          const resetWon = operations.some(({ kind }, index) => kind === 'reset' && won[index]);
          const story = () =>
            `${company.companyId}: ${outcomes.map((outcome, index) => `${outcome.label} → ${outcome.status}${outcome.code ? ` ${outcome.code}` : ''}${opens[index] ? ' (signs in)' : ''}`).join(', ')}` +
            `; the first password ${originalOpens ? 'still signs in' : 'no longer signs in'}`;
          if (process.env.CONCURRENCY_DEBUG) console.log(story());
          tally.check(candidates.every((index) => won[index] || !opens[index]), 'no password answered with an error signs in', story);
          tally.check(opened.length + Number(originalOpens) <= 1, 'at most one password signs in', story);
          if (won.some(Boolean)) tally.check(!originalOpens, 'the old password stops once a change succeeded', story);
          else tally.check(originalOpens, 'the old password stays when every change failed', story);
          if (won.some(Boolean) && !resetWon) tally.check(opened.length === 1, 'a password answered with success signs in', story);
          checkNoServerErrors(tally, outcomes);
        }),
        { ...settings, endOnFailure: true },
      );

      tally.report();
    },
    PROPERTY_TIMEOUT_MS,
  );
});
