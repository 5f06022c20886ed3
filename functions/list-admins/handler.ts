// Handler: GET /admins.
import { routes } from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { listAdmins } from '../use-cases/manage-admins';
import { directory } from '../wiring/stores';

export const core = async ({ actor, query }: AuthedRequest<typeof routes.listAdmins>) =>
  ok(await listAdmins(actor, query, { directory }));

export const handler = sessionHandler(routes.listAdmins, core);
