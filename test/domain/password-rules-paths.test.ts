// Use-case tests of the one rule engine behind every path that sets a password: one table of cases, run through
// changeOwnPassword, setTemporaryPassword, answerNewPasswordChallenge, completePasswordReset and createAdmin with
// the in-memory fakes, must give the same verdict on each path. SAME_AS_CURRENT and REUSED depend on the path and
// are tested on their own below, and so is the breached-password check, through its real adapter against a stand-in
// of the Pwned Passwords range API on 127.0.0.1.
import { sha1Hex } from '../../functions/adapters/pwned-passwords/pwned-passwords';
import type { BreachedPasswords } from '../../functions/domain/breached-passwords';
import type { PasswordPolicySettings } from '../../functions/domain/company';
import { DomainError } from '../../functions/domain/errors';
import { answerNewPasswordChallenge } from '../../functions/use-cases/answer-new-password-challenge';
import { changeOwnPassword } from '../../functions/use-cases/change-own-password';
import { createAdmin } from '../../functions/use-cases/manage-admins';
import { completePasswordReset, requestPasswordReset } from '../../functions/use-cases/password-reset';
import { setTemporaryPassword } from '../../functions/use-cases/set-temporary-password';
import { signIn } from '../../functions/use-cases/sign-in';
import { BREACH_CHECK_UNAVAILABLE, breachedPasswordsFor } from '../../functions/wiring/breached-passwords';
import { startPwnedPasswordsStandIn, type PwnedPasswordsStandIn } from '../support/pwned-passwords-stand-in';
import {
  COMPANY,
  ORIGIN,
  adminRecord,
  failureOf,
  fakeDependencies,
  signedInActor,
  useCompanyPolicy,
  type FakeDependencies,
} from './fakes';

// The person every password is judged for, on every path: his email, name, and the company acme, "Acme Corporation".
const OWNER = { email: 'grace.hopper@acme.example', name: 'Grace Hopper' } as const;
const CURRENT = 'current passphrase nobody would type';
const TEMPORARY = 'temporary passphrase set by ada';

interface PasswordPath {
  /** The request field that carries the password on this path. */
  readonly field: 'newPassword' | 'temporaryPassword';
  /** Fresh fakes with the owner in the state this path starts from; resolves the action that submits a password. */
  readonly prepare: (deps: FakeDependencies) => Promise<(password: string) => Promise<unknown>>;
}

