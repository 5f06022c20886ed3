// Contract: the one route table. Every operation is declared here once; the CDK stack (lib/), the local server
// (bin/local.ts), the OpenAPI document and each handler's request validation are all generated from it.
import type { z } from 'zod';
import type { ErrorCode } from '../domain/errors';
import type { TableKey } from '../adapters/dynamodb/table-definitions';
import type { ResponseHeaderName } from './headers';
import { droppable } from './droppable';
import * as schemas from './schemas';
import * as suppressionSchemas from './suppression-schemas';

export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/**
 * The pages whose browser code is an entry of console/ (local/console-build.ts): the admin console and the Password
 * Change Screen. Each is one script and one style sheet, built next to its handler and inlined in the page.
 */
export type PageAssets = 'console' | 'password-change-screen';

/**
 * Who may call a route. `challenge` and `reset-link` need no session: a token in the body (a sign-in challenge, an
 * emailed reset link) is the credential, and the use case verifies it. `session` and `master` are checked in one
 * place, the handler pipeline.
 */
export type Access = 'anyone' | 'challenge' | 'reset-link' | 'session' | 'master';

export interface ResponseDefinition {
  readonly description: string;
  readonly schema?: z.ZodType;
  /** Headers this answer always carries (functions/contract/headers.ts); the handler's reply must set them. */
  readonly headers?: readonly ResponseHeaderName[];
}

export interface RouteDefinition {
  readonly operationId: string;
  readonly method: HttpMethod;
  /** API Gateway path template, e.g. /admins/{adminId}. */
  readonly path: string;
  /** The handler's folder: functions/<handler>/handler.ts. */
  readonly handler: string;
  readonly access: Access;
  readonly summary: string;
  readonly params?: z.ZodType;
  readonly query?: z.ZodType;
  readonly body?: z.ZodType;
  readonly responses: Readonly<Record<number, ResponseDefinition>>;
  /** Errors this route answers besides the ones every route may (validation, authentication). */
  readonly errors?: readonly ErrorCode[];
  /** The tables the handler reads or writes: the stack grants exactly this, per function. */
  readonly tables: Readonly<Partial<Record<TableKey, 'read' | 'write'>>>;
  /** The handler hashes or verifies passwords, so it needs the pepper. */
  readonly usesPepper?: boolean;
  /** The handler sends email through SES, so it needs the sender identity. */
  readonly sendsEmail?: boolean;
  /** The response is a page, not JSON (documented as text/html). */
  readonly servesPage?: boolean;
  /**
   * The handler reads built assets next to itself: the script and style sheet of this page of console/. Deployment
   * bundling (lib/bundling.ts) and the local runtime (local/function-bundles.ts) build them beside the bundle.
   */
  readonly assets?: PageAssets;
  /**
   * Whether a retry may carry an `Idempotency-Key` (functions/http/idempotency.ts). Every route that is not a GET
   * declares it, with the reason when it is `none`; a `key` route also lists the idempotency table in `tables`.
   */
  readonly idempotency?: Idempotency;
}

/**
 * `key`: the first answer to a key is stored for 24 hours and replayed to a retry with the same body; nothing acts
 * twice. `none`: the header is ignored, for the reason given (a naturally idempotent operation, or an answer that
 * must never be stored, such as a fresh session token).
 */
export type Idempotency = 'key' | { readonly none: string };

const noContent = { 204: { description: 'Done.' } } as const;
// Every session route reads the caller's session and admin record.
const sessionTables = { sessions: 'read', directory: 'read' } as const;
// A route that replays retries stores its first answers in the idempotency table.
const idempotencyTable = { idempotency: 'write' } as const;
// The answer is a new session token: stored for replay it would be a live bearer token at rest, where tokens exist
// only as their SHA-256. A retry without replay is harmless (another session, or a used-up challenge: sign in again).
const answersSessionToken = { none: 'the answer is a fresh session token, which is never stored; a retry signs in again' } as const;

