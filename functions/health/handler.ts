// Handler: GET /health.
import * as routes from '../contract/routes';
import { publicHandler } from '../http/pipeline';
import { ok } from '../http/responses';

export const core = async () => ok({ status: 'ok' as const });

export const handler = publicHandler(routes.health, core);
