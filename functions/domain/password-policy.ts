// Domain layer: the company password policy and the one rule engine that judges every path that sets a password
// (own change, temporary password, new-password challenge, reset completion, admin creation), so every path gives
// the same verdict for the same password.
import type { ErrorDetail } from './errors';
import type { Guessability } from './guessability';

/** The longest password any policy allows, in code points; it bounds the hashing work and is not a setting. */
export const MAX_PASSWORD_LENGTH = 128;

/** A company's password policy. Settings exist only for companies the operator enabled the feature for. */
export interface PasswordPolicy {
  /** Minimum length in Unicode code points after NFKC normalization (8 to 128). */
  readonly minLength: number;
  /** Always MAX_PASSWORD_LENGTH; shown so screens can state it. */
  readonly maxLength: number;
  /** Composition rules: offered because customers ask for them; NIST SP 800-63B and OWASP ASVS advise against them. */
  readonly requireUppercase: boolean;
  readonly requireLowercase: boolean;
  readonly requireDigit: boolean;
  readonly requireSymbol: boolean;
  /** Refuse passwords on a list of about 49,000 common and breached ones. Only the operator can switch it off. */
  readonly blockCommonPasswords: boolean;
  /** Refuse passwords containing the email, its local part, the admin's name, the company's name or id. */
  readonly blockPersonalInfo: boolean;
  /** Refuse passwords zxcvbn scores below this (1 to 4); 0 switches the rule off. */
  readonly minGuessScore: number;
  /** How many previous passwords may not be reused (0 to 24). */
  readonly historyCount: number;
  /** Days after which a password signs in only to the PASSWORD_EXPIRED challenge; 0 is never. */
  readonly maxAgeDays: number;
  /** Failed comparisons from one source (address) in a window that lock that source; 0 is off (the account's ceiling stays), else 3 to 100. */
  readonly lockoutThreshold: number;
  /** How long a lock lasts before it lifts by itself (1 to 1440). */
  readonly lockoutMinutes: number;
  /** How long a temporary password set by a master opens the new-password challenge (1 to 30). */
  readonly temporaryPasswordValidityDays: number;
}

/** The policy of every company until its master edits it. NIST SP 800-63B rev 4 asks 15 characters. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = Object.freeze({
  minLength: 15,
  maxLength: MAX_PASSWORD_LENGTH,
  requireUppercase: false,
  requireLowercase: false,
  requireDigit: false,
  requireSymbol: false,
  blockCommonPasswords: true,
  blockPersonalInfo: true,
  // zxcvbn's "safely unguessable" (about 10^8 guesses or more), the level its authors suggest for online accounts.
  minGuessScore: 3,
  historyCount: 0,
  maxAgeDays: 0,
  lockoutThreshold: 10,
  lockoutMinutes: 15,
  temporaryPasswordValidityDays: 7,
});

/** The person and company a password is checked against, besides the policy. */
export interface PasswordContext {
  readonly email: string;
  readonly name: string;
  readonly companyId?: string;
  readonly companyName?: string;
}

/** Facts about the password that the engine cannot compute itself (they need stored hashes). */
export interface PasswordFacts {
  /** The password equals the one it replaces. */
  readonly sameAsCurrent?: boolean;
  /** The password equals one of the last `historyCount` passwords. */
  readonly reused?: boolean;
}

/**
 * What judges a password beyond the engine's own rules, given by the caller so the engine stays free of the data
 * they load. A judge left out has no objection: the use case that sets passwords passes both.
 */
export interface PasswordJudges {
  /** True for a lower-cased, NFKC-normalized password on the common-password list. */
  readonly isCommon?: (loweredPassword: string) => boolean;
  /** zxcvbn's verdict on the normalized password, with the person's own words as user inputs. */
  readonly guessability?: (password: string, userInputs: readonly string[]) => Guessability;
}

/** A rule as the screens display it. */
export interface PolicyRule {
  readonly code: string;
  readonly message: string;
}

/** The form every password is compared and hashed in: NFKC, so that "café" typed two ways is one password. */
export const normalizePassword = (password: string): string => password.normalize('NFKC');

/** Length as a person counts it: code points, so an emoji is one character, not two UTF-16 units. */
export const codePointLength = (text: string): number => [...text].length;

// Fragments shorter than this (an email local part like "al") would refuse too many good passwords.
const SHORTEST_PERSONAL_FRAGMENT = 3;

function personalFragments(context: PasswordContext): string[] {
  const email = context.email.toLowerCase();
  const localPart = email.split('@')[0] ?? '';
  const words = (text: string | undefined) => (text ?? '').toLowerCase().split(/[\s\-_.]+/);
  return [email, localPart, context.name, ...words(context.name), context.companyName ?? '', ...words(context.companyName), context.companyId ?? '']
    .map((fragment) => fragment.normalize('NFKC').toLowerCase().trim())
    .filter((fragment) => codePointLength(fragment) >= SHORTEST_PERSONAL_FRAGMENT);
}

/** One password under judgement: what every rule may look at. */
interface Candidate {
  /** NFKC-normalized. */
  readonly password: string;
  readonly policy: PasswordPolicy;
  readonly context: PasswordContext;
  readonly facts: PasswordFacts;
  readonly judges: PasswordJudges;
  /** zxcvbn's verdict, computed at most once per check and only when a rule asks (it is the costly one). */
  readonly guessability: () => Guessability | undefined;
}

/** Each rule: when it applies, how the screens state it, and how a violation reads. */
interface Rule {
  readonly code: string;
  readonly applies: (policy: PasswordPolicy) => boolean;
  readonly describe: (policy: PasswordPolicy) => string;
  readonly broken: (candidate: Candidate) => boolean;
  readonly violation: (candidate: Candidate) => string;
}