const master = (deps: FakeDependencies) => deps.directory.put(adminRecord({ role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' }));

const PATHS: Record<string, PasswordPath> = {
  changeOwnPassword: {
    field: 'newPassword',
    prepare: async (deps) => {
      const owner = deps.directory.put(adminRecord({ ...OWNER, password: await deps.hasher.hash(CURRENT) }));
      const actor = await signedInActor(deps, owner);
      return (password) => changeOwnPassword(actor, { currentPassword: CURRENT, newPassword: password }, deps);
    },
  },
  setTemporaryPassword: {
    field: 'temporaryPassword',
    prepare: async (deps) => {
      const actor = await signedInActor(deps, master(deps));
      const owner = deps.directory.put(adminRecord({ ...OWNER, password: await deps.hasher.hash(CURRENT) }));
      return (password) => setTemporaryPassword(actor, owner.adminId, password, deps);
    },
  },
  answerNewPasswordChallenge: {
    field: 'newPassword',
    prepare: async (deps) => {
      deps.directory.put(
        adminRecord({ ...OWNER, password: await deps.hasher.hash(TEMPORARY), passwordKind: 'temporary', temporaryPasswordExpiresAt: '2025-06-09T09:00:00.000Z' }),
      );
      const answer = await signIn({ companyId: COMPANY, email: OWNER.email, password: TEMPORARY }, ORIGIN, deps);
      if (!('challengeToken' in answer)) throw new Error('the temporary password did not open the challenge');
      return (password) => answerNewPasswordChallenge({ challengeToken: answer.challengeToken, newPassword: password }, ORIGIN, deps);
    },
  },
  completePasswordReset: {
    field: 'newPassword',
    prepare: async (deps) => {
      const actor = await signedInActor(deps, master(deps));
      const owner = deps.directory.put(adminRecord({ ...OWNER, password: await deps.hasher.hash(CURRENT) }));
      await requestPasswordReset(actor, owner.adminId, {}, deps);
      const token = /#token=([A-Za-z0-9_-]{43})/.exec(deps.mailer.sent.at(-1)!.message.text)![1]!;
      return (password) => completePasswordReset({ token, newPassword: password, confirmPassword: password }, ORIGIN, deps);
    },
  },
  createAdmin: {
    field: 'temporaryPassword',
    prepare: async (deps) => {
      const actor = await signedInActor(deps, master(deps));
      return (password) => createAdmin(actor, { ...OWNER, role: 'general', canChangeOwnPassword: true, temporaryPassword: password }, deps);
    },
  },
};

/** The codes a path answers for the password, [] when it accepts it; each detail must name the path's field. */
async function verdictOf(path: PasswordPath, password: string, policy: Partial<PasswordPolicySettings>, breachedPasswords?: BreachedPasswords): Promise<string[]> {
  const deps = fakeDependencies();
  if (breachedPasswords !== undefined) deps.breachedPasswords = breachedPasswords;
  useCompanyPolicy(deps, policy);
  const submit = await path.prepare(deps);
  const outcome = await submit(password).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (outcome === undefined) return [];
  if (!(outcome instanceof DomainError) || outcome.code !== 'PASSWORD_POLICY_VIOLATION') throw outcome;
  if (outcome.details?.some((detail) => detail.field !== path.field)) throw new Error(`a detail names another field than ${path.field}`);
  return (outcome.details ?? []).map((detail) => detail.code);
}

interface RuleCase {
  readonly label: string;
  readonly password: string;
  readonly policy?: Partial<PasswordPolicySettings>;
  readonly codes: readonly string[];
}

const emoji = (count: number) => Array.from({ length: count }, (_, index) => String.fromCodePoint(0x1f600 + (index % 64))).join('');
// "é" written as e + combining acute: two code points typed, one after NFKC.
const decomposed = (text: string) => text.normalize('NFD');

// Words zxcvbn cannot guess, to cut to any length up to 132.
const phrase = (length: number) => 'quiet violet lantern ferns copper moon river'.repeat(3).slice(0, length);

const CASES: readonly RuleCase[] = [
  // length, in code points after NFKC
  { label: 'a long passphrase of plain words', password: 'seven purple otters sing loudly', codes: [] },
  { label: 'exactly the default minimum of 15', password: 'river-lantern-9', codes: [] },
  { label: 'one short of the default minimum', password: 'river-lantern9', codes: ['TOO_SHORT'] },
  // (zxcvbn scores no password under 9 characters 3 or more, so the edges of 8 are judged at a minimum score of 2)
  { label: 'exactly a minimum of 8', password: 'qz7!kd2m', policy: { minLength: 8, minGuessScore: 2 }, codes: [] },
  { label: 'one short of a minimum of 8', password: 'qz7!kd2', policy: { minLength: 8, minGuessScore: 2 }, codes: ['TOO_SHORT'] },
  { label: '8 random characters at the default minimum score', password: 'qz7!kd2m', policy: { minLength: 8 }, codes: ['TOO_GUESSABLE'] },
  { label: 'exactly a minimum of 128', password: phrase(128), policy: { minLength: 128 }, codes: [] },
  { label: 'the maximum of 128', password: 'quiet-'.repeat(21).padEnd(128, 'z'), codes: [] },
  { label: '129 characters', password: 'quiet-'.repeat(21).padEnd(129, 'z'), codes: ['TOO_LONG'] },
  { label: '129 characters under a minimum of 128', password: phrase(129), policy: { minLength: 128 }, codes: ['TOO_LONG'] },
  // unicode and emoji
  { label: '15 emoji (30 UTF-16 units)', password: emoji(15), codes: [] },
  { label: '14 emoji', password: emoji(14), codes: ['TOO_SHORT'] },
  { label: '128 emoji (256 UTF-16 units)', password: emoji(128), codes: [] },
  { label: '129 emoji', password: emoji(129), codes: ['TOO_LONG'] },
  { label: 'a ligature that NFKC makes two letters (14 typed, 15 counted)', password: 'ﬁrefly-harbour', codes: [] },
  { label: 'combining accents that NFKC joins (17 typed, 14 counted)', password: decomposed('été à la plage'), codes: ['TOO_SHORT'] },
  { label: 'Japanese', password: 'パスワードは長い方が安全ですよね本当に', codes: [] },
  { label: 'spaces only between words', password: 'a b c d e f g h', codes: [] },
  // composition rules
  { label: 'lower case only, composition rules off', password: 'lowercaseonlyletters', codes: [] },
  { label: 'no upper-case letter when one is required', password: 'lowercaseonlyletters', policy: { requireUppercase: true }, codes: ['MISSING_UPPERCASE'] },
  { label: 'no lower-case letter when one is required', password: 'UPPERCASEONLYLETTERS', policy: { requireLowercase: true }, codes: ['MISSING_LOWERCASE'] },
  { label: 'no digit when one is required', password: 'no digits in here at all', policy: { requireDigit: true }, codes: ['MISSING_DIGIT'] },
  { label: 'no symbol when one is required', password: 'NoSymbolsInThisOneHere', policy: { requireSymbol: true }, codes: ['MISSING_SYMBOL'] },
  { label: 'a space counts as the symbol', password: 'a space is a symbol', policy: { requireSymbol: true }, codes: [] },
  {
    label: 'every class missing but lower case, all four required',
    password: 'lowercaseonlyletters',
    policy: { requireUppercase: true, requireLowercase: true, requireDigit: true, requireSymbol: true },
    codes: ['MISSING_UPPERCASE', 'MISSING_DIGIT', 'MISSING_SYMBOL'],
  },
  {
    label: 'every class present, all four required',
    password: 'Tall-Kettle-42-under',
    policy: { requireUppercase: true, requireLowercase: true, requireDigit: true, requireSymbol: true },
    codes: [],
  },
  { label: 'an accented capital as the upper-case letter', password: 'Ça ne fait rien du tout', policy: { requireUppercase: true }, codes: [] },
  // common and breached passwords
  { label: 'a common password at a minimum of 8', password: 'password', policy: { minLength: 8 }, codes: ['COMMON_PASSWORD', 'TOO_GUESSABLE'] },
  { label: 'a common password in another case', password: 'SunShine', policy: { minLength: 8 }, codes: ['COMMON_PASSWORD', 'TOO_GUESSABLE'] },
  { label: 'a common password in full-width letters (NFKC)', password: 'ｉｌｏｖｅｙｏｕ', policy: { minLength: 8 }, codes: ['COMMON_PASSWORD', 'TOO_GUESSABLE'] },
  { label: 'a common password of 16 characters', password: 'passwordpassword', codes: ['COMMON_PASSWORD', 'TOO_GUESSABLE'] },
  { label: 'a common password, short at the default minimum', password: 'football', codes: ['TOO_SHORT', 'COMMON_PASSWORD', 'TOO_GUESSABLE'] },
  { label: 'a common password with the list switched off by the operator', password: 'password', policy: { minLength: 8, blockCommonPasswords: false }, codes: ['TOO_GUESSABLE'] },
  { label: 'a common password with the list and the guessability rule off', password: 'password', policy: { minLength: 8, blockCommonPasswords: false, minGuessScore: 0 }, codes: [] },
  // guessability (zxcvbn): long, on no list, yet guessed in few tries
  { label: 'a repeated character', password: 'aaaaaaaaaaaaaaa', codes: ['TOO_GUESSABLE'] },
  { label: 'a digit sequence', password: '123456789012345', codes: ['TOO_GUESSABLE'] },
  { label: 'a keyboard walk', password: 'qwertyuiopasdfgh', codes: ['TOO_GUESSABLE'] },
  { label: 'a common password inside a longer one', password: 'password-and-then-some', codes: [] },
  // personal information, case-insensitive
  { label: 'the whole email address', password: 'mine: grace.hopper@acme.example', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'the local part of the email address', password: 'xx-grace.hopper-2025-xx', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'the full name', password: 'i am grace hopper, admiral', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'one part of the name', password: 'nightshift-hopper-2025', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'the name in capitals', password: 'WELCOME-GRACE-99-TIMES', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'the company name', password: 'acme corporation forever', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'a word of the company name', password: 'the CORPORATION of us', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'the company id', password: 'reaching the Acme of it', codes: ['CONTAINS_PERSONAL_INFO'] },
  { label: 'personal words when the policy allows them', password: 'i am grace hopper, admiral', policy: { blockPersonalInfo: false }, codes: [] },
  // several rules at once
  { label: 'short, common and personal', password: 'grace', codes: ['TOO_SHORT', 'COMMON_PASSWORD', 'CONTAINS_PERSONAL_INFO', 'TOO_GUESSABLE'] },
  {
    label: 'too long, without a digit, and personal',
    password: `grace-hopper-${'z'.repeat(120)}`,
    policy: { requireDigit: true },
    codes: ['TOO_LONG', 'MISSING_DIGIT', 'CONTAINS_PERSONAL_INFO'],
  },
];

describe('when the same password is submitted on each of the five paths that set one', () => {
  it.each(CASES)('gives every path the same verdict for $label', async ({ password, policy = {}, codes }) => {
    // Act
    const verdicts: Record<string, string[]> = {};
    for (const [name, path] of Object.entries(PATHS)) verdicts[name] = await verdictOf(path, password, policy);

    // Assess
    expect(verdicts).toEqual(Object.fromEntries(Object.keys(PATHS).map((name) => [name, codes])));
  });
});

describe('when the new password repeats the one it replaces', () => {
  it('refuses the current password on the own change with SAME_AS_CURRENT', async () => {
    // Prepare
    const deps = fakeDependencies();
    const submit = await PATHS.changeOwnPassword!.prepare(deps);

    // Act
    const error = await failureOf(submit(CURRENT));

    // Assess
    expect(error.details?.map((detail) => detail.code)).toEqual(['SAME_AS_CURRENT']);
  });

  it('refuses the temporary password as the answer to the challenge with SAME_AS_CURRENT', async () => {
    // Prepare
    const deps = fakeDependencies();
    const submit = await PATHS.answerNewPasswordChallenge!.prepare(deps);

    // Act
    const error = await failureOf(submit(TEMPORARY));

    // Assess
    expect(error.details?.map((detail) => detail.code)).toEqual(['SAME_AS_CURRENT']);
  });

  it('lets a master set a temporary password equal to the admin’s current one: he cannot know it', async () => {
    // Prepare
    const deps = fakeDependencies();
    const submit = await PATHS.setTemporaryPassword!.prepare(deps);

    // Act
    const outcome = submit(CURRENT);

    // Assess
    await expect(outcome).resolves.toBeDefined();
  });
});

describe('when the new password is one of the previous ones', () => {
  it('refuses the password from before the reset on the Password Change Screen with REUSED when history is kept', async () => {
    // Prepare: the owner's current password has its history form, as any password chosen on a path has
    const deps = fakeDependencies();
    useCompanyPolicy(deps, { historyCount: 3 });
    const actor = await signedInActor(deps, master(deps));
    const owner = deps.directory.put(
      adminRecord({ ...OWNER, password: await deps.hasher.hash(CURRENT), historyEntry: await deps.hasher.hashForHistory(CURRENT) }),
    );
    await requestPasswordReset(actor, owner.adminId, {}, deps);
    const token = /#token=([A-Za-z0-9_-]{43})/.exec(deps.mailer.sent.at(-1)!.message.text)![1]!;

    // Act
    const error = await failureOf(completePasswordReset({ token, newPassword: CURRENT, confirmPassword: CURRENT }, ORIGIN, deps));

    // Assess
    expect(error.details).toEqual([expect.objectContaining({ code: 'REUSED', field: 'newPassword' })]);
  });

  it('refuses an earlier password as the answer to the challenge with REUSED when history is kept', async () => {
    // Prepare
    const deps = fakeDependencies();
    useCompanyPolicy(deps, { historyCount: 5 });
    const earlier = 'an earlier passphrase of hers';
    deps.directory.put(
      adminRecord({
        ...OWNER,
        password: await deps.hasher.hash(TEMPORARY),
        passwordKind: 'temporary',
        temporaryPasswordExpiresAt: '2025-06-09T09:00:00.000Z',
        passwordHistory: [await deps.hasher.hashForHistory(earlier)],
      }),
    );
    const answer = await signIn({ companyId: COMPANY, email: OWNER.email, password: TEMPORARY }, ORIGIN, deps);

    // Act
    const error = await failureOf(answerNewPasswordChallenge({ challengeToken: (answer as { challengeToken: string }).challengeToken, newPassword: earlier }, ORIGIN, deps));

    // Assess
    expect(error.details?.map((detail) => detail.code)).toEqual(['REUSED']);
  });

  it('does not judge a master’s temporary password against the admin’s history: it is nobody’s choice', async () => {
    // Prepare
    const deps = fakeDependencies();
    useCompanyPolicy(deps, { historyCount: 24 });
    const actor = await signedInActor(deps, master(deps));
    const earlier = 'an earlier passphrase of hers';
    const owner = deps.directory.put(adminRecord({ ...OWNER, password: await deps.hasher.hash(CURRENT), passwordHistory: [await deps.hasher.hashForHistory(earlier)] }));

    // Act
    await setTemporaryPassword(actor, owner.adminId, earlier, deps);

    // Assess
    const stored = await deps.directory.getAdmin(COMPANY, owner.adminId);
    expect(stored).toMatchObject({ passwordKind: 'temporary', historyEntry: undefined });
    expect(stored?.passwordHistory).toHaveLength(1);
  });
});

describe('when the deployment checks new passwords against Pwned Passwords', () => {
  // Passes every other rule of the default policy; the stand-in's corpus holds it.
  const BREACHED = 'tangerine lighthouse winter 1987';
  const NOT_BREACHED = 'marmalade orbit fennel quietly';
  const TIMEOUT_MS = 2_000;
  let standIn: PwnedPasswordsStandIn;
  let warnings: { message: string; attributes: Readonly<Record<string, string | number>> }[];
  const judge = (timeoutMs = TIMEOUT_MS) => breachedPasswordsFor({ url: standIn.url, timeoutMs }, (message, attributes) => warnings.push({ message, attributes }));

  beforeAll(async () => {
    standIn = await startPwnedPasswordsStandIn();
    standIn.breach(BREACHED, 52_256);
  });
  afterAll(async () => {
    await standIn.stop();
  });
  beforeEach(() => {
    standIn.reset();
    warnings = [];
  });

  /** The verdict of each of the five paths on the password, with the judge given. */
  async function verdictsOf(password: string, breachedPasswords: BreachedPasswords | undefined): Promise<Record<string, string[]>> {
    const verdicts: Record<string, string[]> = {};
    for (const [name, path] of Object.entries(PATHS)) verdicts[name] = await verdictOf(path, password, {}, breachedPasswords);
    return verdicts;
  }
  const onEveryPath = (codes: readonly string[]) => Object.fromEntries(Object.keys(PATHS).map((name) => [name, codes]));

  it('refuses a breached password with BREACHED_PASSWORD alone on every path, in the words of the rule', async () => {
    // Act
    const verdicts = await verdictsOf(BREACHED, judge());

    // Assess
    expect(verdicts).toEqual(onEveryPath(['BREACHED_PASSWORD']));
    const deps = fakeDependencies();
    deps.breachedPasswords = judge();
    const error = await failureOf((await PATHS.changeOwnPassword!.prepare(deps))(BREACHED));
    expect(error.details).toEqual([{ code: 'BREACHED_PASSWORD', field: 'newPassword', message: expect.stringMatching(/^This password has appeared in a data breach/) }]);
  });

  it('accepts a password the corpus does not hold on every path, after one lookup of its 5-digit prefix each', async () => {
    // Act
    const verdicts = await verdictsOf(NOT_BREACHED, judge());

    // Assess
    expect(verdicts).toEqual(onEveryPath([]));
    expect(standIn.requests.map((request) => request.path)).toEqual(Array(5).fill(`/range/${sha1Hex(NOT_BREACHED).slice(0, 5)}`));
  });

  it('looks nothing up for a password another rule refuses: the rest of the policy first', async () => {
    // Prepare: guessable and breached alike
    standIn.breach('aaaaaaaaaaaaaaa', 9_000);

    // Act
    const verdicts = await verdictsOf('aaaaaaaaaaaaaaa', judge());

    // Assess
    expect(verdicts).toEqual(onEveryPath(['TOO_GUESSABLE']));
    expect(standIn.requests).toEqual([]);
  });

  it('looks up the typed form too when NFKC changes it, and refuses the password when that form is breached', async () => {
    // Prepare: decomposed accents, as some keyboards type them; the corpus holds the typed bytes
    const typed = 'été à la plage, sous le parasol'.normalize('NFD');
    standIn.breach(typed);

    // Act
    const verdicts = await verdictsOf(typed, judge());

    // Assess
    expect(verdicts).toEqual(onEveryPath(['BREACHED_PASSWORD']));
    const asked = new Set(standIn.requests.map((request) => request.path));
    expect(asked).toEqual(new Set([`/range/${sha1Hex(typed).slice(0, 5)}`, `/range/${sha1Hex(typed.normalize('NFKC')).slice(0, 5)}`]));
  });

  it.each([
    ['does not answer in time', () => standIn.behave('late', { delayMs: 5_000 }), 300, { reason: 'timeout' }],
    ['answers 503', () => standIn.behave('status', { status: 503 }), TIMEOUT_MS, { reason: 'status', status: 503 }],
    ['answers 429 (rate limited)', () => standIn.behave('status', { status: 429 }), TIMEOUT_MS, { reason: 'status', status: 429 }],
  ])('accepts even a breached password on every path when the API %s (fail-open), logging a warning without a secret', async (_label, misbehave, timeoutMs, expected) => {
    // Prepare
    misbehave();

    // Act
    const verdicts = await verdictsOf(BREACHED, judge(timeoutMs));

    // Assess
    expect(verdicts).toEqual(onEveryPath([]));
    expect(warnings).toHaveLength(5);
    for (const warning of warnings) {
      expect(warning).toEqual({ message: BREACH_CHECK_UNAVAILABLE, attributes: { ...expected, elapsedMs: expect.any(Number), timeoutMs } });
    }
    const logged = JSON.stringify(warnings);
    const hash = sha1Hex(BREACHED);
    for (const secret of [BREACHED, hash, hash.slice(0, 5), hash.slice(5)]) expect(logged).not.toContain(secret);
  });

  it('makes no request and refuses nothing more when the check is off, the default', async () => {
    // Act: the fakes' judge is undefined, as the wiring's is with PWNED_PASSWORDS_URL unset
    const verdicts = await verdictsOf(BREACHED, undefined);

    // Assess
    expect(fakeDependencies().breachedPasswords).toBeUndefined();
    expect(verdicts).toEqual(onEveryPath([]));
    expect(standIn.requests).toEqual([]);
  });
});
