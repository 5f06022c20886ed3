// Use-case layer: reading the company's audit trail. Each page comes with the names of the admins its events
// mention, so a reader sees people rather than ids whatever the size of the company.
import type { AdminName, AuditEvent, AuditQuery } from '../domain/audit';
import { adminIdsOf } from '../domain/audit';
import type { AdminNames, AuditLog } from '../domain/ports';
import type { Actor } from './actor';

export interface AuditEventPage {
  readonly items: AuditEvent[];
  readonly nextCursor: string | null;
  /** Every admin of the company the page's events mention; an id missing here belongs to no admin of the company. */
  readonly admins: AdminName[];
}

/**
 * A page of the actor's company's events (the company comes from the session, never from the query), newest first,
 * and the admins they mention: one Query of the audit table (up to five with a type filter) and one BatchGetItem of
 * the directory per 100 distinct admins.
 */
export async function listAuditEvents(actor: Actor, query: AuditQuery, deps: { auditLog: AuditLog; adminNames: AdminNames }): Promise<AuditEventPage> {
  const { companyId } = actor.admin;
  const page = await deps.auditLog.list(companyId, query);
  const mentioned = [...new Set(page.items.flatMap(adminIdsOf))];
  const admins = mentioned.length === 0 ? [] : await deps.adminNames.namesOf(companyId, mentioned);
  return { ...page, admins };
}
