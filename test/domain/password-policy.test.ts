// Unit tests of the password rule engine (functions/domain/password-policy.ts).
import {
  DEFAULT_PASSWORD_POLICY,
  checkPassword,
  codePointLength,
  describePolicy,
  type PasswordContext,
} from '../../functions/domain/password-policy';

const person: PasswordContext = { email: 'grace.hopper@acme.example', name: 'Grace Hopper' };
const codesOf = (password: string, context: PasswordContext = person) =>
  checkPassword(password, DEFAULT_PASSWORD_POLICY, context).map((violation) => violation.code);

describe('when a password is judged by length', () => {
  it('accepts exactly 15 characters', () => {
    // Prepare
    const password = 'river-lantern-9';

    // Act
    const violations = checkPassword(password, DEFAULT_PASSWORD_POLICY, person);

    // Assess
    expect(password).toHaveLength(15);
    expect(violations).toEqual([]);
  });

  it('refuses 14 characters with TOO_SHORT and the count it found', () => {
    // Prepare
    const password = 'river-lantern9';

    // Act
    const violations = checkPassword(password, DEFAULT_PASSWORD_POLICY, person);

    // Assess
    expect(violations).toEqual([{ code: 'TOO_SHORT', message: 'Use at least 15 characters; this one has 14.' }]);
  });

  it('counts 15 emoji as 15 characters although they are 30 UTF-16 units', () => {
    // Prepare
    const password = '😀🐙🌵🚀🎻🍉🦊🌈🧩🎲🪁🦉🍄🛶🧭';

    // Act
    const violations = checkPassword(password, DEFAULT_PASSWORD_POLICY, person);

    // Assess
    expect(password.length).toBe(30);
    expect(codePointLength(password)).toBe(15);
    expect(violations).toEqual([]);
  });

  it('refuses 14 emoji', () => {
    // Prepare
    const password = '😀🐙🌵🚀🎻🍉🦊🌈🧩🎲🪁🦉🍄🛶';

    // Act
    const codes = codesOf(password);

    // Assess
    expect(codes).toEqual(['TOO_SHORT']);
  });

  it('counts length after NFKC, so a ligature counts as the letters it stands for', () => {
    // Prepare: "ﬁ" (one code point) becomes "fi" (two) under NFKC: 14 typed code points, 15 after normalization.
    const password = 'ﬁrefly-harbour';

    // Act
    const codes = codesOf(password);

    // Assess
    expect(codePointLength(password)).toBe(14);
    expect(codes).toEqual([]);
  });

  it('accepts 128 characters', () => {
    // Prepare
    const password = 'x'.repeat(128);

    // Act
    const codes = codesOf(password);

    // Assess
    expect(codes).toEqual([]);
  });

  it('refuses 129 characters with TOO_LONG', () => {
    // Prepare
    const password = 'x'.repeat(129);

    // Act
    const violations = checkPassword(password, DEFAULT_PASSWORD_POLICY, person);

    // Assess
    expect(violations).toEqual([{ code: 'TOO_LONG', message: 'Use at most 128 characters; this one has 129.' }]);
  });
});

describe('when a password has spaces or characters of any language', () => {
  it.each([
    ['spaces', 'correct horse battery staple'],
    ['Japanese', 'パスワードは長い方が安全ですよね本当に'],
    ['accents and symbols', 'Ça ne fait rien — ¿qué pasa? ✓'],
  ])('accepts a password with %s', (_kind, password) => {
    // Act
    const codes = codesOf(password);

    // Assess
    expect(codes).toEqual([]);
  });

  it('demands no mix of character classes', () => {
    // Prepare: only lower-case letters, no digit, no symbol
    const password = 'abcdefghijklmnopq';

    // Act
    const codes = codesOf(password);

    // Assess
    expect(codes).toEqual([]);
  });
});

