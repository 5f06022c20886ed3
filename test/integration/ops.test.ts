// The operator's commands against DynamoDB Local and the SES emulator of the global setup: the use cases with the
// real adapters (the set-up and reset links arrive and work), then bin/ops.ts itself, spawned through tsx, for its
// wiring and exit codes.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SESClient } from '@aws-sdk/client-ses';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { reserveComparison } from '../../functions/domain/sign-in-attempts';
import { guessability } from '../../functions/wiring/guessability';
import { createDynamoDirectoryStores } from '../../functions/adapters/dynamodb/directory-stores';
import { createDynamoAttemptLimiter } from '../../functions/adapters/dynamodb/attempt-limiter';
import { createDynamoAuditLog } from '../../functions/adapters/dynamodb/audit-log';
import { createDynamoResetTokenStore } from '../../functions/adapters/dynamodb/token-store';
import { createSesMailer } from '../../functions/adapters/ses/ses-mailer';
import { createPasswordHasher } from '../../functions/domain/password-hashing';
import { completePasswordReset, verifyPasswordReset } from '../../functions/use-cases/password-reset';
import { recordDeliveryFeedback } from '../../functions/use-cases/delivery-feedback';
import { createCompanyWithMaster, resetMasterPassword, setCompanyFeature } from '../../functions/use-cases/operator';
import { latestEmailTo, resetLinkOf } from '../support/inbox';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '..', '..');
const BASE_URL = 'http://127.0.0.1:3000';
const CHOSEN_PASSWORD = 'a long chosen passphrase 42';

const local = { region: 'us-east-1', credentials: { accessKeyId: 'local', secretAccessKey: 'local' } };
const dynamoDbClient = new DynamoDBClient({ ...local, endpoint: process.env.DYNAMODB_ENDPOINT });
const documentClient = DynamoDBDocumentClient.from(dynamoDbClient, { marshallOptions: { removeUndefinedValues: true } });
const sesClient = new SESClient({ ...local, endpoint: process.env.SES_ENDPOINT });
afterAll(() => {
  dynamoDbClient.destroy();
  sesClient.destroy();
});

const tables = { directory: process.env.DIRECTORY_TABLE!, tokens: process.env.TOKENS_TABLE!, audit: process.env.AUDIT_TABLE! };
const hasher = createPasswordHasher({ pepper: Buffer.from(process.env.PASSWORD_PEPPER!, 'utf8'), cost: Number(process.env.BCRYPT_COST) });
const directory = createDynamoDirectoryStores(documentClient, tables);
const auditLog = createDynamoAuditLog(documentClient, tables.audit);
const deps = {
  ...directory,
  guessability,
  breachedPasswords: undefined,
  auditLog,
  mailer: createSesMailer(sesClient, 'adminpass@localhost.localdomain'),
  hasher,
  clock: { now: () => new Date() },
  random: { bytes: (count: number) => randomBytes(count) },
  lifetimes: { resetLinkMinutes: 24 * 60 },
  publicBaseUrl: BASE_URL,
  resetTokens: createDynamoResetTokenStore(documentClient, tables.tokens),
  resetAttempts: createDynamoAttemptLimiter({ client: documentClient, tableName: tables.tokens, purpose: 'reset-link', maxAttempts: 10_000, windowMinutes: 15 }),
};

const tokenOf = (link: string): string => new URL(link).hash.slice('#token='.length);

/** A company the operator created, whose master has just received his set-up email. */
async function operatorCreatesCompany() {
  const companyId = `ops-${randomBytes(6).toString('hex')}`;
  const masterEmail = `master@${companyId}.example`;
  const created = await createCompanyWithMaster({ companyId, companyName: `Ops ${companyId}`, masterEmail, masterName: 'Olga Owner' }, deps);
  const email = await latestEmailTo(masterEmail, /was created/);
  return { companyId, masterEmail, master: created.master, email };
}

