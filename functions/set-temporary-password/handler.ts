// Handler: PUT /admins/{adminId}/temporary-password.
import { routes } from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { setTemporaryPassword } from '../use-cases/set-temporary-password';
import { passwordHasher } from '../wiring/password-hasher';
import { directory } from '../wiring/stores';
import { lifetimes, systemClock } from '../wiring/system';

const deps = { directory, hasher: passwordHasher, clock: systemClock, lifetimes };

export const core = async ({ actor, params, body, note }: AuthedRequest<typeof routes.setTemporaryPassword>) => {
  note({ targetAdminId: params.adminId });
  await setTemporaryPassword(actor, params.adminId, body.temporaryPassword, deps);
  return noContent();
};

export const handler = sessionHandler(routes.setTemporaryPassword, core);
