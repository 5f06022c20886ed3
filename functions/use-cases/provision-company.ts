// Use-case layer: the service operator's set-up of a company and its first master administrator, who signs in
// with a temporary password and must replace it at once.
import { normalizeEmail, type AdminRecord } from '../domain/admin';
import { OPERATOR_ORIGIN, auditEvent } from '../domain/audit';
import { policyOf } from '../domain/company';
import { newUlid } from '../domain/tokens';
import { addMinutes, type Dependencies } from './dependencies';
import { assertAcceptablePassword, daysInMinutes } from './password-rules';

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
  deps: Pick<Dependencies, 'directory' | 'hasher' | 'clock' | 'random'>,
): Promise<AdminRecord | undefined> {
  const email = normalizeEmail(request.masterEmail);
  const person = { companyId: request.companyId, email, name: request.masterName };
  const policy = policyOf(undefined);
  await assertAcceptablePassword(request.temporaryPassword, person, { policy: { company: undefined, policy }, field: 'temporaryPassword' });
  const now = deps.clock.now();
  const operatorEvent = (type: 'COMPANY_CREATED' | 'ADMIN_CREATED', targetAdminId: string | null, details: Record<string, string>) =>
    auditEvent({ companyId: request.companyId, type, actorAdminId: null, targetAdminId, origin: OPERATOR_ORIGIN, details }, deps);
  const created = await deps.directory.createCompany({ companyId: request.companyId, name: request.companyName, now: now.toISOString() }, [
    operatorEvent('COMPANY_CREATED', null, { name: request.companyName }),
  ]);
  if (!created) return undefined;
  const adminId = newUlid(now, deps.random);
  return deps.directory.createAdmin(
    {
      ...person,
      adminId,
      role: 'master',
      canChangeOwnPassword: true,
      password: await deps.hasher.hash(request.temporaryPassword),
      temporaryPasswordExpiresAt: addMinutes(now, daysInMinutes(policy.temporaryPasswordValidityDays)),
      now: now.toISOString(),
    },
    [operatorEvent('ADMIN_CREATED', adminId, { email, role: 'master' })],
  );
}