// Each route is declared on its own (functions/contract/droppable.ts) and a handler imports this module as a namespace
// (`import * as routes`): esbuild then keeps only the handler's own route in its bundle, and with it only the schemas
// that route uses. A route written inside `routes` below, or a handler that imports `{ routes }`, still works, but
// brings every route's schemas into that function.

export const consolePage = /* @__PURE__ */ droppable(() => ({
  operationId: 'consolePage',
  method: 'GET',
  path: '/',
  handler: 'console-page',
  access: 'anyone',
  summary: 'The admin console: a single-page app on this API, with the screens of the help article.',
  responses: { 200: { description: 'An HTML page.' } },
  tables: {},
  servesPage: true,
  assets: 'console',
}) as const satisfies RouteDefinition);

export const health = /* @__PURE__ */ droppable(() => ({
  operationId: 'health',
  method: 'GET',
  path: '/health',
  handler: 'health',
  access: 'anyone',
  summary: 'Liveness check.',
  responses: { 200: { description: 'The service answers.', schema: schemas.Health } },
  tables: {},
}) as const satisfies RouteDefinition);

export const openApi = /* @__PURE__ */ droppable(() => ({
  operationId: 'openApi',
  method: 'GET',
  path: '/openapi.json',
  handler: 'openapi',
  access: 'anyone',
  summary: 'This API as an OpenAPI 3.1 document, generated from the route table.',
  responses: { 200: { description: 'The OpenAPI document.', schema: schemas.OpenApiDocument } },
  tables: {},
}) as const satisfies RouteDefinition);

export const signIn = /* @__PURE__ */ droppable(() => ({
  operationId: 'signIn',
  method: 'POST',
  path: '/sign-in',
  handler: 'sign-in',
  access: 'anyone',
  summary: 'Sign in; answers a session, or the new-password challenge for a temporary password.',
  body: schemas.SignInRequest,
  responses: { 200: { description: 'A session or a challenge.', schema: schemas.SignInResponse } },
  errors: ['INVALID_CREDENTIALS'],
  tables: { directory: 'write', sessions: 'write', tokens: 'write', audit: 'write' },
  usesPepper: true,
  idempotency: answersSessionToken,
}) as const satisfies RouteDefinition);

export const answerNewPasswordChallenge = /* @__PURE__ */ droppable(() => ({
  operationId: 'answerNewPasswordChallenge',
  method: 'POST',
  path: '/sign-in/new-password',
  handler: 'answer-new-password-challenge',
  access: 'challenge',
  summary: 'Replace a temporary password at sign-in; answers a session.',
  body: schemas.AnswerChallengeRequest,
  responses: { 200: { description: 'The new session.', schema: schemas.SessionGrant } },
  errors: ['CHALLENGE_INVALID', 'PASSWORD_POLICY_VIOLATION'],
  tables: { directory: 'write', sessions: 'write', tokens: 'write', audit: 'write' },
  usesPepper: true,
  idempotency: answersSessionToken,
}) as const satisfies RouteDefinition);

export const signOut = /* @__PURE__ */ droppable(() => ({
  operationId: 'signOut',
  method: 'POST',
  path: '/sign-out',
  handler: 'sign-out',
  access: 'session',
  summary: 'Revoke the current session.',
  responses: noContent,
  tables: { ...sessionTables, sessions: 'write' },
  idempotency: { none: 'revoking a session twice leaves it revoked; a retry after success answers 401' },
}) as const satisfies RouteDefinition);

export const getMe = /* @__PURE__ */ droppable(() => ({
  operationId: 'getMe',
  method: 'GET',
  path: '/me',
  handler: 'get-me',
  access: 'session',
  summary: 'The signed-in administrator.',
  responses: { 200: { description: 'The administrator.', schema: schemas.Admin } },
  tables: sessionTables,
}) as const satisfies RouteDefinition);

