// Use-case layer: the service operator's commands (`npm run ops`, bin/ops.ts): set up a company whose first master
// gets a set-up link and never a known password, switch a company's features, send a locked-out master a reset
// link (the "contact us" path), set a company's daily limit of reset emails, clear a suppressed address, and list
// the companies. No AWS import: the CLI hands in the ports.
import { normalizeEmail, type AdminRecord } from '../domain/admin';
import { OPERATOR_ORIGIN, auditEvent, type AuditDetails, type AuditEventType } from '../domain/audit';
import { hasFeature, newCompany, resetsPerDayChange, withFeature, type Company, type Feature } from '../domain/company';
import type { EmailMessage } from '../domain/emails';
import { DomainError } from '../domain/errors';
import { accountSetUpEmail, operatorResetEmail, type OperatorLinkFacts } from '../domain/setup-email';
import { newUlid } from '../domain/tokens';
import type { Dependencies, Lifetimes } from './dependencies';
import { OPERATOR_REQUESTER, type LinkPurpose } from '../domain/ports';
import { sendResetLink } from './password-reset';
import { passwordlessAdmin } from './passwordless-admin';
import { decideOnFreshRead, persist } from './refusals';
import { clearSuppression } from './suppressed-addresses';
import { refusalOf } from '../domain/write-refusals';

/** Who started a reset, in ResetToken.requestedBy and the audit trail, when it was the operator and not an admin. */
export const OPERATOR = OPERATOR_REQUESTER;

export type OperatorRefusalCode = 'COMPANY_EXISTS' | 'COMPANY_NOT_FOUND' | 'ADMIN_NOT_FOUND' | 'NOT_A_MASTER' | 'ADMIN_DISABLED' | 'SET_UP_EMAIL_NOT_SENT' | 'SUPPRESSION_NOT_FOUND';

/** An operator command that was refused, with one line for the operator that says why and what was left as it was. */
export class OperatorRefusal extends Error {
  constructor(
    readonly code: OperatorRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'OperatorRefusal';
  }
}

const companyNotFound = (companyId: string): OperatorRefusal =>
  new OperatorRefusal('COMPANY_NOT_FOUND', `There is no company "${companyId}"; nothing was changed.`);

type EventDeps = Pick<Dependencies, 'clock' | 'random'>;

const operatorEvent = (companyId: string, type: AuditEventType, targetAdminId: string | null, details: AuditDetails, deps: EventDeps) =>
  auditEvent({ companyId, type, actorAdminId: null, targetAdminId, origin: OPERATOR_ORIGIN, details }, deps);

type LinkDeps = Pick<Dependencies, 'credentials' | 'mailer' | 'suppressions' | 'auditLog' | 'clock' | 'random' | 'publicBaseUrl'> & {
  readonly lifetimes: Pick<Lifetimes, 'resetLinkMinutes'>;
};

export interface LinkSent {
  readonly sentTo: string;
  readonly expiresAt: string;
}

/** The email around each kind of link the operator sends. */
const OPERATOR_EMAILS: Readonly<Record<LinkPurpose, (facts: OperatorLinkFacts) => EmailMessage>> = {
  'set-up': accountSetUpEmail,
  reset: operatorResetEmail,
};

/**
 * Starts a password reset of the admin on the operator's behalf, with the reset link's token, shape and life that
 * requestPasswordReset gives a master's reset. The link goes only to the registered address: whoever wrote to the
 * operator proves who he is by reading that mailbox. As there, the email goes out first, so a refused email leaves
 * the account as it was (EMAIL_DELIVERY_FAILED).
 */