const always = () => true;

const RULES: readonly Rule[] = [
  {
    code: 'TOO_SHORT',
    applies: always,
    describe: (policy) => `At least ${policy.minLength} characters (spaces, emoji and any language count).`,
    broken: ({ password, policy }) => codePointLength(password) < policy.minLength,
    violation: ({ password, policy }) => `Use at least ${policy.minLength} characters; this one has ${codePointLength(password)}.`,
  },
  {
    code: 'TOO_LONG',
    applies: always,
    describe: (policy) => `At most ${policy.maxLength} characters.`,
    broken: ({ password, policy }) => codePointLength(password) > policy.maxLength,
    violation: ({ password, policy }) => `Use at most ${policy.maxLength} characters; this one has ${codePointLength(password)}.`,
  },
  {
    code: 'MISSING_UPPERCASE',
    applies: (policy) => policy.requireUppercase,
    describe: () => 'At least one upper-case letter.',
    broken: ({ password }) => !/\p{Lu}/u.test(password),
    violation: () => 'Add at least one upper-case letter.',
  },
  {
    code: 'MISSING_LOWERCASE',
    applies: (policy) => policy.requireLowercase,
    describe: () => 'At least one lower-case letter.',
    broken: ({ password }) => !/\p{Ll}/u.test(password),
    violation: () => 'Add at least one lower-case letter.',
  },
  {
    code: 'MISSING_DIGIT',
    applies: (policy) => policy.requireDigit,
    describe: () => 'At least one digit.',
    broken: ({ password }) => !/\p{Nd}/u.test(password),
    violation: () => 'Add at least one digit.',
  },
  {
    code: 'MISSING_SYMBOL',
    applies: (policy) => policy.requireSymbol,
    describe: () => 'At least one symbol or space (anything but a letter or a digit).',
    broken: ({ password }) => !/[^\p{L}\p{N}]/u.test(password),
    violation: () => 'Add at least one symbol or space.',
  },
  {
    code: 'COMMON_PASSWORD',
    applies: (policy) => policy.blockCommonPasswords,
    describe: () => 'Not a commonly used or previously breached password.',
    broken: ({ password, judges }) => judges.isCommon?.(password.toLowerCase()) === true,
    violation: () => 'This password is on a list of common or breached passwords; choose another.',
  },
  {
    code: 'CONTAINS_PERSONAL_INFO',
    applies: (policy) => policy.blockPersonalInfo,
    describe: () => "Must not contain your email address, your name or your company's name.",
    broken: ({ password, context }) => {
      const lowered = password.toLowerCase();
      return personalFragments(context).some((fragment) => lowered.includes(fragment));
    },
    violation: () => "Do not use your email address, your name or your company's name in the password.",
  },
  {
    code: 'TOO_GUESSABLE',
    applies: (policy) => policy.minGuessScore > 0,
    describe: () => 'Hard to guess: not built on repeats, sequences, keyboard patterns, common words, dates or your own details.',
    broken: ({ policy, guessability }) => {
      const verdict = guessability();
      return verdict !== undefined && verdict.score < policy.minGuessScore;
    },
    // zxcvbn's own advice, in English; it quotes fixed examples ("aaa", "abcabc"), never the password.
    violation: ({ guessability }) => {
      const verdict = guessability();
      return ['This password would be easy to guess.', verdict?.warning, ...(verdict?.suggestions ?? [])].filter(Boolean).join(' ');
    },
  },
  {
    code: 'REUSED',
    applies: (policy) => policy.historyCount > 0,
    describe: (policy) => `Not one of your last ${policy.historyCount} passwords.`,
    broken: ({ facts }) => facts.reused === true,
    violation: () => 'You used this password recently; choose one you have not used before.',
  },
  {
    code: 'SAME_AS_CURRENT',
    applies: always,
    describe: () => 'Different from the current password.',
    broken: ({ facts }) => facts.sameAsCurrent === true,
    violation: () => 'Choose a password different from the current one.',
  },
];

/**
 * The breach rule's violation. The engine cannot judge it (it needs a network call, functions/domain/
 * breached-passwords.ts): the password gate asks the deployment's judge, where one is configured, and only for a
 * password every rule above accepts. The screens state it within COMMON_PASSWORD ("Not a commonly used or
 * previously breached password"), since whether it applies is the deployment's setting, not the company's policy.
 */
export const BREACHED_PASSWORD_VIOLATION: ErrorDetail = Object.freeze({
  code: 'BREACHED_PASSWORD',
  message:
    'This password has appeared in a data breach of another service, so attackers try it early; choose a different one. If you use it anywhere else, change it there too.',
});

/** The rules of a policy in the words the screens show before anyone types. */
export function describePolicy(policy: PasswordPolicy): PolicyRule[] {
  return RULES.filter((rule) => rule.applies(policy)).map((rule) => ({ code: rule.code, message: rule.describe(policy) }));
}

/**
 * Every rule the password breaks, in the order the screens list them; empty when it is acceptable. The judges load
 * data the engine does not hold (see PasswordJudges). The password is never part of a message.
 */
export function checkPassword(
  password: string,
  policy: PasswordPolicy,
  context: PasswordContext,
  facts: PasswordFacts = {},
  judges: PasswordJudges = {},
): ErrorDetail[] {
  const normalized = normalizePassword(password);
  let verdict: Guessability | undefined;
  const candidate: Candidate = {
    password: normalized,
    policy,
    context,
    facts,
    judges,
    guessability: () => (verdict ??= judges.guessability?.(normalized, personalFragments(context))),
  };
  return RULES.filter((rule) => rule.applies(policy) && rule.broken(candidate)).map((rule) => ({ code: rule.code, message: rule.violation(candidate) }));
}
