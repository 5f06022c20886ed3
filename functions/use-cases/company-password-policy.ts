// Use-case layer: the seed's "Company settings > Password policy settings". The settings item exists only for
// companies the service operator enabled it for; everyone sees the policy in force, which every screen shows.
import { auditEvent } from '../domain/audit';
import { hasFeature, policyOf, type PasswordPolicySettings } from '../domain/company';
import { DomainError } from '../domain/errors';
import { assertReadOnlyUnchanged } from '../domain/read-only-fields';
import type { PasswordPolicy } from '../domain/password-policy';
import type { Actor } from './actor';
import type { Dependencies } from './dependencies';
import { persist } from './refusals';
import { describeForScreens, type PolicyDescription } from './password-rules';

export interface CompanyPolicyView extends PolicyDescription {
  /** Whether the caller may change it: a master, and the operator enabled the feature. */
  readonly editable: boolean;
}

async function loadCompany(actor: Actor, deps: Pick<Dependencies, 'companies'>) {
  const company = await deps.companies.get(actor.admin.companyId);
  if (company === undefined) throw new Error(`company ${actor.admin.companyId} of a signed-in admin does not exist`);
  return company;
}

const view = (policy: PasswordPolicy, editable: boolean): CompanyPolicyView => ({ ...describeForScreens(policy), editable });

export async function getCompanyPasswordPolicy(actor: Actor, deps: Pick<Dependencies, 'companies'>): Promise<CompanyPolicyView> {
  const company = await loadCompany(actor, deps);
  return view(policyOf(company), actor.admin.role === 'master' && hasFeature(company, 'password-policy'));
}

/**
 * Saves the settings. A change never locks anyone out by itself: it applies when a password is next set, except
 * maxAgeDays, which sign-in applies. The common-password check can be switched off only by the operator.
 */
export async function updateCompanyPasswordPolicy(
  actor: Actor,
  settings: PasswordPolicySettings,
  deps: Pick<Dependencies, 'companies' | 'clock' | 'random'>,
  /** Read-only values of the policy as the client read them (a GET's `policy` sent back): accepted only when still so. */
  unchanged: Partial<PasswordPolicy> = {},
): Promise<CompanyPolicyView> {
  const company = await loadCompany(actor, deps);
  assertReadOnlyUnchanged(unchanged, policyOf(company));
  if (!hasFeature(company, 'password-policy')) {
    throw new DomainError(
      'FEATURE_NOT_ENABLED',
      'Password policy settings are not enabled for your company. To use them, please contact us from the inquiry form.',
    );
  }
  const current = policyOf(company);
  if (!settings.blockCommonPasswords && current.blockCommonPasswords) {
    throw new DomainError(
      'OPERATOR_SETTING',
      'The check against common and breached passwords can be switched off only by the service operator. Please contact us from the inquiry form.',
      [{ field: 'blockCommonPasswords', code: 'OPERATOR_SETTING', message: 'Only the service operator can switch this off.' }],
    );
  }
  const changed = (Object.keys(settings) as (keyof PasswordPolicySettings)[]).filter((key) => settings[key] !== current[key]);
  const details = Object.fromEntries(changed.flatMap((key) => [[`${key}From`, current[key]], [`${key}To`, settings[key]]]));
  await persist(
    deps.companies.savePasswordPolicy(company.companyId, settings, [
      auditEvent({ companyId: company.companyId, type: 'PASSWORD_POLICY_CHANGED', actorAdminId: actor.admin.adminId, origin: actor.origin, details }, deps),
    ]),
  );
  return view(policyOf({ passwordPolicy: settings }), true);
}
