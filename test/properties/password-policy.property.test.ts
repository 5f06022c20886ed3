// Property tests of the password rule engine (functions/domain/password-policy.ts) with fast-check: for any policy
// within the allowed ranges and any password (any script, emoji, spaces, lengths near both limits, common and
// personal ones), an empty verdict means every enabled rule holds, and each listed code names a rule that is broken.
// The rules are restated here from the policy table, independently of the engine's own helpers. zxcvbn
// itself is replaced by a cheap stand-in score (test/domain/guessability.test.ts judges the real one): what is
// proved here is that the engine refuses exactly the scores below the policy's minimum, and none when it is 0.
import { dictionary } from '@zxcvbn-ts/language-common';
import fc from 'fast-check';
import { isCommonPassword } from '../../functions/domain/common-passwords';
import { MAX_PASSWORD_LENGTH, checkPassword, type PasswordContext, type PasswordJudges, type PasswordPolicy } from '../../functions/domain/password-policy';

const NUM_RUNS = 300;

/** Stand-in for zxcvbn: a score from 0 to 4 that any password gets deterministically (its distinct characters). */
const standInScore = (password: string): number => Math.min(4, Math.floor(new Set(password).size / 3));
const judges: PasswordJudges = {
  isCommon: isCommonPassword,
  guessability: (password) => ({ score: standInScore(password), warning: undefined, suggestions: [] }),
};
const COMMON_LIST: readonly string[] = (dictionary as Record<string, readonly string[]>)['passwords-common'] ?? [];
const COMMON = new Set(COMMON_LIST);

// ---- the rules, restated

const codePoints = (text: string): number => [...text].length;
const folded = (text: string): string => text.normalize('NFKC').toLowerCase().trim();

/** The personal fragments of the policy table: email, its local part, the name, the company name and id (3+ characters). */
function personalFragments(context: PasswordContext): string[] {
  const email = folded(context.email);
  const words = (text: string) => folded(text).split(/[\s\-_.]+/);
  return [email, email.split('@')[0] ?? '', folded(context.name), ...words(context.name), folded(context.companyName ?? ''), ...words(context.companyName ?? ''), folded(context.companyId ?? '')]
    .filter((fragment) => codePoints(fragment) >= 3);
}

/** Which rules of the policy the password breaks, judged on its NFKC form. */
function brokenRules(password: string, policy: PasswordPolicy, context: PasswordContext): Record<string, boolean> {
  const normalized = password.normalize('NFKC');
  const length = codePoints(normalized);
  const lowered = normalized.toLowerCase();
  return {
    TOO_SHORT: length < policy.minLength,
    TOO_LONG: length > MAX_PASSWORD_LENGTH,
    MISSING_UPPERCASE: policy.requireUppercase && !/\p{Lu}/u.test(normalized),
    MISSING_LOWERCASE: policy.requireLowercase && !/\p{Ll}/u.test(normalized),
    MISSING_DIGIT: policy.requireDigit && !/\p{Nd}/u.test(normalized),
    MISSING_SYMBOL: policy.requireSymbol && [...normalized].every((character) => /\p{L}|\p{N}/u.test(character)),
    COMMON_PASSWORD: policy.blockCommonPasswords && COMMON.has(lowered),
    CONTAINS_PERSONAL_INFO: policy.blockPersonalInfo && personalFragments(context).some((fragment) => lowered.includes(fragment)),
    TOO_GUESSABLE: policy.minGuessScore > 0 && standInScore(normalized) < policy.minGuessScore,
  };
}

// ---- arbitraries

const policies: fc.Arbitrary<PasswordPolicy> = fc.record({
  minLength: fc.oneof(fc.integer({ min: 8, max: 128 }), fc.constantFrom(8, 15, 127, 128)),
  maxLength: fc.constant(MAX_PASSWORD_LENGTH),
  requireUppercase: fc.boolean(),
  requireLowercase: fc.boolean(),
  requireDigit: fc.boolean(),
  requireSymbol: fc.boolean(),
  blockCommonPasswords: fc.boolean(),
  blockPersonalInfo: fc.boolean(),
  minGuessScore: fc.integer({ min: 0, max: 4 }),
  historyCount: fc.integer({ min: 0, max: 24 }),
  maxAgeDays: fc.integer({ min: 0, max: 3650 }),
  lockoutThreshold: fc.oneof(fc.constant(0), fc.integer({ min: 3, max: 100 })),
  lockoutMinutes: fc.integer({ min: 1, max: 1440 }),
  temporaryPasswordValidityDays: fc.integer({ min: 1, max: 30 }),
});

const lowerAscii = fc.string({ unit: fc.constantFrom(...'abcdefghijklmnopqrstuvwxyz0123456789.-_'), minLength: 1, maxLength: 12 });

