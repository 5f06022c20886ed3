// Handler: GET /me.
import * as routes from '../contract/routes';
import { toAdminView } from '../domain/admin';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { ok } from '../http/responses';
import { systemClock } from '../wiring/system';

export const core = async ({ actor }: AuthedRequest<typeof routes.getMe>) => ok(toAdminView(actor.admin, systemClock.now()));

export const handler = sessionHandler(routes.getMe, core);
