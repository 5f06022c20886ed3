// Concurrency suite, the lockout as a weapon (issue 10, §2): an outsider who knows an admin's address must not be
// able to lock him out, and many addresses must not buy more guesses than the account's ceiling. Both are held by
// one conditional write on the stored counters (functions/adapters/dynamodb/sign-in-attempts.ts); these bursts are
// judged on what DynamoDB Local stores and on what the audit trail says was compared, not on the answers alone.
import { randomBytes } from 'node:crypto';
import type { AdminRecord } from '../../functions/domain/admin';
import { ACCOUNT_CEILING, comparisonRules, reserveComparison } from '../../functions/domain/sign-in-attempts';
import { comparePassword } from '../../functions/use-cases/password-comparison';
import { startApi, type ApiClient } from '../support/api-client';
import { documentClient, provisionTestCompany, testDirectory } from '../support/companies';
import { closeHarness, companyWithLockout, runTogether } from './harness';
import { closeStoredState, evaluatedFailures } from './stored-state';

let api: ApiClient;
const client = documentClient();
const directory = testDirectory(client);
beforeAll(async () => {
  api = await startApi();
});
afterAll(async () => {
  await api.stop();
  client.destroy();
  closeHarness();
  closeStoredState();
});

/** Loopback addresses other than 127.0.0.1, the admin's own: the server sees each as another client. */
const OUTSIDERS = ['127.0.0.2', '127.0.0.3', '127.0.0.4'];

describe('when an outsider sends bursts of wrong passwords from several addresses at once', () => {
  it('compares at most the threshold from each address, locks only those addresses, and the admin still signs in', async () => {
    // Prepare: threshold 3 per source; the general admin signed in from 127.0.0.1 while being set up
    const threshold = 3;
    const { companyId, general } = await companyWithLockout(api, { threshold, minutes: 15 });
    const since = new Date().toISOString();
    const guess = (from: string) => () => api.request('POST', '/sign-in', { from, body: { companyId, email: general.email, password: `wrong ${randomBytes(4).toString('hex')} guess` } });

    // Act: eight wrong passwords from each outside address, all sent together
    const outcomes = await runTogether(OUTSIDERS.flatMap((from) => Array.from({ length: 8 }, (_, n) => ({ label: `${from} #${n}`, run: guess(from) }))));
    const outsiderWithTheRightPassword = await api.request('POST', '/sign-in', { from: OUTSIDERS[0], body: { companyId, email: general.email, password: general.password } });
    const adminFromHisOwnAddress = await api.request('POST', '/sign-in', { body: { companyId, email: general.email, password: general.password } });
    const adminFromANewAddress = await api.request('POST', '/sign-in', { from: '127.0.0.9', body: { companyId, email: general.email, password: general.password } });

    // Assess
    expect(outcomes.filter((outcome) => outcome.status !== 401)).toEqual([]);
    expect(await evaluatedFailures(companyId, general.adminId, since)).toBe(OUTSIDERS.length * threshold);
    expect(outsiderWithTheRightPassword.status).toBe(401);
    expect(adminFromHisOwnAddress.status).toBe(200);
    // Nine comparisons are far below the account's ceiling, so a source never seen before is not stopped either.
    expect(adminFromANewAddress.status).toBe(200);
  });
});

describe('when more addresses than the ceiling allows guess at once', () => {
  it('compares exactly the ceiling across all of them, and the admin’s known address still compares', async () => {
    // Prepare: the master's account as stored; he once signed in from 192.0.2.1
    const company = await provisionTestCompany(directory);
    const master = (await directory.admins.findByEmail(company.companyId, company.masterEmail))!;
    const rules = comparisonRules({ threshold: 10, minutes: 15 });
    const compared: string[] = [];
    const hasher = {
      verify: async (password: string, stored: AdminRecord['password']) => {
        if (stored !== undefined) compared.push(password);
        return password === 'the right one';
      },
    };
    const deps = { attempts: directory.attempts, hasher, clock: { now: () => new Date() } };
    const own = await comparePassword({ account: master }, 'the right one', '192.0.2.1', rules, deps);
    if (own.outcome !== 'right') throw new Error('the first comparison must find the right password');
    await directory.attempts.giveBack(master, own.success, []);
    compared.length = 0;
    const counted = (await directory.admins.get(company.companyId, master.adminId))!;

    // Act: two guesses from each of 80 addresses (160, under the per-address threshold), all together
    const outcomes = await Promise.all(
      Array.from({ length: 160 }, (_, n) => comparePassword({ account: counted }, `guess ${n}`, `198.51.100.${Math.floor(n / 2)}`, rules, deps)),
    );
    const fromKnown = await comparePassword({ account: (await directory.admins.get(company.companyId, master.adminId))! }, 'the right one', '192.0.2.1', rules, deps);

    // Assess
    expect(compared.filter((password) => password.startsWith('guess'))).toHaveLength(ACCOUNT_CEILING.threshold);
    expect(outcomes.filter((outcome) => outcome.outcome === 'wrong')).toHaveLength(ACCOUNT_CEILING.threshold);
    expect(outcomes.filter((outcome) => outcome.outcome === 'locked')).toHaveLength(160 - ACCOUNT_CEILING.threshold);
    expect(fromKnown.outcome).toBe('right');
    expect((await directory.attempts.read(master))?.lockedUntil).toEqual(expect.any(String));
  });
});

describe('when the account is locked and the admin still has a session', () => {
  it('lets him unlock the address he is on, and only that one', async () => {
    // Prepare: a session the general admin opened earlier; then the account's lock, set as the ceiling sets it
    const { companyId, master, general } = await companyWithLockout(api, { threshold: 3, minutes: 15 });
    const stored = (await directory.admins.get(companyId, general.adminId))!;
    const locking = reserveComparison(stored, '198.51.100.1', { source: { threshold: 3, minutes: 15 }, account: { threshold: 1, minutes: 60 } }, new Date());
    if (locking.kind !== 'reserve' || !(await directory.attempts.reserve(stored, locking)).reserved) throw new Error('expected the lock to be stored');
    const signInFrom = (from: string) => api.request('POST', '/sign-in', { from, body: { companyId, email: general.email, password: general.password } });
    const beforeUnlock = await signInFrom('127.0.0.5');

    // Act
    const unlock = await api.request('POST', '/me/unlock', { from: '127.0.0.5', token: general.token });

    // Assess
    expect(beforeUnlock.status).toBe(401);
    expect(unlock.status).toBe(204);
    expect((await signInFrom('127.0.0.5')).status).toBe(200);
    expect((await signInFrom('127.0.0.6')).status).toBe(401);
    const trail = await api.request('GET', `/audit-events?adminId=${general.adminId}`, { token: master.token });
    expect(trail.body.items).toContainEqual(
      expect.objectContaining({ type: 'ACCOUNT_UNLOCKED', actorAdminId: general.adminId, details: expect.objectContaining({ by: 'self', source: '127.0.0.5' }) }),
    );
  });
});
