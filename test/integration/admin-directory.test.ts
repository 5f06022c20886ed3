// The DynamoDB adapter against DynamoDB Local: the conditions and transactions that make things happen once.
import { randomBytes } from 'node:crypto';
import { DomainError } from '../../functions/domain/errors';
import { newUlid } from '../../functions/domain/tokens';
import type { NewAdmin } from '../../functions/domain/ports';
import { documentClient, testDirectory, testHasher, uniqueCompanyId } from '../support/companies';

const client = documentClient();
const directory = testDirectory(client);
const random = { bytes: (count: number) => randomBytes(count) };
afterAll(() => client.destroy());

async function newCompany(): Promise<string> {
  const companyId = uniqueCompanyId();
  await directory.createCompany({ companyId, name: 'Race Co', now: new Date().toISOString() }, []);
  return companyId;
}

async function adminFor(companyId: string, email: string, role: 'master' | 'general' = 'general'): Promise<NewAdmin> {
  const now = new Date();
  return {
    companyId,
    adminId: newUlid(now, random),
    email,
    name: 'Racer',
    role,
    canChangeOwnPassword: false,
    password: await testHasher().hash('a temporary passphrase'),
    temporaryPasswordExpiresAt: new Date(now.getTime() + 60_000).toISOString(),
    now: now.toISOString(),
  };
}

const codeOf = (result: PromiseSettledResult<unknown>) =>
  result.status === 'fulfilled' ? 'ok' : result.reason instanceof DomainError ? result.reason.code : String(result.reason);

describe('when ten masters register the same email address at the same moment', () => {
  it('creates exactly one administrator and tells the nine others the address is taken', async () => {
    const companyId = await newCompany();
    const admins = await Promise.all(Array.from({ length: 10 }, () => adminFor(companyId, 'same@race.example')));

    const results = await Promise.allSettled(admins.map((admin) => directory.createAdmin(admin, [])));
    const page = await directory.listAdmins(companyId, 100, undefined);

    expect(results.map(codeOf).sort()).toEqual(['EMAIL_TAKEN', ...Array(8).fill('EMAIL_TAKEN'), 'ok'].sort());
    expect(page.items).toHaveLength(1);
  });
});

describe('when the two masters of a company disable each other at the same moment', () => {
  it('lets exactly one succeed, so one active master always remains', async () => {
    const companyId = await newCompany();
    const first = await directory.createAdmin(await adminFor(companyId, 'one@race.example', 'master'), []);
    const second = await directory.createAdmin(await adminFor(companyId, 'two@race.example', 'master'), []);

    const results = await Promise.allSettled([directory.disable(first, new Date().toISOString(), []), directory.disable(second, new Date().toISOString(), [])]);
    const company = await directory.getCompany(companyId);
    const statuses = [(await directory.getAdmin(companyId, first.adminId))!.status, (await directory.getAdmin(companyId, second.adminId))!.status];

    expect(results.map(codeOf).sort()).toEqual(['LAST_MASTER', 'ok']);
    expect(company?.activeMasterCount).toBe(1);
    expect(statuses.sort()).toEqual(['active', 'disabled']);
  });
});

describe('when a page cursor is forged', () => {
  it('is refused as invalid rather than read from another key', async () => {
    const companyId = await newCompany();
    const forged = Buffer.from('COMPANY#other', 'utf8').toString('base64url');

    await expect(directory.listAdmins(companyId, 10, forged)).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('when two password writes start from the same version', () => {
  it('applies only the first; the second reports that the admin moved on', async () => {
    const companyId = await newCompany();
    const admin = await directory.createAdmin(await adminFor(companyId, 'pw@race.example'), []);
    const write = async (phrase: string) =>
      directory.writePassword({
        companyId,
        adminId: admin.adminId,
        expected: admin,
        password: await testHasher().hash(phrase),
        kind: 'permanent',
        now: new Date().toISOString(),
        revokeSessions: true,
        passwordHistory: [],
        events: [],
      });

    const results = await Promise.all([write('first concurrent passphrase'), write('second concurrent passphrase')]);
    const stored = await directory.getAdmin(companyId, admin.adminId);

    expect(results.sort()).toEqual([false, true]);
    expect(stored?.passwordVersion).toBe(admin.passwordVersion + 1);
    expect(stored?.sessionEpoch).toBe(admin.sessionEpoch + 1);
  });
});
