// Console (browser): the API, through the typed client of clients/typescript (types generated from GET
// /openapi.json, calls through openapi-fetch). The session token lives only in that client's memory: never in
// localStorage (any script that runs in the page could read it there), never in a cookie (the API takes bearer
// tokens, and a cookie would be sent by the browser on its own and need CSRF defences), never in a URL. A reload
// signs out.
import {
  AdminpassError,
  createAdminpassClient,
  type Admin,
  type AdminChange,
  type AuditEventQuery,
  type ErrorDetail,
  type NewAdmin,
  type PasswordPolicyUpdate,
  type SessionGrant,
} from '../clients/typescript/src/index';

const UNREACHABLE = 'The service could not be reached. Check your connection and try again.';

/** An answer of the API in its error envelope (status 0: no answer at all). */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

const asApiError = (error: AdminpassError<string>): ApiError => new ApiError(error.status, error.code, error.message, error.details);

let onSessionEnded: (error: ApiError) => void = () => undefined;

/**
 * API paths are relative to the console's own address, so a stage prefix (https://…/prod/) is kept: the console is
 * served at the API's root and every operation sits next to it.
 */
const baseUrl = (): string => `${location.origin}${location.pathname.replace(/\/[^/]*$/, '')}`;

const client = createAdminpassClient({
  baseUrl: baseUrl(),
  requestInit: { credentials: 'omit', cache: 'no-store', referrerPolicy: 'no-referrer' },
  onSessionEnded: (error) => onSessionEnded(asApiError(error)),
});

/** A call of the client, its failures as ApiError: an error answer, or none at all (status 0). */
async function call<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof AdminpassError) throw asApiError(error);
    throw new ApiError(0, 'UNREACHABLE', UNREACHABLE);
  }
}

export const isSignedIn = (): boolean => client.sessionToken !== undefined;

/** Keeps the token of a new session (in memory only). */
export function startSession(grant: SessionGrant): void {
  client.useSession(grant.sessionToken);
}

export function forgetSession(): void {
  client.useSession(undefined);
}

/** Called when the API says the session is missing, expired or revoked (another sign-in changed the password). */
export function whenSessionEnds(callback: (error: ApiError) => void): void {
  onSessionEnded = callback;
}

/** An admin with the ETag of the version read, for the If-Match of the edit that follows. */
export interface VersionedAdmin {
  readonly admin: Admin;
  readonly etag: string;
}

const versioned = async (read: Promise<Admin>): Promise<VersionedAdmin> => {
  const admin = await read;
  return { admin, etag: client.etagOf(admin.adminId) ?? '' };
};

export const api = {
  signIn: (companyId: string, email: string, password: string) => call(() => client.signIn({ companyId, email, password })),
  answerChallenge: (challengeToken: string, newPassword: string) => call(() => client.answerNewPasswordChallenge({ challengeToken, newPassword })),
  signOut: () => call(() => client.signOut()),
  verifyResetLink: (token: string) => call(() => client.verifyPasswordReset(token)),
  completeReset: (token: string, newPassword: string, confirmPassword: string) => call(() => client.completePasswordReset({ token, newPassword, confirmPassword })),
  me: () => call(() => client.me()),
  changeOwnPassword: (currentPassword: string, newPassword: string) => call(() => client.changeOwnPassword({ currentPassword, newPassword })),
  listAdmins: (cursor?: string, limit = 20) => call(() => client.listAdmins({ limit, ...(cursor === undefined ? {} : { cursor }) })),
  createAdmin: (admin: NewAdmin) => call(() => client.createAdmin(admin)),
  getAdmin: (adminId: string) => call(() => versioned(client.getAdmin(adminId))),
  updateAdmin: (adminId: string, etag: string, change: AdminChange) => call(() => versioned(client.updateAdmin(adminId, change, { ifMatch: etag }))),
  setTemporaryPassword: (adminId: string, temporaryPassword: string) => call(() => client.setTemporaryPassword(adminId, temporaryPassword)),
  resetPassword: (adminId: string, email: string | undefined) => call(() => client.requestPasswordReset(adminId, email === undefined ? {} : { email })),
  unlockAdmin: (adminId: string) => call(() => client.unlockAdmin(adminId)),
  disableAdmin: (adminId: string) => call(() => client.disableAdmin(adminId)),
  enableAdmin: (adminId: string) => call(() => client.enableAdmin(adminId)),
  passwordPolicy: () => call(() => client.getPasswordPolicy()),
  savePasswordPolicy: (settings: PasswordPolicyUpdate) => call(() => client.updatePasswordPolicy(settings)),
  auditEvents: (query: AuditEventQuery) => call(() => client.listAuditEvents(query)),
};
