// Domain layer: the password rule engine. One engine judges every path that sets a password (own change,
// temporary password, new-password challenge, admin creation), so every path gives the same verdict.
import type { ErrorDetail } from './errors';

/** The company's password policy. Until companies can edit theirs, DEFAULT_PASSWORD_POLICY applies everywhere. */
export interface PasswordPolicy {
  /** Minimum length in Unicode code points after NFKC normalization. */
  readonly minLength: number;
  /** Maximum length in code points; fixed, not a company setting. */
  readonly maxLength: number;
  /** Refuse passwords that contain the admin's email, its local part or name. */
  readonly blockPersonalInfo: boolean;
}

/** NIST SP 800-63B rev 4 asks 15 characters of a single-factor password; 128 bounds the hashing work. */
export const DEFAULT_PASSWORD_POLICY: PasswordPolicy = Object.freeze({
  minLength: 15,
  maxLength: 128,
  blockPersonalInfo: true,
});

/** What the password is checked against besides the policy: the person it belongs to. */
export interface PasswordContext {
  readonly email: string;
  readonly name: string;
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
  const nameParts = context.name.toLowerCase().split(/\s+/);
  return [email, localPart, context.name.toLowerCase(), ...nameParts]
    .map((fragment) => fragment.normalize('NFKC').trim())
    .filter((fragment) => codePointLength(fragment) >= SHORTEST_PERSONAL_FRAGMENT);
}

/** The rules of a policy in the words the screens show before anyone types. */
export function describePolicy(policy: PasswordPolicy): PolicyRule[] {
  const rules: PolicyRule[] = [
    { code: 'TOO_SHORT', message: `At least ${policy.minLength} characters (spaces, emoji and any language count).` },
    { code: 'TOO_LONG', message: `At most ${policy.maxLength} characters.` },
  ];
  if (policy.blockPersonalInfo) {
    rules.push({ code: 'CONTAINS_PERSONAL_INFO', message: 'Must not contain your email address or your name.' });
  }
  return rules;
}

/**
 * Every rule the password breaks, in the order the screens list them; empty when it is acceptable.
 * The password is never part of a message.
 */
export function checkPassword(password: string, policy: PasswordPolicy, context: PasswordContext): ErrorDetail[] {
  const normalized = normalizePassword(password);
  const length = codePointLength(normalized);
  const violations: ErrorDetail[] = [];
  if (length < policy.minLength) {
    violations.push({ code: 'TOO_SHORT', message: `Use at least ${policy.minLength} characters; this one has ${length}.` });
  }
  if (length > policy.maxLength) {
    violations.push({ code: 'TOO_LONG', message: `Use at most ${policy.maxLength} characters; this one has ${length}.` });
  }
  if (policy.blockPersonalInfo) {
    const lowered = normalized.toLowerCase();
    if (personalFragments(context).some((fragment) => lowered.includes(fragment))) {
      violations.push({ code: 'CONTAINS_PERSONAL_INFO', message: 'Do not use your email address or your name in the password.' });
    }
  }
  return violations;
}
