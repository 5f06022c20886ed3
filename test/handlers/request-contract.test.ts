// Handler tests of the bad-input contract every route shares (functions/http/pipeline.ts): size and content-type
// guards, JSON parsing, validation, the error envelope, generic 500s and the security headers.
import { jest } from '@jest/globals';
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import bcrypt from 'bcryptjs';
import { handler as changeOwnPassword } from '../../functions/change-own-password/handler';
import { handler as getMe } from '../../functions/get-me/handler';
import { handler as health } from '../../functions/health/handler';
import { MAX_BODY_BYTES } from '../../functions/http/pipeline';
import { handler as signIn } from '../../functions/sign-in/handler';
import { apiEvent, errorOf, headerOf, lambdaContext } from './events';
import { COMPANY, adminItem, passwordAttributes, signedInAs } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const SECRET = 'Tr0ub4dor&3-never-echo-me';

beforeEach(() => {
  ddb.reset();
});

afterEach(() => {
  jest.restoreAllMocks();
});

const postSignIn = (body: unknown, headers?: Record<string, string>) =>
  signIn(apiEvent('POST', '/sign-in', { body, ...(headers ? { headers } : {}) }), lambdaContext());

/** No body may carry a stack trace, a source path or an exception name. */
function expectNoInternals(result: APIGatewayProxyResult): void {
  expect(result.body).not.toMatch(/\n\s+at |\.ts:\d+|\.js:\d+|node_modules|stack|Exception/i);
}

describe('when the body is not valid JSON', () => {
  it('answers 400 MALFORMED_JSON without echoing the body', async () => {
    // Prepare
    const body = `{"companyId":"${COMPANY}","email":"a@acme.example","password":"${SECRET}"`;

    // Act
    const result = await postSignIn(body);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result)).toEqual({ code: 'MALFORMED_JSON', message: 'The request body is not valid JSON.' });
    expect(result.body).not.toContain(SECRET);
    expectNoInternals(result);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 400 MALFORMED_JSON for a __proto__ key', async () => {
    // Act
    const result = await postSignIn('{"__proto__":{"admin":true},"companyId":"acme"}');

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).code).toBe('MALFORMED_JSON');
  });
});

describe('when the content type is not JSON', () => {
  it.each([
    ['text/plain', { 'Content-Type': 'text/plain' }],
    ['form data', { 'Content-Type': 'application/x-www-form-urlencoded' }],
  ])('answers 415 UNSUPPORTED_MEDIA_TYPE for %s', async (_what, headers) => {
    // Act
    const result = await postSignIn({ companyId: COMPANY, email: 'a@acme.example', password: SECRET }, headers);

    // Assess
    expect(result.statusCode).toBe(415);
    expect(errorOf(result).code).toBe('UNSUPPORTED_MEDIA_TYPE');
    expect(result.body).not.toContain(SECRET);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 415 when the content type is missing', async () => {
    // Prepare
    const event = apiEvent('POST', '/sign-in', { body: { companyId: COMPANY, email: 'a@acme.example', password: SECRET } });
    delete event.headers['Content-Type'];

    // Act
    const result = await signIn(event, lambdaContext());

    // Assess
    expect(result.statusCode).toBe(415);
  });

  it('accepts JSON with a charset parameter, in any header case', async () => {
    // Act
    const result = await postSignIn({ companyId: COMPANY, email: 'a@acme.example' }, { 'content-type': 'application/json; charset=utf-8' });

    // Assess: past the content-type guard, the missing password is a validation failure
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).code).toBe('VALIDATION_FAILED');
  });
});

describe('when the body is larger than 16 KB', () => {
  it('answers 413 PAYLOAD_TOO_LARGE before any DynamoDB call or bcrypt work', async () => {
    // Prepare
    const compare = jest.spyOn(bcrypt, 'compare');
    const hash = jest.spyOn(bcrypt, 'hash');
    const body = JSON.stringify({ companyId: COMPANY, email: 'a@acme.example', password: 'p'.repeat(MAX_BODY_BYTES) });

    // Act
    const result = await postSignIn(body);

    // Assess
    expect(result.statusCode).toBe(413);
    expect(errorOf(result).code).toBe('PAYLOAD_TOO_LARGE');
    expect(ddb.calls()).toHaveLength(0);
    expect(compare).not.toHaveBeenCalled();
    expect(hash).not.toHaveBeenCalled();
    expect(result.body).not.toContain('pppppppp');
  });

  it('counts bytes, not characters: 6,000 three-byte characters are too large', async () => {
    // Prepare
    const body = JSON.stringify({ companyId: COMPANY, email: 'a@acme.example', password: '漢'.repeat(6_000) });

    // Act
    const result = await postSignIn(body);

    // Assess
    expect(body.length).toBeLessThan(MAX_BODY_BYTES);
    expect(result.statusCode).toBe(413);
  });

  it('lets a body of exactly 16 KB through to validation', async () => {
    // Prepare
    const envelope = JSON.stringify({ companyId: COMPANY, email: 'a@acme.example', password: '' });
    const body = JSON.stringify({ companyId: COMPANY, email: 'a@acme.example', password: 'p'.repeat(MAX_BODY_BYTES - envelope.length) });

    // Act
    const result = await postSignIn(body);

    // Assess
    expect(Buffer.byteLength(body)).toBe(MAX_BODY_BYTES);
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field: 'password', code: 'INVALID' })]);
  });
});

