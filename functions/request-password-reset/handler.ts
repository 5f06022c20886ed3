// Handler: POST /admins/{adminId}/password-reset.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { accepted } from '../http/responses';
import { requestPasswordReset } from '../use-cases/password-reset';
import { mailer, publicBaseUrl } from '../wiring/mailer';
import { admins, auditLog, companies, credentials, resetLimits, suppressions } from '../wiring/stores';
import { cryptoRandom, lifetimes, systemClock } from '../wiring/system';

const deps = { companies, admins, credentials, resetLimits, suppressions, auditLog, mailer, clock: systemClock, random: cryptoRandom, lifetimes, publicBaseUrl };

export const core = async ({ actor, params, body, note }: AuthedRequest<typeof routes.requestPasswordReset>) => {
  note({ targetAdminId: params.adminId });
  const { sentTo, expiresAt, destination } = await requestPasswordReset(actor, params.adminId, body, deps);
  note({ resetDestination: destination });
  return accepted({ sentTo, expiresAt });
};

export const handler = sessionHandler(routes.requestPasswordReset, idempotent(routes.requestPasswordReset, core));
