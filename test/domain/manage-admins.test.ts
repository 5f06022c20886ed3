// Use-case tests of the master's admin settings (functions/use-cases/manage-admins.ts): optimistic locking on
// update, the creation of admins (with a temporary password or an emailed set-up link), disabling and enabling.
import { toAdminView, withNewPassword, withResetStarted } from '../../functions/domain/admin';
import { ADMIN_ID_PATTERN } from '../../functions/domain/tokens';
import { WriteRefused } from '../../functions/domain/write-refusals';
import { createAdmin, disableAdmin, enableAdmin, getAdmin, updateAdmin } from '../../functions/use-cases/manage-admins';
import { notifyEmailChange } from '../../functions/use-cases/notify-email-change';
import { OTHER_COMPANY, actorFor, adminRecord, failureOf, fakeDependencies } from './fakes';

function prepare() {
  const deps = fakeDependencies();
  const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  const target = deps.directory.put(adminRecord({ email: 'grace.hopper@acme.example', name: 'Grace Hopper', version: 3 }));
  return { deps, master, target, actor: actorFor(master) };
}

describe('when an admin is updated without If-Match', () => {
  it.each([
    ['no header', undefined],
    ['an empty header', ''],
    ['a blank header', '   '],
  ])('refuses %s with PRECONDITION_REQUIRED', async (_what, ifMatch) => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    const error = await failureOf(updateAdmin(actor, target.adminId, ifMatch, { name: 'Grace B. Hopper' }, deps));

    // Assess
    expect(error.code).toBe('PRECONDITION_REQUIRED');
    expect(error.message).toContain('If-Match');
    expect(deps.directory.profileUpdates).toHaveLength(0);
  });
});

describe('when an admin is updated with a stale If-Match', () => {
  it.each([
    ['an older version', '"2"'],
    ['a newer version', '"4"'],
    ['a weak ETag', 'W/"3"'],
    ['an unquoted version', '3'],
  ])('refuses %s with PRECONDITION_FAILED', async (_what, ifMatch) => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    const error = await failureOf(updateAdmin(actor, target.adminId, ifMatch, { name: 'Grace B. Hopper' }, deps));

    // Assess
    expect(error.code).toBe('PRECONDITION_FAILED');
    expect(deps.directory.profileUpdates).toHaveLength(0);
  });
});

describe('when an admin is updated with the current ETag', () => {
  it('applies the change to that version, normalizing the email and trimming the name', async () => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    const { after: updated } = await updateAdmin(actor, target.adminId, '"3"', { name: '  Grace B. Hopper ', email: ' Grace@ACME.example' }, deps);

    // Assess
    expect(deps.directory.profileUpdates).toEqual([
      { adminId: target.adminId, readVersion: 3, after: expect.objectContaining({ version: 4, name: 'Grace B. Hopper', email: 'grace@acme.example' }) },
    ]);
    expect(updated).toMatchObject({ version: 4, name: 'Grace B. Hopper', email: 'grace@acme.example', updatedAt: '2025-06-02T09:00:00.000Z' });
  });

  it('answers ADMIN_NOT_FOUND for an admin of another company', async () => {
    // Prepare
    const { deps, actor } = prepare();
    const foreign = deps.directory.put(adminRecord({ companyId: OTHER_COMPANY, version: 1 }));

    // Act
    const error = await failureOf(updateAdmin(actor, foreign.adminId, '"1"', { canChangeOwnPassword: true }, deps));

    // Assess
    expect(error.code).toBe('ADMIN_NOT_FOUND');
    expect(deps.directory.profileUpdates).toHaveLength(0);
  });
});

