// Handler: POST /sign-out.
import * as routes from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { signOut } from '../use-cases/sign-out';
import { sessions } from '../wiring/stores';

export const core = async ({ actor }: AuthedRequest<typeof routes.signOut>) => {
  await signOut(actor, { sessions });
  return noContent();
};

export const handler = sessionHandler(routes.signOut, core);
