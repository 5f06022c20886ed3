// HTTP adapter: the replies handlers return and their conversion to API Gateway's proxy result, with the headers
// every response carries.
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { z } from 'zod';
import type { ResponseHeaderName } from '../contract/headers';
import type { ResponseDefinition, RouteDefinition } from '../contract/routes';
import type { ErrorDetail } from '../domain/errors';

export interface Reply {
  readonly statusCode: number;
  /** Serialized as JSON, unless `page` is set. */
  readonly body?: unknown;
  /** An HTML page, sent as it is. */
  readonly page?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** What one declared answer of a route carries: the body its schema describes (or a page), and its declared headers. */
type DeclaredReply<Status extends number, Definition, Route> = { readonly statusCode: Status } & (Route extends { readonly servesPage: true }
  ? { readonly page: string; readonly headers: { readonly 'Content-Security-Policy': string } }
  : (Definition extends { readonly schema: infer Schema extends z.ZodType } ? { readonly body: z.output<Schema> } : { readonly body?: undefined }) &
      (Definition extends { readonly headers: readonly (infer Name extends ResponseHeaderName)[] }
        ? { readonly headers: { readonly [Header in Name]: string } }
        : { readonly headers?: undefined }));

/**
 * The success replies a route's handler may return, from its route table entry: one of its declared statuses, with
 * the body its schema describes and the headers it declares. A handler cannot answer what its route does not declare.
 */
export type ReplyOf<Route extends RouteDefinition> = {
  [Status in keyof Route['responses'] & number]: Route['responses'][Status] extends ResponseDefinition
    ? DeclaredReply<Status, Route['responses'][Status], Route>
    : never;
}[keyof Route['responses'] & number];

type Headers = Readonly<Record<string, string>>;

/** 200 with a JSON body, and the headers its route declares. (Overloads: a reply's headers are never inferred.) */
export function ok<Body>(body: Body): { readonly statusCode: 200; readonly body: Body };
export function ok<Body, H extends Headers>(body: Body, headers: H): { readonly statusCode: 200; readonly body: Body; readonly headers: H };
export function ok(body: unknown, headers?: Headers): Reply {
  return { statusCode: 200, body, ...(headers ? { headers } : {}) };
}

/** 201 with the new resource, and the headers its route declares. */
export function created<Body>(body: Body): { readonly statusCode: 201; readonly body: Body };
export function created<Body, H extends Headers>(body: Body, headers: H): { readonly statusCode: 201; readonly body: Body; readonly headers: H };
export function created(body: unknown, headers?: Headers): Reply {
  return { statusCode: 201, body, ...(headers ? { headers } : {}) };
}

export const noContent = () => ({ statusCode: 204 }) as const;
export const accepted = <Body>(body: Body) => ({ statusCode: 202, body }) as const;
/** An HTML page; `headers` (its Content-Security-Policy above all) replace the JSON defaults. */
export const page = <Headers extends { readonly 'Content-Security-Policy': string }>(html: string, headers: Headers) =>
  ({ statusCode: 200, page: html, headers }) as const;

/** Sent on every answer: nothing here is cacheable, sniffable, frameable or worth a Referer. */
export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'Cache-Control': 'no-store',
  'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
  'Referrer-Policy': 'no-referrer',
  'Strict-Transport-Security': 'max-age=31536000; includeSubDomains',
  'X-Content-Type-Options': 'nosniff',
};

export function toProxyResult(reply: Reply): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...SECURITY_HEADERS, ...reply.headers };
  if (reply.page !== undefined) {
    return { statusCode: reply.statusCode, headers: { 'Content-Type': 'text/html; charset=utf-8', ...headers }, body: reply.page };
  }
  if (reply.body === undefined) return { statusCode: reply.statusCode, headers, body: '' };
  return {
    statusCode: reply.statusCode,
    headers: { 'Content-Type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(reply.body),
  };
}

export const errorReply = (statusCode: number, code: string, message: string, details?: readonly ErrorDetail[], headers?: Record<string, string>): Reply => ({
  statusCode,
  body: { error: { code, message, ...(details && details.length > 0 ? { details } : {}) } },
  ...(headers ? { headers } : {}),
});
