// Handler: POST /admins/{adminId}/enable.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { enableAdmin } from '../use-cases/manage-admins';
import { admins } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

export const core = async ({ actor, params, note }: AuthedRequest<typeof routes.enableAdmin>) => {
  note({ targetAdminId: params.adminId });
  await enableAdmin(actor, params.adminId, { admins, clock: systemClock, random: cryptoRandom });
  return noContent();
};

export const handler = sessionHandler(routes.enableAdmin, idempotent(routes.enableAdmin, core));
