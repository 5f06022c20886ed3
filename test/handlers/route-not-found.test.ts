// Handler tests of the catch-all route (functions/route-not-found/handler.ts): 404 for unknown paths, 405 with
// Allow for a known path called with the wrong method.
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/route-not-found/handler';
import { apiEvent, errorOf, headerOf, lambdaContext } from './events';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
});

describe('when no route has the path', () => {
  it.each([
    ['GET', '/nothing-here'],
    ['POST', '/admins/01JX7A9B3C4D5E6F7G8H9JKMNP/unknown'],
    ['GET', '/'],
  ])('answers 404 ROUTE_NOT_FOUND to %s %s', async (method, path) => {
    // Act
    const result = await handler(apiEvent(method, path), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(404);
    expect(errorOf(result)).toEqual({ code: 'ROUTE_NOT_FOUND', message: 'There is no such operation. GET /openapi.json lists them all.' });
    expect(headerOf(result, 'Allow')).toBeUndefined();
    expect(headerOf(result, 'Cache-Control')).toBe('no-store');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('ignores a body sent to an unknown path, even one that is not JSON', async () => {
    // Act
    const result = await handler(apiEvent('POST', '/nothing-here', { body: '{broken', headers: { 'Content-Type': 'text/plain' } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(404);
  });
});

describe('when the path exists but not with this method', () => {
  it.each([
    ['PUT', '/admins', 'GET, POST'],
    ['POST', '/admins/01JX7A9B3C4D5E6F7G8H9JKMNP', 'GET, PATCH, DELETE'],
    ['DELETE', '/me', 'GET'],
    ['GET', '/sign-in', 'POST'],
    ['GET', '/admins/01JX7A9B3C4D5E6F7G8H9JKMNP/temporary-password', 'PUT'],
  ])('answers 405 METHOD_NOT_ALLOWED to %s %s with Allow: %s', async (method, path, allow) => {
    // Act
    const result = await handler(apiEvent(method, path), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(405);
    expect(errorOf(result).code).toBe('METHOD_NOT_ALLOWED');
    expect(headerOf(result, 'Allow')).toBe(allow);
    expect(headerOf(result, 'X-Content-Type-Options')).toBe('nosniff');
  });
});
