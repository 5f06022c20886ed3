// Handler tests of POST /admins through the whole middy pipeline: the master-only gate, creation, the email claim
// that makes a second admin with the same email fail atomically, and the two ways of a first password.
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/create-admin/handler';
import { ADMIN_ID_PATTERN } from '../../functions/domain/tokens';
import { apiEvent, errorOf, headerOf, lambdaContext } from './events';
import { COMPANY, MASTER_ID, adminItem, loadPasswordJudges, signedInAs } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const TEMPORARY = 'blue kettle under a tall bridge';
const registration = { email: 'Linus@acme.example', name: 'Linus Torvalds', temporaryPassword: TEMPORARY };

// The first admin created judges his temporary password: the judges load before, not within a request's deadline.
beforeAll(loadPasswordJudges);

beforeEach(() => {
  ddb.reset();
});

const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });

/** The error DynamoDB answers a cancelled transaction with, one reason code per item. */
const cancelledTransaction = (...codes: string[]) =>
  new TransactionCanceledException({
    message: `Transaction cancelled, please refer cancellation reasons for specific reasons [${codes.join(', ')}]`,
    $metadata: {},
    CancellationReasons: codes.map((Code) => ({ Code })),
  });

const post = (authorization: string, body: unknown) =>
  handler(apiEvent('POST', '/admins', { headers: { Authorization: authorization }, body }), lambdaContext());

describe('when a master registers a new admin', () => {
  it('answers 201 with the admin, its ETag and Location, and claims the email in the same transaction', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await post(authorization, registration);

    // Assess
    expect(result.statusCode).toBe(201);
    const body = JSON.parse(result.body) as { adminId: string };
    expect(body).toMatchObject({ companyId: COMPANY, email: 'linus@acme.example', role: 'general', canChangeOwnPassword: false });
    expect(body.adminId).toMatch(ADMIN_ID_PATTERN);
    expect(headerOf(result, 'ETag')).toBe('"1"');
    expect(headerOf(result, 'Location')).toBe(`/admins/${body.adminId}`);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[2]?.Put?.Item).toEqual({ pk: `COMPANY#${COMPANY}`, sk: 'EMAIL#linus@acme.example', adminId: body.adminId });
    expect(result.body).not.toContain(TEMPORARY);
    expect(result.body).not.toContain('passwordHash');
  });
});

describe('when the email is already claimed in the company', () => {
  it('answers 409 EMAIL_TAKEN from the cancelled transaction', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    // The items are [company check, admin item, email claim]: only the email claim's condition failed.
    ddb.on(TransactWriteCommand).rejects(cancelledTransaction('None', 'None', 'ConditionalCheckFailed'));

    // Act
    const result = await post(authorization, registration);

    // Assess
    expect(result.statusCode).toBe(409);
    expect(errorOf(result)).toEqual({
      code: 'EMAIL_TAKEN',
      message: 'Another administrator of your company already uses this email address.',
    });
    expect(result.body).not.toMatch(/ConditionalCheckFailed|Transaction/);
  });
});

describe('when the caller may not register admins', () => {
  it('answers 403 FORBIDDEN to a general admin and writes nothing', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem({ role: 'general' }));

    // Act
    const result = await post(authorization, registration);

    // Assess
    expect(result.statusCode).toBe(403);
    expect(errorOf(result).code).toBe('FORBIDDEN');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('when the temporary password breaks the policy', () => {
  it('answers 422 listing the rules on the temporaryPassword field and writes nothing', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await post(authorization, { ...registration, temporaryPassword: 'torvalds' });

    // Assess
    expect(result.statusCode).toBe(422);
    expect(errorOf(result).details).toEqual([
      expect.objectContaining({ code: 'TOO_SHORT', field: 'temporaryPassword' }),
      expect.objectContaining({ code: 'CONTAINS_PERSONAL_INFO', field: 'temporaryPassword' }),
      expect.objectContaining({ code: 'TOO_GUESSABLE', field: 'temporaryPassword' }),
    ]);
    expect(result.body).not.toContain('"torvalds"');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('when the body does not say one way of setting his first password', () => {
  it.each([
    ['neither a temporary password nor a set-up link', {}],
    ['both a temporary password and a set-up link', { temporaryPassword: TEMPORARY, sendSetUpLink: true }],
    ['a set-up link switched off', { sendSetUpLink: false }],
  ])('answers 400 to %s and writes and sends nothing', async (_what, firstPassword) => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    const { temporaryPassword: _left, ...identity } = registration;

    // Act
    const result = await post(authorization, { ...identity, ...firstPassword });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).code).toBe('VALIDATION_FAILED');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
