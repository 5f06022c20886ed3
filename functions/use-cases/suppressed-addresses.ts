// Use-case layer: a company's suppressed addresses, for its masters: the list, and clearing one (after the person
// fixed the mailbox, or the master the typo), which lets reset emails go to it again. The company is always the
// caller's own.
import { normalizeEmail } from '../domain/admin';
import { auditEvent, type Origin } from '../domain/audit';
import type { DeliverySuppression } from '../domain/delivery';
import { suppressionNotFound } from '../domain/errors';
import type { Actor } from './actor';
import type { Dependencies } from './dependencies';
import { persist } from './refusals';

export interface SuppressedAddressList {
  readonly items: DeliverySuppression[];
  readonly nextCursor: string | null;
}

export const listSuppressedAddresses = async (
  actor: Actor,
  page: { limit: number; cursor?: string | undefined },
  deps: Pick<Dependencies, 'suppressions'>,
): Promise<SuppressedAddressList> => {
  const { items, nextCursor } = await deps.suppressions.list(actor.admin.companyId, page);
  return { items: [...items], nextCursor };
};

/** Who clears a suppression: a master of the company, or the service operator (actorAdminId null). */
export interface Clearer {
  readonly companyId: string;
  readonly actorAdminId: string | null;
  readonly origin: Origin;
}

/**
 * Clears the address's suppression in the clearer's company, with an EMAIL_SUPPRESSION_CLEARED event in the same
 * write; SUPPRESSION_NOT_FOUND when it is not suppressed (or another master cleared it first).
 */
export async function clearSuppression(by: Clearer, email: string, deps: Pick<Dependencies, 'suppressions' | 'clock' | 'random'>): Promise<DeliverySuppression> {
  const address = normalizeEmail(email);
  const suppression = await deps.suppressions.find(by.companyId, address);
  if (suppression === undefined) throw suppressionNotFound();
  const event = auditEvent(
    {
      companyId: by.companyId,
      type: 'EMAIL_SUPPRESSION_CLEARED',
      actorAdminId: by.actorAdminId,
      origin: by.origin,
      details: { email: address, reason: suppression.reason, suppressedAt: suppression.suppressedAt },
    },
    deps,
  );
  await persist(deps.suppressions.clear(by.companyId, address, [event]), { NOT_SUPPRESSED: suppressionNotFound });
  return suppression;
}

/** A master clears an address of his own company. */
export const clearSuppressedAddress = (actor: Actor, email: string, deps: Pick<Dependencies, 'suppressions' | 'clock' | 'random'>) =>
  clearSuppression({ companyId: actor.admin.companyId, actorAdminId: actor.admin.adminId, origin: actor.origin }, email, deps);
