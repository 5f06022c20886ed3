// Handler: GET /audit-events.
import * as routes from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { auditLog } from '../wiring/stores';

export const core = async ({ actor, query }: AuthedRequest<typeof routes.listAuditEvents>) =>
  ok(await auditLog.list(actor.admin.companyId, query));

export const handler = sessionHandler(routes.listAuditEvents, core);
