// Handler tests through the whole middy pipeline, DynamoDB and SES mocked: a reset to a suppressed address is a 409
// ADDRESS_SUPPRESSED that claims, counts and sends nothing; every reset email carries the company and purpose tags
// the feedback comes back with; masters list and clear their company's suppressed addresses.
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, QueryCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { ApiHandler } from '../../functions/http/pipeline';
import { apiEvent, errorOf, lambdaContext } from './events';
import { COMPANY, GENERAL_ID, MASTER_ID, adminItem, signedInAs, storeAdmin, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
const handlers: Record<'reset' | 'list' | 'clear', ApiHandler> = {} as never;

beforeAll(async () => {
  handlers.reset = (await import('../../functions/request-password-reset/handler')).handler;
  handlers.list = (await import('../../functions/list-suppressed-addresses/handler')).handler;
  handlers.clear = (await import('../../functions/clear-suppressed-address/handler')).handler;
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  ddb.on(GetCommand).resolves({});
  for (const command of [PutCommand, DeleteCommand, UpdateCommand, TransactWriteCommand, BatchWriteCommand]) ddb.on(command as never).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
});

const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });

/** The suppression item of an address, as the DynamoDB adapter stores it. */
function storeSuppression(email: string, reason: 'bounce' | 'complaint' = 'bounce') {
  const item = {
    pk: `COMPANY#${COMPANY}`,
    sk: `SUPPRESSED#${email}`,
    companyId: COMPANY,
    email,
    reason,
    detail: 'General',
    purpose: 'password-reset',
    feedbackId: 'feedback-1',
    messageId: 'message-1',
    suppressedAt: '2026-11-27T10:00:02.669Z',
  };
  ddb.on(GetCommand, { TableName: tables().directory, Key: { pk: item.pk, sk: item.sk } }).resolves({ Item: item });
  return item;
}

const resetTo = (authorization: string, email: string) =>
  handlers.reset(
    apiEvent('POST', `/admins/${GENERAL_ID}/password-reset`, { headers: { Authorization: authorization }, pathParameters: { adminId: GENERAL_ID }, body: { email } }),
    lambdaContext(),
  );

describe('when a master resets an administrator to an address that bounced', () => {
  it('answers 409 ADDRESS_SUPPRESSED, claims, counts and sends nothing, and audits the refusal', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    storeAdmin(ddb, adminItem({ adminId: GENERAL_ID }));
    storeSuppression('typo@example.org');

    // Act
    const result = await resetTo(authorization, 'Typo@Example.org');

    // Assess
    expect(result.statusCode).toBe(409);
    expect(errorOf(result)).toMatchObject({ code: 'ADDRESS_SUPPRESSED', message: expect.stringContaining('bounced permanently on 2026-11-27') });
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(0);
    const events = ddb.commandCalls(BatchWriteCommand).flatMap((call) => Object.values(call.args[0].input.RequestItems ?? {}).flat());
    expect(events.map((request) => (request as { PutRequest: { Item: Record<string, unknown> } }).PutRequest.Item)).toEqual([
      expect.objectContaining({
        type: 'PASSWORD_RESET_SUPPRESSED',
        outcome: 'failure',
        actorAdminId: MASTER_ID,
        targetAdminId: GENERAL_ID,
        details: expect.objectContaining({ sentTo: 'typo@example.org', destination: 'typed', reason: 'bounce' }),
      }),
    ]);
  });
});

describe('when a reset email goes out', () => {
  it('tags it with the company and its purpose, which SES hands back with any bounce or complaint', async () => {
    const authorization = signedInAs(ddb, master());
    storeAdmin(ddb, adminItem({ adminId: GENERAL_ID }));

    const result = await resetTo(authorization, 'home@example.org');

    expect(result.statusCode).toBe(202);
    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input.Tags).toEqual([
      { Name: 'companyId', Value: COMPANY },
      { Name: 'purpose', Value: 'password-reset' },
    ]);
  });
});

describe('when a master lists the suppressed addresses', () => {
  it('queries his own company’s partition and answers the page with its cursor', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    const item = storeSuppression('typo@example.org', 'complaint');
    ddb.on(QueryCommand).resolves({ Items: [item], LastEvaluatedKey: { pk: item.pk, sk: item.sk } });

    // Act
    const result = await handlers.list(
      apiEvent('GET', '/company/suppressed-addresses', { headers: { Authorization: authorization }, queryStringParameters: { limit: '1' } }),
      lambdaContext(),
    );

    // Assess
    expect(result.statusCode).toBe(200);
    const { pk: _pk, sk: _sk, ...suppression } = item;
    expect(JSON.parse(result.body)).toEqual({ items: [suppression], nextCursor: Buffer.from('typo@example.org').toString('base64url') });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: tables().directory,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :suppressed)',
      ExpressionAttributeValues: { ':pk': `COMPANY#${COMPANY}`, ':suppressed': 'SUPPRESSED#' },
      Limit: 1,
    });
  });

  it('answers a general administrator 403 FORBIDDEN and reads nothing', async () => {
    const authorization = signedInAs(ddb, adminItem({ adminId: GENERAL_ID }));

    const result = await handlers.list(apiEvent('GET', '/company/suppressed-addresses', { headers: { Authorization: authorization } }), lambdaContext());

    expect(result.statusCode).toBe(403);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});

describe('when a master clears a suppressed address', () => {
  const clear = (authorization: string, email: string) =>
    handlers.clear(
      apiEvent('DELETE', `/company/suppressed-addresses/${email}`, { headers: { Authorization: authorization }, pathParameters: { email }, sourceIp: '198.51.100.31' }),
      lambdaContext(),
    );

  it('answers 204 and deletes it with its EMAIL_SUPPRESSION_CLEARED event in one transaction, the address percent-encoded as API Gateway passes it', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    storeSuppression('typo@example.org');

    // Act
    const result = await clear(authorization, 'Typo%40Example.org');

    // Assess
    expect(result.statusCode).toBe(204);
    const [items] = ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems ?? []);
    expect(items?.[0]?.Delete).toEqual({
      TableName: tables().directory,
      Key: { pk: `COMPANY#${COMPANY}`, sk: 'SUPPRESSED#typo@example.org' },
      ConditionExpression: 'attribute_exists(pk)',
    });
    expect(items?.[1]?.Put?.Item).toMatchObject({
      type: 'EMAIL_SUPPRESSION_CLEARED',
      actorAdminId: MASTER_ID,
      sourceIp: '198.51.100.31',
      details: { email: 'typo@example.org', reason: 'bounce', suppressedAt: '2026-11-27T10:00:02.669Z' },
    });
  });

  it('answers 404 SUPPRESSION_NOT_FOUND for an address that is not suppressed, and writes nothing', async () => {
    const authorization = signedInAs(ddb, master());

    const result = await clear(authorization, 'fine@example.org');

    expect(result.statusCode).toBe(404);
    expect(errorOf(result).code).toBe('SUPPRESSION_NOT_FOUND');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 400 VALIDATION_FAILED for a path that is no address', async () => {
    const authorization = signedInAs(ddb, master());

    const result = await clear(authorization, 'not-an-address');

    expect(result.statusCode).toBe(400);
    expect(errorOf(result)).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'path.email' })] });
  });
});
