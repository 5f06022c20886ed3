// Handler: GET /admins/{adminId}.
import * as routes from '../contract/routes';
import { etagOf, toAdminView } from '../domain/admin';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { getAdmin } from '../use-cases/manage-admins';
import { admins } from '../wiring/stores';
import { systemClock } from '../wiring/system';

export const core = async ({ actor, params }: AuthedRequest<typeof routes.getAdmin>) => {
  const admin = await getAdmin(actor, params.adminId, { admins });
  return ok(toAdminView(admin, systemClock.now()), { ETag: etagOf(admin) });
};

export const handler = sessionHandler(routes.getAdmin, core);
