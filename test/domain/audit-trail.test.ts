// Use-case tests of the audit trail: every operation records its event (type, outcome, actor, target, company,
// origin, UTC time, facts) through the in-memory directory and audit log, and no event ever holds a password, a
// token or a hash.
import type { AdminRecord } from '../../functions/domain/admin';
import type { AuditEvent, Origin } from '../../functions/domain/audit';
import { ADMIN_ID_PATTERN, hashToken } from '../../functions/domain/tokens';
import type { Actor } from '../../functions/use-cases/actor';
import { answerNewPasswordChallenge } from '../../functions/use-cases/answer-new-password-challenge';
import { changeOwnPassword } from '../../functions/use-cases/change-own-password';
import { updateCompanyPasswordPolicy } from '../../functions/use-cases/company-password-policy';
import { createAdmin, disableAdmin, unlockAdmin, updateAdmin } from '../../functions/use-cases/manage-admins';
import { completePasswordReset, requestPasswordReset } from '../../functions/use-cases/password-reset';
import { setTemporaryPassword } from '../../functions/use-cases/set-temporary-password';
import { addMinutes } from '../../functions/use-cases/dependencies';
import { signIn, type NewPasswordChallenge, type SessionGrant } from '../../functions/use-cases/sign-in';
import {
  COMPANY,
  adminRecord,
  companyRecord,
  failureOf,
  fakeDependencies,
  policySettings,
  signedInActor,
  type FakeDependencies,
} from './fakes';

const MASTER_ORIGIN: Origin = { sourceIp: '198.51.100.23', userAgent: 'Mozilla/5.0 (Macintosh) master console' };
const GRACE_ORIGIN: Origin = { sourceIp: '203.0.113.77', userAgent: 'Mozilla/5.0 (Windows) grace' };
const GRACE_PASSWORD = 'graces own passphrase of today';
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

interface Scene {
  readonly deps: FakeDependencies;
  readonly master: AdminRecord;
  readonly grace: AdminRecord;
  readonly masterActor: Actor;
  readonly graceActor: Actor;
}

async function scene(graceOverrides: Partial<AdminRecord> = {}): Promise<Scene> {
  const deps = fakeDependencies();
  deps.directory.putCompany(companyRecord({ features: ['password-policy'], passwordPolicy: policySettings({ lockoutThreshold: 3 }) }));
  const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  const grace = deps.directory.put(adminRecord({ email: 'grace.hopper@acme.example', name: 'Grace Hopper', password: await deps.hasher.hash(GRACE_PASSWORD), ...graceOverrides }));
  return { deps, master, grace, masterActor: await signedInActor(deps, master, MASTER_ORIGIN), graceActor: await signedInActor(deps, grace, GRACE_ORIGIN) };
}

const tokenOfLastEmail = (deps: FakeDependencies) => /#token=([A-Za-z0-9_-]{43})/.exec(deps.mailer.sent.at(-1)!.message.text)![1]!;
const signInGrace = (s: Scene, password: string) => signIn({ companyId: COMPANY, email: s.grace.email, password }, GRACE_ORIGIN, s.deps);
const byMaster = (s: Scene) => ({ actorAdminId: s.master.adminId, sourceIp: MASTER_ORIGIN.sourceIp, userAgent: MASTER_ORIGIN.userAgent });
const byGrace = (s: Scene) => ({ actorAdminId: s.grace.adminId, sourceIp: GRACE_ORIGIN.sourceIp, userAgent: GRACE_ORIGIN.userAgent });
const anonymousFromGrace = { actorAdminId: null, sourceIp: GRACE_ORIGIN.sourceIp, userAgent: GRACE_ORIGIN.userAgent };

interface AuditCase {
  readonly operation: string;
  /** Brings the scene to where the operation can run (not audited by this case); act receives what it resolves. */
  readonly before?: (s: Scene) => Promise<unknown>;
  readonly act: (s: Scene, prepared: unknown) => Promise<unknown>;
  /** The events the operation must have recorded; companyId is COMPANY unless given. */
  readonly expected: (s: Scene) => Partial<AuditEvent>[];
}

