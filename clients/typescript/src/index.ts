// The typed client of the adminpass API: every call is typed by src/schema.d.ts, which openapi-typescript generates
// from the OpenAPI document GET /openapi.json serves (`npm run openapi:types`), and sent by openapi-fetch. It keeps
// the session token, sends If-Match with the ETag it last read of an administrator, takes an Idempotency-Key where
// the API accepts one, and throws every error answer as an AdminpassError whose `code` is typed by the operation.
import createClient from 'openapi-fetch';
import type { components, operations, paths } from './schema';

export type { components, operations, paths };

type Schemas = components['schemas'];
export type Admin = Schemas['Admin'];
export type SessionGrant = Schemas['SessionGrant'];
export type NewPasswordChallenge = Schemas['NewPasswordChallenge'];
export type PasswordPolicy = Schemas['PasswordPolicy'];
export type CompanyPasswordPolicy = Schemas['CompanyPasswordPolicy'];
export type AuditEvent = Schemas['AuditEvent'];
export type AuditEventType = Schemas['AuditEventType'];
export type AuditAdminName = Schemas['AuditAdminName'];
export type ErrorDetail = Schemas['ErrorDetail'];
export type OperationId = keyof operations;

type JsonBody<Response> = Response extends { content: { 'application/json': infer Body } } ? Body : never;
type Bodies<Responses> = { [Status in keyof Responses]: JsonBody<Responses[Status]> }[keyof Responses];
type RequestBody<Id extends OperationId> = operations[Id] extends { requestBody: { content: { 'application/json': infer Body } } } ? Body : never;
type Answer<Id extends OperationId> = Exclude<Bodies<operations[Id]['responses']>, { error: unknown }>;

/** The error codes an operation can answer, as its document declares them (API Gateway's own included). */
export type ErrorCodeOf<Id extends OperationId> = Bodies<operations[Id]['responses']> extends infer Body
  ? Body extends { error: { code: infer Code extends string } }
    ? Code
    : never
  : never;
/** Every error code the API can answer. */
export type ErrorCode = ErrorCodeOf<OperationId>;

export type SignInResponse = Answer<'signIn'>;
export type AdminList = Answer<'listAdmins'>;
export type AuditEventList = Answer<'listAuditEvents'>;
/** The filters and page of GET /audit-events. */
export type AuditEventQuery = NonNullable<operations['listAuditEvents']['parameters']['query']>;
export type PasswordResetSent = Answer<'requestPasswordReset'>;
export type PasswordResetDetails = Answer<'verifyPasswordReset'>;
export type NewAdmin = RequestBody<'createAdmin'>;
export type AdminChange = RequestBody<'updateAdmin'>;
export type PasswordPolicyUpdate = RequestBody<'updatePasswordPolicy'>;

/** An error answer of the API, in its envelope. `code` is one the operation declares; switch on it. */
export class AdminpassError<Code extends string = ErrorCode> extends Error {
  constructor(
    readonly operation: OperationId,
    readonly status: number,
    readonly code: Code,
    message: string,
    readonly details: readonly ErrorDetail[] = [],
    /** From Retry-After: when the same request may succeed (429, 503, 409 IDEMPOTENCY_IN_PROGRESS). */
    readonly retryAfterSeconds?: number,
  ) {
    super(message);
    this.name = 'AdminpassError';
  }

  /** Narrows to one code: `if (error.is('EMAIL_TAKEN')) …`. */
  is<Wanted extends Code>(code: Wanted): this is AdminpassError<Wanted> {
    return this.code === code;
  }
}

/** Whether `error` is an error answer, of `operation` when given (its `code` is then typed by that operation). */
export function isAdminpassError<Id extends OperationId>(error: unknown, operation?: Id): error is AdminpassError<ErrorCodeOf<Id>> {
  return error instanceof AdminpassError && (operation === undefined || error.operation === operation);
}

/** A fresh Idempotency-Key: send it with the first attempt and every retry of one operation. */
export const newIdempotencyKey = (): string => crypto.randomUUID();

/** Options of a call that may be retried safely (`idempotency: 'key'` routes). */
export interface RetryOptions {
  /** The same key on every retry of one operation makes it act once; see the API's Idempotency-Key. */
  readonly idempotencyKey?: string;
}

