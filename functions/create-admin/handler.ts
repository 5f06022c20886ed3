// Handler: POST /admins.
import * as routes from '../contract/routes';
import { etagOf, toAdminView } from '../domain/admin';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { created } from '../http/responses';
import { createAdmin } from '../use-cases/manage-admins';
import { passwordHasher } from '../wiring/password-hasher';
import { admins, companies } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';
import { guessability } from '../wiring/guessability';
import { breachedPasswords } from '../wiring/breached-passwords';

const deps = { companies, admins, hasher: passwordHasher, guessability, breachedPasswords, clock: systemClock, random: cryptoRandom };

export const core = async ({ actor, body, note }: AuthedRequest<typeof routes.createAdmin>) => {
  const admin = await createAdmin(actor, body, deps);
  note({ targetAdminId: admin.adminId });
  return created(toAdminView(admin, systemClock.now()), { ETag: etagOf(admin), Location: `/admins/${admin.adminId}` });
};

export const handler = sessionHandler(routes.createAdmin, idempotent(routes.createAdmin, core));
