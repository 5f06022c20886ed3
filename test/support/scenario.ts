// Test support: the steps the seed's procedures are made of, spoken over HTTP to the local API through the typed
// client of clients/typescript, as a client app would.
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { COMPANY_MEMORY_SECONDS } from '../../functions/adapters/remembered-companies';
import { createAdminpassClient, type AdminpassClient, type NewPasswordChallenge } from '../../clients/typescript/src/index';
import type { ApiClient } from './api-client';
import type { ProvisionedCompany } from './companies';

/** A typed client of the local API, holding `token` as its session when given. */
export function typedClient(api: ApiClient, token?: string): AdminpassClient {
  const client = createAdminpassClient({ baseUrl: api.url });
  client.useSession(token);
  return client;
}

export interface SignedIn {
  readonly token: string;
  readonly adminId: string;
}

/** Signs in with a temporary password and answers the challenge with the new password. */
export async function signInReplacingTemporary(
  api: ApiClient,
  companyId: string,
  email: string,
  temporaryPassword: string,
  newPassword: string,
): Promise<SignedIn> {
  const client = typedClient(api);
  const first = await client.signIn({ companyId, email, password: temporaryPassword });
  if (!('challenge' in first)) throw new Error('expected a challenge, got a session');
  const grant = await client.answerNewPasswordChallenge({ challengeToken: (first as NewPasswordChallenge).challengeToken, newPassword });
  return { token: grant.sessionToken, adminId: grant.admin.adminId };
}

export async function signIn(api: ApiClient, companyId: string, email: string, password: string): Promise<SignedIn> {
  const answer = await typedClient(api).signIn({ companyId, email, password });
  if (!('sessionToken' in answer)) throw new Error(`expected a session, got the ${answer.challenge} challenge`);
  return { token: answer.sessionToken, adminId: answer.admin.adminId };
}

/**
 * A policy change answered at `changedAt` (performance.now()) is in force for every sign-in once this resolves: a
 * warm sign-in container may use the company it read before the change for COMPANY_MEMORY_SECONDS (README,
 * "Requests per route"), so a test that needs the new lockout on every attempt waits out what is left of that.
 */
export async function untilPolicyInForce(changedAt: number): Promise<void> {
  const left = changedAt + COMPANY_MEMORY_SECONDS * 1000 - performance.now();
  if (left > 0) await sleep(left);
}

// Free of the test master's name and email, which the policy would refuse.
export const MASTER_PASSWORD = 'correct horse battery staple';

/** The company's master, signed in with his own password. */
export const signInMaster = (api: ApiClient, company: ProvisionedCompany): Promise<SignedIn> =>
  signInReplacingTemporary(api, company.companyId, company.masterEmail, company.masterTemporaryPassword, MASTER_PASSWORD);

/** A general admin created by the master, still holding his temporary password. */
export async function createGeneralAdmin(
  api: ApiClient,
  master: SignedIn,
  email: string,
  options: { canChangeOwnPassword?: boolean; role?: 'general' | 'master' } = {},
): Promise<{ adminId: string; email: string; temporaryPassword: string }> {
  const temporaryPassword = `tmp ${randomBytes(10).toString('hex')}`;
  const admin = await typedClient(api, master.token).createAdmin({
    email,
    name: 'Gil General',
    role: options.role ?? 'general',
    canChangeOwnPassword: options.canChangeOwnPassword ?? false,
    temporaryPassword,
  });
  return { adminId: admin.adminId, email, temporaryPassword };
}
