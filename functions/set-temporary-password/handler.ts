// Handler: PUT /admins/{adminId}/temporary-password.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { logger } from '../http/logger';
import { notifyPasswordChange } from '../use-cases/notify-password-change';
import { setTemporaryPassword } from '../use-cases/set-temporary-password';
import { mailer } from '../wiring/mailer';
import { passwordHasher } from '../wiring/password-hasher';
import { admins, companies, credentials } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';
import { guessability } from '../wiring/guessability';
import { breachedPasswords } from '../wiring/breached-passwords';

const deps = { companies, admins, credentials, hasher: passwordHasher, guessability, breachedPasswords, mailer, clock: systemClock, random: cryptoRandom };

export const core = async ({ actor, params, body, note }: AuthedRequest<typeof routes.setTemporaryPassword>) => {
  note({ targetAdminId: params.adminId });
  const target = await setTemporaryPassword(actor, params.adminId, body.temporaryPassword, deps);
  await notifyPasswordChange(target, 'temporary-set-by-master', deps, (error) => logger.warn('password change notice not sent', { error }));
  return noContent();
};

export const handler = sessionHandler(routes.setTemporaryPassword, idempotent(routes.setTemporaryPassword, core));
