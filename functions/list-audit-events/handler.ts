// Handler: GET /audit-events.
import * as routes from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { listAuditEvents } from '../use-cases/audit-log';
import { adminNames, auditLog } from '../wiring/stores';

export const core = async ({ actor, query }: AuthedRequest<typeof routes.listAuditEvents>) => ok(await listAuditEvents(actor, query, { auditLog, adminNames }));

export const handler = sessionHandler(routes.listAuditEvents, core);
