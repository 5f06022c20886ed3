// Contract suites of the four directory ports. Each suite is run twice, against the in-memory fakes the use-case
// tests rely on and against the DynamoDB adapters on DynamoDB Local, so a fake cannot drift from its adapter: a
// condition one of them forgets fails here for that one.
import { randomBytes } from 'node:crypto';
import type { DirectoryStores } from '../../functions/adapters/dynamodb/directory-stores';
import { disabledAdmin, registeredAdmin, withNewPassword, withProfileChange, withResetStarted, type AdminRecord, type Role } from '../../functions/domain/admin';
import { OPERATOR_ORIGIN, auditEvent, type AuditEvent, type AuditEventType } from '../../functions/domain/audit';
import { newCompany } from '../../functions/domain/company';
import type { StoredPassword } from '../../functions/domain/password-hashing';
import { DEFAULT_PASSWORD_POLICY } from '../../functions/domain/password-policy';
import type { Challenge, ResetClaim, ResetToken, Session } from '../../functions/domain/ports';
import { MAX_KNOWN_SOURCES, ownUnlock, reserveComparison, succeeded, type ComparisonRules } from '../../functions/domain/sign-in-attempts';
import { hashToken, newUlid } from '../../functions/domain/tokens';
import { WriteRefused, type WriteRefusal } from '../../functions/domain/write-refusals';

/** What a contract run needs from one implementation: the ports, and the audit events they stored. */
export interface DirectoryUnderTest {
  readonly stores: DirectoryStores;
  eventTypes(companyId: string): Promise<AuditEventType[]>;
  /** The stored session and challenge of a token hash: what a sign-in's success opens beside the directory. */
  sessionOf(tokenHash: string): Promise<Session | undefined>;
  challengeOf(tokenHash: string): Promise<Challenge | undefined>;
}

const time = { clock: { now: () => new Date() }, random: { bytes: (count: number) => randomBytes(count) } };
const now = () => new Date().toISOString();
const event = (companyId: string, type: AuditEventType): AuditEvent => auditEvent({ companyId, type, actorAdminId: null, origin: OPERATOR_ORIGIN }, time);
const password = (label: string): StoredPassword => ({ scheme: 'contract', cost: 1, hash: `${label}-${randomBytes(4).toString('hex')}` });

/** The reasons a port refused the write with; fails the test when the write was applied or failed otherwise. */
export async function refusal(write: Promise<unknown>): Promise<readonly WriteRefusal[]> {
  const outcome = await write.then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(outcome instanceof WriteRefused)) throw new Error(`expected the write to be refused, got ${String(outcome)}`);
  return outcome.reasons;
}

/** A fresh company with one active master, stored through the ports under test. */
async function companyWithMaster(stores: DirectoryStores) {
  const companyId = `contract-${randomBytes(6).toString('hex')}`;
  await stores.companies.create(newCompany({ companyId, name: `Contract ${companyId}` }, now()), [event(companyId, 'COMPANY_CREATED')]);
  const master = await registered(stores, companyId, 'master');
  return { companyId, master };
}

async function registered(stores: DirectoryStores, companyId: string, role: Role): Promise<AdminRecord> {
  const admin = registeredAdmin(
    {
      companyId,
      adminId: newUlid(new Date(), time.random),
      email: `${role}-${randomBytes(4).toString('hex')}@${companyId}.example`,
      name: `A ${role}`,
      role,
      canChangeOwnPassword: true,
      password: password('temporary'),
      temporaryPasswordExpiresAt: new Date(Date.now() + 86_400_000).toISOString(),
    },
    now(),
  );
  await stores.admins.create(admin, [event(companyId, 'ADMIN_CREATED')]);
  return admin;
}

const stored = async (stores: DirectoryStores, admin: AdminRecord) => (await stores.admins.get(admin.companyId, admin.adminId))!;

