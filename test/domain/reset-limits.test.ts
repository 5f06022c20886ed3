// Use-case tests of the limits and the order of the master's reset (functions/use-cases/password-reset.ts): each
// limit is taken before anything is sent, a refused request sends nothing and writes only its audit event, of
// parallel resets of one admin only one sends, and a refused email leaves the password and no link behind.
import type { AdminRecord } from '../../functions/domain/admin';
import { setResetsPerDay } from '../../functions/use-cases/operator';
import { requestPasswordReset } from '../../functions/use-cases/password-reset';
import { COMPANY, actorFor, adminRecord, failureOf, fakeDependencies, type FakeDependencies } from './fakes';

const OLD_PASSWORD = 'the old password of the target';

async function prepare() {
  const deps = fakeDependencies();
  const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  const target = deps.directory.put(adminRecord({ email: 'grace@acme.example', password: await deps.hasher.hash(OLD_PASSWORD) }));
  return { deps, master, target, actor: actorFor(master) };
}

const generals = (deps: FakeDependencies, count: number): AdminRecord[] =>
  Array.from({ length: count }, (_, index) => deps.directory.put(adminRecord({ email: `general-${index}@acme.example` })));

const limitedEvents = (deps: FakeDependencies) => deps.auditLog.events.filter((event) => event.type === 'PASSWORD_RESET_LIMITED');

describe('when a master resets one administrator more often than 3 times in an hour', () => {
  it('refuses the fourth with TOO_MANY_RESETS until the hour ends, sends nothing, changes nothing and audits the limit', async () => {
    const { deps, target, actor } = await prepare();
    for (let reset = 0; reset < 3; reset += 1) await requestPasswordReset(actor, target.adminId, {}, deps);
    const before = await deps.directory.getAdmin(COMPANY, target.adminId);
    const tokens = deps.directory.tokens.size;
    deps.clock.advanceMinutes(10);

    const error = await failureOf(requestPasswordReset(actor, target.adminId, { email: 'outside@evil.example' }, deps));

    expect(error.code).toBe('TOO_MANY_RESETS');
    // The clock started at 09:00 and moved to 09:10; the hourly window ends at 10:00.
    expect(error.hints.retryAfterSeconds).toBe(50 * 60);
    expect(deps.mailer.sent).toHaveLength(3);
    expect(await deps.directory.getAdmin(COMPANY, target.adminId)).toEqual(before);
    expect(deps.directory.tokens.size).toBe(tokens);
    expect(limitedEvents(deps)).toEqual([
      expect.objectContaining({
        outcome: 'failure',
        actorAdminId: actor.admin.adminId,
        targetAdminId: target.adminId,
        details: { limit: 'target', sentTo: 'outside@evil.example', destination: 'typed', retryAfterSeconds: 3000 },
      }),
    ]);
    // The refused request took no place of the master or the company.
    expect(deps.resetLimits.perMaster.countOf(`${COMPANY}#${actor.admin.adminId}`, deps.clock.now())).toBe(3);
    expect(deps.resetLimits.perCompany.countOf(COMPANY, deps.clock.now())).toBe(3);
  });

  it('sends again once the window has ended', async () => {
    const { deps, target, actor } = await prepare();
    for (let reset = 0; reset < 3; reset += 1) await requestPasswordReset(actor, target.adminId, {}, deps);
    deps.clock.advanceMinutes(60);

    await expect(requestPasswordReset(actor, target.adminId, {}, deps)).resolves.toMatchObject({ destination: 'registered' });
    expect(deps.mailer.sent).toHaveLength(4);
  });
});