const CASES: readonly AuditCase[] = [
  {
    operation: 'a successful sign-in',
    act: (s) => signInGrace(s, GRACE_PASSWORD),
    expected: (s) => [{ type: 'SIGN_IN_SUCCEEDED', outcome: 'success', ...anonymousFromGrace, targetAdminId: s.grace.adminId, details: { result: 'SESSION' } }],
  },
  {
    operation: 'a sign-in with a wrong password',
    act: (s) => failureOf(signInGrace(s, 'not graces passphrase at all')),
    expected: (s) => [{ type: 'SIGN_IN_FAILED', outcome: 'failure', ...anonymousFromGrace, targetAdminId: s.grace.adminId, details: { reason: 'WRONG_PASSWORD' } }],
  },
  {
    operation: 'a sign-in with an unknown email',
    act: (s) => failureOf(signIn({ companyId: COMPANY, email: 'nobody@acme.example', password: GRACE_PASSWORD }, GRACE_ORIGIN, s.deps)),
    expected: () => [{ type: 'SIGN_IN_FAILED', outcome: 'failure', ...anonymousFromGrace, targetAdminId: null, details: { reason: 'UNKNOWN_EMAIL' } }],
  },
  {
    operation: 'the lockout',
    before: async (s) => {
      for (let i = 0; i < 2; i += 1) await failureOf(signInGrace(s, 'not graces passphrase at all'));
    },
    act: (s) => failureOf(signInGrace(s, 'not graces passphrase at all')),
    expected: (s) => [
      { type: 'SIGN_IN_FAILED', outcome: 'failure', ...anonymousFromGrace, targetAdminId: s.grace.adminId },
      { type: 'ACCOUNT_LOCKED', outcome: 'failure', ...anonymousFromGrace, targetAdminId: s.grace.adminId, details: { scope: 'source', minutes: '15', until: addMinutes(s.deps.clock.now(), 15) } },
    ],
  },
  {
    operation: 'an unlock',
    before: async (s) => {
      s.deps.directory.put({ ...s.grace, lockedUntil: '2025-06-02T09:15:00.000Z' });
    },
    act: (s) => unlockAdmin(s.masterActor, s.grace.adminId, s.deps),
    expected: (s) => [{ type: 'ACCOUNT_UNLOCKED', outcome: 'success', ...byMaster(s), targetAdminId: s.grace.adminId, details: { wasLockedUntil: '2025-06-02T09:15:00.000Z' } }],
  },
  {
    operation: 'an own password change',
    act: (s) => changeOwnPassword(s.graceActor, { currentPassword: GRACE_PASSWORD, newPassword: 'seven purple otters sing loudly' }, s.deps),
    expected: (s) => [{ type: 'PASSWORD_CHANGED', outcome: 'success', ...byGrace(s), targetAdminId: s.grace.adminId }],
  },
  {
    operation: 'an own password change with a wrong current password',
    act: (s) => failureOf(changeOwnPassword(s.graceActor, { currentPassword: 'not graces passphrase at all', newPassword: 'seven purple otters sing loudly' }, s.deps)),
    expected: (s) => [{ type: 'PASSWORD_CHANGED', outcome: 'failure', ...byGrace(s), targetAdminId: s.grace.adminId, details: { reason: 'CURRENT_PASSWORD_INCORRECT' } }],
  },
  {
    operation: 'a temporary password set by the master',
    act: (s) => setTemporaryPassword(s.masterActor, s.grace.adminId, 'blue kettle under a tall bridge', s.deps),
    expected: (s) => [{ type: 'TEMPORARY_PASSWORD_SET', outcome: 'success', ...byMaster(s), targetAdminId: s.grace.adminId, details: { expiresAt: '2025-06-09T09:07:00.000Z' } }],
  },
  {
    operation: 'the answer to the new-password challenge',
    before: async (s) => {
      await setTemporaryPassword(s.masterActor, s.grace.adminId, 'blue kettle under a tall bridge', s.deps);
      return ((await signInGrace(s, 'blue kettle under a tall bridge')) as NewPasswordChallenge).challengeToken;
    },
    act: (s, challengeToken) =>
      answerNewPasswordChallenge({ challengeToken: challengeToken as string, newPassword: 'seven purple otters sing loudly' }, GRACE_ORIGIN, s.deps),
    expected: (s) => [{ type: 'NEW_PASSWORD_SET', outcome: 'success', ...byGrace(s), targetAdminId: s.grace.adminId, details: { reason: 'TEMPORARY_PASSWORD' } }],
  },
  {
    operation: 'a reset sent to the registered address',
    act: (s) => requestPasswordReset(s.masterActor, s.grace.adminId, {}, s.deps),
    expected: (s) => [
      {
        type: 'PASSWORD_RESET_REQUESTED',
        ...byMaster(s),
        targetAdminId: s.grace.adminId,
        details: { sentTo: 'grace.hopper@acme.example', destination: 'registered', expiresAt: '2025-06-03T09:07:00.000Z', requestedBy: s.master.adminId },
      },
    ],
  },
  {
    operation: 'a reset sent to a typed address',
    act: (s) => requestPasswordReset(s.masterActor, s.grace.adminId, { email: 'Grace@Home.example' }, s.deps),
    expected: (s) => [
      { type: 'PASSWORD_RESET_REQUESTED', ...byMaster(s), targetAdminId: s.grace.adminId, details: expect.objectContaining({ sentTo: 'grace@home.example', destination: 'typed' }) },
    ],
  },
  {
    operation: 'a reset completed on the Password Change Screen',
    before: (s) => requestPasswordReset(s.masterActor, s.grace.adminId, {}, s.deps).then(() => undefined),
    act: (s) =>
      completePasswordReset(
        { token: tokenOfLastEmail(s.deps), newPassword: 'seven purple otters sing loudly', confirmPassword: 'seven purple otters sing loudly' },
        GRACE_ORIGIN,
        s.deps,
      ),
    expected: (s) => [{ type: 'PASSWORD_RESET_COMPLETED', outcome: 'success', ...anonymousFromGrace, targetAdminId: s.grace.adminId, details: { requestedBy: s.master.adminId } }],
  },
  {
    operation: 'an admin created',
    act: (s) => createAdmin(s.masterActor, { email: 'linus@acme.example', name: 'Linus T', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'blue kettle under a tall bridge' }, s.deps),
    expected: (s) => [
      {
        type: 'ADMIN_CREATED',
        ...byMaster(s),
        targetAdminId: expect.stringMatching(ADMIN_ID_PATTERN) as unknown as string,
        details: { email: 'linus@acme.example', role: 'general', canChangeOwnPassword: false, firstPassword: 'temporary' },
      },
    ],
  },
  {
    operation: 'an admin changed',
    act: (s) => updateAdmin(s.masterActor, s.grace.adminId, '"1"', { name: 'Grace B. Hopper', role: 'master' }, s.deps),
    expected: (s) => [
      { type: 'ADMIN_UPDATED', ...byMaster(s), targetAdminId: s.grace.adminId, details: { nameFrom: 'Grace Hopper', nameTo: 'Grace B. Hopper', roleFrom: 'general', roleTo: 'master' } },
    ],
  },
  {
    operation: 'the permission to change one’s own password granted',
    before: async (s) => {
      s.deps.directory.put({ ...s.grace, canChangeOwnPassword: false });
    },
    act: (s) => updateAdmin(s.masterActor, s.grace.adminId, '"1"', { canChangeOwnPassword: true }, s.deps),
    expected: (s) => [{ type: 'PERMISSION_GRANTED', ...byMaster(s), targetAdminId: s.grace.adminId, details: { permission: 'canChangeOwnPassword' } }],
  },
  {
    operation: 'the permission to change one’s own password revoked',
    act: (s) => updateAdmin(s.masterActor, s.grace.adminId, '"1"', { canChangeOwnPassword: false }, s.deps),
    expected: (s) => [{ type: 'PERMISSION_REVOKED', ...byMaster(s), targetAdminId: s.grace.adminId, details: { permission: 'canChangeOwnPassword' } }],
  },
  {
    operation: 'an admin disabled',
    act: (s) => disableAdmin(s.masterActor, s.grace.adminId, s.deps),
    expected: (s) => [{ type: 'ADMIN_DISABLED', ...byMaster(s), targetAdminId: s.grace.adminId }],
  },
  {
    operation: 'a password policy change',
    act: (s) => updateCompanyPasswordPolicy(s.masterActor, policySettings({ lockoutThreshold: 5 }), s.deps),
    expected: (s) => [{ type: 'PASSWORD_POLICY_CHANGED', ...byMaster(s), targetAdminId: null, details: { lockoutThresholdFrom: 3, lockoutThresholdTo: 5 } }],
  },
];

