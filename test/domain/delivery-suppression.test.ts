// Use-case tests of SES feedback and suppressed addresses (functions/domain/delivery.ts,
// functions/use-cases/delivery-feedback.ts, suppressed-addresses.ts, and the suppression step of sendResetLink) on
// the shared in-memory ports: what a bounce or complaint suppresses, that a suppressed address gets no reset (typed
// or registered, from a master or the operator) and nothing is claimed, counted or sent, and that a master's clear
// lets the next reset go out.
import { decideSuppressions, type DeliveryFeedback } from '../../functions/domain/delivery';
import { recordDeliveryFeedback } from '../../functions/use-cases/delivery-feedback';
import { notifyEmailChange } from '../../functions/use-cases/notify-email-change';
import { notifyPasswordChange } from '../../functions/use-cases/notify-password-change';
import { clearSuppressedAddressAsOperator, resetMasterPassword } from '../../functions/use-cases/operator';
import { requestPasswordReset } from '../../functions/use-cases/password-reset';
import { clearSuppressedAddress, listSuppressedAddresses } from '../../functions/use-cases/suppressed-addresses';
import { COMPANY, OTHER_COMPANY, actorFor, adminRecord, companyRecord, failureOf, fakeDependencies } from './fakes';

const TYPED = 'gil.home@example.org';

function feedback(overrides: Partial<DeliveryFeedback> = {}): DeliveryFeedback {
  return {
    kind: 'bounce',
    bounceType: 'Permanent',
    subType: 'General',
    recipients: [TYPED],
    feedbackId: 'feedback-1',
    messageId: 'message-1',
    tags: { companyId: COMPANY, purpose: 'password-reset' },
    at: '2025-06-02T08:30:00.000Z',
    ...overrides,
  };
}

function prepare() {
  const deps = fakeDependencies();
  const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  const target = deps.directory.put(adminRecord({ email: 'gil@acme.example', name: 'Gil General' }));
  return { deps, master, target, actor: actorFor(master) };
}

const eventsOf = (deps: ReturnType<typeof fakeDependencies>, type: string) => deps.auditLog.events.filter((event) => event.type === type);

describe('when SES feedback is judged', () => {
  it('suppresses every recipient of a permanent bounce, lower-cased and once each, for the tagged company', () => {
    const decision = decideSuppressions(feedback({ recipients: ['Gil.Home@Example.org', 'gil.home@example.org', 'other@example.org'] }));

    expect(decision).toEqual({
      kind: 'suppress',
      suppressions: [
        expect.objectContaining({ companyId: COMPANY, email: 'gil.home@example.org', reason: 'bounce', detail: 'General', purpose: 'password-reset', suppressedAt: '2025-06-02T08:30:00.000Z' }),
        expect.objectContaining({ email: 'other@example.org' }),
      ],
    });
  });

  it('suppresses a complaint whatever its type, and keeps an unknown purpose out', () => {
    const decision = decideSuppressions(feedback({ kind: 'complaint', bounceType: undefined, subType: 'abuse', tags: { companyId: COMPANY, purpose: 'newsletter' } }));

    expect(decision).toEqual({ kind: 'suppress', suppressions: [expect.objectContaining({ reason: 'complaint', detail: 'abuse', purpose: null })] });
  });

  it.each(['Transient', 'Undetermined'] as const)('suppresses nothing for a %s bounce', (bounceType) => {
    expect(decideSuppressions(feedback({ bounceType }))).toEqual({ kind: 'ignore', why: 'not-permanent' });
  });

  it('attributes nothing to anyone without a company tag', () => {
    expect(decideSuppressions(feedback({ tags: undefined }))).toEqual({ kind: 'unattributed' });
  });
});

