// Handler: PATCH /admins/{adminId}.
import { routes } from '../contract/routes';
import { etagOf, toAdminView } from '../domain/admin';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { updateAdmin } from '../use-cases/manage-admins';
import { admins } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

export const core = async ({ actor, params, headers, body, note }: AuthedRequest<typeof routes.updateAdmin>) => {
  note({ targetAdminId: params.adminId });
  const admin = await updateAdmin(actor, params.adminId, headers['if-match'], body, { admins, clock: systemClock, random: cryptoRandom });
  return ok(toAdminView(admin, systemClock.now()), { ETag: etagOf(admin) });
};

export const handler = sessionHandler(routes.updateAdmin, core);