export const changeOwnPassword = /* @__PURE__ */ droppable(() => ({
  operationId: 'changeOwnPassword',
  method: 'PUT',
  path: '/me/password',
  handler: 'change-own-password',
  access: 'session',
  summary: 'Change your own password (current and new); revokes your other sessions.',
  body: schemas.ChangeOwnPasswordRequest,
  responses: noContent,
  errors: ['CHANGE_OWN_PASSWORD_NOT_PERMITTED', 'CURRENT_PASSWORD_INCORRECT', 'PASSWORD_POLICY_VIOLATION', 'CONCURRENT_CHANGE'],
  tables: { directory: 'write', sessions: 'write', audit: 'write', ...idempotencyTable },
  usesPepper: true,
  sendsEmail: true,
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const listAdmins = /* @__PURE__ */ droppable(() => ({
  operationId: 'listAdmins',
  method: 'GET',
  path: '/admins',
  handler: 'list-admins',
  access: 'master',
  summary: "The company's administrators, oldest first, a page at a time.",
  query: schemas.ListAdminsQuery,
  responses: { 200: { description: 'A page of administrators.', schema: schemas.AdminList } },
  tables: sessionTables,
}) as const satisfies RouteDefinition);

export const createAdmin = /* @__PURE__ */ droppable(() => ({
  operationId: 'createAdmin',
  method: 'POST',
  path: '/admins',
  handler: 'create-admin',
  access: 'master',
  summary: 'Register an administrator, with a temporary password he must replace at first sign-in, or with an emailed link to set his own (`sendSetUpLink`).',
  body: schemas.CreateAdminRequest,
  responses: { 201: { description: 'The new administrator.', schema: schemas.Admin, headers: ['ETag', 'Location'] } },
  errors: ['EMAIL_TAKEN', 'PASSWORD_POLICY_VIOLATION', 'EMAIL_DELIVERY_FAILED', 'TOO_MANY_RESETS', 'ADDRESS_SUPPRESSED', 'CONCURRENT_CHANGE'],
  // tokens: the set-up link and the limits of reset emails.
  tables: { ...sessionTables, directory: 'write', tokens: 'write', audit: 'write', ...idempotencyTable },
  usesPepper: true,
  sendsEmail: true,
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const getAdmin = /* @__PURE__ */ droppable(() => ({
  operationId: 'getAdmin',
  method: 'GET',
  path: '/admins/{adminId}',
  handler: 'get-admin',
  access: 'master',
  summary: 'One administrator, with its ETag.',
  params: schemas.AdminPathParams,
  responses: { 200: { description: 'The administrator; the ETag header is its version.', schema: schemas.Admin, headers: ['ETag'] } },
  errors: ['ADMIN_NOT_FOUND'],
  tables: sessionTables,
}) as const satisfies RouteDefinition);

export const updateAdmin = /* @__PURE__ */ droppable(() => ({
  operationId: 'updateAdmin',
  method: 'PATCH',
  path: '/admins/{adminId}',
  handler: 'update-admin',
  access: 'master',
  summary: 'Edit basic info and the change-own-password permission; needs If-Match.',
  params: schemas.AdminPathParams,
  body: schemas.UpdateAdminRequest,
  responses: { 200: { description: 'The updated administrator, with its new ETag.', schema: schemas.Admin, headers: ['ETag'] } },
  errors: ['ADMIN_NOT_FOUND', 'PRECONDITION_FAILED', 'PRECONDITION_REQUIRED', 'EMAIL_TAKEN', 'LAST_MASTER'],
  tables: { ...sessionTables, directory: 'write', audit: 'write', ...idempotencyTable },
  // An email change is told to the old address.
  sendsEmail: true,
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const disableAdmin = /* @__PURE__ */ droppable(() => ({
  operationId: 'disableAdmin',
  method: 'DELETE',
  path: '/admins/{adminId}',
  handler: 'disable-admin',
  access: 'master',
  summary: 'Disable an administrator and revoke his sessions.',
  params: schemas.AdminPathParams,
  responses: noContent,
  errors: ['ADMIN_NOT_FOUND', 'LAST_MASTER', 'CONCURRENT_CHANGE'],
  tables: { ...sessionTables, directory: 'write', audit: 'write', ...idempotencyTable },
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const enableAdmin = /* @__PURE__ */ droppable(() => ({
  operationId: 'enableAdmin',
  method: 'POST',
  path: '/admins/{adminId}/enable',
  handler: 'enable-admin',
  access: 'master',
  summary: 'Enable a disabled administrator again: he signs in with the password he had; his old sessions stay ended.',
  params: schemas.AdminPathParams,
  responses: noContent,
  errors: ['ADMIN_NOT_FOUND', 'CONCURRENT_CHANGE'],
  tables: { ...sessionTables, directory: 'write', audit: 'write', ...idempotencyTable },
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const setTemporaryPassword = /* @__PURE__ */ droppable(() => ({
  operationId: 'setTemporaryPassword',
  method: 'PUT',
  path: '/admins/{adminId}/temporary-password',
  handler: 'set-temporary-password',
  access: 'master',
  summary: "Set an administrator's temporary password; he must replace it at his next sign-in.",
  params: schemas.AdminPathParams,
  body: schemas.SetTemporaryPasswordRequest,
  responses: noContent,
  errors: ['ADMIN_NOT_FOUND', 'OWN_ACCOUNT', 'PASSWORD_POLICY_VIOLATION', 'CONCURRENT_CHANGE'],
  tables: { ...sessionTables, directory: 'write', audit: 'write', ...idempotencyTable },
  usesPepper: true,
  sendsEmail: true,
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const requestPasswordReset = /* @__PURE__ */ droppable(() => ({
  operationId: 'requestPasswordReset',
  method: 'POST',
  path: '/admins/{adminId}/password-reset',
  handler: 'request-password-reset',
  access: 'master',
  summary:
    "Reset an administrator's password: it stops working at once, his sessions end, and an email to his registered " +
    'address (or the one typed in `email`) carries a link to the Password Change Screen, valid for 24 hours.',
  params: schemas.AdminPathParams,
  body: schemas.PasswordResetRequest,
  responses: { 202: { description: 'The email was accepted for delivery.', schema: schemas.PasswordResetSent } },
  errors: ['ADMIN_NOT_FOUND', 'OWN_ACCOUNT', 'ADMIN_DISABLED', 'EMAIL_DELIVERY_FAILED', 'CONCURRENT_CHANGE', 'TOO_MANY_RESETS', 'ADDRESS_SUPPRESSED'],
  tables: { ...sessionTables, directory: 'write', tokens: 'write', audit: 'write', ...idempotencyTable },
  sendsEmail: true,
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const passwordChangeScreen = /* @__PURE__ */ droppable(() => ({
  operationId: 'passwordChangeScreen',
  method: 'GET',
  path: '/password-reset',
  handler: 'password-change-screen',
  access: 'anyone',
  summary: 'The Password Change Screen, the page the emailed set-up and reset links open; the token travels in the URL fragment.',
  responses: { 200: { description: 'An HTML page.' } },
  tables: {},
  servesPage: true,
  assets: 'password-change-screen',
}) as const satisfies RouteDefinition);

export const verifyPasswordReset = /* @__PURE__ */ droppable(() => ({
  operationId: 'verifyPasswordReset',
  method: 'POST',
  path: '/password-reset/verify',
  handler: 'verify-password-reset',
  access: 'reset-link',
  summary: 'What the Password Change Screen shows for a link: the address, the company and the password policy.',
  body: schemas.ResetLinkToken,
  responses: { 200: { description: 'The link is valid.', schema: schemas.PasswordResetDetails } },
  errors: ['RESET_LINK_INVALID', 'TOO_MANY_ATTEMPTS'],
  // audit: a genuine link refused by its rules (its sender's rights, its target's address) is recorded.
  tables: { directory: 'read', tokens: 'write', audit: 'write' },
  idempotency: { none: 'a read sent as POST (the token stays out of URLs): it changes nothing but the miss counter' },
}) as const satisfies RouteDefinition);

export const completePasswordReset = /* @__PURE__ */ droppable(() => ({
  operationId: 'completePasswordReset',
  method: 'POST',
  path: '/password-reset/complete',
  handler: 'complete-password-reset',
  access: 'reset-link',
  summary: 'Set the new password from the Password Change Screen. The link is then used up; no session is returned.',
  body: schemas.CompletePasswordResetRequest,
  responses: { 204: { description: 'The password is set; sign in with it.' } },
  errors: ['RESET_LINK_INVALID', 'TOO_MANY_ATTEMPTS', 'PASSWORD_MISMATCH', 'PASSWORD_POLICY_VIOLATION'],
  tables: { directory: 'write', tokens: 'write', audit: 'write', ...idempotencyTable },
  usesPepper: true,
  sendsEmail: true,
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const unlockAdmin = /* @__PURE__ */ droppable(() => ({
  operationId: 'unlockAdmin',
  method: 'POST',
  path: '/admins/{adminId}/unlock',
  handler: 'unlock-admin',
  access: 'master',
  summary: 'Lift a lockout at once (it also lifts by itself after the policy\'s lockout minutes).',
  params: schemas.AdminPathParams,
  responses: noContent,
  errors: ['ADMIN_NOT_FOUND'],
  tables: { ...sessionTables, directory: 'write', audit: 'write', ...idempotencyTable },
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const unlockOwnSignIn = /* @__PURE__ */ droppable(() => ({
  operationId: 'unlockOwnSignIn',
  method: 'POST',
  path: '/me/unlock',
  handler: 'unlock-own-sign-in',
  access: 'session',
  summary:
    'With a session you still have, lift the lockout of your own sign-in from the network you are on: it becomes one of your known sources for 30 days, which the lockout of your account does not stop. Other networks stay locked.',
  responses: noContent,
  tables: { ...sessionTables, directory: 'write', audit: 'write' },
  idempotency: { none: 'the source becomes known again, which is the same outcome; nothing else is written twice but an audit event' },
}) as const satisfies RouteDefinition);

export const getPasswordPolicy = /* @__PURE__ */ droppable(() => ({
  operationId: 'getPasswordPolicy',
  method: 'GET',
  path: '/company/password-policy',
  handler: 'get-password-policy',
  access: 'session',
  summary: "The company's password policy, its rules as the screens show them, and whether the caller may edit it.",
  responses: { 200: { description: 'The policy.', schema: schemas.CompanyPasswordPolicy } },
  tables: sessionTables,
}) as const satisfies RouteDefinition);

export const updatePasswordPolicy = /* @__PURE__ */ droppable(() => ({
  operationId: 'updatePasswordPolicy',
  method: 'PUT',
  path: '/company/password-policy',
  handler: 'update-password-policy',
  access: 'master',
  summary: 'Company settings > Password policy settings. It applies when a password is next set (maxAgeDays at sign-in).',
  body: schemas.PasswordPolicyUpdate,
  responses: { 200: { description: 'The policy now in force.', schema: schemas.CompanyPasswordPolicy } },
  errors: ['FEATURE_NOT_ENABLED', 'OPERATOR_SETTING'],
  tables: { ...sessionTables, directory: 'write', audit: 'write', ...idempotencyTable },
  idempotency: 'key',
}) as const satisfies RouteDefinition);

export const listAuditEvents = /* @__PURE__ */ droppable(() => ({
  operationId: 'listAuditEvents',
  method: 'GET',
  path: '/audit-events',
  handler: 'list-audit-events',
  access: 'master',
  summary: "The company's audit trail, newest first, with the names of the admins each page mentions; narrowed by admin, type and time.",
  query: schemas.ListAuditEventsQuery,
  responses: {
    200: {
      description: 'A page of events. A type filter reads a bounded number of events per page, so a page may hold fewer than `limit` (even none) and still have a `nextCursor`.',
      schema: schemas.AuditEventList,
    },
  },
  tables: { ...sessionTables, audit: 'read' },
}) as const satisfies RouteDefinition);

export const listSuppressedAddresses = /* @__PURE__ */ droppable(() => ({
  operationId: 'listSuppressedAddresses',
  method: 'GET',
  path: '/company/suppressed-addresses',
  handler: 'list-suppressed-addresses',
  access: 'master',
  summary: "The company's suppressed addresses, which reset emails no longer go to: SES reported a permanent bounce or a complaint.",
  query: suppressionSchemas.ListSuppressedAddressesQuery,
  responses: { 200: { description: 'A page of suppressed addresses, in address order.', schema: suppressionSchemas.SuppressedAddressList } },
  tables: sessionTables,
}) as const satisfies RouteDefinition);

export const clearSuppressedAddress = /* @__PURE__ */ droppable(() => ({
  operationId: 'clearSuppressedAddress',
  method: 'DELETE',
  path: '/company/suppressed-addresses/{email}',
  handler: 'clear-suppressed-address',
  access: 'master',
  summary: 'Clear a suppressed address (the mailbox works again, or the typo is known): reset emails may go to it again.',
  params: suppressionSchemas.SuppressedAddressPathParams,
  responses: noContent,
  errors: ['SUPPRESSION_NOT_FOUND'],
  tables: { ...sessionTables, directory: 'write', audit: 'write', ...idempotencyTable },
  idempotency: 'key',
}) as const satisfies RouteDefinition);

/** Every route by name: what the stack, the local server, the OpenAPI document and the benchmark are derived from. */
export const routes = {
  consolePage,
  health,
  openApi,
  signIn,
  answerNewPasswordChallenge,
  signOut,
  getMe,
  changeOwnPassword,
  listAdmins,
  createAdmin,
  getAdmin,
  updateAdmin,
  disableAdmin,
  enableAdmin,
  setTemporaryPassword,
  requestPasswordReset,
  passwordChangeScreen,
  verifyPasswordReset,
  completePasswordReset,
  unlockAdmin,
  unlockOwnSignIn,
  getPasswordPolicy,
  updatePasswordPolicy,
  listAuditEvents,
  listSuppressedAddresses,
  clearSuppressedAddress,
} as const satisfies Record<string, RouteDefinition>;

export type RouteName = keyof typeof routes;
// Pure: a function that never lists the routes drops the list, and with it every route but its own.
export const routeList: readonly RouteDefinition[] = /* @__PURE__ */ Object.values(routes);

/**
 * The routes that set a password answer PASSWORD_POLICY_VIOLATION: they judge new passwords, so their functions alone
 * carry zxcvbn and, where a deployment turns it on, the breached-password check (lib/api.ts, test/infra/bundles.test.ts).
 */
export const judgesNewPasswords = (route: Partial<Pick<RouteDefinition, 'errors'>>): boolean => route.errors?.includes('PASSWORD_POLICY_VIOLATION') === true;

/**
 * The catch-all behind every path the table does not declare: answers 404 or 405 in the error envelope, in AWS
 * (an ANY /{proxy+} resource and the root's ANY) as locally. Not part of the OpenAPI document.
 */
export const fallbackRoute = /* @__PURE__ */ droppable(() => ({
  operationId: 'routeNotFound',
  method: 'GET',
  path: '/{proxy+}',
  handler: 'route-not-found',
  access: 'anyone',
  summary: 'Answers 404 or 405 for anything the route table does not declare.',
  responses: {},
  errors: ['ROUTE_NOT_FOUND', 'METHOD_NOT_ALLOWED'],
  tables: {},
}) as const satisfies RouteDefinition);

/** The route whose template matches the path, with its path parameters; for the local server and the fallback. */
export function matchPath(path: string): { route: RouteDefinition; params: Record<string, string> }[] {
  const segments = path.split('/').filter(Boolean);
  return routeList.flatMap((route) => {
    const template = route.path.split('/').filter(Boolean);
    if (template.length !== segments.length) return [];
    const params: Record<string, string> = {};
    for (const [index, part] of template.entries()) {
      const segment = segments[index] as string;
      if (!part.startsWith('{')) {
        if (part !== segment) return [];
        continue;
      }
      try {
        params[part.slice(1, -1)] = decodeURIComponent(segment);
      } catch {
        return []; // a malformed percent-escape matches nothing
      }
    }
    return [{ route, params }];
  });
}
