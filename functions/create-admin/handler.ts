// Handler: POST /admins (with a temporary password, or an emailed set-up link).
import * as routes from '../contract/routes';
import { etagOf, toAdminView } from '../domain/admin';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { created } from '../http/responses';
import { createAdmin } from '../use-cases/manage-admins';
import { passwordHasher } from '../wiring/password-hasher';
import { admins, auditLog, companies, credentials, resetLimits, suppressions } from '../wiring/stores';
import { cryptoRandom, lifetimes, systemClock } from '../wiring/system';
import { guessability } from '../wiring/guessability';
import { breachedPasswords } from '../wiring/breached-passwords';
import { mailer, publicBaseUrl } from '../wiring/mailer';

const deps = {
  companies,
  admins,
  credentials,
  resetLimits,
  suppressions,
  auditLog,
  mailer,
  hasher: passwordHasher,
  guessability,
  breachedPasswords,
  clock: systemClock,
  random: cryptoRandom,
  lifetimes,
  publicBaseUrl,
};

export const core = async ({ actor, body, note }: AuthedRequest<typeof routes.createAdmin>) => {
  const admin = await createAdmin(actor, body, deps);
  note({ targetAdminId: admin.adminId });
  return created(toAdminView(admin, systemClock.now()), { ETag: etagOf(admin), Location: `/admins/${admin.adminId}` });
};

export const handler = sessionHandler(routes.createAdmin, idempotent(routes.createAdmin, core));