describe('when a password contains personal information', () => {
  it.each([
    ['the whole email address', { email: 'cobol@navy.example', name: 'Grace Hopper' }, 'mine: cobol@navy.example!'],
    ['the local part of the email address', { email: 'admiral.g@navy.example', name: 'Grace Hopper' }, 'xx-admiral.g-2025-xx'],
    ['the full name', { email: 'gh@navy.example', name: 'Ada Lovelace' }, 'i am ada lovelace, countess'],
    ['one part of the name', { email: 'gh@navy.example', name: 'Grace Hopper' }, 'hopper-on-the-nightshift'],
  ])('refuses %s', (_what, context, password) => {
    // Act
    const codes = codesOf(password, context);

    // Assess
    expect(codes).toEqual(['CONTAINS_PERSONAL_INFO']);
  });

  it('compares without regard to case', () => {
    // Prepare
    const password = 'WELCOME-GRACE-HOPPER-99';

    // Act
    const codes = codesOf(password);

    // Assess
    expect(codes).toEqual(['CONTAINS_PERSONAL_INFO']);
  });

  it('ignores name fragments shorter than three characters', () => {
    // Prepare
    const context = { email: 'al@acme.example', name: 'Al Li' };

    // Act
    const codes = codesOf('always-listening-calmly', context);

    // Assess
    expect(codes).toEqual([]);
  });

  it('allows personal words when the policy does not block them', () => {
    // Prepare
    const policy = { ...DEFAULT_PASSWORD_POLICY, blockPersonalInfo: false };

    // Act
    const violations = checkPassword('i am grace hopper, admiral', policy, person);

    // Assess
    expect(violations).toEqual([]);
  });

  it('never repeats the password in a message', () => {
    // Prepare
    const password = 'grace';

    // Act
    const violations = checkPassword(password, DEFAULT_PASSWORD_POLICY, person);

    // Assess
    expect(violations).not.toHaveLength(0);
    for (const violation of violations) expect(violation.message.toLowerCase()).not.toContain(password);
  });
});

describe('when a password breaks several rules', () => {
  it('lists every violated rule at once', () => {
    // Prepare: short and personal
    const password = 'Hopper1';

    // Act
    const codes = codesOf(password);

    // Assess
    expect(codes).toEqual(['TOO_SHORT', 'CONTAINS_PERSONAL_INFO']);
  });

  it('lists too long and personal together', () => {
    // Prepare
    const password = `grace.hopper${'z'.repeat(130)}`;

    // Act
    const codes = codesOf(password);

    // Assess
    expect(codes).toEqual(['TOO_LONG', 'CONTAINS_PERSONAL_INFO']);
  });
});

describe('when the policy is described for the password screens', () => {
  it('lists the length, common-password, personal-information, guessability and not-the-current rules of the default policy', () => {
    // Act
    const rules = describePolicy(DEFAULT_PASSWORD_POLICY);

    // Assess
    expect(rules.map((rule) => rule.code)).toEqual(['TOO_SHORT', 'TOO_LONG', 'COMMON_PASSWORD', 'CONTAINS_PERSONAL_INFO', 'TOO_GUESSABLE', 'SAME_AS_CURRENT']);
    expect(rules[0]?.message).toContain('15');
    expect(rules[1]?.message).toContain('128');
  });

  it('leaves out the personal-information rule when the policy does not block it', () => {
    // Act
    const rules = describePolicy({ ...DEFAULT_PASSWORD_POLICY, minLength: 20, blockPersonalInfo: false });

    // Assess
    expect(rules.map((rule) => rule.code)).not.toContain('CONTAINS_PERSONAL_INFO');
    expect(rules.map((rule) => rule.code)).toEqual(['TOO_SHORT', 'TOO_LONG', 'COMMON_PASSWORD', 'TOO_GUESSABLE', 'SAME_AS_CURRENT']);
    expect(rules[0]?.message).toContain('20');
  });

  it('defaults to a 15 to 128 character policy without composition rules, blocking common, personal and guessable passwords', () => {
    // Assess
    expect(DEFAULT_PASSWORD_POLICY).toEqual({
      minLength: 15,
      maxLength: 128,
      requireUppercase: false,
      requireLowercase: false,
      requireDigit: false,
      requireSymbol: false,
      blockCommonPasswords: true,
      blockPersonalInfo: true,
      minGuessScore: 3,
      historyCount: 0,
      maxAgeDays: 0,
      lockoutThreshold: 10,
      lockoutMinutes: 15,
      temporaryPasswordValidityDays: 7,
    });
    expect(Object.isFrozen(DEFAULT_PASSWORD_POLICY)).toBe(true);
  });
});
