// Handler: GET /company/suppressed-addresses.
import * as routes from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { listSuppressedAddresses } from '../use-cases/suppressed-addresses';
import { suppressions } from '../wiring/stores';

export const core = async ({ actor, query }: AuthedRequest<typeof routes.listSuppressedAddresses>) =>
  ok(await listSuppressedAddresses(actor, query, { suppressions }));

export const handler = sessionHandler(routes.listSuppressedAddresses, core);
