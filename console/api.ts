// Console (browser): the API client. The session token lives only in this module's memory: never in localStorage
// (any script that runs in the page could read it there), never in a cookie (the API takes bearer tokens, and a
// cookie would be sent by the browser on its own and need CSRF defences), never in a URL. A reload signs out.
import type {
  Admin,
  AdminList,
  AdminProfileChange,
  AuditEventList,
  CompanyPasswordPolicy,
  ErrorBody,
  ErrorDetail,
  NewAdmin,
  PasswordPolicySettings,
  PasswordResetSent,
  SessionGrant,
  SignInResponse,
} from './api-types';

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

let sessionToken: string | null = null;
let onSessionEnded: (error: ApiError) => void = () => undefined;

export const isSignedIn = (): boolean => sessionToken !== null;

/** Keeps the token of a new session (in memory only). */
export function startSession(grant: SessionGrant): void {
  sessionToken = grant.sessionToken;
}

export function forgetSession(): void {
  sessionToken = null;
}

/** Called when the API says the session is missing, expired or revoked (another sign-in changed the password). */
export function whenSessionEnds(callback: (error: ApiError) => void): void {
  onSessionEnded = callback;
}

/**
 * API paths are relative to the console's own address, so a stage prefix (https://…/prod/) is kept: the console is
 * served at the API's root and every operation sits next to it.
 */
function urlOf(path: string, query?: Record<string, string | undefined>): string {
  const base = location.pathname.endsWith('/') ? location.pathname : `${location.pathname}/`;
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(query ?? {})) if (value !== undefined && value !== '') search.set(name, value);
  const text = search.toString();
  return `${base}${path.replace(/^\//, '')}${text === '' ? '' : `?${text}`}`;
}

interface Answer<T> {
  readonly body: T;
  readonly etag: string | null;
}

async function call<T>(
  method: string,
  path: string,
  options: { body?: unknown; query?: Record<string, string | undefined>; ifMatch?: string } = {},
): Promise<Answer<T>> {
  const headers: Record<string, string> = { Accept: 'application/json' };
  if (sessionToken !== null) headers.Authorization = `Bearer ${sessionToken}`;
  if (options.body !== undefined) headers['Content-Type'] = 'application/json';
  if (options.ifMatch !== undefined) headers['If-Match'] = options.ifMatch;
  let response: Response;
  try {
    response = await fetch(urlOf(path, options.query), {
      method,
      headers,
      ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
      credentials: 'omit',
      cache: 'no-store',
      referrerPolicy: 'no-referrer',
    });
  } catch {
    throw new ApiError(0, 'UNREACHABLE', UNREACHABLE);
  }
  let parsed: unknown;
  try {
    parsed = response.status === 204 ? undefined : await response.json();
  } catch {
    parsed = undefined;
  }
  if (response.ok) return { body: parsed as T, etag: response.headers.get('ETag') };
  const error = (parsed as Partial<ErrorBody> | undefined)?.error;
  const failure = new ApiError(
    response.status,
    error?.code ?? 'UNEXPECTED',
    error?.message ?? `The service answered ${response.status}. Please try again.`,
    Array.isArray(error?.details) ? error.details : [],
  );
  if (failure.code === 'UNAUTHENTICATED' && sessionToken !== null) {
    sessionToken = null;
    onSessionEnded(failure);
  }
  throw failure;
}

const bodyOf = async <T>(answer: Promise<Answer<T>>): Promise<T> => (await answer).body;

/** An admin with the ETag of the version read, for the If-Match of the edit that follows. */
export interface VersionedAdmin {
  readonly admin: Admin;
  readonly etag: string;
}

const versioned = async (answer: Promise<Answer<Admin>>): Promise<VersionedAdmin> => {
  const { body, etag } = await answer;
  return { admin: body, etag: etag ?? '' };
};

export const api = {
  signIn: (companyId: string, email: string, password: string) => bodyOf(call<SignInResponse>('POST', '/sign-in', { body: { companyId, email, password } })),
  answerChallenge: (challengeToken: string, newPassword: string) =>
    bodyOf(call<SessionGrant>('POST', '/sign-in/new-password', { body: { challengeToken, newPassword } })),
  signOut: () => bodyOf(call<void>('POST', '/sign-out')),
  me: () => bodyOf(call<Admin>('GET', '/me')),
  changeOwnPassword: (currentPassword: string, newPassword: string) =>
    bodyOf(call<void>('PUT', '/me/password', { body: { currentPassword, newPassword } })),
  listAdmins: (cursor?: string, limit = 20) => bodyOf(call<AdminList>('GET', '/admins', { query: { limit: String(limit), cursor } })),
  createAdmin: (admin: NewAdmin) => bodyOf(call<Admin>('POST', '/admins', { body: admin })),
  getAdmin: (adminId: string) => versioned(call<Admin>('GET', `/admins/${encodeURIComponent(adminId)}`)),
  updateAdmin: (adminId: string, etag: string, change: AdminProfileChange) =>
    versioned(call<Admin>('PATCH', `/admins/${encodeURIComponent(adminId)}`, { body: change, ifMatch: etag })),
  setTemporaryPassword: (adminId: string, temporaryPassword: string) =>
    bodyOf(call<void>('PUT', `/admins/${encodeURIComponent(adminId)}/temporary-password`, { body: { temporaryPassword } })),
  resetPassword: (adminId: string, email: string | undefined) =>
    bodyOf(call<PasswordResetSent>('POST', `/admins/${encodeURIComponent(adminId)}/password-reset`, { body: email === undefined ? {} : { email } })),
  unlockAdmin: (adminId: string) => bodyOf(call<void>('POST', `/admins/${encodeURIComponent(adminId)}/unlock`)),
  passwordPolicy: () => bodyOf(call<CompanyPasswordPolicy>('GET', '/company/password-policy')),
  savePasswordPolicy: (settings: PasswordPolicySettings) => bodyOf(call<CompanyPasswordPolicy>('PUT', '/company/password-policy', { body: settings })),
  auditEvents: (options: { cursor?: string; adminId?: string; limit?: number }) =>
    bodyOf(call<AuditEventList>('GET', '/audit-events', { query: { limit: String(options.limit ?? 50), cursor: options.cursor, adminId: options.adminId } })),
};
