// Use-case layer: the service operator's set-up of a company and its first master administrator, who signs in
// with a temporary password and must replace it at once.
import { normalizeEmail, type AdminRecord } from '../domain/admin';
import { newAdminId } from '../domain/tokens';
import { addMinutes, type Dependencies } from './dependencies';
import { assertAcceptablePassword } from './password-rules';

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
  deps: Pick<Dependencies, 'directory' | 'hasher' | 'clock' | 'random' | 'lifetimes'>,
): Promise<AdminRecord | undefined> {
  const email = normalizeEmail(request.masterEmail);
  const person = { companyId: request.companyId, email, name: request.masterName };
  await assertAcceptablePassword(request.temporaryPassword, person, { field: 'temporaryPassword' });
  const now = deps.clock.now();
  const created = await deps.directory.createCompany({ companyId: request.companyId, name: request.companyName, now: now.toISOString() });
  if (!created) return undefined;
  return deps.directory.createAdmin({
    ...person,
    adminId: newAdminId(now, deps.random),
    role: 'master',
    canChangeOwnPassword: true,
    password: await deps.hasher.hash(request.temporaryPassword),
    temporaryPasswordExpiresAt: addMinutes(now, deps.lifetimes.temporaryPasswordMinutes),
    now: now.toISOString(),
  });
}
