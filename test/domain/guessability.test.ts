// Unit tests of the guessability rule: zxcvbn (functions/domain/guessability.ts) judged through the rule engine
// (functions/domain/password-policy.ts) as the use cases call it, with the real dictionaries.
import { isCommonPassword } from '../../functions/domain/common-passwords';
import { guessabilityOf } from '../../functions/domain/guessability';
import {
  DEFAULT_PASSWORD_POLICY,
  checkPassword,
  describePolicy,
  type PasswordContext,
  type PasswordJudges,
  type PasswordPolicy,
} from '../../functions/domain/password-policy';

const judges: PasswordJudges = { isCommon: isCommonPassword, guessability: guessabilityOf };
const person: PasswordContext = { email: 'grace.hopper@acme.example', name: 'Grace Hopper', companyId: 'acme', companyName: 'Acme Corporation' };
const judged = (password: string, policy: PasswordPolicy = DEFAULT_PASSWORD_POLICY, context: PasswordContext = person) =>
  checkPassword(password, policy, context, {}, judges);
const codesOf = (password: string, policy?: PasswordPolicy) => judged(password, policy).map((violation) => violation.code);

describe('when a long but guessable password is judged at the default policy', () => {
  it.each([
    ['a repeated character', 'aaaaaaaaaaaaaaa'],
    ['a digit sequence', '123456789012345'],
    ['a keyboard walk', 'qwertyuiopasdfgh'],
    ['the alphabet', 'abcdefghijklmnopq'],
    ['a repeated word', 'iloveyouiloveyou'],
    ['a common password padded with a sequence', 'password12345678'],
  ])('refuses %s (%j) as TOO_GUESSABLE only', (_label, password) => {
    // Act
    const codes = codesOf(password);

    // Assess: long enough and on no exact list, so only this rule catches it
    expect(codes).toEqual(['TOO_GUESSABLE']);
  });

  it("gives zxcvbn's warning and suggestions as the message, without the password", () => {
    // Act
    const [violation] = judged('aaaaaaaaaaaaaaa');

    // Assess
    expect(violation).toEqual({
      code: 'TOO_GUESSABLE',
      message: 'This password would be easy to guess. Repeated characters like "aaa" are easy to guess. Add more words that are less common. Avoid repeated words and characters.',
    });
  });

  it("refuses a password built on the person's own details, which zxcvbn gets as user inputs", () => {
    // Prepare: the other rule is off, so only zxcvbn's user inputs can catch it
    const policy = { ...DEFAULT_PASSWORD_POLICY, blockPersonalInfo: false };

    // Act
    const [violation] = judged('grace.hopper@acme.example2024', policy);

    // Assess
    expect(violation?.code).toBe('TOO_GUESSABLE');
    expect(violation?.message).toContain('personal');
  });
});

describe('when a good password is judged at the default policy', () => {
  it.each([
    ['a four-word passphrase', 'violet ferns under a copper moon'],
    ['the README walkthrough passphrase', 'sunny meadow long passphrase'],
    ['a short mixed passphrase', 'river-lantern-9'],
    ['15 emoji', '😀🐙🌵🚀🎻🍉🦊🌈🧩🎲🪁🦉🍄🛶🧭'],
    ['128 characters', 'quiet violet lantern ferns copper moon river'.repeat(3).slice(0, 128)],
  ])('accepts %s', (_label, password) => {
    expect(codesOf(password)).toEqual([]);
  });
});

describe('when the policy sets minGuessScore', () => {
  it('lets a guessable password through at 0, which switches the rule off', () => {
    // Prepare
    const policy = { ...DEFAULT_PASSWORD_POLICY, minGuessScore: 0 };

    // Act and assess
    expect(codesOf('aaaaaaaaaaaaaaa', policy)).toEqual([]);
    expect(describePolicy(policy).map((rule) => rule.code)).not.toContain('TOO_GUESSABLE');
  });

  it('refuses at 4 what 3 accepts', () => {
    // Prepare: zxcvbn scores this 3
    const password = 'password password';
    expect(guessabilityOf(password, []).score).toBe(3);

    // Act and assess
    expect(codesOf(password, { ...DEFAULT_PASSWORD_POLICY, minGuessScore: 3 })).toEqual([]);
    expect(codesOf(password, { ...DEFAULT_PASSWORD_POLICY, minGuessScore: 4 })).toEqual(['TOO_GUESSABLE']);
  });

  it('shows the rule on the screens at the default', () => {
    // Act
    const rules = describePolicy(DEFAULT_PASSWORD_POLICY);

    // Assess
    expect(rules).toContainEqual({ code: 'TOO_GUESSABLE', message: expect.stringContaining('Hard to guess') });
  });
});

describe('when zxcvbn judges a long password', () => {
  it('judges only the first 64 characters, so the work stays bounded', () => {
    // Prepare: guessable for 64 characters, anything after
    const password = `${'a'.repeat(64)}violet ferns under a copper moon`;

    // Act and assess
    expect(codesOf(password)).toEqual(['TOO_GUESSABLE']);
  });
});