describe('when an admin is sent back as it was read, with read-only fields (the round trip)', () => {
  it('accepts the read-only fields still as shown, ignores them, and applies the change', async () => {
    // Prepare
    const { deps, target, actor } = prepare();
    const { email: _email, name: _name, role: _role, canChangeOwnPassword: _right, ...readOnly } = toAdminView(target, deps.clock.now());

    // Act
    const { after } = await updateAdmin(actor, target.adminId, '"3"', { name: 'Grace B. Hopper' }, deps, readOnly);

    // Assess
    expect(after).toMatchObject({ name: 'Grace B. Hopper', version: 4, adminId: target.adminId, status: 'active' });
  });

  it.each([
    ['status', { status: 'disabled' as const }],
    ['createdAt', { createdAt: '2001-01-01T00:00:00.000Z' }],
    ['adminId', { adminId: '01JD6S2Z9K1V3M8Q4T7W0XYZAB' }],
  ])('refuses a changed %s with VALIDATION_FAILED READ_ONLY_FIELD, and writes nothing', async (field, changed) => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    const error = await failureOf(updateAdmin(actor, target.adminId, '"3"', { name: 'Grace B. Hopper' }, deps, changed));

    // Assess
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ field, code: 'READ_ONLY_FIELD' })]);
    expect(deps.directory.profileUpdates).toHaveLength(0);
  });

  it("does not store a master's canChangeOwnPassword sent back as shown (the effective right), nor audit it", async () => {
    // Prepare: a master whose stored permission is false; GET shows the effective right, true.
    const { deps, actor } = prepare();
    const other = deps.directory.put(adminRecord({ role: 'master', canChangeOwnPassword: false, email: 'lin@acme.example', name: 'Lin', version: 1 }));
    const shown = toAdminView(other, deps.clock.now());

    // Act
    const { after } = await updateAdmin(actor, other.adminId, '"1"', { name: 'Lin Renamed', canChangeOwnPassword: shown.canChangeOwnPassword }, deps);

    // Assess
    expect(shown.canChangeOwnPassword).toBe(true);
    expect(after.canChangeOwnPassword).toBe(false);
    expect(deps.directory.events.map((event) => event.type)).toEqual(['ADMIN_UPDATED']);
  });
});

describe('when a master reads an admin', () => {
  it('finds one of his own company and not one of another', async () => {
    // Prepare
    const { deps, target, actor } = prepare();
    const foreign = deps.directory.put(adminRecord({ companyId: OTHER_COMPANY }));

    // Act
    const found = await getAdmin(actor, target.adminId, deps);
    const error = await failureOf(getAdmin(actor, foreign.adminId, deps));

    // Assess
    expect(found.adminId).toBe(target.adminId);
    expect(error.code).toBe('ADMIN_NOT_FOUND');
  });
});

describe('when a master registers an admin', () => {
  it('creates him in the master’s company with a ULID, a normalized email and a temporary password', async () => {
    // Prepare
    const { deps, actor } = prepare();

    // Act
    const created = await createAdmin(
      actor,
      { email: ' Linus@ACME.example ', name: ' Linus T ', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'blue kettle under a tall bridge' },
      deps,
    );

    // Assess
    expect(created).toMatchObject({
      companyId: actor.admin.companyId,
      email: 'linus@acme.example',
      name: 'Linus T',
      passwordKind: 'temporary',
      temporaryPasswordExpiresAt: '2025-06-09T09:00:00.000Z',
    });
    expect(created.adminId).toMatch(ADMIN_ID_PATTERN);
    expect(await deps.hasher.verify('blue kettle under a tall bridge', created.password)).toBe(true);
  });

  it('refuses a temporary password that contains the new admin’s name', async () => {
    // Prepare
    const { deps, actor } = prepare();

    // Act
    const error = await failureOf(
      createAdmin(
        actor,
        { email: 'linus@acme.example', name: 'Linus Torvalds', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'welcome torvalds 2025!' },
        deps,
      ),
    );

    // Assess
    expect(error.code).toBe('PASSWORD_POLICY_VIOLATION');
    expect(error.details).toEqual([expect.objectContaining({ code: 'CONTAINS_PERSONAL_INFO', field: 'temporaryPassword' })]);
    expect(deps.hasher.hashCalls).toBe(0);
  });
});