describe('when SES feedback is recorded', () => {
  it('stores the suppression with an EMAIL_SUPPRESSED event by SES, naming no admin for a typed address', async () => {
    const { deps } = prepare();

    const outcome = await recordDeliveryFeedback(feedback(), deps);

    expect(outcome).toEqual({ kind: 'suppressed', companyId: COMPANY, suppressed: 1, alreadySuppressed: 0, unknownCompany: 0 });
    expect(await deps.suppressions.find(COMPANY, TYPED)).toMatchObject({ reason: 'bounce', feedbackId: 'feedback-1' });
    expect(eventsOf(deps, 'EMAIL_SUPPRESSED')).toEqual([
      expect.objectContaining({
        companyId: COMPANY,
        actorAdminId: null,
        targetAdminId: null,
        userAgent: 'amazon-ses-feedback',
        details: expect.objectContaining({ email: TYPED, reason: 'bounce', registered: false, feedbackId: 'feedback-1', messageId: 'message-1' }),
      }),
    ]);
  });

  it('names the admin whose registered address it is', async () => {
    const { deps, target } = prepare();

    await recordDeliveryFeedback(feedback({ recipients: [target.email], tags: { companyId: COMPANY, purpose: 'password-change-notice' } }), deps);

    expect(eventsOf(deps, 'EMAIL_SUPPRESSED')).toEqual([expect.objectContaining({ targetAdminId: target.adminId, details: expect.objectContaining({ registered: true }) })]);
  });

  it('records the same notification twice as one suppression and one event', async () => {
    const { deps } = prepare();

    await recordDeliveryFeedback(feedback(), deps);
    const second = await recordDeliveryFeedback(feedback(), deps);

    expect(second).toMatchObject({ suppressed: 0, alreadySuppressed: 1 });
    expect((await deps.suppressions.list(COMPANY, { limit: 10 })).items).toHaveLength(1);
    expect(eventsOf(deps, 'EMAIL_SUPPRESSED')).toHaveLength(1);
  });

  it('stores nothing for a transient bounce, an untagged email or a company that does not exist', async () => {
    const { deps } = prepare();

    const outcomes = [
      await recordDeliveryFeedback(feedback({ bounceType: 'Transient' }), deps),
      await recordDeliveryFeedback(feedback({ tags: undefined }), deps),
      await recordDeliveryFeedback(feedback({ tags: { companyId: 'no-such-company' } }), deps),
    ];

    expect(outcomes).toEqual([
      { kind: 'ignored', companyId: COMPANY, why: 'not-permanent' },
      { kind: 'unattributed' },
      { kind: 'suppressed', companyId: 'no-such-company', suppressed: 0, alreadySuppressed: 0, unknownCompany: 1 },
    ]);
    expect(deps.suppressions.items.size).toBe(0);
    expect(deps.auditLog.events).toEqual([]);
  });

  it('suppresses the address in the tagged company only', async () => {
    const { deps, actor, target } = prepare();
    deps.directory.putCompany(companyRecord({ companyId: OTHER_COMPANY }));

    await recordDeliveryFeedback(feedback({ tags: { companyId: OTHER_COMPANY } }), deps);
    await requestPasswordReset(actor, target.adminId, { email: TYPED }, deps);

    expect(deps.mailer.sent.map((sent) => sent.to)).toEqual([TYPED]);
  });
});

describe('when a master resets to a suppressed address', () => {
  it('refuses with ADDRESS_SUPPRESSED before anything is claimed, counted or sent, and audits the refusal', async () => {
    // Prepare
    const { deps, actor, target } = prepare();
    await recordDeliveryFeedback(feedback(), deps);

    // Act
    const error = await failureOf(requestPasswordReset(actor, target.adminId, { email: 'Gil.Home@Example.org' }, deps));

    // Assess
    expect(error.code).toBe('ADDRESS_SUPPRESSED');
    expect(error.message).toContain('bounced permanently on 2025-06-02');
    expect(deps.mailer.sent).toEqual([]);
    expect(deps.directory.resetClaims.size).toBe(0);
    expect(deps.directory.passwordWrites).toEqual([]);
    for (const limiter of Object.values(deps.resetLimits)) expect(limiter.counts.size).toBe(0);
    expect(eventsOf(deps, 'PASSWORD_RESET_SUPPRESSED')).toEqual([
      expect.objectContaining({
        outcome: 'failure',
        actorAdminId: actor.admin.adminId,
        targetAdminId: target.adminId,
        details: expect.objectContaining({ sentTo: TYPED, destination: 'typed', reason: 'bounce', suppressedAt: '2025-06-02T08:30:00.000Z' }),
      }),
    ]);
  });

  it('refuses the registered address too once it bounced or complained (a notice to it, say)', async () => {
    const { deps, actor, target } = prepare();
    await recordDeliveryFeedback(feedback({ kind: 'complaint', bounceType: undefined, recipients: [target.email], tags: { companyId: COMPANY, purpose: 'password-change-notice' } }), deps);

    const error = await failureOf(requestPasswordReset(actor, target.adminId, {}, deps));

    expect(error.code).toBe('ADDRESS_SUPPRESSED');
    expect(error.message).toContain('marked an email from us as spam');
    expect(eventsOf(deps, 'PASSWORD_RESET_SUPPRESSED')[0]?.details).toMatchObject({ destination: 'registered', reason: 'complaint' });
  });

  it('still sends to another address of the same admin', async () => {
    const { deps, actor, target } = prepare();
    await recordDeliveryFeedback(feedback(), deps);

    await requestPasswordReset(actor, target.adminId, {}, deps);

    expect(deps.mailer.sent.map((sent) => sent.to)).toEqual([target.email]);
  });

  it('refuses the operator’s reset-master to a master whose registered address bounced, until the operator clears it', async () => {
    const { deps, master } = prepare();
    await recordDeliveryFeedback(feedback({ recipients: [master.email] }), deps);

    const refused = await failureOf(resetMasterPassword({ companyId: COMPANY, email: master.email }, deps));
    await clearSuppressedAddressAsOperator({ companyId: COMPANY, email: master.email }, deps);
    await resetMasterPassword({ companyId: COMPANY, email: master.email }, deps);

    expect(refused.code).toBe('ADDRESS_SUPPRESSED');
    expect(deps.mailer.sent.map((sent) => sent.to)).toEqual([master.email]);
    expect(eventsOf(deps, 'EMAIL_SUPPRESSION_CLEARED')).toEqual([expect.objectContaining({ actorAdminId: null, userAgent: 'adminpass-ops' })]);
  });
});

