// HTTP adapter: the replies handlers return and their conversion to API Gateway's proxy result, with the headers
// every response carries.
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { ErrorDetail } from '../domain/errors';

export interface Reply {
  readonly statusCode: number;
  /** Serialized as JSON, unless `page` is set. */
  readonly body?: unknown;
  /** An HTML page, sent as it is. */
  readonly page?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export const ok = (body: unknown, headers?: Record<string, string>): Reply => ({ statusCode: 200, body, ...(headers ? { headers } : {}) });
export const created = (body: unknown, headers?: Record<string, string>): Reply => ({ statusCode: 201, body, ...(headers ? { headers } : {}) });
export const noContent = (): Reply => ({ statusCode: 204 });
export const accepted = (body: unknown): Reply => ({ statusCode: 202, body });
/** An HTML page; `headers` (its Content-Security-Policy above all) replace the JSON defaults. */
export const page = (html: string, headers: Record<string, string>): Reply => ({ statusCode: 200, page: html, headers });

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