export function directoryContract(implementation: string, setUp: () => DirectoryUnderTest): void {
  let directory: DirectoryUnderTest;
  let stores: DirectoryStores;
  beforeAll(() => {
    directory = setUp();
    stores = directory.stores;
  });

  describe(`CompanyStore (${implementation})`, () => {
    it('creates a company once; a second create of the id is COMPANY_EXISTS and stores nothing', async () => {
      const { companyId } = await companyWithMaster(stores);

      const reasons = await refusal(stores.companies.create(newCompany({ companyId, name: 'Impostor' }, now()), [event(companyId, 'COMPANY_CREATED')]));

      expect(reasons).toEqual(['COMPANY_EXISTS']);
      expect(await stores.companies.get(companyId)).toMatchObject({ companyId, name: `Contract ${companyId}`, activeMasterCount: 1, features: [] });
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'COMPANY_CREATED')).toHaveLength(1);
      expect((await stores.companies.list()).map((company) => company.companyId)).toContain(companyId);
    });

    it('saves features decided on the stored ones, and refuses FEATURES_MOVED when they changed meanwhile', async () => {
      const { companyId } = await companyWithMaster(stores);
      const read = (await stores.companies.get(companyId))!;
      await stores.companies.saveFeatures(read, ['password-policy'], [event(companyId, 'FEATURE_ENABLED')]);

      const reasons = await refusal(stores.companies.saveFeatures(read, ['password-policy'], [event(companyId, 'FEATURE_ENABLED')]));

      expect(reasons).toEqual(['FEATURES_MOVED']);
      expect((await stores.companies.get(companyId))!.features).toEqual(['password-policy']);
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'FEATURE_ENABLED')).toHaveLength(1);
    });

    it('refuses a policy for a company that does not exist with COMPANY_MISSING', async () => {
      const { companyId } = await companyWithMaster(stores);
      const { maxLength: _fixed, ...settings } = DEFAULT_PASSWORD_POLICY;

      expect(await refusal(stores.companies.savePasswordPolicy(`${companyId}-gone`, settings, []))).toEqual(['COMPANY_MISSING']);
    });

    it('sets and unsets the daily reset limit decided on the stored one, and refuses RESETS_LIMIT_MOVED when it changed meanwhile', async () => {
      const { companyId } = await companyWithMaster(stores);
      const read = (await stores.companies.get(companyId))!;
      await stores.companies.saveResetsPerDay(read, 200, [event(companyId, 'RESET_LIMIT_CHANGED')]);

      const stale = await refusal(stores.companies.saveResetsPerDay(read, 300, [event(companyId, 'RESET_LIMIT_CHANGED')]));
      const set = (await stores.companies.get(companyId))!;
      await stores.companies.saveResetsPerDay(set, undefined, [event(companyId, 'RESET_LIMIT_CHANGED')]);

      expect(stale).toEqual(['RESETS_LIMIT_MOVED']);
      expect(set.resetsPerDay).toBe(200);
      expect((await stores.companies.get(companyId))!.resetsPerDay).toBeUndefined();
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'RESET_LIMIT_CHANGED')).toHaveLength(2);
    });

    it('refuses a daily reset limit for a company that does not exist, and stores nothing', async () => {
      const { companyId } = await companyWithMaster(stores);
      const read = (await stores.companies.get(companyId))!;

      expect(await refusal(stores.companies.saveResetsPerDay({ ...read, companyId: `${companyId}-gone` }, 20, []))).toEqual(['RESETS_LIMIT_MOVED']);
      expect(await stores.companies.get(`${companyId}-gone`)).toBeUndefined();
    });
  });

  describe(`AdminAccounts (${implementation})`, () => {
    it('counts a new master, finds an admin by email, and refuses a second claim of the email with EMAIL_TAKEN', async () => {
      const { companyId, master } = await companyWithMaster(stores);
      const twin = registeredAdmin({ ...master, adminId: newUlid(new Date(), time.random), password: password('twin'), temporaryPasswordExpiresAt: now() }, now());

      const reasons = await refusal(stores.admins.create(twin, [event(companyId, 'ADMIN_CREATED')]));

      expect(reasons).toEqual(['EMAIL_TAKEN']);
      expect(await stores.admins.findByEmail(companyId, master.email)).toMatchObject({ adminId: master.adminId, role: 'master', status: 'active' });
      expect(await stores.admins.get(companyId, twin.adminId)).toBeUndefined();
      expect((await stores.companies.get(companyId))!.activeMasterCount).toBe(1);
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'ADMIN_CREATED')).toHaveLength(1);
    });

    it('refuses an admin of a company that does not exist with COMPANY_MISSING', async () => {
      const { master } = await companyWithMaster(stores);
      const orphan = registeredAdmin({ ...master, companyId: `${master.companyId}-gone`, password: password('orphan'), temporaryPasswordExpiresAt: now() }, now());

      expect(await refusal(stores.admins.create(orphan, []))).toEqual(['COMPANY_MISSING']);
    });

    it('stores a profile change made on the stored version, and refuses one made on an older version with STALE_VERSION', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      await stores.admins.saveProfile(general, withProfileChange(general, { name: 'First' }, now()), [event(companyId, 'ADMIN_UPDATED')]);

      const reasons = await refusal(stores.admins.saveProfile(general, withProfileChange(general, { name: 'Second' }, now()), [event(companyId, 'ADMIN_UPDATED')]));

      expect(reasons).toEqual(['STALE_VERSION']);
      expect(await stored(stores, general)).toMatchObject({ name: 'First', version: 2 });
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'ADMIN_UPDATED')).toHaveLength(1);
    });

    it('refuses to demote or disable the last active master with LAST_MASTER, and allows it once another master exists', async () => {
      const { companyId, master } = await companyWithMaster(stores);

      const demoted = await refusal(stores.admins.saveProfile(master, withProfileChange(master, { role: 'general' }, now()), []));
      const disabled = await refusal(stores.admins.saveProfile(master, disabledAdmin(master, now()), []));
      const second = await registered(stores, companyId, 'master');
      await stores.admins.saveProfile(master, disabledAdmin(master, now()), []);

      expect([demoted, disabled]).toEqual([['LAST_MASTER'], ['LAST_MASTER']]);
      expect(await stored(stores, master)).toMatchObject({ status: 'disabled', sessionEpoch: master.sessionEpoch + 1 });
      expect(await stored(stores, second)).toMatchObject({ status: 'active', role: 'master' });
      expect((await stores.companies.get(companyId))!.activeMasterCount).toBe(1);
    });

    it('refuses a disable decided before a promotion (STALE_VERSION), so the count of masters follows what is stored', async () => {
      const { companyId, master } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      await stores.admins.saveProfile(general, withProfileChange(general, { role: 'master' }, now()), []);

      const reasons = await refusal(stores.admins.saveProfile(general, disabledAdmin(general, now()), []));
      const promoted = await stored(stores, general);
      await stores.admins.saveProfile(promoted, disabledAdmin(promoted, now()), []);

      expect(reasons).toEqual(['STALE_VERSION']);
      expect((await stores.companies.get(companyId))!.activeMasterCount).toBe(1);
      expect(await refusal(stores.admins.saveProfile(master, withProfileChange(master, { role: 'general' }, now()), []))).toEqual(['LAST_MASTER']);
    });

    it('refuses an email change decided on a version another email change moved on with STALE_VERSION, its old claim being gone already', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const first = `first-${randomBytes(3).toString('hex')}@${companyId}.example`;
      const second = `second-${randomBytes(3).toString('hex')}@${companyId}.example`;
      await stores.admins.saveProfile(general, withProfileChange(general, { email: first }, now()), []);

      const reasons = await refusal(stores.admins.saveProfile(general, withProfileChange(general, { email: second }, now()), []));

      expect(reasons).toEqual(['STALE_VERSION']);
      expect(await stored(stores, general)).toMatchObject({ email: first });
    });

    it('moves the email claim with an email change, and refuses an address another admin holds with EMAIL_TAKEN', async () => {
      const { companyId, master } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const newEmail = `moved-${randomBytes(3).toString('hex')}@${companyId}.example`;
      await stores.admins.saveProfile(general, withProfileChange(general, { email: newEmail }, now()), []);
      const moved = await stored(stores, general);

      const reasons = await refusal(stores.admins.saveProfile(moved, withProfileChange(moved, { email: master.email }, now()), []));

      expect(reasons).toEqual(['EMAIL_TAKEN']);
      expect(await stores.admins.findByEmail(companyId, newEmail)).toMatchObject({ adminId: general.adminId });
      expect(await stores.admins.findByEmail(companyId, general.email)).toBeUndefined();
    });
  });

  describe(`CredentialStore (${implementation})`, () => {
    it('stores the record the domain decided and refuses a write decided on an older password with PASSWORD_MOVED', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const first = withNewPassword(general, { password: password('first'), kind: 'permanent', historyEntry: password('first-history') }, { now: now(), revokeSessions: true });
      await stores.credentials.save(general, first, { restartAttempts: true }, [event(companyId, 'PASSWORD_CHANGED')]);
      const late = withNewPassword(general, { password: password('late'), kind: 'permanent', historyEntry: password('late-history') }, { now: now(), revokeSessions: true });

      const reasons = await refusal(stores.credentials.save(general, late, { restartAttempts: true }, [event(companyId, 'PASSWORD_CHANGED')]));

      expect(reasons).toEqual(['PASSWORD_MOVED']);
      const after = await stored(stores, general);
      expect(after).toMatchObject({ password: first.password, passwordKind: 'permanent', historyEntry: first.historyEntry, passwordVersion: 2, sessionEpoch: 2, temporaryPasswordExpiresAt: undefined });
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'PASSWORD_CHANGED')).toHaveLength(1);
      expect(await stores.credentials.upgradeHash(general, password('upgrade'))).toBe(false);
    });

    it('issues a reset link with a reset, and lets one write use it up; the next is refused with TOKEN_USED', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const reset = withResetStarted(general, now(), { sentTo: general.email, expiresAt: now() });
      const tokenHash = hashToken(randomBytes(32).toString('base64url'));
      const link: ResetToken = {
        tokenHash,
        companyId,
        adminId: general.adminId,
        passwordVersion: reset.passwordVersion,
        requestedBy: 'contract',
        sentTo: general.email,
        issuedForEmail: general.email,
        createdAt: now(),
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      await stores.credentials.save(general, reset, { issueResetToken: link }, []);
      const afterReset = await stored(stores, general);
      const completion = (label: string) => withNewPassword(afterReset, { password: password(label), kind: 'permanent', historyEntry: password(label) }, { now: now(), revokeSessions: true });
      await stores.credentials.save(afterReset, completion('winner'), { consumeToken: tokenHash, restartAttempts: true }, []);

      const reasons = await refusal(stores.credentials.save({ ...afterReset, passwordVersion: afterReset.passwordVersion + 1, sessionEpoch: afterReset.sessionEpoch + 1 }, completion('loser'), { consumeToken: tokenHash }, []));

      expect(afterReset).toMatchObject({ password: undefined, passwordVersion: general.passwordVersion + 1 });
      expect(reasons).toEqual(['TOKEN_USED']);
      expect((await stored(stores, general)).password?.hash).toMatch(/^winner-/);
    });

    /** A reset of the admin, stored with its link, and a completion of it to try (refused or applied). */
    async function resetWithLink(admin: AdminRecord, requestedBy: string) {
      const reset = withResetStarted(admin, now(), { sentTo: admin.email, expiresAt: now() });
      const tokenHash = hashToken(randomBytes(32).toString('base64url'));
      const link: ResetToken = {
        tokenHash,
        companyId: admin.companyId,
        adminId: admin.adminId,
        passwordVersion: reset.passwordVersion,
        requestedBy,
        sentTo: `typed-${randomBytes(3).toString('hex')}@elsewhere.example`,
        issuedForEmail: admin.email,
        createdAt: now(),
        expiresAt: new Date(Date.now() + 86_400_000).toISOString(),
      };
      await stores.credentials.save(admin, reset, { issueResetToken: link }, []);
      const afterReset = await stored(stores, admin);
      const complete = (label: string, parts: { requireActiveMaster?: { companyId: string; adminId: string }; requireEmail?: string }) =>
        stores.credentials.save(
          afterReset,
          withNewPassword(afterReset, { password: password(label), kind: 'permanent' }, { now: now(), revokeSessions: true }),
          { consumeToken: tokenHash, restartAttempts: true, ...parts },
          [event(admin.companyId, 'PASSWORD_RESET_COMPLETED')],
        );
      return { complete };
    }

    it('refuses a completion with REQUESTER_NOT_MASTER once the link’s master is disabled or demoted, and applies it under an active master', async () => {
      const { companyId, master } = await companyWithMaster(stores);
      const other = await registered(stores, companyId, 'master');
      const demoted = await registered(stores, companyId, 'master');
      const general = await registered(stores, companyId, 'general');
      await stores.admins.saveProfile(master, disabledAdmin(master, now()), []);
      await stores.admins.saveProfile(demoted, withProfileChange(demoted, { role: 'general' }, now()), []);
      const { complete } = await resetWithLink(general, master.adminId);

      const byDisabled = await refusal(complete('disabled-sender', { requireActiveMaster: { companyId, adminId: master.adminId } }));
      const byDemoted = await refusal(complete('demoted-sender', { requireActiveMaster: { companyId, adminId: demoted.adminId } }));
      const byUnknown = await refusal(complete('unknown-sender', { requireActiveMaster: { companyId, adminId: newUlid(new Date(), time.random) } }));
      const afterRefusals = await stored(stores, general);
      await complete('active-sender', { requireActiveMaster: { companyId, adminId: other.adminId } });

      expect([byDisabled, byDemoted, byUnknown]).toEqual([['REQUESTER_NOT_MASTER'], ['REQUESTER_NOT_MASTER'], ['REQUESTER_NOT_MASTER']]);
      expect(afterRefusals.password).toBeUndefined();
      expect((await stored(stores, general)).password?.hash).toMatch(/^active-sender-/);
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'PASSWORD_RESET_COMPLETED')).toHaveLength(1);
    });

    it('refuses a completion with EMAIL_CHANGED once the admin no longer holds the address the link was issued under, and applies it while he does', async () => {
      const { companyId } = await companyWithMaster(stores);
      const moved = await registered(stores, companyId, 'general');
      const staying = await registered(stores, companyId, 'general');
      const movedLink = await resetWithLink(moved, 'operator');
      const stayingLink = await resetWithLink(staying, 'operator');
      const afterReset = await stored(stores, moved);
      await stores.admins.saveProfile(afterReset, withProfileChange(afterReset, { email: `new-${randomBytes(3).toString('hex')}@${companyId}.example` }, now()), []);

      const reasons = await refusal(movedLink.complete('old-address', { requireEmail: moved.email }));
      await stayingLink.complete('same-address', { requireEmail: staying.email });

      expect(reasons).toEqual(['EMAIL_CHANGED']);
      expect((await stored(stores, moved)).password).toBeUndefined();
      expect((await stored(stores, staying)).password?.hash).toMatch(/^same-address-/);
    });

    describe('when resets of one admin claim the sending of his link', () => {
      const claimOf = (admin: AdminRecord, heldForMs = 30_000): ResetClaim => ({
        companyId: admin.companyId,
        adminId: admin.adminId,
        claimId: randomBytes(8).toString('hex'),
        heldUntil: new Date(Date.now() + heldForMs).toISOString(),
      });

      it('grants one of 8 parallel claims; the others are RESET_IN_PROGRESS', async () => {
        const { companyId } = await companyWithMaster(stores);
        const general = await registered(stores, companyId, 'general');

        const outcomes = await Promise.all(
          Array.from({ length: 8 }, () => stores.credentials.claimReset(claimOf(general), general, new Date()).then(() => 'claimed', (error: unknown) => (error instanceof WriteRefused ? error.reasons.join() : String(error)))),
        );

        expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
        expect(outcomes.filter((outcome) => outcome === 'RESET_IN_PROGRESS')).toHaveLength(7);
      });

      it('grants a claim once the held one has lapsed, or was released by its holder only', async () => {
        const { companyId } = await companyWithMaster(stores);
        const general = await registered(stores, companyId, 'general');
        const first = claimOf(general);
        await stores.credentials.claimReset(first, general, new Date());

        await stores.credentials.releaseReset(claimOf(general));
        const whileHeld = await refusal(stores.credentials.claimReset(claimOf(general), general, new Date()));
        const afterLapse = claimOf(general);
        await stores.credentials.claimReset(afterLapse, general, new Date(Date.now() + 31_000));
        await stores.credentials.releaseReset(first);
        const stillHeld = await refusal(stores.credentials.claimReset(claimOf(general), general, new Date()));
        await stores.credentials.releaseReset(afterLapse);
        await stores.credentials.claimReset(claimOf(general), general, new Date());

        expect(whileHeld).toEqual(['RESET_IN_PROGRESS']);
        expect(stillHeld).toEqual(['RESET_IN_PROGRESS']);
      });

      it('ends the claim in the reset’s transaction; a write under a claim no longer held is CLAIM_LOST and stores nothing', async () => {
        const { companyId } = await companyWithMaster(stores);
        const general = await registered(stores, companyId, 'general');
        const lapsed = claimOf(general, -1);
        await stores.credentials.claimReset(lapsed, general, new Date(Date.now() - 60_000));
        const taker = claimOf(general);
        await stores.credentials.claimReset(taker, general, new Date());

        const reasons = await refusal(stores.credentials.save(general, withResetStarted(general, now(), { sentTo: general.email, expiresAt: now() }), { endResetClaim: lapsed }, [event(companyId, 'PASSWORD_RESET_REQUESTED')]));
        await stores.credentials.save(general, withResetStarted(general, now(), { sentTo: general.email, expiresAt: now() }), { endResetClaim: taker }, [event(companyId, 'PASSWORD_RESET_REQUESTED')]);
        const stale = await refusal(stores.credentials.claimReset(claimOf(general), general, new Date()));
        await stores.credentials.claimReset(claimOf(general), await stored(stores, general), new Date());

        expect(reasons).toEqual(['CLAIM_LOST']);
        // A claim decided on the admin as he was before that reset committed.
        expect(stale).toEqual(['PASSWORD_MOVED']);
        expect((await directory.eventTypes(companyId)).filter((type) => type === 'PASSWORD_RESET_REQUESTED')).toHaveLength(1);
        expect((await stored(stores, general)).passwordVersion).toBe(general.passwordVersion + 1);
      });
    });

    it('stores where a reset link went and until when, and forgets it with the password that answers it, which opens a session', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const link = { sentTo: `home@${companyId}.example`, expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
      await stores.credentials.save(general, withResetStarted(general, now(), link), {}, []);
      const reset = await stored(stores, general);
      const session = { tokenHash: hashToken(randomBytes(32).toString('base64url')), companyId, adminId: general.adminId, createdAt: now(), expiresAt: now() };

      await stores.credentials.save(reset, withNewPassword(reset, { password: password('own'), kind: 'permanent' }, { now: now(), revokeSessions: true }), { newSession: session }, []);

      expect(reset.resetLink).toEqual(link);
      expect(await stored(stores, general)).toMatchObject({ resetLink: undefined, lastSignInAt: session.createdAt });
    });

    it('kills a pending reset link with a disable, as an increment of the stored password version, even one the disable did not read', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const link = { sentTo: general.email, expiresAt: new Date(Date.now() + 86_400_000).toISOString() };
      // The reset starts after the disable read the admin: a password write, which leaves the profile version alone.
      await stores.credentials.save(general, withResetStarted(general, now(), link), {}, []);
      const reset = await stored(stores, general);

      await stores.admins.saveProfile(general, disabledAdmin(general, now()), []);

      expect(reset.passwordVersion).toBe(general.passwordVersion + 1);
      expect(await stored(stores, general)).toMatchObject({ status: 'disabled', resetLink: undefined, passwordVersion: general.passwordVersion + 2 });
    });

    it('leaves the sign-in attempt counters alone unless the write restarts them', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      await reserve(stores, general, { source: { threshold: 10, minutes: 15 }, account: { threshold: 100, minutes: 60 } }, '198.51.100.1');
      const counted = await stored(stores, general);
      await stores.credentials.save(counted, withResetStarted(counted, now(), { sentTo: counted.email, expiresAt: now() }), {}, []);
      const reset = await stored(stores, general);

      await stores.credentials.save(reset, withNewPassword(reset, { password: password('new'), kind: 'permanent' }, { now: now(), revokeSessions: true }), { restartAttempts: true }, []);

      expect(reset.failedSignIns).toBe(1);
      expect(await stored(stores, general)).toMatchObject({ failedSignIns: 0, lockedUntil: undefined });
    });
  });

  describe(`SignInAttempts (${implementation})`, () => {
    const rules: ComparisonRules = { source: { threshold: 3, minutes: 15 }, account: { threshold: 5, minutes: 60 } };
    const source = (n: number) => `198.51.100.${n}`;

    it('lets no more than the threshold from one source reserve, the last one locking that source only, however many try together', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');

      const outcomes = await Promise.all(Array.from({ length: 8 }, () => reserveWithRetries(stores, general, rules, source(1))));

      expect(outcomes.filter((outcome) => outcome === 'reserved')).toHaveLength(3);
      const counters = await stores.attempts.read(general);
      expect(counters?.sourceAttempts?.[source(1)]).toMatchObject({ failedSignIns: 3, lockedUntil: expect.any(String) });
      expect(counters).toMatchObject({ failedSignIns: 3, lockedUntil: undefined });
      expect(reserveComparison(counters!, source(2), rules, new Date())).toMatchObject({ kind: 'reserve' });
    });

    it('lets no more than the ceiling reserve across many sources, the last one locking the account, however many try together', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');

      const outcomes = await Promise.all(Array.from({ length: 12 }, (_, n) => reserveWithRetries(stores, general, rules, source(n))));

      expect(outcomes.filter((outcome) => outcome === 'reserved')).toHaveLength(5);
      expect(await stores.attempts.read(general)).toMatchObject({ failedSignIns: 5, lockedUntil: expect.any(String) });
    });

    it('lets a known source through the account’s lock without counting it, and an own unlock makes a source known', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const own = await reserve(stores, general, rules, source(100));
      await stores.attempts.giveBack(general, succeeded((await stores.attempts.read(general))!, own, new Date()), [event(companyId, 'SIGN_IN_SUCCEEDED')]);
      for (let n = 0; n < 5; n += 1) await reserve(stores, general, rules, source(n));
      const lockedAccount = (await stores.attempts.read(general))!;
      await stores.attempts.unlockOwnSource(general, ownUnlock(lockedAccount, source(200), new Date()), [event(companyId, 'ACCOUNT_UNLOCKED')]);

      await reserve(stores, general, rules, source(100));
      await reserve(stores, general, rules, source(200));

      expect(reserveComparison(lockedAccount, source(7), rules, new Date())).toMatchObject({ kind: 'refused', scope: 'account' });
      const after = (await stores.attempts.read(general))!;
      expect(after).toMatchObject({ failedSignIns: 5, lockedUntil: lockedAccount.lockedUntil });
      expect(Object.keys(after.knownSources ?? {}).sort()).toEqual([source(100), source(200)]);
      expect(after.sourceAttempts?.[source(100)]).toMatchObject({ failedSignIns: 1 });
      expect(after.sourceAttempts?.[source(200)]).toMatchObject({ failedSignIns: 1 });
    });

    it('refuses a reservation that skipped the account’s count as from a known source once the source was forgotten', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const succeedFrom = async (from: string, at: Date) => {
        const held = await reserve(stores, general, rules, from, at);
        await stores.attempts.giveBack(general, succeeded((await stores.attempts.read(general))!, held, at), []);
      };
      await succeedFrom(source(100), new Date());
      const asKnown = reserveComparison((await stores.attempts.read(general))!, source(100), rules, new Date());
      // Five later successes from other sources: only the 5 most recent stay known, so source(100) is forgotten.
      for (let n = 1; n <= MAX_KNOWN_SOURCES; n += 1) await succeedFrom(source(100 + n), new Date(Date.now() + n * 60_000));

      const applied = asKnown.kind === 'reserve' && (await stores.attempts.reserve(general, asKnown)).reserved;

      expect(asKnown).toMatchObject({ kind: 'reserve', accountPlace: undefined, knownUntil: expect.any(String) });
      expect(Object.keys((await stores.attempts.read(general))!.knownSources ?? {})).not.toContain(source(100));
      expect(applied).toBe(false);
    });

    it('gives a success’s places back in their own windows only, and lifts only the lock its own reservation set', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const read = async () => (await stores.attempts.read(general))!;
      const first = await reserve(stores, general, rules, source(1));
      await reserve(stores, general, rules, source(1));
      await stores.attempts.giveBack(general, succeeded(await read(), first, new Date()), [event(companyId, 'SIGN_IN_SUCCEEDED')]);
      const afterGiveBack = await read();
      const third = await reserve(stores, general, rules, source(1));
      const locking = await reserve(stores, general, rules, source(1));

      await stores.attempts.giveBack(general, succeeded(await read(), third, new Date()), []);
      const othersLock = await read();
      await stores.attempts.giveBack(general, succeeded(await read(), locking, new Date()), []);

      expect(afterGiveBack).toMatchObject({ failedSignIns: 1, sourceAttempts: { [source(1)]: { failedSignIns: 1 } }, knownSources: { [source(1)]: expect.any(String) } });
      expect(locking.sourcePlace?.locks).toEqual(expect.any(String));
      expect(othersLock.sourceAttempts?.[source(1)]).toMatchObject({ failedSignIns: 2, lockedUntil: locking.sourcePlace?.locks });
      const after = await read();
      expect(after.sourceAttempts?.[source(1)]).toMatchObject({ failedSignIns: 1 });
      expect(after.sourceAttempts?.[source(1)]?.lockedUntil).toBeUndefined();
      expect(after.failedSignIns).toBe(1);
    });

    it('makes the source known and records the success when its places are gone already', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const held = await reserve(stores, general, rules, source(1));
      const success = succeeded((await stores.attempts.read(general))!, held, new Date());
      await stores.attempts.unlock(general, [event(companyId, 'ACCOUNT_UNLOCKED')]);

      await stores.attempts.giveBack(general, success, [event(companyId, 'SIGN_IN_SUCCEEDED')]);

      expect(await stores.attempts.read(general)).toMatchObject({ failedSignIns: 0, sourceAttempts: {}, knownSources: { [source(1)]: success.knownUntil } });
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'SIGN_IN_SUCCEEDED')).toHaveLength(1);
    });

    it('refuses a plain count while a lock is set, even one decided under a higher threshold read before the lock', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const loose: ComparisonRules = { ...rules, source: { threshold: 10, minutes: 15 } };
      await reserve(stores, general, loose, source(1));
      const underOldPolicy = reserveComparison((await stores.attempts.read(general))!, source(1), loose, new Date());
      await reserve(stores, general, { ...rules, source: { threshold: 2, minutes: 15 } }, source(1));

      const applied = underOldPolicy.kind === 'reserve' && (await stores.attempts.reserve(general, underOldPolicy)).reserved;

      expect(underOldPolicy).toMatchObject({ kind: 'reserve', sourcePlace: { guard: { kind: 'unlocked-below' } } });
      expect(applied).toBe(false);
      expect((await stores.attempts.read(general))?.sourceAttempts?.[source(1)]).toMatchObject({ failedSignIns: 2, lockedUntil: expect.any(String) });
    });

    it('finds the account holding an address with its counters, and no account for an address nobody holds', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      await reserve(stores, general, rules, source(1));
      await stores.suppressions.suppress(
        { companyId, email: general.email, reason: 'bounce', detail: 'General', purpose: 'password-reset', feedbackId: 'f-1', messageId: 'm-1', suppressedAt: now() },
        [],
      );

      const found = await stores.attempts.findByAddress(companyId, general.email);

      expect(found).toEqual({ ...(await stores.attempts.read(general)), companyId, adminId: general.adminId, email: general.email });
      expect(found?.sourceAttempts?.[source(1)]).toMatchObject({ failedSignIns: 1 });
      expect(await stores.attempts.findByAddress(companyId, `nobody@${companyId}.example`)).toBeUndefined();
      expect(await stores.attempts.findByAddress(`${companyId}-other`, general.email)).toBeUndefined();
    });

    it('finds an address under its new holder once it moved', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const other = await registered(stores, companyId, 'general');
      const address = general.email;
      await stores.admins.saveProfile(general, withProfileChange(general, { email: `moved-${address}` }, now()), []);
      const released = await stored(stores, other);
      await stores.admins.saveProfile(released, withProfileChange(released, { email: address }, now()), []);

      expect(await stores.attempts.findByAddress(companyId, address)).toMatchObject({ adminId: other.adminId });
      expect(await stores.attempts.findByAddress(companyId, `moved-${address}`)).toMatchObject({ adminId: general.adminId });
    });

    it('returns the stored admin with the places a reservation took, and the stored one when it is refused', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const decision = reserveComparison((await stores.attempts.read(general))!, source(1), rules, new Date());
      if (decision.kind !== 'reserve') throw new Error('expected a place');

      const first = await stores.attempts.reserve(general, decision);
      const again = await stores.attempts.reserve(general, decision);

      expect(first).toEqual({ reserved: true, admin: await stored(stores, general) });
      expect(first.reserved && first.admin.sourceAttempts?.[source(1)]).toMatchObject({ failedSignIns: 1 });
      expect(first.reserved && first.admin.password).toEqual(general.password);
      expect(again).toEqual({ reserved: false, stored: await stored(stores, general) });
      expect(await stores.attempts.reserve({ companyId, adminId: 'NOBODY' }, decision)).toEqual({ reserved: false, stored: undefined });
    });

    it('refuses a reservation for an address the account no longer holds, and takes no place', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const address = general.email;
      await stores.admins.saveProfile(general, withProfileChange(general, { email: `moved-${address}` }, now()), []);
      const decision = reserveComparison((await stores.attempts.read(general))!, source(1), rules, new Date());
      if (decision.kind !== 'reserve') throw new Error('expected a place');

      const refused = await stores.attempts.reserve(general, decision, address);
      const holding = await stores.attempts.reserve(general, decision, `moved-${address}`);

      expect(refused).toMatchObject({ reserved: false, stored: { email: `moved-${address}`, failedSignIns: 0 } });
      expect(holding).toMatchObject({ reserved: true, admin: { email: `moved-${address}`, failedSignIns: 1 } });
    });

    /** A session and a challenge a success of `admin` at `at` may open, each with a fresh token. */
    const openingsOf = (admin: AdminRecord, at: Date) => {
      const expiresAt = new Date(at.getTime() + 3_600_000).toISOString();
      const tokenHash = () => hashToken(randomBytes(32).toString('base64url'));
      return {
        session: { tokenHash: tokenHash(), companyId: admin.companyId, adminId: admin.adminId, epoch: 0, createdAt: at.toISOString(), expiresAt },
        challenge: { tokenHash: tokenHash(), companyId: admin.companyId, adminId: admin.adminId, reason: 'TEMPORARY_PASSWORD' as const, passwordVersion: 1, expiresAt },
      };
    };

    it('opens the session or the challenge of a success in the same write as its give-back and its events', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const at = new Date();
      const { session, challenge } = openingsOf(general, at);

      const first = await reserve(stores, general, rules, source(1), at);
      await stores.attempts.giveBack(general, succeeded((await stores.attempts.read(general))!, first, at), [event(companyId, 'SIGN_IN_SUCCEEDED')], { session });
      const second = await reserve(stores, general, rules, source(1), at);
      await stores.attempts.giveBack(general, succeeded((await stores.attempts.read(general))!, second, at), [event(companyId, 'SIGN_IN_SUCCEEDED')], { challenge });

      expect(await directory.sessionOf(session.tokenHash)).toEqual(session);
      expect(await directory.challengeOf(challenge.tokenHash)).toEqual(challenge);
      expect((await stores.attempts.read(general))?.sourceAttempts?.[source(1)]).toMatchObject({ failedSignIns: 0 });
      expect((await directory.eventTypes(companyId)).filter((type) => type === 'SIGN_IN_SUCCEEDED')).toHaveLength(2);
    });

    it('stores the time of the last sign-in with a session a success opens, and not with a challenge', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const at = new Date();
      const { session, challenge } = openingsOf(general, at);

      const first = await reserve(stores, general, rules, source(1), at);
      await stores.attempts.giveBack(general, succeeded((await stores.attempts.read(general))!, first, at), [], { challenge });
      const afterChallenge = (await stored(stores, general)).lastSignInAt;
      const second = await reserve(stores, general, rules, source(1), at);
      await stores.attempts.giveBack(general, succeeded((await stores.attempts.read(general))!, second, at), [], { session });

      expect(afterChallenge).toBeUndefined();
      expect((await stored(stores, general)).lastSignInAt).toBe(session.createdAt);
    });

    it('refuses to store a success, and opens no session, for an admin who is gone', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const held = await reserve(stores, general, rules, source(1));
      const success = succeeded((await stores.attempts.read(general))!, held, new Date());
      const session = { tokenHash: hashToken(randomBytes(32).toString('base64url')), companyId, adminId: 'GONE', epoch: 0, createdAt: now(), expiresAt: now() };

      await expect(stores.attempts.giveBack({ companyId, adminId: 'GONE' }, success, [], { session })).rejects.toThrow('gone');

      expect(await directory.sessionOf(session.tokenHash)).toBeUndefined();
    });

    it('stores nothing with the decoy an unknown address costs', async () => {
      const { companyId, master } = await companyWithMaster(stores);

      await stores.attempts.decoy(companyId);

      expect(await stores.attempts.read({ companyId, adminId: 'DECOY' })).toBeUndefined();
      expect(await stores.admins.findByEmail(companyId, `nobody@${companyId}.example`)).toBeUndefined();
      expect((await stores.admins.list(companyId, { limit: 10 })).items.map((admin) => admin.adminId)).toEqual([master.adminId]);
    });

    it('opens a new window at one after a source’s lock lapses, removes lapsed counts of other sources, and a master’s unlock clears every count', async () => {
      const { companyId } = await companyWithMaster(stores);
      const general = await registered(stores, companyId, 'general');
      const roomy: ComparisonRules = { ...rules, account: { threshold: 100, minutes: 60 } };
      for (let i = 0; i < 3; i += 1) await reserve(stores, general, roomy, source(1));
      await reserve(stores, general, roomy, source(2));
      const later = new Date(Date.now() + 16 * 60_000);

      await reserve(stores, general, roomy, source(1), later);
      const afterLapse = (await stores.attempts.read(general))!;
      await reserve(stores, general, roomy, source(3), later);
      const pruned = (await stores.attempts.read(general))!;
      await stores.attempts.unlock(general, [event(companyId, 'ACCOUNT_UNLOCKED')]);

      expect(afterLapse.sourceAttempts?.[source(1)]).toEqual({ failedSignIns: 1, failureWindowStartedAt: later.toISOString() });
      expect(Object.keys(afterLapse.sourceAttempts ?? {})).not.toContain(source(2));
      expect(Object.keys(pruned.sourceAttempts ?? {}).sort()).toEqual([source(1), source(3)]);
      expect(await stores.attempts.read(general)).toMatchObject({ failedSignIns: 0, failureWindowStartedAt: undefined, lockedUntil: undefined, sourceAttempts: {} });
      expect(await stores.attempts.unlock({ companyId, adminId: 'NOBODY' }, [])).toBe(false);
    });
  });
}

/** One reservation decided on the stored counters; fails the test when it is refused. */
async function reserve(stores: DirectoryStores, admin: AdminRecord, rules: ComparisonRules, from: string, at = new Date()) {
  const decision = reserveComparison((await stores.attempts.read(admin))!, from, rules, at);
  if (decision.kind !== 'reserve' || !(await stores.attempts.reserve(admin, decision)).reserved) throw new Error('expected the reservation to apply');
  return decision;
}

/** As a comparison does: decide, reserve, and decide again on a fresh read while the counters move under it. */
async function reserveWithRetries(stores: DirectoryStores, admin: AdminRecord, rules: ComparisonRules, from: string): Promise<'reserved' | 'locked'> {
  for (let round = 0; round < 20; round += 1) {
    const decision = reserveComparison((await stores.attempts.read(admin))!, from, rules, new Date());
    if (decision.kind === 'refused') return 'locked';
    if ((await stores.attempts.reserve(admin, decision)).reserved) return 'reserved';
  }
  throw new Error('the counters kept moving for 20 rounds');
}
