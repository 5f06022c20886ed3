// HTTP adapter: the pipeline of every route that needs a session. Authentication and the role check run here,
// once for all such routes, from the route table's `access`.
import type { RouteDefinition } from '../contract/routes';
import type { Actor } from '../use-cases/actor';
import { authenticate } from '../use-cases/authenticate';
import { systemClock } from '../wiring/system';
import { admins, sessions } from '../wiring/stores';
import { pipeline, type ApiHandler, type CoreOf, type ParsedRequest } from './pipeline';

export type AuthedRequest<R extends RouteDefinition> = ParsedRequest<R> & { readonly actor: Actor };

export function sessionHandler<R extends RouteDefinition & { access: 'session' | 'master' }>(
  route: R,
  core: CoreOf<R, AuthedRequest<R>>,
): ApiHandler {
  // A keyed route's core judges a retry with an Idempotency-Key after the session check and validation, so only a
  // caller can probe it.
  return pipeline<R, { actor: Actor }>(route, core, async ({ headers, origin }, remember) => {
    const actor = await authenticate(headers.authorization, route.access, origin, { admins, sessions, clock: systemClock });
    remember({ actor });
  });
}