function sendOperatorLink(target: AdminRecord, company: Pick<Company, 'companyId' | 'name'>, purpose: LinkPurpose, deps: LinkDeps): Promise<LinkSent> {
  return sendResetLink(
    {
      target,
      sentTo: target.email,
      purpose,
      requestedBy: OPERATOR,
      actorAdminId: null,
      origin: OPERATOR_ORIGIN,
      compose: (link, expiresAt) =>
        OPERATOR_EMAILS[purpose]({ adminName: target.name, email: target.email, companyId: company.companyId, companyName: company.name, link, expiresAt, validMinutes: deps.lifetimes.resetLinkMinutes }),
    },
    deps,
  );
}

export interface NewCompany {
  readonly companyId: string;
  readonly companyName: string;
  readonly masterEmail: string;
  readonly masterName: string;
}

export interface CompanyCreated {
  readonly master: AdminRecord;
  readonly setUpLink: LinkSent;
}

/**
 * Creates the company and its first master, who never gets a known password (passwordlessAdmin), then a password
 * reset (which removes that throwaway hash) whose link reaches him as a set-up email. Refused when the company exists; nothing is changed then.
 */
export async function createCompanyWithMaster(
  request: NewCompany,
  deps: LinkDeps & Pick<Dependencies, 'companies' | 'admins' | 'hasher'>,
): Promise<CompanyCreated> {
  const { companyId, companyName } = request;
  const email = normalizeEmail(request.masterEmail);
  const now = deps.clock.now();
  const refused = await refusalOf(
    deps.companies.create(newCompany({ companyId, name: companyName }, now.toISOString()), [operatorEvent(companyId, 'COMPANY_CREATED', null, { name: companyName }, deps)]),
  );
  if (refused !== undefined) throw new OperatorRefusal('COMPANY_EXISTS', `Company "${companyId}" already exists; nothing was changed.`);

  const master = await passwordlessAdmin(
    { companyId, adminId: newUlid(now, deps.random), email, name: request.masterName, role: 'master', canChangeOwnPassword: true },
    now,
    deps,
  );
  await persist(deps.admins.create(master, [operatorEvent(companyId, 'ADMIN_CREATED', master.adminId, { email, role: 'master' }, deps)]));
  try {
    return { master, setUpLink: await sendOperatorLink(master, { companyId, name: companyName }, 'set-up', deps) };
  } catch (error) {
    if (!(error instanceof DomainError && error.code === 'EMAIL_DELIVERY_FAILED')) throw error;
    // The master exists with a password nobody knows; a reset link is all he needs, and the operator can send one.
    throw new OperatorRefusal(
      'SET_UP_EMAIL_NOT_SENT',
      `Company "${companyId}" and its master ${email} were created, but the set-up email could not be sent. ` +
        `Send a link with: reset-master --company ${companyId} --email ${email}`,
    );
  }
}

/**
 * Switches an operator feature on or off. Resolves whether anything changed: asking for the state the company is
 * already in writes nothing and records no event.
 */
export async function setCompanyFeature(
  request: { companyId: string; feature: Feature; enabled: boolean },
  deps: Pick<Dependencies, 'companies' | 'clock' | 'random'>,
): Promise<{ changed: boolean }> {
  const { companyId, feature, enabled } = request;
  // Decided again on a fresh read if another command switched a feature of the company meanwhile.
  return decideOnFreshRead(async () => {
    const company = await deps.companies.get(companyId);
    if (company === undefined) throw companyNotFound(companyId);
    if (hasFeature(company, feature) === enabled) return { changed: false };
    const event = operatorEvent(companyId, enabled ? 'FEATURE_ENABLED' : 'FEATURE_DISABLED', null, { feature }, deps);
    await deps.companies.saveFeatures(company, withFeature(company, feature, enabled), [event]);
    return { changed: true };
  }, ['FEATURES_MOVED']);
}

/**
 * The "contact us" path of a master who cannot sign in (forgotten password, locked account, no other master):
 * emails him a reset link at his registered address. Completing it sets his password and, like any password write,
 * clears a lockout; the command itself changes nothing else. General admins are refused: their masters reset them.
 */
