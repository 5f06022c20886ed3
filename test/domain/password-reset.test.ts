// Use-case tests of the seed's "Reset Password" (functions/use-cases/password-reset.ts) with in-memory ports and a
// clock the test moves: the request, the link's life (expiry, reuse, supersession) and the completion.
import { hashToken } from '../../functions/domain/tokens';
import { OPERATOR_REQUESTER, type ResetToken } from '../../functions/domain/ports';
import { completePasswordReset, requestPasswordReset, sendResetLink, verifyPasswordReset } from '../../functions/use-cases/password-reset';
import { disableAdmin, enableAdmin } from '../../functions/use-cases/manage-admins';
import { setTemporaryPassword } from '../../functions/use-cases/set-temporary-password';
import { COMPANY, OTHER_COMPANY, actorFor, adminRecord, failureOf, fakeDependencies } from './fakes';

const OLD_PASSWORD = 'the old password of grace';
const NEW_PASSWORD = 'a brand new passphrase';
const CLIENT = '203.0.113.9';
const FROM_CLIENT = { sourceIp: CLIENT, userAgent: 'Mozilla/5.0 (reset link)' };

async function prepare() {
  const deps = fakeDependencies();
  const master = deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));
  const target = deps.directory.put(
    adminRecord({ email: 'grace.hopper@acme.example', name: 'Grace Hopper', password: await deps.hasher.hash(OLD_PASSWORD), sessionEpoch: 4 }),
  );
  return { deps, master, target, actor: actorFor(master) };
}

/** The token in the link of the newest email sent. */
function tokenOfLastEmail(deps: ReturnType<typeof fakeDependencies>): string {
  const text = deps.mailer.sent.at(-1)!.message.text;
  return /#token=([A-Za-z0-9_-]{43})/.exec(text)![1]!;
}

