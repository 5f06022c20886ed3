// Handler tests of POST /sign-in through the whole middy pipeline, with DynamoDB mocked at the document client.
import { BatchWriteCommand, PutCommand, TransactWriteCommand, UpdateCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/sign-in/handler';
import { DEFAULT_SOURCE_IP as SOURCE_IP, apiEvent, errorOf, lambdaContext } from './events';
import { COMPANY, GENERAL_ID, adminItem, answerSignInDefaults, passwordAttributes, storeAdmin, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const PASSWORD = 'correct horse battery staple';
let storedPassword: Awaited<ReturnType<typeof passwordAttributes>>;

beforeAll(async () => {
  storedPassword = await passwordAttributes(PASSWORD);
});

beforeEach(() => {
  ddb.reset();
});

/** Answers the email claim and the admin item of grace.hopper@acme.example, and accepts the writes sign-in makes. */
function storeGrace(overrides: Record<string, unknown> = {}) {
  // Any other key or address is a miss.
  answerSignInDefaults(ddb);
  storeAdmin(ddb, adminItem({ ...storedPassword, ...overrides }));
}

const signIn = (body: unknown) =>
  handler(apiEvent('POST', '/sign-in', { body }), lambdaContext());

describe('when the credentials are right', () => {
  it('answers 200 with a session token and stores only its hash', async () => {
    // Prepare
    storeGrace();

    // Act
    const result = await signIn({ companyId: COMPANY, email: 'Grace.Hopper@acme.example', password: PASSWORD });

    // Assess
    expect(result.statusCode).toBe(200);
    const body = JSON.parse(result.body) as { sessionToken: string; admin: Record<string, unknown> };
    expect(body.sessionToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(body.admin).toMatchObject({ adminId: GENERAL_ID, email: 'grace.hopper@acme.example' });
    expect(result.body).not.toContain('passwordHash');
    // The session is opened in the success's own transaction.
    const success = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
    const put = success.flat().find((item) => item.Put?.TableName === tables().sessions)?.Put;
    expect(put?.Item?.pk).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(success)).not.toContain(body.sessionToken);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
  });
});

describe('when the sign-in fails', () => {
  it('answers byte-identical bodies for an unknown email and a wrong password', async () => {
    // Prepare
    storeGrace();

    // Act
    const unknownEmail = await signIn({ companyId: COMPANY, email: 'nobody@acme.example', password: PASSWORD });
    const wrongPassword = await signIn({ companyId: COMPANY, email: 'grace.hopper@acme.example', password: 'correct horse battery stapler' });

    // Assess
    expect(unknownEmail.statusCode).toBe(401);
    expect(wrongPassword.statusCode).toBe(401);
    expect(errorOf(unknownEmail).code).toBe('INVALID_CREDENTIALS');
    expect(unknownEmail.body).toBe(wrongPassword.body);
    expect(unknownEmail.headers).toEqual(wrongPassword.headers);
  });

  it('answers the same bytes for a disabled account with its right password', async () => {
    // Prepare
    storeGrace({ status: 'disabled' });
    const unknownEmail = await signIn({ companyId: COMPANY, email: 'nobody@acme.example', password: PASSWORD });

    // Act
    const disabled = await signIn({ companyId: COMPANY, email: 'grace.hopper@acme.example', password: PASSWORD });

    // Assess
    expect(disabled.statusCode).toBe(401);
    expect(disabled.body).toBe(unknownEmail.body);
  });

  it('takes the attempt’s place in the stored count before comparing, then records the failure', async () => {
    // Prepare: one failure from this source in a window opened five minutes ago, counted in the account's ceiling too
    const window = new Date(Date.now() - 5 * 60_000).toISOString();
    storeGrace({ failedSignIns: 1, failureWindowStartedAt: window, sourceAttempts: { [SOURCE_IP]: { failedSignIns: 1, failureWindowStartedAt: window } }, knownSources: {} });

    // Act
    await signIn({ companyId: COMPANY, email: 'grace.hopper@acme.example', password: 'correct horse battery stapler' });

    // Assess
    const [reservation] = ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input);
    // Increments that DynamoDB applies only while no lock is set, the windows are the ones read, and a place is left
    // below the last: the source's (the policy's 10) and the account's (the ceiling's 100), in one update.
    expect(reservation).toMatchObject({
      TableName: tables().directory,
      Key: { pk: `COMPANY#${COMPANY}`, sk: `ADMIN#${GENERAL_ID}` },
      UpdateExpression: 'SET #n = #n + :one, #sa.#s.#n = #sa.#s.#n + :one',
      ConditionExpression: expect.stringMatching(/#n < :abelow.*#sa\.#s\.#n < :sbelow/),
      ExpressionAttributeNames: expect.objectContaining({ '#s': SOURCE_IP, '#sa': 'sourceAttempts' }),
      ExpressionAttributeValues: expect.objectContaining({ ':one': 1, ':abelow': 99, ':sbelow': 9, ':awindow': window, ':swindow': window }),
    });
    const [events] = ddb.commandCalls(BatchWriteCommand).map((call) => call.args[0].input);
    expect(JSON.stringify(events)).toContain('"reason":"WRONG_PASSWORD"');
    expect(JSON.stringify([reservation, events])).not.toContain('correct horse battery stapler');
  });

  it('never echoes the submitted password', async () => {
    // Prepare
    storeGrace();
    const password = 'this-is-my-very-secret-attempt';

    // Act
    const result = await signIn({ companyId: COMPANY, email: 'grace.hopper@acme.example', password });

    // Assess
    expect(result.statusCode).toBe(401);
    expect(result.body).not.toContain(password);
  });
});
