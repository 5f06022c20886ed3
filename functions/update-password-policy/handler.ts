// Handler: PUT /company/password-policy.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { updateCompanyPasswordPolicy } from '../use-cases/company-password-policy';
import { companies } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

export const core = async ({ actor, body }: AuthedRequest<typeof routes.updatePasswordPolicy>) =>
  ok(await updateCompanyPasswordPolicy(actor, body.settings, { companies, clock: systemClock, random: cryptoRandom }, body.unchanged));

export const handler = sessionHandler(routes.updatePasswordPolicy, idempotent(routes.updatePasswordPolicy, core));
