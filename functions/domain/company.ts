// Domain layer: the company (tenant), the features the service operator enables for it, and the policy in force.
import { DEFAULT_PASSWORD_POLICY, MAX_PASSWORD_LENGTH, type PasswordPolicy } from './password-policy';

/** Features the operator switches on per company ("please contact us from the inquiry form"). */
export const FEATURES = ['password-policy'] as const;
export type Feature = (typeof FEATURES)[number];

/** The policy settings a company stores: the policy without its fixed maximum length. */
export type PasswordPolicySettings = Omit<PasswordPolicy, 'maxLength'>;

export interface Company {
  readonly companyId: string;
  readonly name: string;
  readonly activeMasterCount: number;
  readonly features: readonly Feature[];
  /** The stored settings; absent until the company's master first saves them. */
  readonly passwordPolicy: PasswordPolicySettings | undefined;
  /** The operator's limit of reset emails the company's masters send per day; absent: the deployment's default. */
  readonly resetsPerDay?: number | undefined;
  readonly createdAt: string;
}

export const hasFeature = (company: Pick<Company, 'features'>, feature: Feature): boolean => company.features.includes(feature);

/**
 * The policy in force: the defaults overlaid with what the company saved. A company whose feature was switched off
 * again keeps its saved policy in force (switching the settings item off must not silently weaken anything).
 */
export function policyOf(company: Pick<Company, 'passwordPolicy'> | undefined): PasswordPolicy {
  return { ...DEFAULT_PASSWORD_POLICY, ...company?.passwordPolicy, maxLength: MAX_PASSWORD_LENGTH };
}

/** A new company: no features, no saved policy, no master yet (the master's registration counts him). */
export const newCompany = (company: Pick<Company, 'companyId' | 'name'>, now: string): Company => ({
  companyId: company.companyId,
  name: company.name,
  activeMasterCount: 0,
  features: [],
  passwordPolicy: undefined,
  createdAt: now,
});

/** The company's features with one switched on or off. */
export const withFeature = (company: Pick<Company, 'features'>, feature: Feature, enabled: boolean): Feature[] =>
  enabled ? [...new Set([...company.features, feature])] : company.features.filter((existing) => existing !== feature);

/** The range of the operator's daily limit of a company's reset emails (`npm run ops -- set-limit`). */
export const RESETS_PER_DAY_MIN = 1;
export const RESETS_PER_DAY_MAX = 10_000;

/**
 * The company's daily reset limit as the operator asks for it: a whole number in range, or undefined for the
 * deployment's default (RESETS_PER_COMPANY_PER_DAY). Resolves whether that changes what is stored, so asking for
 * the limit a company already has writes nothing. Out of range is refused here, whatever parsed the request.
 */
export function resetsPerDayChange(company: Pick<Company, 'resetsPerDay'>, wanted: number | undefined): { readonly changed: boolean; readonly next: number | undefined } {
  if (wanted !== undefined && !(Number.isInteger(wanted) && wanted >= RESETS_PER_DAY_MIN && wanted <= RESETS_PER_DAY_MAX)) {
    throw new RangeError(`resetsPerDay must be a whole number from ${RESETS_PER_DAY_MIN} to ${RESETS_PER_DAY_MAX}`);
  }
  return { changed: company.resetsPerDay !== wanted, next: wanted };
}
