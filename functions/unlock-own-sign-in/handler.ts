// Handler: POST /me/unlock.
import * as routes from '../contract/routes';
import { sessionHandler, type AuthedRequest } from '../http/session-pipeline';
import { noContent } from '../http/responses';
import { unlockOwnSignIn } from '../use-cases/manage-admins';
import { attempts } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

export const core = async ({ actor }: AuthedRequest<typeof routes.unlockOwnSignIn>) => {
  await unlockOwnSignIn(actor, { attempts, clock: systemClock, random: cryptoRandom });
  return noContent();
};

export const handler = sessionHandler(routes.unlockOwnSignIn, core);
