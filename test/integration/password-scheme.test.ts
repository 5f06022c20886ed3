// End to end over HTTP: a deployment that switches new password hashes from bcrypt to argon2id (PASSWORD_HASH_SCHEME,
// as the stack's passwordHashScheme context sets it). Admins whose passwords are bcrypt hashes keep signing in, and
// each one's hash moves to argon2id at his next sign-in; a new password is argon2id from the start.
import { ARGON2ID_SCHEME, PASSWORD_SCHEME } from '../../functions/domain/password-hashing';
import type { ApiClient } from '../support/api-client';
import { provisionTestCompany, testHasher } from '../support/companies';
import { useLocalStack } from '../support/local-stack';
import { MASTER_PASSWORD, signIn, signInMaster } from '../support/scenario';

let api: ApiClient;
const { directory } = useLocalStack({
  started: (started) => (api = started),
  server: { runnerEnvironment: { ...process.env, PASSWORD_HASH_SCHEME: 'argon2id' } },
});

describe('when the deployment hashes new passwords with argon2id', () => {
  it('signs in an admin whose password is a bcrypt hash, and stores it as argon2id from then on', async () => {
    // Prepare: the company's master, his temporary password hashed with bcrypt before the switch.
    const company = await provisionTestCompany(directory);
    const before = await directory.admins.findByEmail(company.companyId, company.masterEmail);

    // Act: he replaces the temporary password (a new hash), then signs in twice.
    const master = await signInMaster(api, company);
    const afterChange = await directory.admins.get(company.companyId, master.adminId);
    const again = await signIn(api, company.companyId, company.masterEmail, MASTER_PASSWORD);

    // Assess
    expect(before!.password!.scheme).toBe(PASSWORD_SCHEME);
    expect(afterChange!.password!.scheme).toBe(ARGON2ID_SCHEME);
    expect(afterChange!.password!.hash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(again.adminId).toBe(master.adminId);
  });

  it('moves a bcrypt hash of a permanent password to argon2id at the next sign-in, and it still signs in after', async () => {
    // Prepare: a master with his own password, hashed with bcrypt (the store's own hasher, as before the switch).
    const company = await provisionTestCompany(directory);
    const master = await signInMaster(api, company);
    const record = (await directory.admins.get(company.companyId, master.adminId))!;
    await directory.credentials.upgradeHash(record, await testHasher().hash(MASTER_PASSWORD));
    const bcryptRecord = (await directory.admins.get(company.companyId, master.adminId))!;

    // Act
    await signIn(api, company.companyId, company.masterEmail, MASTER_PASSWORD);
    const moved = (await directory.admins.get(company.companyId, master.adminId))!;
    const after = await signIn(api, company.companyId, company.masterEmail, MASTER_PASSWORD);

    // Assess
    expect(bcryptRecord.password!.scheme).toBe(PASSWORD_SCHEME);
    expect(moved.password!.scheme).toBe(ARGON2ID_SCHEME);
    expect(moved.passwordVersion).toBe(bcryptRecord.passwordVersion);
    expect(after.adminId).toBe(master.adminId);
  });
});
