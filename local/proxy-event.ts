// Local runtime: API Gateway's REST proxy event (payload 1.0) and a Lambda context, built the one way the local
// server and the handler tests both use, so what the tests send is what the server sends.
import { randomUUID } from 'node:crypto';
import type { APIGatewayProxyEvent, Context } from 'aws-lambda';
import { FUNCTION_TIMEOUT_MS } from '../functions/adapters/clients/sdk-budget';

export interface ProxyRequest {
  readonly method: string;
  readonly path: string;
  /** The route's path template, e.g. /admins/{adminId}. */
  readonly resource: string;
  readonly multiValueHeaders: Record<string, string[]>;
  readonly multiValueQuery?: Record<string, string[]>;
  readonly pathParameters?: Record<string, string>;
  readonly body: string | null;
  readonly sourceIp: string;
  readonly stage?: string;
}

function lastValues(entries: Record<string, string[]>): Record<string, string> | null {
  const keys = Object.keys(entries);
  if (keys.length === 0) return null;
  return Object.fromEntries(keys.map((key) => [key, entries[key]!.at(-1)!]));
}

export function proxyEvent(request: ProxyRequest): APIGatewayProxyEvent {
  const multiValueQuery = request.multiValueQuery ?? {};
  const headers = lastValues(request.multiValueHeaders) ?? {};
  const userAgent = Object.entries(headers).find(([name]) => name.toLowerCase() === 'user-agent')?.[1] ?? null;
  const stage = request.stage ?? 'local';
  return {
    resource: request.resource,
    path: request.path,
    httpMethod: request.method,
    headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: lastValues(multiValueQuery),
    multiValueQueryStringParameters: Object.keys(multiValueQuery).length > 0 ? multiValueQuery : null,
    pathParameters: request.pathParameters && Object.keys(request.pathParameters).length > 0 ? request.pathParameters : null,
    stageVariables: null,
    body: request.body,
    isBase64Encoded: false,
    requestContext: {
      accountId: '000000000000',
      apiId: 'adminpass',
      authorizer: null,
      protocol: 'HTTP/1.1',
      httpMethod: request.method,
      path: `/${stage}${request.path}`,
      stage,
      requestId: randomUUID(),
      requestTimeEpoch: Date.now(),
      resourceId: 'local',
      resourcePath: request.resource,
      identity: {
        sourceIp: request.sourceIp,
        userAgent,
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

/** The context Lambda hands a function: enough for middy and the Powertools logger, with the deployed timeout. */
export function lambdaContext(functionName: string, requestId: string = randomUUID(), timeoutMs = FUNCTION_TIMEOUT_MS): Context {
  const deadline = Date.now() + timeoutMs;
  return {
    callbackWaitsForEmptyEventLoop: false,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:us-east-1:000000000000:function:${functionName}`,
    memoryLimitInMB: '1024',
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: 'local',
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}
