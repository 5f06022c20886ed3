// Handler: POST /admins/{adminId}/unlock.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { unlockAdmin } from '../use-cases/manage-admins';
import { admins, attempts } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

export const core = async ({ actor, params, note }: AuthedRequest<typeof routes.unlockAdmin>) => {
  note({ targetAdminId: params.adminId });
  await unlockAdmin(actor, params.adminId, { admins, attempts, clock: systemClock, random: cryptoRandom });
  return noContent();
};

export const handler = sessionHandler(routes.unlockAdmin, idempotent(routes.unlockAdmin, core));
