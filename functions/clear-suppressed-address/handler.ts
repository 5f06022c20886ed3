// Handler: DELETE /company/suppressed-addresses/{email}.
import * as routes from '../contract/routes';
import { idempotent } from '../http/idempotency';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { clearSuppressedAddress } from '../use-cases/suppressed-addresses';
import { suppressions } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

export const core = async ({ actor, params }: AuthedRequest<typeof routes.clearSuppressedAddress>) => {
  await clearSuppressedAddress(actor, params.email, { suppressions, clock: systemClock, random: cryptoRandom });
  return noContent();
};

export const handler = sessionHandler(routes.clearSuppressedAddress, idempotent(routes.clearSuppressedAddress, core));