describe('when the master resets an administrator’s password', () => {
  it('sends the link to the registered address by default, from the configured base URL, in the fragment', async () => {
    const { deps, target, actor } = await prepare();

    const sent = await requestPasswordReset(actor, target.adminId, {}, deps);

    expect(sent).toEqual({ sentTo: 'grace.hopper@acme.example', expiresAt: '2025-06-03T09:00:00.000Z', destination: 'registered' });
    expect(deps.mailer.sent[0]!.to).toBe('grace.hopper@acme.example');
    expect(deps.mailer.sent[0]!.message.text).toMatch(/https:\/\/admin\.acme\.example\/password-reset#token=[A-Za-z0-9_-]{43}\n/);
  });

  it('sends it to a typed address instead when the master gives one, and says so', async () => {
    const { deps, target, actor } = await prepare();

    const sent = await requestPasswordReset(actor, target.adminId, { email: 'Grace.Private@Home.Example' }, deps);

    expect(sent).toMatchObject({ sentTo: 'grace.private@home.example', destination: 'typed' });
    expect(deps.mailer.sent.map((mail) => mail.to)).toEqual(['grace.private@home.example']);
  });

  it('says who asked, for which company, and when the link expires', async () => {
    const { deps, target, actor } = await prepare();

    await requestPasswordReset(actor, target.adminId, {}, deps);

    const { subject, text, html } = deps.mailer.sent[0]!.message;
    expect(subject).toContain('Acme Corporation');
    expect(text).toContain('Ada Lovelace, master administrator of Acme Corporation');
    expect(text).toContain('expires in 24 hours, on 3 June 2025 at 09:00 UTC');
    expect(html).toContain('href="https://admin.acme.example/password-reset#token=');
  });

  it('stops the old password at once, revokes every session, and stores only the hash of the token', async () => {
    const { deps, target, actor } = await prepare();

    await requestPasswordReset(actor, target.adminId, {}, deps);

    const token = tokenOfLastEmail(deps);
    const stored = await deps.directory.getAdmin(COMPANY, target.adminId);
    expect(stored?.password).toBeUndefined();
    expect(stored?.sessionEpoch).toBe(5);
    expect([...deps.directory.tokens.keys()]).toEqual([hashToken(token)]);
    expect(JSON.stringify([...deps.directory.tokens.values()])).not.toContain(token);
  });

  it('changes nothing when the email cannot be sent: the password still works and no link exists', async () => {
    const { deps, target, actor } = await prepare();
    deps.mailer.failWith = new Error('MessageRejected: Email address is not verified.');

    const error = await failureOf(requestPasswordReset(actor, target.adminId, {}, deps));

    expect(error.code).toBe('EMAIL_DELIVERY_FAILED');
    expect(error.message).toContain('the password still works');
    const stored = await deps.directory.getAdmin(COMPANY, target.adminId);
    expect(await deps.hasher.verify(OLD_PASSWORD, stored?.password)).toBe(true);
    expect(deps.directory.tokens.size).toBe(0);
  });

  it('refuses the master’s own account, a disabled admin and another company’s admin', async () => {
    const { deps, master, actor } = await prepare();
    const disabled = deps.directory.put(adminRecord({ email: 'gone@acme.example', status: 'disabled' }));
    const foreign = deps.directory.put(adminRecord({ companyId: OTHER_COMPANY, email: 'x@globex.example' }));

    const codes = await Promise.all(
      [master.adminId, disabled.adminId, foreign.adminId].map(async (adminId) => (await failureOf(requestPasswordReset(actor, adminId, {}, deps))).code),
    );

    expect(codes).toEqual(['OWN_ACCOUNT', 'ADMIN_DISABLED', 'ADMIN_NOT_FOUND']);
    expect(deps.mailer.sent).toHaveLength(0);
  });
});

describe('when the link is opened', () => {
  it('shows what the link is for, the address, the company, the expiry and the policy', async () => {
    const { deps, target, actor } = await prepare();
    await requestPasswordReset(actor, target.adminId, { email: 'typed@home.example' }, deps);

    const details = await verifyPasswordReset(tokenOfLastEmail(deps), FROM_CLIENT, deps);

    expect(details).toMatchObject({
      purpose: 'reset',
      email: 'grace.hopper@acme.example',
      companyId: COMPANY,
      companyName: 'Acme Corporation',
      expiresAt: '2025-06-03T09:00:00.000Z',
    });
    expect(details.passwordPolicy.rules.map((rule) => rule.code)).toContain('TOO_SHORT');
  });

  it('still works one second before 24 hours have passed', async () => {
    const { deps, target, actor } = await prepare();
    await requestPasswordReset(actor, target.adminId, {}, deps);
    deps.clock.advanceMinutes(24 * 60 - 1 / 60);

    await expect(verifyPasswordReset(tokenOfLastEmail(deps), FROM_CLIENT, deps)).resolves.toMatchObject({ email: target.email });
  });

  it('is refused one second after 24 hours, although the item is still stored (TTL deletes late)', async () => {
    const { deps, target, actor } = await prepare();
    await requestPasswordReset(actor, target.adminId, {}, deps);
    const token = tokenOfLastEmail(deps);
    deps.clock.advanceMinutes(24 * 60 + 1 / 60);

    const error = await failureOf(verifyPasswordReset(token, FROM_CLIENT, deps));

    expect(deps.directory.tokens.has(hashToken(token))).toBe(true);
    expect(error.code).toBe('RESET_LINK_INVALID');
    expect(error.message).toContain('Ask your master administrator to send you a new link');
  });

  it('is refused once a newer reset was sent', async () => {
    const { deps, target, actor } = await prepare();
    await requestPasswordReset(actor, target.adminId, {}, deps);
    const older = tokenOfLastEmail(deps);
    await requestPasswordReset(actor, target.adminId, {}, deps);
    const newer = tokenOfLastEmail(deps);

    expect((await failureOf(verifyPasswordReset(older, FROM_CLIENT, deps))).code).toBe('RESET_LINK_INVALID');
    await expect(verifyPasswordReset(newer, FROM_CLIENT, deps)).resolves.toMatchObject({ email: target.email });
  });

  it('is refused once the master set a temporary password instead', async () => {
    const { deps, target, actor } = await prepare();
    await requestPasswordReset(actor, target.adminId, {}, deps);
    const token = tokenOfLastEmail(deps);
    await setTemporaryPassword(actor, target.adminId, 'a temporary passphrase here', deps);

    expect((await failureOf(verifyPasswordReset(token, FROM_CLIENT, deps))).code).toBe('RESET_LINK_INVALID');
  });

  it('stays dead once the admin was disabled, even after a master enables him again, and his screens show no pending link', async () => {
    const { deps, target, actor } = await prepare();
    await requestPasswordReset(actor, target.adminId, {}, deps);
    const token = tokenOfLastEmail(deps);
    await disableAdmin(actor, target.adminId, deps);
    await enableAdmin(actor, target.adminId, deps);

    const verify = await failureOf(verifyPasswordReset(token, FROM_CLIENT, deps));
    const completion = await failureOf(completePasswordReset({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FROM_CLIENT, deps));

    expect([verify.code, completion.code]).toEqual(['RESET_LINK_INVALID', 'RESET_LINK_INVALID']);
    const stored = await deps.directory.getAdmin(COMPANY, target.adminId);
    expect(stored?.resetLink).toBeUndefined();
  });

  it('gives an unknown or ill-formed token the same answer', async () => {
    const { deps } = await prepare();

    const unknown = await failureOf(verifyPasswordReset('A'.repeat(43), FROM_CLIENT, deps));
    const illFormed = await failureOf(verifyPasswordReset('not a token', FROM_CLIENT, deps));

    expect([unknown.code, illFormed.code]).toEqual(['RESET_LINK_INVALID', 'RESET_LINK_INVALID']);
    expect(unknown.message).toBe(illFormed.message);
  });

  it('answers 429 to a client’s misses after its tenth, and still opens a live link for that client', async () => {
    const { deps, target, actor } = await prepare();
    await requestPasswordReset(actor, target.adminId, {}, deps);
    const misses = [];
    for (let miss = 0; miss < 11; miss += 1) misses.push((await failureOf(verifyPasswordReset(`${'B'.repeat(42)}${miss % 10}`, FROM_CLIENT, deps))).code);

    const live = await verifyPasswordReset(tokenOfLastEmail(deps), FROM_CLIENT, deps);
    const otherClient = await failureOf(verifyPasswordReset('C'.repeat(43), { sourceIp: '198.51.100.1', userAgent: null }, deps));

    expect(misses).toEqual([...Array<string>(10).fill('RESET_LINK_INVALID'), 'TOO_MANY_ATTEMPTS']);
    expect(live.email).toBe(target.email);
    expect(otherClient.code).toBe('RESET_LINK_INVALID');
  });
});

describe('when the person sets the new password on the Password Change Screen', () => {
  async function linkSent() {
    const prepared = await prepare();
    await requestPasswordReset(prepared.actor, prepared.target.adminId, {}, prepared.deps);
    return { ...prepared, token: tokenOfLastEmail(prepared.deps) };
  }

  it('sets it, uses up the link and revokes sessions, without signing anyone in', async () => {
    const { deps, target, token } = await linkSent();

    const result = await completePasswordReset({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FROM_CLIENT, deps);

    const stored = await deps.directory.getAdmin(COMPANY, target.adminId);
    expect(await deps.hasher.verify(NEW_PASSWORD, stored?.password)).toBe(true);
    expect(stored).toMatchObject({ passwordKind: 'permanent', sessionEpoch: 6 });
    expect(deps.directory.tokens.size).toBe(0);
    expect(deps.sessions.items.size).toBe(0);
    expect(result).not.toHaveProperty('sessionToken');
  });

  it('refuses the second use of the link', async () => {
    const { deps, token } = await linkSent();
    await completePasswordReset({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FROM_CLIENT, deps);

    const error = await failureOf(completePasswordReset({ token, newPassword: 'another new passphrase', confirmPassword: 'another new passphrase' }, FROM_CLIENT, deps));

    expect(error.code).toBe('RESET_LINK_INVALID');
  });

  it('refuses a confirmation that differs, naming the confirmation field, and keeps the link usable', async () => {
    const { deps, token } = await linkSent();

    const error = await failureOf(completePasswordReset({ token, newPassword: NEW_PASSWORD, confirmPassword: `${NEW_PASSWORD}!` }, FROM_CLIENT, deps));

    expect(error.code).toBe('PASSWORD_MISMATCH');
    expect(error.details?.[0]?.field).toBe('confirmPassword');
    expect(deps.directory.tokens.size).toBe(1);
  });

  it('refuses a password that breaks the policy, listing every broken rule', async () => {
    const { deps, token } = await linkSent();

    const error = await failureOf(completePasswordReset({ token, newPassword: 'grace', confirmPassword: 'grace' }, FROM_CLIENT, deps));

    expect(error.code).toBe('PASSWORD_POLICY_VIOLATION');
    // "grace" is also on the common-password list
    expect(error.details?.map((detail) => detail.code)).toEqual(['TOO_SHORT', 'COMMON_PASSWORD', 'CONTAINS_PERSONAL_INFO', 'TOO_GUESSABLE']);
  });

  it('needs no change-own-password permission: the link is the master’s decision', async () => {
    const { deps, target, token } = await linkSent();
    expect(target.canChangeOwnPassword).toBe(true);
    deps.directory.put({ ...(await deps.directory.getAdmin(COMPANY, target.adminId))!, canChangeOwnPassword: false });

    await expect(completePasswordReset({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FROM_CLIENT, deps)).resolves.toBeDefined();
  });
});

describe('when the link’s sender lost his rights or its target’s address changed', () => {
  /** Master Ada resets Grace's password to an address she typed; Charles is the company's other master. */
  async function linkSentBy(destination: { email?: string } = { email: 'ada.private@home.example' }) {
    const prepared = await prepare();
    const other = prepared.deps.directory.put(adminRecord({ role: 'master', email: 'charles@acme.example', name: 'Charles Babbage' }));
    await requestPasswordReset(prepared.actor, prepared.target.adminId, destination, prepared.deps);
    return { ...prepared, other, token: tokenOfLastEmail(prepared.deps) };
  }
  const refusals = (deps: ReturnType<typeof fakeDependencies>) => deps.auditLog.events.filter((event) => event.type === 'PASSWORD_RESET_REFUSED');
  const complete = (token: string, deps: ReturnType<typeof fakeDependencies>) =>
    completePasswordReset({ token, newPassword: NEW_PASSWORD, confirmPassword: NEW_PASSWORD }, FROM_CLIENT, deps);

  it('refuses the link of a master who was disabled since, on the screen and at completion, sets no password and audits both', async () => {
    const { deps, master, target, token } = await linkSentBy();
    deps.directory.put({ ...master, status: 'disabled' });

    const verify = await failureOf(verifyPasswordReset(token, FROM_CLIENT, deps));
    const completion = await failureOf(complete(token, deps));

    expect([verify.code, completion.code]).toEqual(['RESET_LINK_INVALID', 'RESET_LINK_INVALID']);
    expect((await deps.directory.getAdmin(COMPANY, target.adminId))?.password).toBeUndefined();
    expect(refusals(deps)).toEqual([
      expect.objectContaining({ outcome: 'failure', actorAdminId: null, targetAdminId: target.adminId, sourceIp: CLIENT, details: { reason: 'REQUESTER_NOT_MASTER', stage: 'verify', requestedBy: master.adminId, sentTo: 'ada.private@home.example' } }),
      expect.objectContaining({ details: expect.objectContaining({ reason: 'REQUESTER_NOT_MASTER', stage: 'complete' }) }),
    ]);
  });

  it('refuses the link of a master who was demoted to general since', async () => {
    const { deps, master, token } = await linkSentBy();
    deps.directory.put({ ...master, role: 'general' });

    expect((await failureOf(complete(token, deps))).code).toBe('RESET_LINK_INVALID');
    expect(refusals(deps).map((event) => event.details.reason)).toEqual(['REQUESTER_NOT_MASTER']);
  });

  it('refuses at completion a link whose master is disabled after the screen read it: the transaction checks the stored master', async () => {
    const { deps, master, target, token } = await linkSentBy();
    const hash = deps.hasher.hash.bind(deps.hasher);
    // The disable lands between the completion's read of the link and its write.
    deps.hasher.hash = async (password) => {
      deps.directory.put({ ...master, status: 'disabled' });
      return hash(password);
    };

    const error = await failureOf(complete(token, deps));

    expect(error.code).toBe('RESET_LINK_INVALID');
    expect((await deps.directory.getAdmin(COMPANY, target.adminId))?.password).toBeUndefined();
    expect(deps.directory.tokens.size).toBe(1);
    expect(refusals(deps).map((event) => event.details)).toEqual([expect.objectContaining({ reason: 'REQUESTER_NOT_MASTER', stage: 'complete' })]);
    expect(deps.auditLog.events.map((event) => event.type)).not.toContain('PASSWORD_RESET_COMPLETED');
  });

  it('refuses a link sent to the registered address once the admin’s email changed, on the screen and in the transaction', async () => {
    const { deps, target, token } = await linkSentBy({});
    const changed = { ...(await deps.directory.getAdmin(COMPANY, target.adminId))!, email: 'grace.new@acme.example' };
    deps.directory.put(changed);

    const verify = await failureOf(verifyPasswordReset(token, FROM_CLIENT, deps));
    deps.directory.put({ ...changed, email: target.email });
    const hash = deps.hasher.hash.bind(deps.hasher);
    deps.hasher.hash = async (password) => {
      deps.directory.put(changed);
      return hash(password);
    };
    const completion = await failureOf(complete(token, deps));

    expect([verify.code, completion.code]).toEqual(['RESET_LINK_INVALID', 'RESET_LINK_INVALID']);
    expect((await deps.directory.getAdmin(COMPANY, target.adminId))?.password).toBeUndefined();
    expect(refusals(deps).map((event) => [event.details.reason, event.details.stage])).toEqual([
      ['EMAIL_CHANGED', 'verify'],
      ['EMAIL_CHANGED', 'complete'],
    ]);
  });

  it('still completes a typed-address link while its master and the admin’s address are unchanged, another master’s edits aside', async () => {
    const { deps, target, other, token } = await linkSentBy();
    deps.directory.put({ ...other, status: 'disabled' });

    await complete(token, deps);

    expect(await deps.hasher.verify(NEW_PASSWORD, (await deps.directory.getAdmin(COMPANY, target.adminId))?.password)).toBe(true);
    expect(refusals(deps)).toEqual([]);
  });

  it('lets the operator’s link complete whatever happens to the company’s masters', async () => {
    const { deps, master, target, actor } = await prepare();
    await sendResetLink(
      { target, sentTo: target.email, purpose: 'reset', requestedBy: OPERATOR_REQUESTER, actorAdminId: null, origin: actor.origin, compose: (link) => ({ subject: 's', text: link, html: link }) },
      deps,
    );
    deps.directory.put({ ...master, status: 'disabled' });

    await complete(tokenOfLastEmail(deps), deps);

    expect(await deps.hasher.verify(NEW_PASSWORD, (await deps.directory.getAdmin(COMPANY, target.adminId))?.password)).toBe(true);
  });

  it('answers a link stored before purposes were kept as a reset link', async () => {
    const { deps, token } = await linkSentBy({});
    const { purpose: _unknown, ...legacy } = deps.directory.tokens.get(hashToken(token)) as ResetToken;
    deps.directory.tokens.set(hashToken(token), legacy as ResetToken);

    await expect(verifyPasswordReset(token, FROM_CLIENT, deps)).resolves.toMatchObject({ purpose: 'reset' });
  });

  it('refuses a link stored before the rule, without the address it was issued under', async () => {
    const { deps, token } = await linkSentBy({});
    const { issuedForEmail: _unknown, ...legacy } = deps.directory.tokens.get(hashToken(token)) as ResetToken;
    deps.directory.tokens.set(hashToken(token), legacy as ResetToken);

    expect((await failureOf(verifyPasswordReset(token, FROM_CLIENT, deps))).code).toBe('RESET_LINK_INVALID');
  });
});
