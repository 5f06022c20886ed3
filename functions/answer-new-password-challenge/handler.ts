// Handler: POST /sign-in/new-password.
import * as routes from '../contract/routes';
import { publicHandler, type ParsedRequest } from '../http/pipeline';
import { ok } from '../http/responses';
import { answerNewPasswordChallenge } from '../use-cases/answer-new-password-challenge';
import { passwordHasher } from '../wiring/password-hasher';
import { admins, challenges, companies, credentials } from '../wiring/stores';
import { cryptoRandom, lifetimes, systemClock } from '../wiring/system';
import { guessability } from '../wiring/guessability';
import { breachedPasswords } from '../wiring/breached-passwords';

const deps = { companies, admins, credentials, challenges, hasher: passwordHasher, guessability, breachedPasswords, clock: systemClock, random: cryptoRandom, lifetimes };

export const core = async ({ body, origin }: ParsedRequest<typeof routes.answerNewPasswordChallenge>) =>
  ok(await answerNewPasswordChallenge(body, origin, deps));

export const handler = publicHandler(routes.answerNewPasswordChallenge, core);
