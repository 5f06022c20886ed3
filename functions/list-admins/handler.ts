// Handler: GET /admins.
import * as routes from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { listAdmins } from '../use-cases/manage-admins';
import { admins } from '../wiring/stores';
import { systemClock } from '../wiring/system';

export const core = async ({ actor, query }: AuthedRequest<typeof routes.listAdmins>) =>
  ok(await listAdmins(actor, query, { admins, clock: systemClock }));

export const handler = sessionHandler(routes.listAdmins, core);
