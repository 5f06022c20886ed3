// Handler: POST /password-reset/verify.
import * as routes from '../contract/routes';
import { publicHandler, type ParsedRequest } from '../http/pipeline';
import { ok } from '../http/responses';
import { verifyPasswordReset } from '../use-cases/password-reset';
import { admins, auditLog, companies, resetAttempts, resetTokens } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

const deps = { companies, admins, resetTokens, resetAttempts, auditLog, clock: systemClock, random: cryptoRandom };

export const core = async ({ body, origin }: ParsedRequest<typeof routes.verifyPasswordReset>) =>
  ok(await verifyPasswordReset(body.token, origin, deps));

export const handler = publicHandler(routes.verifyPasswordReset, core);