describe('when a master changes an admin’s email', () => {
  it('tells the old address, after the change is stored, what changed and whom to contact, without the new address', async () => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    const edit = await updateAdmin(actor, target.adminId, '"3"', { email: 'grace.new@acme.example' }, deps);
    const storedFirst = deps.directory.profileUpdates.length;
    const sent = await notifyEmailChange(edit, deps, () => undefined);

    // Assess
    expect(storedFirst).toBe(1);
    expect(sent).toBe(true);
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual(['grace.hopper@acme.example']);
    const { subject, text, html } = deps.mailer.sent[0]!.message;
    expect(subject).toBe('The email address of your Acme Corporation administrator account was changed');
    expect(text).toContain('was changed on 2 June 2025 at 09:00 UTC');
    expect(text).toContain('any password reset link sent before the change no longer works');
    expect(text).toContain('contact a master administrator of Acme Corporation');
    expect(`${text}${html}`).not.toContain('grace.new@acme.example');
    expect(`${text}${html}`).not.toMatch(/https?:|token/i);
  });

  it('sends nothing when the email did not change', async () => {
    // Prepare
    const { deps, target, actor } = prepare();

    // Act
    const edit = await updateAdmin(actor, target.adminId, '"3"', { name: 'Grace B. Hopper', email: 'Grace.Hopper@ACME.example' }, deps);

    // Assess
    expect(await notifyEmailChange(edit, deps, () => undefined)).toBeUndefined();
    expect(deps.mailer.sent).toHaveLength(0);
  });

  it('keeps the change when the notice cannot be sent, and reports the failure', async () => {
    // Prepare
    const { deps, target, actor } = prepare();
    deps.mailer.failWith = new Error('Throttling: Maximum sending rate exceeded.');
    const failures: unknown[] = [];

    // Act
    const edit = await updateAdmin(actor, target.adminId, '"3"', { email: 'grace.new@acme.example' }, deps);
    const sent = await notifyEmailChange(edit, deps, (error) => failures.push(error));

    // Assess
    expect(sent).toBe(false);
    expect(failures).toHaveLength(1);
    expect((await deps.admins.get(target.companyId, target.adminId))?.email).toBe('grace.new@acme.example');
  });
});

describe('when a disable keeps meeting other writes of the same admin', () => {
  it('answers CONCURRENT_CHANGE after its fresh reads run out, not a precondition the master never sent', async () => {
    // Prepare: every save finds the admin at another version than the one just read
    const { deps, target, actor } = prepare();
    let saves = 0;
    deps.admins.saveProfile = async () => {
      saves += 1;
      // Judged on the old version, the master count's condition failed too.
      throw new WriteRefused(saves % 2 === 0 ? ['STALE_VERSION', 'LAST_MASTER'] : ['STALE_VERSION']);
    };

    // Act
    const error = await failureOf(disableAdmin(actor, target.adminId, deps));

    // Assess
    expect(error.code).toBe('CONCURRENT_CHANGE');
    expect(saves).toBeGreaterThan(1);
    expect((await deps.admins.get(target.companyId, target.adminId))?.status).toBe('active');
  });
});

const LINUS = { email: 'Linus@ACME.example', name: 'Linus T', role: 'general', canChangeOwnPassword: false } as const;