describe('when the operator creates a company on the real tables', () => {
  it('gives the master no password, and a set-up link whose password then signs him in', async () => {
    // Prepare
    const { companyId, masterEmail, master, email } = await operatorCreatesCompany();
    const before = await directory.admins.get(companyId, master.adminId);

    // Act
    const link = resetLinkOf(email);
    const screen = await verifyPasswordReset(tokenOf(link), { sourceIp: 'ops-test', userAgent: null }, deps);
    await completePasswordReset({ token: tokenOf(link), newPassword: CHOSEN_PASSWORD, confirmPassword: CHOSEN_PASSWORD }, { sourceIp: 'ops-test', userAgent: null }, deps);

    // Assess
    expect(before?.password).toBeUndefined();
    expect(link.startsWith(`${BASE_URL}/password-reset#token=`)).toBe(true);
    expect(email.body.text).toContain(`Your adminpass account for Ops ${companyId} was created`);
    expect(screen).toMatchObject({ purpose: 'set-up', email: masterEmail, companyId, companyName: `Ops ${companyId}` });
    const after = await directory.admins.get(companyId, master.adminId);
    expect(await hasher.verify(CHOSEN_PASSWORD, after?.password)).toBe(true);
    expect(after).toMatchObject({ role: 'master', status: 'active', passwordKind: 'permanent' });
  });

  it('records the company, the master and the set-up link in the company audit trail, as the operator', async () => {
    // Prepare
    const { companyId, master } = await operatorCreatesCompany();

    // Act
    const { items } = await auditLog.list(companyId, { limit: 10 });

    // Assess
    expect(items.map((event) => event.type).sort()).toEqual(['ADMIN_CREATED', 'COMPANY_CREATED', 'PASSWORD_RESET_REQUESTED']);
    for (const event of items) expect(event).toMatchObject({ actorAdminId: null, userAgent: 'adminpass-ops' });
    expect(items.find((event) => event.type === 'PASSWORD_RESET_REQUESTED')).toMatchObject({ targetAdminId: master.adminId, details: { requestedBy: 'operator' } });
  });
});

describe('when the operator enables a feature on the real tables', () => {
  it('stores it on the company and records FEATURE_ENABLED', async () => {
    // Prepare
    const { companyId } = await operatorCreatesCompany();

    // Act
    await setCompanyFeature({ companyId, feature: 'password-policy', enabled: true }, deps);

    // Assess
    expect((await directory.companies.get(companyId))?.features).toEqual(['password-policy']);
    const { items } = await auditLog.list(companyId, { limit: 10 });
    expect(items.map((event) => event.type)).toContain('FEATURE_ENABLED');
  });
});

describe('when a locked-out master goes through the operator', () => {
  it('gets a reset link whose new password signs in and lifts the lock', async () => {
    // Prepare: the master set his password, then failed sign-ins locked him
    const { companyId, masterEmail, master, email } = await operatorCreatesCompany();
    const setUp = tokenOf(resetLinkOf(email));
    await completePasswordReset({ token: setUp, newPassword: CHOSEN_PASSWORD, confirmPassword: CHOSEN_PASSWORD }, { sourceIp: 'ops-test', userAgent: null }, deps);
    const signedUp = (await directory.admins.get(companyId, master.adminId))!;
    const lock = reserveComparison(signedUp, '198.51.100.7', { source: { threshold: 3, minutes: 15 }, account: { threshold: 1, minutes: 15 } }, new Date());
    if (lock.kind !== 'reserve') throw new Error('the first failure must be counted');
    expect(await directory.attempts.reserve(signedUp, lock)).toMatchObject({ reserved: true });
    const locked = (await directory.admins.get(companyId, master.adminId))!;

    // Act
    await resetMasterPassword({ companyId, email: masterEmail.toUpperCase() }, deps);
    const resetEmail = await latestEmailTo(masterEmail, /Set a new password/);
    const reset = (await directory.admins.get(companyId, master.adminId))!;
    const resetScreen = await verifyPasswordReset(tokenOf(resetLinkOf(resetEmail)), { sourceIp: 'ops-test', userAgent: null }, deps);
    const newPassword = 'the second chosen passphrase';
    await completePasswordReset({ token: tokenOf(resetLinkOf(resetEmail)), newPassword, confirmPassword: newPassword }, { sourceIp: 'ops-test', userAgent: null }, deps);

    // Assess
    expect(locked.lockedUntil).toBeDefined();
    expect(reset.password).toBeUndefined();
    expect(reset.lockedUntil).toBe(locked.lockedUntil);
    expect(resetEmail.body.text).toContain('the adminpass service operator has reset your master administrator password');
    expect(resetScreen.purpose).toBe('reset');
    const after = (await directory.admins.get(companyId, master.adminId))!;
    expect(await hasher.verify(newPassword, after.password)).toBe(true);
    expect(after.lockedUntil).toBeUndefined();
  });
});