const contexts: fc.Arbitrary<PasswordContext> = fc.record({
  email: fc.oneof(
    fc.constantFrom('grace.hopper@acme.example', 'al@initech.example', 'zoë.ångström@example.se', 'yamada@例え.jp'),
    fc.tuple(lowerAscii, lowerAscii).map(([local, domain]) => `${local}@${domain}.example`),
  ),
  name: fc.oneof(fc.constantFrom('Grace Hopper', 'Al Li', 'Zoë Ångström', '山田 太郎', 'Jean-Luc Picard'), fc.string({ unit: 'grapheme-ascii', maxLength: 24 })),
  companyId: fc.oneof(fc.constantFrom('acme', 'initech', 'a1'), lowerAscii),
  companyName: fc.oneof(fc.constantFrom('Acme Corporation', 'Initech', 'Société Générale', 'X'), fc.string({ unit: 'grapheme-ascii', maxLength: 24 })),
});

/** Letters, digits, symbols, spaces (an ideographic one too), accents, combining marks, a ligature, emoji. */
const mixedCharacter = fc.constantFrom(' ', '\u3000', 'a', 'z', 'A', 'Z', '7', '0', '!', '#', '-', 'é', 'Ä', 'ß', '٣', 'ﬁ', 'Ⅻ', '²', '\u0301', '😀', '👍🏽', '👨‍👩‍👧', '漢', 'ｱ');
const emojiOnly = fc.constantFrom('😀', '🐙', '🌵', '🚀', '🎻', '🦊', '🧭');

/** Randomly upper-cases characters of a text. */
const randomCase = (text: string) =>
  fc.array(fc.boolean(), { minLength: text.length, maxLength: text.length }).map((flags) => [...text].map((character, index) => (flags[index] ? character.toUpperCase() : character)).join(''));

/** Full-width forms of ASCII, which NFKC turns back. */
const fullWidth = (text: string) => text.replace(/[!-~]/g, (character) => String.fromCharCode(character.charCodeAt(0) + 0xfee0));

const commonPassword = fc
  .integer({ min: 0, max: COMMON_LIST.length - 1 })
  .map((index) => COMMON_LIST[index] ?? 'password')
  .chain((password) => fc.oneof(fc.constant(password), randomCase(password), fc.constant(fullWidth(password))));

function passwords(policy: PasswordPolicy, context: PasswordContext): fc.Arbitrary<string> {
  const fragments = personalFragments(context);
  const personal = fc
    .tuple(fc.string({ unit: mixedCharacter, maxLength: 10 }), fc.constantFrom(...(fragments.length > 0 ? fragments : [context.name])), fc.string({ unit: 'grapheme-ascii', maxLength: 10 }))
    .chain(([before, fragment, after]) => randomCase(fragment).map((cased) => `${before}${cased}${after}`));
  return fc.oneof(
    fc.string({ unit: 'grapheme', maxLength: 140 }),
    fc.string({ unit: 'binary', maxLength: 140 }),
    fc.string({ unit: mixedCharacter, maxLength: 140 }),
    fc.string({ unit: mixedCharacter, minLength: Math.max(0, policy.minLength - 2), maxLength: policy.minLength + 2 }),
    fc.string({ unit: 'grapheme-ascii', minLength: MAX_PASSWORD_LENGTH - 3, maxLength: MAX_PASSWORD_LENGTH + 3 }),
    fc.string({ unit: emojiOnly, minLength: MAX_PASSWORD_LENGTH - 3, maxLength: MAX_PASSWORD_LENGTH + 3 }),
    commonPassword,
    personal,
  );
}

const cases = fc
  .tuple(policies, contexts)
  .chain(([policy, context]) => passwords(policy, context).map((password) => ({ policy, context, password })));

const codesOf = ({ policy, context, password }: { policy: PasswordPolicy; context: PasswordContext; password: string }) =>
  checkPassword(password, policy, context, {}, judges).map((violation) => violation.code);

// ---- properties

describe('when the engine judges any password under any allowed policy', () => {
  it('accepts a password only when every enabled rule holds', () => {
    // Prepare
    let accepted = 0;

    // Act
    fc.assert(
      fc.property(cases, (example) => {
        if (codesOf(example).length > 0) return;
        accepted += 1;

        // Assess
        const broken = Object.entries(brokenRules(example.password, example.policy, example.context)).filter(([, isBroken]) => isBroken);
        expect(broken).toEqual([]);
      }),
      { numRuns: NUM_RUNS },
    );

    // Assess: the property did judge accepted passwords
    expect(accepted).toBeGreaterThan(0);
  });

  it('lists, when it refuses, only rules that the password breaks, each once', () => {
    // Prepare
    let refused = 0;

    // Act
    fc.assert(
      fc.property(cases, (example) => {
        const codes = codesOf(example);
        if (codes.length === 0) return;
        refused += 1;

        // Assess
        const broken = brokenRules(example.password, example.policy, example.context);
        expect(new Set(codes).size).toBe(codes.length);
        for (const code of codes) expect({ code, broken: broken[code] }).toEqual({ code, broken: true });
      }),
      { numRuns: NUM_RUNS },
    );

    // Assess: the property did judge refused passwords
    expect(refused).toBeGreaterThan(0);
  });
});
