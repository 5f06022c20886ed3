// Handler: PATCH /admins/{adminId}. An email change is told to the old address once it is committed.
import * as routes from '../contract/routes';
import { etagOf, toAdminView } from '../domain/admin';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { logger } from '../http/logger';
import { ok } from '../http/responses';
import { updateAdmin } from '../use-cases/manage-admins';
import { notifyEmailChange } from '../use-cases/notify-email-change';
import { mailer } from '../wiring/mailer';
import { admins, companies } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

const deps = { admins, companies, mailer, clock: systemClock, random: cryptoRandom };

export const core = async ({ actor, params, headers, body, note }: AuthedRequest<typeof routes.updateAdmin>) => {
  note({ targetAdminId: params.adminId });
  const edit = await updateAdmin(actor, params.adminId, headers['if-match'], body.change, deps, body.unchanged);
  await notifyEmailChange(edit, deps, (error) => logger.warn('email change notice not sent', { error }));
  return ok(toAdminView(edit.after, systemClock.now()), { ETag: etagOf(edit.after) });
};

export const handler = sessionHandler(routes.updateAdmin, idempotent(routes.updateAdmin, core));
