// Test support for the handler tests: API Gateway REST (v1) proxy events and a minimal Lambda context.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { lambdaContext as localLambdaContext, proxyEvent } from '../../local/proxy-event';

export interface EventOptions {
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is (for malformed bodies). */
  readonly body?: unknown;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly sourceIp?: string;
}

/** A REST API proxy event as API Gateway sends it; JSON bodies get Content-Type: application/json unless overridden. */
/** The client address of an event that names none. */
export const DEFAULT_SOURCE_IP = '198.51.100.7';

export function apiEvent(httpMethod: string, path: string, options: EventOptions = {}): APIGatewayProxyEvent {
  const body = options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': 'jest',
    ...(body === null ? {} : { 'Content-Type': 'application/json' }),
    ...options.headers,
  };
  return proxyEvent({
    method: httpMethod,
    path,
    resource: path,
    multiValueHeaders: Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, [value]])),
    multiValueQuery: Object.fromEntries(Object.entries(options.queryStringParameters ?? {}).map(([name, value]) => [name, [value]])),
    ...(options.pathParameters ? { pathParameters: options.pathParameters } : {}),
    body,
    sourceIp: options.sourceIp ?? DEFAULT_SOURCE_IP,
    stage: 'prod',
  });
}

/** Just enough of a Lambda context for middy and the Powertools logger. */
export const lambdaContext = (): Context => localLambdaContext('adminpass-test');

/** The parsed error envelope of a response. */
export const errorOf = (result: APIGatewayProxyResult) =>
  (JSON.parse(result.body) as { error: { code: string; message: string; details?: { code: string; message: string; field?: string }[] } }).error;

/** A header of a response, whatever the case of its name. */
export const headerOf = (result: APIGatewayProxyResult, name: string): string | undefined => {
  const entry = Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return entry === undefined ? undefined : String(entry[1]);
};
