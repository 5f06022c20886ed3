// Handler: PUT /me/password.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { logger } from '../http/logger';
import { changeOwnPassword } from '../use-cases/change-own-password';
import { notifyPasswordChange } from '../use-cases/notify-password-change';
import { mailer } from '../wiring/mailer';
import { passwordHasher } from '../wiring/password-hasher';
import { attempts, auditLog, companies, credentials } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';
import { guessability } from '../wiring/guessability';
import { breachedPasswords } from '../wiring/breached-passwords';

const deps = { companies, credentials, attempts, auditLog, hasher: passwordHasher, guessability, breachedPasswords, mailer, clock: systemClock, random: cryptoRandom };

export const core = async ({ actor, body }: AuthedRequest<typeof routes.changeOwnPassword>) => {
  await changeOwnPassword(actor, body, deps);
  await notifyPasswordChange(actor.admin, 'changed-by-you', deps, (error) => logger.warn('password change notice not sent', { error }));
  return noContent();
};

export const handler = sessionHandler(routes.changeOwnPassword, idempotent(routes.changeOwnPassword, core));