describe('when one master sends more than 10 resets in an hour', () => {
  it('sends 10 and refuses the 11th and 12th with the master’s limit, giving back the places of the target and company', async () => {
    const { deps, actor } = await prepare();
    const targets = generals(deps, 12);

    const outcomes = [];
    for (const target of targets) {
      outcomes.push(await requestPasswordReset(actor, target.adminId, { email: `outside-${target.adminId}@relay.example` }, deps).then(() => 'sent', (error: { code: string }) => error.code));
    }

    expect(outcomes).toEqual([...Array(10).fill('sent'), 'TOO_MANY_RESETS', 'TOO_MANY_RESETS']);
    expect(deps.mailer.sent).toHaveLength(10);
    expect(limitedEvents(deps).map((event) => event.details.limit)).toEqual(['master', 'master']);
    expect(deps.resetLimits.perTarget.countOf(`${COMPANY}#${targets[11]!.adminId}`, deps.clock.now())).toBe(0);
    expect(deps.resetLimits.perCompany.countOf(COMPANY, deps.clock.now())).toBe(10);
  });
});

describe('when the company has sent its resets of the day', () => {
  it('applies the operator’s setting for the company, whichever master asks, until midnight UTC', async () => {
    const { deps, actor, target } = await prepare();
    // As `npm run ops -- set-limit --company acme --resets-per-day 2` stores it.
    await setResetsPerDay({ companyId: COMPANY, resetsPerDay: 2 }, deps);
    const other = actorFor(deps.directory.put(adminRecord({ role: 'master', email: 'bob@acme.example' })));
    const [second, third] = generals(deps, 2);
    await requestPasswordReset(actor, target.adminId, {}, deps);
    await requestPasswordReset(other, second!.adminId, {}, deps);

    const error = await failureOf(requestPasswordReset(other, third!.adminId, {}, deps));

    expect(error.code).toBe('TOO_MANY_RESETS');
    expect(error.message).toContain('Your company');
    // 09:00 UTC to the end of the day.
    expect(error.hints.retryAfterSeconds).toBe(15 * 3600);
    expect(limitedEvents(deps).map((event) => event.details.limit)).toEqual(['company']);
    expect(deps.mailer.sent).toHaveLength(2);
  });
});

describe('when resets of one administrator run in parallel', () => {
  it('sends exactly one email; the others are refused at once, send nothing and take no place in any limit', async () => {
    const { deps, target, actor } = await prepare();
    const send = deps.mailer.send.bind(deps.mailer);
    // SES takes a moment, so every request reaches the claim while the first is still sending.
    deps.mailer.send = async (to, message, tags) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      return send(to, message, tags);
    };

    const outcomes = await Promise.all(
      Array.from({ length: 10 }, (_, index) => requestPasswordReset(actor, target.adminId, { email: `burst-${index}@relay.example` }, deps).then(() => 'sent', (error: { code: string }) => error.code)),
    );

    expect(outcomes.filter((outcome) => outcome === 'sent')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'CONCURRENT_CHANGE')).toHaveLength(9);
    expect(deps.mailer.sent).toHaveLength(1);
    expect(deps.directory.tokens.size).toBe(1);
    expect(deps.resetLimits.perTarget.countOf(`${COMPANY}#${target.adminId}`, deps.clock.now())).toBe(1);
    expect(deps.directory.resetClaims.size).toBe(0);
  });
});

describe('when SES refuses the email', () => {
  it('leaves the password working, no link, no claim held (the next reset goes out), and the place counted', async () => {
    const { deps, target, actor } = await prepare();
    deps.mailer.failWith = new Error('MessageRejected');

    const error = await failureOf(requestPasswordReset(actor, target.adminId, {}, deps));
    deps.mailer.failWith = undefined;
    const stored = await deps.directory.getAdmin(COMPANY, target.adminId);
    const retried = await requestPasswordReset(actor, target.adminId, {}, deps);

    expect(error.code).toBe('EMAIL_DELIVERY_FAILED');
    expect(await deps.hasher.verify(OLD_PASSWORD, stored?.password)).toBe(true);
    expect(stored?.passwordVersion).toBe(target.passwordVersion);
    expect(retried.sentTo).toBe(target.email);
    expect(deps.mailer.sent).toHaveLength(1);
    expect(deps.directory.tokens.size).toBe(1);
    expect(deps.resetLimits.perTarget.countOf(`${COMPANY}#${target.adminId}`, deps.clock.now())).toBe(2);
  });
});
