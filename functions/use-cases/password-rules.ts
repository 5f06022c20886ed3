// Use-case layer: the one gate every new password passes, whichever path sets it, and the fields every password
// write stores. The policy is the company's; the engine is the domain's.
import { nextPasswordHistory, type AdminRecord, type NewPassword, type PasswordKind } from '../domain/admin';
import { breachLookupForms, combinedVerdict, type BreachedPasswords } from '../domain/breached-passwords';
import { policyOf, type Company } from '../domain/company';
import { passwordPolicyViolation } from '../domain/errors';
import type { PasswordHasher } from '../domain/password-hashing';
import { BREACHED_PASSWORD_VIOLATION, checkPassword, describePolicy, type PasswordJudges, type PasswordPolicy, type PolicyRule } from '../domain/password-policy';
import type { CompanyStore, LockoutRule } from '../domain/ports';

/** The company and the policy in force for it (the defaults when it stored none). */
export interface CompanyPolicy {
  readonly company: Company | undefined;
  readonly policy: PasswordPolicy;
}

export async function companyPolicy(companyId: string, companies: Pick<CompanyStore, 'get'>): Promise<CompanyPolicy> {
  const company = await companies.get(companyId);
  return { company, policy: policyOf(company) };
}

/** The policy as the password screens show it. */
export interface PolicyDescription {
  readonly policy: PasswordPolicy;
  readonly rules: PolicyRule[];
}

export const describeForScreens = (policy: PasswordPolicy): PolicyDescription => ({ policy, rules: describePolicy(policy) });

export const lockoutOf = (policy: PasswordPolicy): LockoutRule => ({ threshold: policy.lockoutThreshold, minutes: policy.lockoutMinutes });

/** Whom the password belongs to: his identity and, for an existing admin, his password history. */
export type PasswordOwner = Pick<AdminRecord, 'companyId' | 'email' | 'name'> & Partial<Pick<AdminRecord, 'historyEntry' | 'passwordHistory'>>;

export interface PasswordCheck {
  readonly policy: CompanyPolicy;
  /** The request field that carries the password, named in each violation so screens can show it there. */
  readonly field: string;
  /** True when the password is the one it would replace: repeating it is no change. */
  readonly sameAsCurrent?: boolean;
  /** Needed when the policy keeps a history: previous passwords are compared through it. */
  readonly hasher?: Pick<PasswordHasher, 'verify'>;
  /**
   * Loads the guessability judge (zxcvbn), handed in by the functions that judge new passwords (functions/wiring/
   * guessability.ts), so the other bundles carry none of its dictionaries.
   */
  readonly guessability: GuessabilityLoader;
  /**
   * The breached-password judge (Pwned Passwords' range API), handed in by the same functions as `guessability`
   * (functions/wiring/breached-passwords.ts); undefined where the deployment leaves the check off, the default.
   */
  readonly breachedPasswords: BreachedPasswords | undefined;
}

export type GuessabilityJudge = NonNullable<PasswordJudges['guessability']>;

/**
 * The guessability judge, loaded at its first call: unpacking zxcvbn's dictionaries would otherwise be part of every
 * cold start of the functions that judge new passwords, also of those whose requests never reach the gate.
 */
export type GuessabilityLoader = () => Promise<GuessabilityJudge>;

/** True when the password is one of the owner's last `count` passwords (the current one first). */
async function isReused(password: string, owner: PasswordOwner, count: number, hasher: Pick<PasswordHasher, 'verify'> | undefined): Promise<boolean> {
  if (count === 0 || hasher === undefined || owner.passwordHistory === undefined) return false;
  const previous = nextPasswordHistory({ historyEntry: owner.historyEntry, passwordHistory: owner.passwordHistory }).slice(0, count);
  for (const entry of previous) {
    if (await hasher.verify(password, entry)) return true;
  }
  return false;
}

/**
 * True when the judge finds the password (typed or normalized) among breached ones. Fail-open: a lookup that gets no
 * answer accepts the password, which the common-password list and zxcvbn have judged already; an outage of a third
 * party must not stop every password change of every company. The judge's wiring logs each such failure.
 */
async function isBreached(password: string, judge: BreachedPasswords): Promise<boolean> {
  const verdicts = await Promise.all(breachLookupForms(password).map((form) => judge.check(form)));
  return combinedVerdict(verdicts).kind === 'breached';
}

/**
 * Throws PASSWORD_POLICY_VIOLATION listing every rule of the company's policy that the password breaks, or, for a
 * password they all accept, BREACHED_PASSWORD when the deployment checks breaches and finds it.
 */
export async function assertAcceptablePassword(password: string, owner: PasswordOwner, check: PasswordCheck): Promise<void> {
  const { policy, company } = check.policy;
  const reused = await isReused(password, owner, policy.historyCount, check.hasher);
  // The common-password list is loaded here, at the first password judged, for the same reason as the judge.
  const [{ isCommonPassword }, guessability] = await Promise.all([import('../domain/common-passwords'), check.guessability()]);
  const violations = checkPassword(
    password,
    policy,
    { email: owner.email, name: owner.name, companyId: owner.companyId, ...(company ? { companyName: company.name } : {}) },
    { sameAsCurrent: check.sameAsCurrent ?? false, reused },
    { isCommon: isCommonPassword, guessability },
  );
  if (violations.length > 0) {
    throw passwordPolicyViolation(violations.map((violation) => ({ ...violation, field: check.field })));
  }
  // Last, and only for a password every other rule accepts: a refused one costs no network call and no prefix sent.
  if (check.breachedPasswords !== undefined && (await isBreached(password, check.breachedPasswords))) {
    throw passwordPolicyViolation([{ ...BREACHED_PASSWORD_VIOLATION, field: check.field }]);
  }
}

/** What a password write stores of the new password: its hash and, for a person's own choice, its history form. */
export async function hashedPassword(
  password: string,
  kind: PasswordKind,
  hasher: Pick<PasswordHasher, 'hash' | 'hashForHistory'>,
  temporaryPasswordExpiresAt?: string,
): Promise<NewPassword> {
  return {
    password: await hasher.hash(password),
    kind,
    // A temporary password is the master's choice, not the person's: it joins no history.
    ...(kind === 'permanent' ? { historyEntry: await hasher.hashForHistory(password) } : { temporaryPasswordExpiresAt }),
  };
}

/** Days as minutes, for expiry instants. */
export const daysInMinutes = (days: number): number => days * 24 * 60;