describe('when the body does not match the schema', () => {
  it('answers 400 VALIDATION_FAILED naming an unknown field', async () => {
    // Act
    const result = await postSignIn({ companyId: COMPANY, email: 'a@acme.example', password: SECRET, rememberMe: true });

    // Assess
    expect(result.statusCode).toBe(400);
    const error = errorOf(result);
    expect(error.code).toBe('VALIDATION_FAILED');
    expect(error.details).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', message: expect.stringContaining('rememberMe') })]);
    expect(result.body).not.toContain(SECRET);
    expect(ddb.calls()).toHaveLength(0);
  });

  it('puts the unknown field’s name in the detail’s field, where screens look for it', async () => {
    // Act
    const result = await postSignIn({ companyId: COMPANY, email: 'a@acme.example', password: SECRET, rememberMe: true });

    // Assess
    expect(errorOf(result).details).toEqual([expect.objectContaining({ code: 'UNKNOWN_FIELD', field: 'rememberMe' })]);
  });

  it('answers 400 VALIDATION_FAILED naming a field of the wrong type', async () => {
    // Act
    const result = await postSignIn({ companyId: COMPANY, email: 'a@acme.example', password: 123456789012345 });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).code).toBe('VALIDATION_FAILED');
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field: 'password', code: 'INVALID' })]);
    expect(result.body).not.toContain('123456789012345');
  });

  it('lists every invalid field at once', async () => {
    // Act
    const result = await postSignIn({ companyId: 'ACME!', email: 'not-an-email' });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details?.map((detail) => detail.field).sort()).toEqual(['companyId', 'email', 'password']);
  });

  it('answers 400 VALIDATION_FAILED for a JSON value that is not an object', async () => {
    // Act
    const result = await postSignIn('["acme","a@acme.example"]');

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).code).toBe('VALIDATION_FAILED');
  });
});

