// Handler: GET /company/password-policy.
import * as routes from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { getCompanyPasswordPolicy } from '../use-cases/company-password-policy';
import { companies } from '../wiring/stores';

export const core = async ({ actor }: AuthedRequest<typeof routes.getPasswordPolicy>) => ok(await getCompanyPasswordPolicy(actor, { companies }));

export const handler = sessionHandler(routes.getPasswordPolicy, core);
