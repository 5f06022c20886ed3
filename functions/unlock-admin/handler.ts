// Handler: POST /admins/{adminId}/unlock.
import { routes } from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { unlockAdmin } from '../use-cases/manage-admins';
import { directory } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

export const core = async ({ actor, params, note }: AuthedRequest<typeof routes.unlockAdmin>) => {
  note({ targetAdminId: params.adminId });
  await unlockAdmin(actor, params.adminId, { directory, clock: systemClock, random: cryptoRandom });
  return noContent();
};

export const handler = sessionHandler(routes.unlockAdmin, core);