export interface AdminpassClientOptions {
  /** The API's URL: the stage's ApiUrl output, or http://127.0.0.1:3000 for `npm start`. */
  readonly baseUrl: string;
  /** A fetch of your own (tests, other runtimes). */
  readonly fetch?: typeof fetch;
  /** Defaults for every request, such as `credentials: 'omit'` in a browser. */
  readonly requestInit?: Omit<RequestInit, 'body' | 'method' | 'headers'>;
  /** Called when the API says the session is missing, expired or revoked (the token is then forgotten). */
  readonly onSessionEnded?: (error: AdminpassError) => void;
}

type Outcome = { data?: unknown; error?: unknown; response: Response };

export type AdminpassClient = ReturnType<typeof createAdminpassClient>;

/** A client of one API; it keeps one session at a time, in memory. */
export function createAdminpassClient(options: AdminpassClientOptions) {
  const http = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    ...(options.fetch !== undefined ? { fetch: options.fetch } : {}),
    ...options.requestInit,
  });
  let sessionToken: string | undefined;
  /** The ETag last read of each administrator, for the If-Match of the next edit. */
  const etags = new Map<string, string>();

  http.use({
    onRequest({ request }) {
      if (sessionToken !== undefined) request.headers.set('Authorization', `Bearer ${sessionToken}`);
      return request;
    },
  });

  /** The answer's body, or the error answer thrown as an AdminpassError. */
  async function answer<Id extends OperationId, Body>(operation: Id, pending: Promise<Outcome>): Promise<{ body: Body; response: Response }> {
    const { data, error, response } = await pending;
    if (response.ok) return { body: data as Body, response };
    const envelope = (error as { error?: { code?: string; message?: string; details?: ErrorDetail[] } } | undefined)?.error;
    const retryAfter = Number(response.headers.get('Retry-After'));
    const failure = new AdminpassError<ErrorCodeOf<Id>>(
      operation,
      response.status,
      (envelope?.code ?? 'REQUEST_REFUSED') as ErrorCodeOf<Id>,
      envelope?.message ?? `The API answered ${response.status}.`,
      envelope?.details ?? [],
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
    if (failure.code === 'UNAUTHENTICATED' && sessionToken !== undefined) {
      sessionToken = undefined;
      options.onSessionEnded?.(failure as AdminpassError);
    }
    throw failure;
  }

  const body = async <Id extends OperationId, Body>(operation: Id, pending: Promise<Outcome>): Promise<Body> => (await answer<Id, Body>(operation, pending)).body;
  const nothing = async (operation: OperationId, pending: Promise<Outcome>): Promise<void> => {
    await answer(operation, pending);
  };
  /** An administrator as answered, remembering its ETag. */
  const versioned = async (operation: OperationId, pending: Promise<Outcome>): Promise<Admin> => {
    const { body: admin, response } = await answer<OperationId, Admin>(operation, pending);
    const etag = response.headers.get('ETag');
    if (etag !== null) etags.set(admin.adminId, etag);
    return admin;
  };
  const keyed = (retry: RetryOptions | undefined) => (retry?.idempotencyKey === undefined ? {} : { 'Idempotency-Key': retry.idempotencyKey });
  const admin = (adminId: string) => ({ path: { adminId } });
  const keepSession = (grant: SignInResponse | SessionGrant) => {
    if ('sessionToken' in grant) sessionToken = grant.sessionToken;
    return grant;
  };

  return {
    /** The session token in use, if any (to keep it somewhere of your choosing). */
    get sessionToken(): string | undefined {
      return sessionToken;
    },
    /** Uses a session token obtained earlier. */
    useSession(token: string | undefined): void {
      sessionToken = token;
    },
    /** The ETag this client last read of an administrator. */
    etagOf: (adminId: string): string | undefined => etags.get(adminId),

    /** A session, or the new-password challenge of a temporary or expired password. */
    signIn: async (credentials: RequestBody<'signIn'>): Promise<SignInResponse> =>
      keepSession(await body<'signIn', SignInResponse>('signIn', http.POST('/sign-in', { body: credentials }))),
    /** The challenge's new password: a session. */
    answerNewPasswordChallenge: async (answerBody: RequestBody<'answerNewPasswordChallenge'>): Promise<SessionGrant> =>
      keepSession(await body<'answerNewPasswordChallenge', SessionGrant>('answerNewPasswordChallenge', http.POST('/sign-in/new-password', { body: answerBody }))) as SessionGrant,
    signOut: async (): Promise<void> => {
      await nothing('signOut', http.POST('/sign-out'));
      sessionToken = undefined;
    },
    me: (): Promise<Admin> => body('getMe', http.GET('/me')),
    changeOwnPassword: (change: RequestBody<'changeOwnPassword'>, retry?: RetryOptions): Promise<void> =>
      nothing('changeOwnPassword', http.PUT('/me/password', { body: change, params: { header: keyed(retry) } })),

    listAdmins: (page: { limit?: number; cursor?: string } = {}): Promise<AdminList> => body('listAdmins', http.GET('/admins', { params: { query: page } })),
    createAdmin: (newAdmin: NewAdmin, retry?: RetryOptions): Promise<Admin> =>
      versioned('createAdmin', http.POST('/admins', { body: newAdmin, params: { header: keyed(retry) } })),
    getAdmin: (adminId: string): Promise<Admin> => versioned('getAdmin', http.GET('/admins/{adminId}', { params: admin(adminId) })),
    /**
     * Edits an administrator, with If-Match set to the ETag this client last read of him (getAdmin, createAdmin or
     * an earlier edit), or `ifMatch`. If someone changed him since, the answer is 412 PRECONDITION_FAILED: read
     * him again, and decide again. An Admin as getAdmin answered may be sent back, edited.
     */
    updateAdmin: (adminId: string, change: AdminChange, retry?: RetryOptions & { ifMatch?: string }): Promise<Admin> => {
      const ifMatch = retry?.ifMatch ?? etags.get(adminId);
      if (ifMatch === undefined) throw new TypeError(`read administrator ${adminId} with getAdmin before editing him: the edit is sent with the version read`);
      return versioned('updateAdmin', http.PATCH('/admins/{adminId}', { body: change, params: { ...admin(adminId), header: { 'If-Match': ifMatch, ...keyed(retry) } } }));
    },
    disableAdmin: (adminId: string, retry?: RetryOptions): Promise<void> =>
      nothing('disableAdmin', http.DELETE('/admins/{adminId}', { params: { ...admin(adminId), header: keyed(retry) } })),
    /** Enables a disabled administrator again; enabling an active one changes nothing. */
    enableAdmin: (adminId: string, retry?: RetryOptions): Promise<void> =>
      nothing('enableAdmin', http.POST('/admins/{adminId}/enable', { params: { ...admin(adminId), header: keyed(retry) } })),
    setTemporaryPassword: (adminId: string, temporaryPassword: string, retry?: RetryOptions): Promise<void> =>
      nothing('setTemporaryPassword', http.PUT('/admins/{adminId}/temporary-password', { body: { temporaryPassword }, params: { ...admin(adminId), header: keyed(retry) } })),
    /** Emails a reset link to the registered address, or to `email`. */
    requestPasswordReset: (adminId: string, to: { email?: string } = {}, retry?: RetryOptions): Promise<PasswordResetSent> =>
      body('requestPasswordReset', http.POST('/admins/{adminId}/password-reset', { body: to, params: { ...admin(adminId), header: keyed(retry) } })),
    unlockAdmin: (adminId: string, retry?: RetryOptions): Promise<void> =>
      nothing('unlockAdmin', http.POST('/admins/{adminId}/unlock', { params: { ...admin(adminId), header: keyed(retry) } })),

    /** What the Password Change Screen shows for a reset link's token. */
    verifyPasswordReset: (token: string): Promise<PasswordResetDetails> => body('verifyPasswordReset', http.POST('/password-reset/verify', { body: { token } })),
    completePasswordReset: (completion: RequestBody<'completePasswordReset'>, retry?: RetryOptions): Promise<void> =>
      nothing('completePasswordReset', http.POST('/password-reset/complete', { body: completion, params: { header: keyed(retry) } })),

    getPasswordPolicy: (): Promise<CompanyPasswordPolicy> => body('getPasswordPolicy', http.GET('/company/password-policy')),
    /** Saves the settings; the `policy` getPasswordPolicy answered may be sent back, edited. */
    updatePasswordPolicy: (settings: PasswordPolicyUpdate, retry?: RetryOptions): Promise<CompanyPasswordPolicy> =>
      body('updatePasswordPolicy', http.PUT('/company/password-policy', { body: settings, params: { header: keyed(retry) } })),
    listAuditEvents: (query: AuditEventQuery = {}): Promise<AuditEventList> => body('listAuditEvents', http.GET('/audit-events', { params: { query } })),
  };
}