describe('when the operator runs bin/ops.ts', () => {
  const portOf = (url: string | undefined): string => new URL(url!).port;
  const tableFlags = ['--directory-table', tables.directory, '--tokens-table', tables.tokens, '--audit-table', tables.audit];

  /** Runs the CLI as `npm run ops` does, against the test tables; resolves its exit code and output. */
  async function ops(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
    const env = { ...process.env, DYNAMODB_PORT: portOf(process.env.DYNAMODB_ENDPOINT), SES_PORT: portOf(process.env.SES_ENDPOINT) };
    try {
      const { stdout, stderr } = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'bin/ops.ts'), ...args], { cwd: ROOT, env });
      return { code: 0, stdout, stderr };
    } catch (error) {
      const failed = error as { code: number; stdout: string; stderr: string };
      return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
    }
  }

  it('lists the companies, one line each with id, name, active masters and features, and exits 0', async () => {
    // Prepare
    const { companyId } = await operatorCreatesCompany();
    await setCompanyFeature({ companyId, feature: 'password-policy', enabled: true }, deps);

    // Act
    const result = await ops('list-companies', ...tableFlags);

    // Assess
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')).toContain(`${companyId}  "Ops ${companyId}"  active masters: 1  features: password-policy`);
  });

  it('prints the usage and exits 2 for an unknown feature', async () => {
    // Act
    const result = await ops('enable-feature', '--company', 'demo', '--feature', 'time-travel', ...tableFlags);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--feature');
    expect(result.stderr).toContain('usage: npm run ops -- <command>');
    expect(result.stdout).toBe('');
  });

  it('sets a company’s daily limit of reset emails with set-limit, shows it in list-companies, and unsets it with "default"', async () => {
    // Prepare
    const { companyId } = await operatorCreatesCompany();

    // Act
    const set = await ops('set-limit', '--company', companyId, '--resets-per-day', '200', ...tableFlags);
    const stored = (await directory.companies.get(companyId))?.resetsPerDay;
    const listed = await ops('list-companies', ...tableFlags);
    const unset = await ops('set-limit', '--company', companyId, '--resets-per-day', 'default', ...tableFlags);

    // Assess
    expect(set).toMatchObject({ code: 0, stdout: `Set the daily limit of reset emails of ${companyId} to 200 (was the deployment's default).\n` });
    expect(stored).toBe(200);
    expect(listed.stdout.split('\n')).toContain(`${companyId}  "Ops ${companyId}"  active masters: 1  features: none  resets per day: 200`);
    expect(unset).toMatchObject({ code: 0, stdout: `Set the daily limit of reset emails of ${companyId} to the deployment's default (was 200).\n` });
    expect((await directory.companies.get(companyId))?.resetsPerDay).toBeUndefined();
    const { items } = await auditLog.list(companyId, { limit: 10 });
    expect(items.filter((event) => event.type === 'RESET_LIMIT_CHANGED').map((event) => event.details)).toEqual([
      { resetsPerDay: null, previous: 200 },
      { resetsPerDay: 200, previous: null },
    ]);
    // Three CLI runs, each a fresh tsx process: on two busy cores that outlasts the default 30 s.
  }, 120_000);

  it('prints the usage and exits 2 for a daily limit out of range, changing nothing', async () => {
    // Prepare
    const { companyId } = await operatorCreatesCompany();

    // Act
    const result = await ops('set-limit', '--company', companyId, '--resets-per-day', '10001', ...tableFlags);

    // Assess
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--resets-per-day: a whole number from 1 to 10000, or "default"');
    expect((await directory.companies.get(companyId))?.resetsPerDay).toBeUndefined();
  });

  it('clears a suppressed address with clear-suppression, and says so when there is none', async () => {
    // Prepare: the master's registered address bounced
    const { companyId, masterEmail } = await operatorCreatesCompany();
    await recordDeliveryFeedback(
      { kind: 'bounce', bounceType: 'Permanent', recipients: [masterEmail], feedbackId: 'f-1', messageId: 'm-1', tags: { companyId }, at: new Date().toISOString() },
      deps,
    );

    // Act
    const cleared = await ops('clear-suppression', '--company', companyId, '--email', masterEmail.toUpperCase(), ...tableFlags);
    const again = await ops('clear-suppression', '--company', companyId, '--email', masterEmail, ...tableFlags);

    // Assess
    expect(cleared).toMatchObject({ code: 0, stdout: `Cleared ${masterEmail} in ${companyId}: reset emails may go to it again.\n` });
    expect(again).toMatchObject({ code: 1, stderr: `${masterEmail} is not suppressed in "${companyId}"; nothing was changed.\n` });
    expect(await directory.suppressions.find(companyId, masterEmail)).toBeUndefined();
  }, 90_000);

  it('prints one line and exits 1 when it refuses a reset for a company that does not exist', async () => {
    // Act
    const result = await ops('reset-master', '--company', 'no-such-company', '--email', 'ada@example.com', ...tableFlags);

    // Assess
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('There is no company "no-such-company"; nothing was changed.\n');
    expect(result.stdout).toBe('');
  });
});