describe('when a request carrying a password is refused', () => {
  it.each([
    ['malformed JSON', `{"password":"${SECRET}",`],
    ['an unknown field', { companyId: COMPANY, email: 'a@acme.example', password: SECRET, extra: 1 }],
    ['an invalid email', { companyId: COMPANY, email: 'nope', password: SECRET }],
    ['the password in the email field', { companyId: COMPANY, email: SECRET, password: SECRET }],
    ['an over-long password', { companyId: COMPANY, email: 'a@acme.example', password: `${SECRET}${'x'.repeat(1100)}` }],
  ])('never echoes the password (%s)', async (_what, body) => {
    // Act
    const result = await postSignIn(body);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(result.body).not.toContain(SECRET);
    expect(result.body).not.toContain(SECRET.slice(0, 10));
    expectNoInternals(result);
  });

  it('never echoes the new password refused by the policy', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem(await passwordAttributes('correct horse battery staple')));
    const newPassword = 'grace-hopper-secret';

    // Act
    const result = await changeOwnPassword(
      apiEvent('PUT', '/me/password', { headers: { Authorization: authorization }, body: { currentPassword: 'correct horse battery staple', newPassword } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(422);
    expect(errorOf(result).details?.map((detail) => detail.code)).toEqual(['CONTAINS_PERSONAL_INFO']);
    expect(result.body).not.toContain(newPassword);
    expect(result.body).not.toContain('correct horse');
  });
});

describe('when DynamoDB fails unexpectedly', () => {
  it('answers 500 INTERNAL with a generic message and no internals', async () => {
    // Prepare
    ddb.on(GetCommand).rejects(new Error('connect ECONNREFUSED 10.0.0.1:443 while reading table adminpass-directory'));

    // Act
    const result = await postSignIn({ companyId: COMPANY, email: 'a@acme.example', password: SECRET });

    // Assess
    expect(result.statusCode).toBe(500);
    expect(errorOf(result)).toEqual({
      code: 'INTERNAL',
      message: 'Something went wrong on our side. Nothing was changed; please try again.',
    });
    expect(result.body).not.toMatch(/ECONNREFUSED|10\.0\.0\.1|adminpass-directory/);
    expect(result.body).not.toContain(SECRET);
    expectNoInternals(result);
  });

  it('answers the same generic 500 when a write fails on a session route', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem(await passwordAttributes('correct horse battery staple')));
    ddb.on(TransactWriteCommand).rejects(new Error('ProvisionedThroughputExceeded on arn:aws:dynamodb:us-east-1:123456789012:table/x'));

    // Act: a wrong current password makes the use case record a failed attempt (with its audit event), which fails
    const result = await changeOwnPassword(
      apiEvent('PUT', '/me/password', {
        headers: { Authorization: authorization },
        body: { currentPassword: 'wrong current password', newPassword: 'seven purple otters sing loudly' },
      }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(500);
    expect(errorOf(result).code).toBe('INTERNAL');
    expect(result.body).not.toMatch(/arn:aws|Provisioned/);
  });
});

describe('when a session route is called without a valid bearer token', () => {
  it.each([
    ['no Authorization header', {}],
    ['an empty bearer token', { Authorization: 'Bearer ' }],
    ['a garbage token', { Authorization: 'Bearer <script>alert(1)</script>' }],
    ['another scheme', { Authorization: 'Basic Z3JhY2U6aHVudGVyMg==' }],
    ['a token one character short', { Authorization: `Bearer ${'A'.repeat(42)}` }],
  ])('answers 401 UNAUTHENTICATED for %s, without reading DynamoDB', async (_what, headers) => {
    // Act
    const result = await getMe(apiEvent('GET', '/me', { headers }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(401);
    expect(errorOf(result).code).toBe('UNAUTHENTICATED');
    expect(ddb.calls()).toHaveLength(0);
  });

  it('answers 401 for a well-formed token no session has', async () => {
    // Prepare
    ddb.on(GetCommand).resolves({});

    // Act
    const result = await getMe(apiEvent('GET', '/me', { headers: { Authorization: `Bearer ${'A'.repeat(43)}` } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(401);
    expect(errorOf(result).code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 for an expired session whose item DynamoDB has not yet deleted', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem(), { expiresAt: new Date(Date.now() - 1_000).toISOString() });

    // Act
    const result = await getMe(apiEvent('GET', '/me', { headers: { Authorization: authorization } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(401);
    expect(errorOf(result).code).toBe('UNAUTHENTICATED');
  });

  it('answers 401 before judging the body of a session route', async () => {
    // Act
    const result = await changeOwnPassword(apiEvent('PUT', '/me/password', { body: '{not json' }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(401);
    expect(errorOf(result).code).toBe('UNAUTHENTICATED');
  });

  it('answers 200 with the admin for a live session', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem());

    // Act
    const result = await getMe(apiEvent('GET', '/me', { headers: { authorization } }), lambdaContext());

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ adminId: adminItem().adminId, companyId: COMPANY });
  });
});

describe('when any response is sent', () => {
  const scenarios: [string, () => Promise<APIGatewayProxyResult>][] = [
    ['a success', () => health(apiEvent('GET', '/health'), lambdaContext())],
    ['a validation failure', () => postSignIn({ unexpected: true })],
    ['malformed JSON', () => postSignIn('{')],
    ['an unsupported media type', () => postSignIn('x', { 'Content-Type': 'text/plain' })],
    ['a payload too large', () => postSignIn('x'.repeat(MAX_BODY_BYTES + 1))],
    ['an authentication failure', () => getMe(apiEvent('GET', '/me'), lambdaContext())],
    [
      'an internal error',
      () => {
        ddb.on(GetCommand).rejects(new Error('boom'));
        return postSignIn({ companyId: COMPANY, email: 'a@acme.example', password: SECRET });
      },
    ],
  ];

  it.each(scenarios)('carries Cache-Control: no-store and X-Content-Type-Options: nosniff on %s', async (_what, send) => {
    // Act
    const result = await send();

    // Assess
    expect(headerOf(result, 'Cache-Control')).toBe('no-store');
    expect(headerOf(result, 'X-Content-Type-Options')).toBe('nosniff');
    expect(headerOf(result, 'Content-Type')).toBe('application/json; charset=utf-8');
    expectNoInternals(result);
  });
});
