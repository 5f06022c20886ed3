// Test support for the handler tests: API Gateway REST (v1) proxy events and a minimal Lambda context.
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

export interface EventOptions {
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string is sent as it is (for malformed bodies). */
  readonly body?: unknown;
  readonly pathParameters?: Record<string, string>;
  readonly queryStringParameters?: Record<string, string>;
  readonly sourceIp?: string;
}

/** A REST API proxy event as API Gateway sends it; JSON bodies get Content-Type: application/json unless overridden. */
export function apiEvent(httpMethod: string, path: string, options: EventOptions = {}): APIGatewayProxyEvent {
  const body = options.body === undefined ? null : typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
  const headers: Record<string, string> = {
    Accept: 'application/json',
    'User-Agent': 'jest',
    ...(body === null ? {} : { 'Content-Type': 'application/json' }),
    ...options.headers,
  };
  return {
    httpMethod,
    path,
    resource: path,
    headers,
    multiValueHeaders: {},
    body,
    isBase64Encoded: false,
    pathParameters: options.pathParameters ?? null,
    queryStringParameters: options.queryStringParameters ?? null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {
      accountId: '123456789012',
      apiId: 'adminpass',
      httpMethod,
      path: `/prod${path}`,
      protocol: 'HTTP/1.1',
      requestId: 'request-1',
      requestTimeEpoch: 1_717_318_800_000,
      resourceId: 'resource',
      resourcePath: path,
      stage: 'prod',
      authorizer: null,
      identity: {
        sourceIp: options.sourceIp ?? '198.51.100.7',
        userAgent: 'jest',
        accessKey: null,
        accountId: null,
        apiKey: null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        user: null,
        userArn: null,
      },
    },
  };
}

/** Just enough of a Lambda context for middy and the Powertools logger. */
export const lambdaContext = (): Context => ({
  callbackWaitsForEmptyEventLoop: false,
  functionName: 'adminpass-test',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:adminpass-test',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/adminpass-test',
  logStreamName: '2025/06/02/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 30_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
});

/** The parsed error envelope of a response. */
export const errorOf = (result: APIGatewayProxyResult) =>
  (JSON.parse(result.body) as { error: { code: string; message: string; details?: { code: string; message: string; field?: string }[] } }).error;

/** A header of a response, whatever the case of its name. */
export const headerOf = (result: APIGatewayProxyResult, name: string): string | undefined => {
  const entry = Object.entries(result.headers ?? {}).find(([key]) => key.toLowerCase() === name.toLowerCase());
  return entry === undefined ? undefined : String(entry[1]);
};
