// Handler test of POST /admins/{adminId}/password-reset through the whole middy pipeline, DynamoDB and SES mocked:
// a full reset limit is a 429 TOO_MANY_RESETS in the envelope with Retry-After, and nothing is sent.
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand, TransactWriteCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { ApiHandler } from '../../functions/http/pipeline';
import { apiEvent, errorOf, headerOf, lambdaContext } from './events';
import { GENERAL_ID, MASTER_ID, adminItem, signedInAs, storeAdmin } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const ses = mockClient(SESClient);
let handler: ApiHandler;

beforeAll(async () => {
  ({ handler } = await import('../../functions/request-password-reset/handler'));
});

beforeEach(() => {
  ddb.reset();
  ses.reset();
  // Reads of anything not stored below find nothing (the target's address is not suppressed).
  ddb.on(GetCommand).resolves({});
  ddb.on(PutCommand).resolves({});
  ddb.on(DeleteCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
  ddb.on(BatchWriteCommand).resolves({});
  ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });
});

const limitFull = () => new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} });

describe('when the master’s hourly limit of reset emails is full', () => {
  it('answers 429 TOO_MANY_RESETS with Retry-After to the end of the hour, sends nothing and writes only the audit event', async () => {
    const authorization = signedInAs(ddb, adminItem({ adminId: MASTER_ID, role: 'master' }));
    storeAdmin(ddb, adminItem({ adminId: GENERAL_ID }));
    // The master's window is full: its conditional increment is refused; the target's and company's are applied.
    ddb.on(UpdateCommand).callsFake(async (input: { Key: { pk: string }; UpdateExpression: string }) => {
      if (input.Key.pk.startsWith('LIMIT#resets-by-master#') && input.UpdateExpression.startsWith('ADD attempts :one')) throw limitFull();
      return {};
    });
    const before = Date.now();

    const result = await handler(
      apiEvent('POST', `/admins/${GENERAL_ID}/password-reset`, { headers: { Authorization: authorization }, pathParameters: { adminId: GENERAL_ID }, body: { email: 'outside@relay.example' } }),
      lambdaContext(),
    );

    expect(result.statusCode).toBe(429);
    expect(errorOf(result).code).toBe('TOO_MANY_RESETS');
    const retryAfter = Number(headerOf(result, 'Retry-After'));
    const endOfHour = Math.ceil((Math.floor(before / 3_600_000) + 1) * 3_600_000 - before) / 1000;
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(Math.abs(retryAfter - endOfHour)).toBeLessThanOrEqual(2);
    expect(ses.commandCalls(SendEmailCommand)).toHaveLength(0);
    // The one transaction is the claim (the admin unchanged, and no claim held); no reset was written.
    expect(ddb.commandCalls(TransactWriteCommand).map((call) => call.args[0].input.TransactItems?.map((item) => Object.keys(item)[0]))).toEqual([['ConditionCheck', 'Put']]);
    // The target's place is given back, the claim released, and the audit event is the one other item written.
    const limitWrites = ddb.commandCalls(UpdateCommand).map((call) => `${call.args[0].input.Key?.pk}`.split('#')[1]);
    expect(limitWrites).toEqual(['resets-of-target', 'resets-by-master', 'resets-of-target']);
    expect(ddb.commandCalls(DeleteCommand).map((call) => call.args[0].input.Key?.pk)).toEqual([expect.stringMatching(/^RESET-CLAIM#/)]);
    expect(ddb.commandCalls(PutCommand)).toHaveLength(0);
    expect(JSON.stringify(ddb.commandCalls(BatchWriteCommand).map((call) => call.args[0].input.RequestItems))).toContain('PASSWORD_RESET_LIMITED');
  });
});
