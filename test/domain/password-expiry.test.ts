// Use-case tests of password expiry (maxAgeDays) at sign-in, with the fixed clock: an older password opens only the
// PASSWORD_EXPIRED challenge, whose answer gives a session.
import { answerNewPasswordChallenge } from '../../functions/use-cases/answer-new-password-challenge';
import { signIn, type NewPasswordChallenge, type SessionGrant } from '../../functions/use-cases/sign-in';
import { COMPANY, ORIGIN, START, adminRecord, failureOf, fakeDependencies, useCompanyPolicy } from './fakes';

const PASSWORD = 'a passphrase set on the first day';
const NEXT = 'the passphrase of the next quarter';

async function prepare(maxAgeDays: number) {
  const deps = fakeDependencies();
  useCompanyPolicy(deps, { maxAgeDays });
  // Set at START, the clock's start.
  const admin = deps.directory.put(adminRecord({ password: await deps.hasher.hash(PASSWORD), passwordChangedAt: START.toISOString() }));
  const signInWith = (password: string) => signIn({ companyId: COMPANY, email: admin.email, password }, ORIGIN, deps);
  return { deps, admin, signInWith };
}

describe('when the password is older than the policy’s maxAgeDays', () => {
  it('signs in only to the PASSWORD_EXPIRED challenge, with no session', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(90);
    deps.clock.advanceDays(91);

    // Act
    const answer = await signInWith(PASSWORD);

    // Assess
    expect(answer).toMatchObject({ challenge: 'NEW_PASSWORD_REQUIRED', reason: 'PASSWORD_EXPIRED', passwordPolicy: { policy: { maxAgeDays: 90 } } });
    expect(answer).not.toHaveProperty('sessionToken');
    expect(deps.sessions.items.size).toBe(0);
  });

  it('counts the age to the minute: exactly maxAgeDays old is expired', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(90);
    deps.clock.advanceDays(90);

    // Act
    const answer = await signInWith(PASSWORD);

    // Assess
    expect(answer).toMatchObject({ reason: 'PASSWORD_EXPIRED' });
  });

  it('still refuses a wrong password with INVALID_CREDENTIALS, revealing nothing about the expiry', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(90);
    deps.clock.advanceDays(91);

    // Act
    const error = await failureOf(signInWith('not the passphrase at all'));

    // Assess
    expect(error.code).toBe('INVALID_CREDENTIALS');
    expect(deps.challenges.items.size).toBe(0);
  });
});

describe('when the password is one day younger than maxAgeDays', () => {
  it('gives a session', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(90);
    deps.clock.advanceDays(89);

    // Act
    const answer = await signInWith(PASSWORD);

    // Assess
    expect(answer).toHaveProperty('sessionToken');
    expect(deps.challenges.items.size).toBe(0);
  });
});

describe('when the PASSWORD_EXPIRED challenge is answered', () => {
  it('gives a session, and the new password then signs in to a session', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(90);
    deps.clock.advanceDays(91);
    const challenge = (await signInWith(PASSWORD)) as NewPasswordChallenge;

    // Act
    const grant = await answerNewPasswordChallenge({ challengeToken: challenge.challengeToken, newPassword: NEXT }, ORIGIN, deps);

    // Assess
    expect(grant).toMatchObject({ sessionToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/), admin: { passwordChangedAt: deps.clock.now().toISOString() } });
    expect(await signInWith(NEXT)).toHaveProperty('sessionToken');
    expect((await failureOf(signInWith(PASSWORD))).code).toBe('INVALID_CREDENTIALS');
  });

  it('refuses the expired password as its own replacement', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(90);
    deps.clock.advanceDays(91);
    const challenge = (await signInWith(PASSWORD)) as NewPasswordChallenge;

    // Act
    const error = await failureOf(answerNewPasswordChallenge({ challengeToken: challenge.challengeToken, newPassword: PASSWORD }, ORIGIN, deps));

    // Assess
    expect(error.details?.map((detail) => detail.code)).toEqual(['SAME_AS_CURRENT']);
  });

  it('starts the age of the new password afresh', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(90);
    deps.clock.advanceDays(91);
    const challenge = (await signInWith(PASSWORD)) as NewPasswordChallenge;
    await answerNewPasswordChallenge({ challengeToken: challenge.challengeToken, newPassword: NEXT }, ORIGIN, deps);
    deps.clock.advanceDays(89);

    // Act
    const answer = (await signInWith(NEXT)) as SessionGrant;

    // Assess
    expect(answer.sessionToken).toBeDefined();
  });
});

describe('when passwords never expire (maxAgeDays 0)', () => {
  it('gives a session to a ten-year-old password', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(0);
    deps.clock.advanceDays(3650);

    // Act
    const answer = await signInWith(PASSWORD);

    // Assess
    expect(answer).toHaveProperty('sessionToken');
  });
});

describe('when a master sets maxAgeDays after the password was set', () => {
  it('applies it at the next sign-in', async () => {
    // Prepare
    const { deps, signInWith } = await prepare(0);
    deps.clock.advanceDays(40);
    useCompanyPolicy(deps, { maxAgeDays: 30 });

    // Act
    const answer = await signInWith(PASSWORD);

    // Assess
    expect(answer).toMatchObject({ reason: 'PASSWORD_EXPIRED' });
  });
});
