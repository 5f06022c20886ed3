// Handler: POST /sign-in.
import * as routes from '../contract/routes';
import { publicHandler, type ParsedRequest } from '../http/pipeline';
import { ok } from '../http/responses';
import { signIn } from '../use-cases/sign-in';
import { passwordHasher } from '../wiring/password-hasher';
import { rememberedCompanies } from '../adapters/remembered-companies';
import { attempts, auditLog, companies, credentials } from '../wiring/stores';
import { cryptoRandom, lifetimes, systemClock } from '../wiring/system';

const deps = { companies: rememberedCompanies(companies, systemClock), credentials, attempts, auditLog, hasher: passwordHasher, clock: systemClock, random: cryptoRandom, lifetimes };

export const core = async ({ body, origin, note }: ParsedRequest<typeof routes.signIn>) => {
  note({ companyId: body.companyId });
  return ok(await signIn(body, origin, deps));
};

export const handler = publicHandler(routes.signIn, core);