export async function resetMasterPassword(request: { companyId: string; email: string }, deps: LinkDeps & Pick<Dependencies, 'companies' | 'admins'>): Promise<LinkSent> {
  const company = await deps.companies.get(request.companyId);
  if (company === undefined) throw companyNotFound(request.companyId);
  const email = normalizeEmail(request.email);
  const admin = await deps.admins.findByEmail(company.companyId, email);
  if (admin === undefined) {
    throw new OperatorRefusal('ADMIN_NOT_FOUND', `No administrator of "${company.companyId}" has the address ${email}; nothing was sent.`);
  }
  if (admin.role !== 'master') {
    throw new OperatorRefusal(
      'NOT_A_MASTER',
      `${email} is not a master administrator of "${company.companyId}"; a master of the company resets his password. Nothing was sent.`,
    );
  }
  if (admin.status !== 'active') {
    throw new OperatorRefusal('ADMIN_DISABLED', `${email} is disabled in "${company.companyId}"; a reset link would not let him sign in. Nothing was sent.`);
  }
  return sendOperatorLink(admin, company, 'reset', deps);
}

/** Every company, ordered by id. */
export async function listCompanies(deps: Pick<Dependencies, 'companies'>): Promise<Company[]> {
  const companies = await deps.companies.list();
  return companies.sort((a, b) => a.companyId.localeCompare(b.companyId));
}

/**
 * Sets the company's daily limit of reset emails (a whole number from RESETS_PER_DAY_MIN to RESETS_PER_DAY_MAX), or
 * unsets it (undefined) so the deployment's RESETS_PER_COMPANY_PER_DAY applies again. Asking for the limit the
 * company already has writes nothing and records no event; otherwise RESET_LIMIT_CHANGED records the old and new
 * limit (null: the default).
 */
export async function setResetsPerDay(
  request: { companyId: string; resetsPerDay: number | undefined },
  deps: Pick<Dependencies, 'companies' | 'clock' | 'random'>,
): Promise<{ changed: boolean; previous: number | undefined }> {
  const { companyId, resetsPerDay } = request;
  // Decided again on a fresh read if another command set the limit meanwhile.
  return decideOnFreshRead(async () => {
    const company = await deps.companies.get(companyId);
    if (company === undefined) throw companyNotFound(companyId);
    const { changed, next } = resetsPerDayChange(company, resetsPerDay);
    if (!changed) return { changed: false, previous: company.resetsPerDay };
    const event = operatorEvent(companyId, 'RESET_LIMIT_CHANGED', null, { resetsPerDay: next ?? null, previous: company.resetsPerDay ?? null }, deps);
    await deps.companies.saveResetsPerDay(company, next, [event]);
    return { changed: true, previous: company.resetsPerDay };
  }, ['RESETS_LIMIT_MOVED']);
}

/**
 * Clears a suppressed address of the company on a person's request through the operator (the master's own way is
 * DELETE /company/suppressed-addresses/{email}); for a master who cannot sign in, whose registered address bounced
 * and who needs `reset-master`. Refused when the company or the suppression does not exist.
 */
export async function clearSuppressedAddressAsOperator(
  request: { companyId: string; email: string },
  deps: Pick<Dependencies, 'companies' | 'suppressions' | 'clock' | 'random'>,
): Promise<{ email: string }> {
  if ((await deps.companies.get(request.companyId)) === undefined) throw companyNotFound(request.companyId);
  try {
    return await clearSuppression({ companyId: request.companyId, actorAdminId: null, origin: OPERATOR_ORIGIN }, request.email, deps);
  } catch (error) {
    if (error instanceof DomainError && error.code === 'SUPPRESSION_NOT_FOUND') {
      throw new OperatorRefusal('SUPPRESSION_NOT_FOUND', `${normalizeEmail(request.email)} is not suppressed in "${request.companyId}"; nothing was changed.`);
    }
    throw error;
  }
}
