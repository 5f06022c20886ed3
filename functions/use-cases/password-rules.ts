// Use-case layer: the one gate every new password passes, whichever path sets it.
import type { AdminRecord } from '../domain/admin';
import { passwordPolicyViolation, type ErrorDetail } from '../domain/errors';
import {
  DEFAULT_PASSWORD_POLICY,
  checkPassword,
  describePolicy,
  type PasswordContext,
  type PasswordPolicy,
  type PolicyRule,
} from '../domain/password-policy';

/** The policy in force for a company. Every company has the default until policies become editable. */
export const policyForCompany = async (_companyId: string): Promise<PasswordPolicy> => DEFAULT_PASSWORD_POLICY;

/** The policy as the password screens show it. */
export interface PolicyDescription {
  readonly policy: PasswordPolicy;
  readonly rules: PolicyRule[];
}

export const describeCompanyPolicy = async (companyId: string): Promise<PolicyDescription> => {
  const policy = await policyForCompany(companyId);
  return { policy, rules: describePolicy(policy) };
};

export interface PasswordCheckOptions {
  /** The request field that carries the password, named in each violation so screens can show it there. */
  readonly field: string;
  /** True when the password is the one it would replace: repeating it is no change. */
  readonly sameAsCurrent?: boolean;
}

/** Throws PASSWORD_POLICY_VIOLATION listing every rule the password breaks. */
export async function assertAcceptablePassword(
  password: string,
  person: PasswordContext & Pick<AdminRecord, 'companyId'>,
  { field, sameAsCurrent = false }: PasswordCheckOptions,
): Promise<void> {
  const violations: ErrorDetail[] = checkPassword(password, await policyForCompany(person.companyId), person);
  if (sameAsCurrent) {
    violations.push({ code: 'SAME_AS_CURRENT', message: 'Choose a password different from the current one.' });
  }
  if (violations.length > 0) {
    throw passwordPolicyViolation(violations.map((violation) => ({ ...violation, field })));
  }
}
