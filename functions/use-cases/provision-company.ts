// Use-case layer: the service operator's set-up of a company and its first master administrator, who signs in
// with a temporary password and must replace it at once.
import { normalizeEmail, registeredAdmin, type AdminRecord } from '../domain/admin';
import { OPERATOR_ORIGIN, auditEvent } from '../domain/audit';
import { newCompany, policyOf } from '../domain/company';
import { refusalOf } from '../domain/write-refusals';
import { newUlid } from '../domain/tokens';
import { addMinutes, type Dependencies } from './dependencies';
import { assertAcceptablePassword, daysInMinutes } from './password-rules';
import { persist } from './refusals';

export interface CompanyProvisioning {
  readonly companyId: string;
  readonly companyName: string;
  readonly masterEmail: string;
  readonly masterName: string;
  readonly temporaryPassword: string;
}

/** Creates the company and its master; undefined when the company already exists (nothing is changed then). */
export async function provisionCompany(
  request: CompanyProvisioning,
  deps: Pick<Dependencies, 'companies' | 'admins' | 'hasher' | 'guessability' | 'breachedPasswords' | 'clock' | 'random'>,
): Promise<AdminRecord | undefined> {
  const email = normalizeEmail(request.masterEmail);
  const person = { companyId: request.companyId, email, name: request.masterName };
  const policy = policyOf(undefined);
  await assertAcceptablePassword(request.temporaryPassword, person, { policy: { company: undefined, policy }, field: 'temporaryPassword', guessability: deps.guessability, breachedPasswords: deps.breachedPasswords });
  const now = deps.clock.now();
  const operatorEvent = (type: 'COMPANY_CREATED' | 'ADMIN_CREATED', targetAdminId: string | null, details: Record<string, string>) =>
    auditEvent({ companyId: request.companyId, type, actorAdminId: null, targetAdminId, origin: OPERATOR_ORIGIN, details }, deps);
  const refused = await refusalOf(
    deps.companies.create(newCompany({ companyId: request.companyId, name: request.companyName }, now.toISOString()), [
      operatorEvent('COMPANY_CREATED', null, { name: request.companyName }),
    ]),
  );
  if (refused !== undefined) return undefined;
  const master = registeredAdmin(
    {
      ...person,
      adminId: newUlid(now, deps.random),
      role: 'master',
      canChangeOwnPassword: true,
      password: await deps.hasher.hash(request.temporaryPassword),
      temporaryPasswordExpiresAt: addMinutes(now, daysInMinutes(policy.temporaryPasswordValidityDays)),
    },
    now.toISOString(),
  );
  await persist(deps.admins.create(master, [operatorEvent('ADMIN_CREATED', master.adminId, { email, role: 'master' })]));
  return master;
}