describe('when the master clears a suppressed address', () => {
  it('removes it with an EMAIL_SUPPRESSION_CLEARED event, and the next reset to it goes out, tagged', async () => {
    // Prepare
    const { deps, actor, target } = prepare();
    await recordDeliveryFeedback(feedback(), deps);

    // Act
    const cleared = await clearSuppressedAddress(actor, 'GIL.HOME@example.org', deps);
    await requestPasswordReset(actor, target.adminId, { email: TYPED }, deps);

    // Assess
    expect(cleared).toMatchObject({ email: TYPED, reason: 'bounce' });
    expect(await deps.suppressions.find(COMPANY, TYPED)).toBeUndefined();
    expect(eventsOf(deps, 'EMAIL_SUPPRESSION_CLEARED')).toEqual([
      expect.objectContaining({ actorAdminId: actor.admin.adminId, details: { email: TYPED, reason: 'bounce', suppressedAt: '2025-06-02T08:30:00.000Z' } }),
    ]);
    expect(deps.mailer.sent).toEqual([expect.objectContaining({ to: TYPED, tags: { companyId: COMPANY, purpose: 'password-reset' } })]);
  });

  it('answers SUPPRESSION_NOT_FOUND for an address that is not suppressed, and records nothing', async () => {
    const { deps, actor } = prepare();

    const error = await failureOf(clearSuppressedAddress(actor, TYPED, deps));

    expect(error.code).toBe('SUPPRESSION_NOT_FOUND');
    expect(deps.auditLog.events).toEqual([]);
  });

  it('cannot clear another company’s suppression: it is not found in his own', async () => {
    const { deps, actor } = prepare();
    deps.directory.putCompany(companyRecord({ companyId: OTHER_COMPANY }));
    await recordDeliveryFeedback(feedback({ tags: { companyId: OTHER_COMPANY } }), deps);

    const error = await failureOf(clearSuppressedAddress(actor, TYPED, deps));

    expect(error.code).toBe('SUPPRESSION_NOT_FOUND');
    expect(await deps.suppressions.find(OTHER_COMPANY, TYPED)).toBeDefined();
  });

  it('lists only his own company’s suppressed addresses', async () => {
    const { deps, actor } = prepare();
    deps.directory.putCompany(companyRecord({ companyId: OTHER_COMPANY }));
    await recordDeliveryFeedback(feedback({ recipients: ['mine@example.org'] }), deps);
    await recordDeliveryFeedback(feedback({ recipients: ['theirs@example.org'], tags: { companyId: OTHER_COMPANY } }), deps);

    const { items } = await listSuppressedAddresses(actor, { limit: 10 }, deps);

    expect(items.map((item) => item.email)).toEqual(['mine@example.org']);
  });
});

describe('when notices are sent', () => {
  it('tags the password-change notice and the email-change notice with the company and their purpose', async () => {
    const { deps, target } = prepare();
    const failed = (error: unknown) => {
      throw error;
    };

    await notifyPasswordChange(target, 'changed-by-you', deps, failed);
    await notifyEmailChange({ before: target, after: { ...target, email: 'gil.new@acme.example' } }, deps, failed);

    expect(deps.mailer.sent.map(({ to, tags }) => ({ to, tags }))).toEqual([
      { to: target.email, tags: { companyId: COMPANY, purpose: 'password-change-notice' } },
      { to: target.email, tags: { companyId: COMPANY, purpose: 'email-change-notice' } },
    ]);
  });
});
