// Handler: POST /password-reset/complete.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { publicHandler, type ParsedRequest } from '../http/pipeline';
import { logger } from '../http/logger';
import { noContent } from '../http/responses';
import { notifyPasswordChange } from '../use-cases/notify-password-change';
import { completePasswordReset } from '../use-cases/password-reset';
import { mailer } from '../wiring/mailer';
import { passwordHasher } from '../wiring/password-hasher';
import { admins, auditLog, companies, credentials, resetAttempts, resetTokens } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';
import { guessability } from '../wiring/guessability';
import { breachedPasswords } from '../wiring/breached-passwords';

const deps = { companies, admins, credentials, resetTokens, resetAttempts, auditLog, hasher: passwordHasher, guessability, breachedPasswords, mailer, clock: systemClock, random: cryptoRandom };

export const core = async ({ body, origin, note }: ParsedRequest<typeof routes.completePasswordReset>) => {
  const admin = await completePasswordReset(body, origin, deps);
  note({ companyId: admin.companyId, targetAdminId: admin.adminId });
  await notifyPasswordChange(admin, 'reset-completed', deps, (error) => logger.warn('password change notice not sent', { error }));
  return noContent();
};

export const handler = publicHandler(routes.completePasswordReset, idempotent(routes.completePasswordReset, core));
