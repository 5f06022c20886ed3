// Test support: the steps the seed's procedures are made of, spoken over HTTP to the local API.
import { randomBytes } from 'node:crypto';
import type { ApiClient } from './api-client';
import type { ProvisionedCompany } from './companies';

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
  const first = await api.request('POST', '/sign-in', { body: { companyId, email, password: temporaryPassword } });
  if (first.body?.challenge !== 'NEW_PASSWORD_REQUIRED') throw new Error(`expected a challenge, got ${first.status} ${first.text}`);
  const second = await api.request('POST', '/sign-in/new-password', { body: { challengeToken: first.body.challengeToken, newPassword } });
  if (second.status !== 200) throw new Error(`expected a session, got ${second.status} ${second.text}`);
  return { token: second.body.sessionToken, adminId: second.body.admin.adminId };
}

export async function signIn(api: ApiClient, companyId: string, email: string, password: string): Promise<SignedIn> {
  const response = await api.request('POST', '/sign-in', { body: { companyId, email, password } });
  if (response.status !== 200 || response.body.sessionToken === undefined) throw new Error(`expected a session, got ${response.status} ${response.text}`);
  return { token: response.body.sessionToken, adminId: response.body.admin.adminId };
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
  const response = await api.request('POST', '/admins', {
    token: master.token,
    body: { email, name: 'Gil General', role: options.role ?? 'general', canChangeOwnPassword: options.canChangeOwnPassword ?? false, temporaryPassword },
  });
  if (response.status !== 201) throw new Error(`expected 201, got ${response.status} ${response.text}`);
  return { adminId: response.body.adminId, email, temporaryPassword };
}