describe('when an audited operation runs', () => {
  it.each(CASES)('records $operation with its actor, target, company, origin and UTC time', async ({ before, act, expected }) => {
    // Prepare
    const s = await scene();
    const prepared = await before?.(s);
    s.deps.clock.advanceMinutes(7);
    const already = s.deps.auditLog.events.length;

    // Act
    await act(s, prepared);

    // Assess
    const recorded = s.deps.auditLog.events.slice(already);
    const at = s.deps.clock.now().toISOString();
    expect(recorded).toEqual(expected(s).map((event) => expect.objectContaining({ companyId: COMPANY, at, ...event })));
    for (const event of recorded) {
      expect(event.at).toMatch(ISO_UTC);
      expect(event.eventId).toMatch(ADMIN_ID_PATTERN);
    }
  });

  it('records nothing for a sign-in to a company that does not exist, so made-up ids create no audit partition', async () => {
    // Prepare
    const s = await scene();

    // Act
    await failureOf(signIn({ companyId: 'no-such-company', email: 'x@acme.example', password: GRACE_PASSWORD }, GRACE_ORIGIN, s.deps));

    // Assess
    expect(s.deps.auditLog.events).toEqual([]);
  });
});

describe('when every operation has run once', () => {
  it('never holds a password, a token or a hash in any recorded event', async () => {
    // Prepare: a story through every audited operation, remembering each secret it uses
    const s = await scene();
    const secrets: string[] = [GRACE_PASSWORD];
    const use = (secret: string) => {
      secrets.push(secret);
      return secret;
    };
    const { deps } = s;
    const temporary = use('blue kettle under a tall bridge');
    const wrong = use('not graces passphrase at all');
    const refused = use('grace-hopper-is-me');

    // Act
    const first = (await signInGrace(s, GRACE_PASSWORD)) as SessionGrant;
    use(first.sessionToken);
    await failureOf(signInGrace(s, wrong));
    await failureOf(changeOwnPassword(s.graceActor, { currentPassword: GRACE_PASSWORD, newPassword: refused }, deps));
    const changed = use('seven purple otters sing loudly');
    await changeOwnPassword(s.graceActor, { currentPassword: GRACE_PASSWORD, newPassword: changed }, deps);
    await setTemporaryPassword(s.masterActor, s.grace.adminId, temporary, deps);
    const challenge = (await signInGrace(s, temporary)) as NewPasswordChallenge;
    use(challenge.challengeToken);
    const chosen = use('a passphrase chosen at the challenge');
    use((await answerNewPasswordChallenge({ challengeToken: challenge.challengeToken, newPassword: chosen }, GRACE_ORIGIN, deps)).sessionToken);
    await requestPasswordReset(s.masterActor, s.grace.adminId, { email: 'grace@home.example' }, deps);
    const resetToken = use(tokenOfLastEmail(deps));
    const afterReset = use('a passphrase set from the link');
    await completePasswordReset({ token: resetToken, newPassword: afterReset, confirmPassword: afterReset }, GRACE_ORIGIN, deps);
    for (let i = 0; i < 3; i += 1) await failureOf(signInGrace(s, wrong));
    await failureOf(signInGrace(s, afterReset));
    await unlockAdmin(s.masterActor, s.grace.adminId, deps);
    use(((await signInGrace(s, afterReset)) as SessionGrant).sessionToken);
    await createAdmin(s.masterActor, { email: 'linus@acme.example', name: 'Linus T', role: 'general', canChangeOwnPassword: false, temporaryPassword: use('a temporary passphrase for him') }, deps);
    const current = (await deps.directory.getAdmin(COMPANY, s.grace.adminId))!;
    await updateAdmin(s.masterActor, s.grace.adminId, `"${current.version}"`, { canChangeOwnPassword: false, name: 'Grace B. Hopper' }, deps);
    await updateCompanyPasswordPolicy(s.masterActor, policySettings({ minLength: 20 }), deps);
    await disableAdmin(s.masterActor, s.grace.adminId, deps);

    // Assess
    const recorded = JSON.stringify(deps.auditLog.events);
    const types = new Set(deps.auditLog.events.map((event) => event.type));
    expect([...types].sort()).toEqual(
      [
        'SIGN_IN_SUCCEEDED',
        'SIGN_IN_FAILED',
        'PASSWORD_CHANGED',
        'TEMPORARY_PASSWORD_SET',
        'NEW_PASSWORD_SET',
        'PASSWORD_RESET_REQUESTED',
        'PASSWORD_RESET_COMPLETED',
        'ACCOUNT_LOCKED',
        'ACCOUNT_UNLOCKED',
        'ADMIN_CREATED',
        'ADMIN_UPDATED',
        'PERMISSION_REVOKED',
        'PASSWORD_POLICY_CHANGED',
        'ADMIN_DISABLED',
      ].sort(),
    );
    for (const secret of secrets) {
      expect(recorded).not.toContain(secret);
      expect(recorded.toLowerCase()).not.toContain(secret.toLowerCase());
    }
    for (const token of secrets.filter((secret) => /^[A-Za-z0-9_-]{43}$/.test(secret))) expect(recorded).not.toContain(hashToken(token));
    expect(recorded).not.toMatch(/\$2[aby]\$/);
    expect(recorded).not.toContain('hmac-sha384-bcrypt');
  });
});

describe('when a crafted user agent is recorded', () => {
  it('keeps at most 512 characters of it', async () => {
    // Prepare
    const s = await scene();
    const origin: Origin = { sourceIp: '192.0.2.1', userAgent: 'A'.repeat(5_000) };

    // Act
    await signIn({ companyId: COMPANY, email: s.grace.email, password: GRACE_PASSWORD }, origin, s.deps);

    // Assess
    expect(s.deps.auditLog.events.at(-1)?.userAgent).toHaveLength(512);
  });
});
