// Handler: PUT /me/password.
import { routes } from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { changeOwnPassword } from '../use-cases/change-own-password';
import { passwordHasher } from '../wiring/password-hasher';
import { directory } from '../wiring/stores';
import { systemClock } from '../wiring/system';

const deps = { directory, hasher: passwordHasher, clock: systemClock };

export const core = async ({ actor, body }: AuthedRequest<typeof routes.changeOwnPassword>) => {
  await changeOwnPassword(actor, body, deps);
  return noContent();
};

export const handler = sessionHandler(routes.changeOwnPassword, core);