describe('when a master invites an admin by email', () => {
  it('stores him with no password anyone knows and emails his address a set-up link that names the master and the company id', async () => {
    // Prepare
    const { deps, actor } = prepare();

    // Act
    const created = await createAdmin(actor, { ...LINUS, sendSetUpLink: true }, deps);

    // Assess
    const stored = await deps.admins.get(created.companyId, created.adminId);
    expect(stored).toMatchObject({ email: 'linus@acme.example', password: undefined, resetLink: { sentTo: 'linus@acme.example', expiresAt: '2025-06-03T09:00:00.000Z' } });
    expect(toAdminView(created, deps.clock.now())).toMatchObject({ passwordState: 'reset-link', resetLinkSentTo: 'linus@acme.example', passwordExpiresAt: '2025-06-03T09:00:00.000Z', lastSignInAt: null });
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual(['linus@acme.example']);
    const { subject, text } = deps.mailer.sent[0]!.message;
    expect(subject).toBe('Ada Lovelace added you as an administrator of Acme Corporation');
    expect(text).toContain('https://admin.acme.example/password-reset#token=');
    expect(text).toContain(`company id "${actor.admin.companyId}"`);
    expect(text).not.toMatch(/temporary password/i);
    const [link] = [...deps.directory.tokens.values()].filter((token) => 'sentTo' in token);
    expect(link).toMatchObject({ adminId: created.adminId, requestedBy: actor.admin.adminId, issuedForEmail: 'linus@acme.example' });
    expect(deps.auditLog.events.map((event) => [event.type, event.details.firstPassword ?? null])).toEqual([
      ['ADMIN_CREATED', 'set-up-link'],
      ['PASSWORD_RESET_REQUESTED', null],
    ]);
  });

  it.each([
    ['both ways', { temporaryPassword: 'blue kettle under a tall bridge', sendSetUpLink: true }],
    ['neither way', {}],
  ])('refuses a registration that names %s of setting his first password', async (_what, firstPassword) => {
    // Prepare
    const { deps, actor } = prepare();

    // Act
    const error = await failureOf(createAdmin(actor, { ...LINUS, ...firstPassword }, deps));

    // Assess
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(deps.directory.admins.size).toBe(2);
  });

  it('refuses a suppressed address before he is stored, and sends nothing', async () => {
    // Prepare
    const { deps, actor } = prepare();
    deps.suppressions.items.set(`${actor.admin.companyId}/linus@acme.example`, { companyId: actor.admin.companyId, email: 'linus@acme.example', reason: 'bounce', suppressedAt: '2025-05-01T00:00:00.000Z' } as never);

    // Act
    const error = await failureOf(createAdmin(actor, { ...LINUS, sendSetUpLink: true }, deps));

    // Assess
    expect(error.code).toBe('ADDRESS_SUPPRESSED');
    expect(await deps.admins.findByEmail(actor.admin.companyId, 'linus@acme.example')).toBeUndefined();
    expect(deps.mailer.sent).toHaveLength(0);
  });

  it('refuses once the master\'s limit of reset emails is used up, before he is stored', async () => {
    // Prepare
    const { deps, actor } = prepare();
    for (let taken = 0; taken < 10; taken += 1) await deps.resetLimits.perMaster.take(`${actor.admin.companyId}#${actor.admin.adminId}`, deps.clock.now());

    // Act
    const error = await failureOf(createAdmin(actor, { ...LINUS, sendSetUpLink: true }, deps));

    // Assess
    expect(error.code).toBe('TOO_MANY_RESETS');
    expect(await deps.admins.findByEmail(actor.admin.companyId, 'linus@acme.example')).toBeUndefined();
    expect(deps.auditLog.events.map((event) => [event.type, event.targetAdminId])).toEqual([['PASSWORD_RESET_LIMITED', null]]);
  });

  it('gives back the limits\' places when the address is taken, so a refused registration costs no email', async () => {
    // Prepare
    const { deps, actor, target } = prepare();

    // Act
    const error = await failureOf(createAdmin(actor, { ...LINUS, email: target.email, sendSetUpLink: true }, deps));

    // Assess
    expect(error.code).toBe('EMAIL_TAKEN');
    expect([...deps.resetLimits.perMaster.counts.values(), ...deps.resetLimits.perCompany.counts.values()].every((count) => count === 0)).toBe(true);
  });

  it('says he was registered when SES then refuses the email; he has no password and no link', async () => {
    // Prepare
    const { deps, actor } = prepare();
    deps.mailer.failWith = new Error('MessageRejected');

    // Act
    const error = await failureOf(createAdmin(actor, { ...LINUS, sendSetUpLink: true }, deps));

    // Assess
    expect(error.code).toBe('EMAIL_DELIVERY_FAILED');
    expect(error.message).toMatch(/^Linus T was registered, but the set-up email could not be sent\..*\[Reset Password\]/);
    const stored = await deps.admins.findByEmail(actor.admin.companyId, 'linus@acme.example');
    expect(toAdminView(stored!, deps.clock.now()).passwordState).toBe('none');
  });
});

