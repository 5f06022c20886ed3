// Concurrency suite, the lockout's end: after a lock lapses the failure count starts afresh, so one wrong password
// does not lock the account again. Issue 9: today the failures of a burst that land after its lock outlive it. The
// only test of the suite that waits for a lock to lapse (lockoutMinutes is at least 1), so its own file: it runs
// beside the others instead of after them.
import fc from 'fast-check';
import { startApi, type ApiClient } from '../support/api-client';
import { PROPERTY_TIMEOUT_MS, Tally, checkNoServerErrors, closeHarness, companyWithLockout, freshPassword, lockOf, propertySettings, runTogether, sleep } from './harness';
import { closeStoredState } from './stored-state';

let api: ApiClient;
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stop();
  closeHarness();
  closeStoredState();
});

describe('when a burst has locked an account and the lock lapses', () => {
  it(
    'lets one wrong password count as the first failure, not lock the account again',
    async () => {
      // One run in `npm test` (it waits a minute); CONCURRENCY_LAPSE_RUNS for more.
      const settings = { ...propertySettings(1), numRuns: Number(process.env.CONCURRENCY_LAPSE_RUNS) || 1 };
      const tally = new Tally('lockout lapse', settings.seed);
      const threshold = 3;

      await fc.assert(
        // A large burst spread over some 80 ms: the failures that read the account before its lock and land after
        // it are what outlive it today.
        fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 80 }), { minLength: 6 * threshold, maxLength: 8 * threshold }), async (delays) => {
          const wrong = delays.length;
          // Prepare: a burst of wrong passwords locks the account for a minute.
          tally.runs += 1;
          const { companyId, master, general } = await companyWithLockout(api, { threshold, minutes: 1 });
          const attempt = (password: string, wait = 0) => async () => {
            await sleep(wait);
            return api.request('POST', '/sign-in', { body: { companyId, email: general.email, password } });
          };
          const burst = await runTogether(delays.map((wait, index) => ({ label: `wrong ${index}`, run: attempt(freshPassword(`guess ${index}`), wait) })));
          const lock = await lockOf(api, master.token, general.adminId);
          tally.check(lock.locked, 'the burst leaves the account locked', () => `${companyId}: ${wrong} wrong passwords, not locked`);
          await sleep(Math.max(0, Date.parse(lock.lockedUntil ?? new Date().toISOString()) - Date.now()) + 1_500);

          // Act
          const after = await runTogether([{ label: 'one wrong after the lapse', run: attempt(freshPassword('late guess')) }]);
          tally.operations += wrong + 1;

          // Assess
          const relocked = await lockOf(api, master.token, general.adminId);
          tally.check(!relocked.locked, 'the failure count starts afresh after a lock', () => `${companyId}: after ${wrong} parallel wrong passwords and the lapse, one wrong password locked the account again`);
          const right = await api.request('POST', '/sign-in', { body: { companyId, email: general.email, password: general.password } });
          tally.operations += 1;
          tally.check(right.status === 200, 'the right password signs in after the lapse', () => `${companyId}: ${right.status}`);
          checkNoServerErrors(tally, [...burst, ...after]);
        }),
        { ...settings, endOnFailure: true },
      );

      tally.report();
    },
    PROPERTY_TIMEOUT_MS,
  );
});
