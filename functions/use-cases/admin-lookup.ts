// Use-case layer: finding the admin a master acts on, always inside the master's own company.
import type { AdminRecord } from '../domain/admin';
import { adminNotFound } from '../domain/errors';
import type { AdminAccounts } from '../domain/ports';
import type { Actor } from './actor';

/** The company comes from the actor's session; an admin of another company is simply not found. */
export async function targetAdmin(actor: Actor, adminId: string, admins: Pick<AdminAccounts, 'get'>): Promise<AdminRecord> {
  const target = await admins.get(actor.admin.companyId, adminId);
  if (target === undefined) throw adminNotFound();
  return target;
}