describe('when a master enables a disabled admin', () => {
  it('makes him active at the next version with ADMIN_ENABLED; his sessions stay revoked and his password stays', async () => {
    // Prepare
    const { deps, actor, target } = prepare();
    await disableAdmin(actor, target.adminId, deps);
    const disabled = (await deps.admins.get(target.companyId, target.adminId))!;

    // Act
    await enableAdmin(actor, target.adminId, deps);

    // Assess
    const enabled = (await deps.admins.get(target.companyId, target.adminId))!;
    expect(enabled).toMatchObject({ status: 'active', version: disabled.version + 1, sessionEpoch: disabled.sessionEpoch, password: target.password });
    expect(deps.auditLog.events.map((event) => event.type)).toEqual(['ADMIN_DISABLED', 'ADMIN_ENABLED']);
  });

  it('counts an enabled master among the company\'s active masters again', async () => {
    // Prepare
    const { deps, actor } = prepare();
    const other = deps.directory.put(adminRecord({ role: 'master', email: 'mia@acme.example' }));
    deps.directory.putCompany({ ...deps.directory.companies.get(actor.admin.companyId)!, activeMasterCount: 2 });
    await disableAdmin(actor, other.adminId, deps);

    // Act
    await enableAdmin(actor, other.adminId, deps);

    // Assess
    expect(deps.directory.companies.get(actor.admin.companyId)?.activeMasterCount).toBe(2);
  });

  it('writes nothing for an admin who is active already, and refuses one of another company', async () => {
    // Prepare
    const { deps, actor, target } = prepare();
    const foreign = deps.directory.put(adminRecord({ companyId: OTHER_COMPANY, status: 'disabled' }));

    // Act
    await enableAdmin(actor, target.adminId, deps);
    const error = await failureOf(enableAdmin(actor, foreign.adminId, deps));

    // Assess
    expect(deps.directory.profileUpdates).toHaveLength(0);
    expect(error.code).toBe('ADMIN_NOT_FOUND');
  });
});

describe('when the API shows an admin', () => {
  const STORED = { scheme: 'fake', cost: 1, hash: 'stored' };
  const now = new Date('2025-06-02T09:00:00.000Z');
  it.each([
    ['his own password', { password: STORED }, { passwordState: 'set', passwordExpiresAt: null, resetLinkSentTo: null }],
    [
      'a temporary password',
      { password: STORED, passwordKind: 'temporary', temporaryPasswordExpiresAt: '2025-06-09T09:00:00.000Z' },
      { passwordState: 'temporary', passwordExpiresAt: '2025-06-09T09:00:00.000Z', resetLinkSentTo: null },
    ],
    [
      'a lapsed temporary password',
      { password: STORED, passwordKind: 'temporary', passwordChangedAt: '2025-05-25T09:00:00.000Z', temporaryPasswordExpiresAt: '2025-06-01T09:00:00.000Z' },
      { passwordState: 'expired', passwordExpiresAt: '2025-06-01T09:00:00.000Z', resetLinkSentTo: null },
    ],
    [
      'a reset link sent to a typed address',
      { password: undefined, resetLink: { sentTo: 'home@elsewhere.example', expiresAt: '2025-06-03T09:00:00.000Z' } },
      { passwordState: 'reset-link', passwordExpiresAt: '2025-06-03T09:00:00.000Z', resetLinkSentTo: 'home@elsewhere.example' },
    ],
    ['no password and no link', { password: undefined }, { passwordState: 'none', passwordExpiresAt: null, resetLinkSentTo: null }],
    [
      'the throwaway password of an admin whose set-up email was not sent',
      { password: STORED, passwordKind: 'temporary', passwordChangedAt: '2025-06-01T09:00:00.000Z', temporaryPasswordExpiresAt: '2025-06-01T09:00:00.000Z' },
      { passwordState: 'none', passwordExpiresAt: null, resetLinkSentTo: null },
    ],
  ] as const)('says where his password stands with %s', (_what, record, shown) => {
    expect(toAdminView(adminRecord(record), now)).toMatchObject(shown);
  });

  it('forgets the reset link once a password is set with it', async () => {
    // Prepare
    const admin = withResetStarted(adminRecord(), now.toISOString(), { sentTo: 'grace.hopper@acme.example', expiresAt: '2025-06-03T09:00:00.000Z' });

    // Act
    const next = withNewPassword(admin, { password: { scheme: 'fake', cost: 1, hash: 'new' }, kind: 'permanent' }, { now: now.toISOString(), revokeSessions: true });

    // Assess
    expect(toAdminView(admin, now).passwordState).toBe('reset-link');
    expect(next.resetLink).toBeUndefined();
    expect(toAdminView(next, now).passwordState).toBe('set');
  });
});
