// Handler tests of POST /admins/{adminId}/unlock through the whole middy pipeline, DynamoDB mocked at the document
// client: master only, and the lock lifted with its ACCOUNT_UNLOCKED event in one transaction.
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/unlock-admin/handler';
import { apiEvent, errorOf, lambdaContext } from './events';
import { COMPANY, GENERAL_ID, MASTER_ID, adminItem, signedInAs, storeAdmin, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const LOCKED_UNTIL = '2099-01-01T00:15:00.000Z';

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
});

const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });

const unlock = (authorization: string, adminId: string) =>
  handler(
    apiEvent('POST', `/admins/${adminId}/unlock`, { headers: { Authorization: authorization }, pathParameters: { adminId }, sourceIp: '198.51.100.23' }),
    lambdaContext(),
  );

describe('when a master unlocks an admin of his company', () => {
  it('answers 204 and lifts the lock with its ACCOUNT_UNLOCKED event in one transaction', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    storeAdmin(ddb, adminItem({ adminId: GENERAL_ID, failedSignIns: 0, lockedUntil: LOCKED_UNTIL }));

    // Act
    const result = await unlock(authorization, GENERAL_ID);

    // Assess
    expect(result.statusCode).toBe(204);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update).toMatchObject({
      TableName: tables().directory,
      Key: { pk: `COMPANY#${COMPANY}`, sk: `ADMIN#${GENERAL_ID}` },
      UpdateExpression: 'SET failedSignIns = :zero, sourceAttempts = :none REMOVE lockedUntil, failureWindowStartedAt',
    });
    expect(items[1]?.Put).toMatchObject({
      TableName: tables().audit,
      Item: {
        type: 'ACCOUNT_UNLOCKED',
        actorAdminId: MASTER_ID,
        targetAdminId: GENERAL_ID,
        sourceIp: '198.51.100.23',
        details: { wasLockedUntil: LOCKED_UNTIL },
      },
    });
  });

  it('answers 404 ADMIN_NOT_FOUND for an id his company does not have, and writes nothing', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await unlock(authorization, '01JX9999999999999999999999');

    // Assess
    expect(result.statusCode).toBe(404);
    expect(errorOf(result).code).toBe('ADMIN_NOT_FOUND');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 400 naming the path parameter for an id that is not one', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await unlock(authorization, 'not-an-id');

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field: 'path.adminId' })]);
  });
});

describe('when a general admin calls it', () => {
  it('answers 403 FORBIDDEN and writes nothing', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem({ adminId: GENERAL_ID, role: 'general' }));

    // Act
    const result = await unlock(authorization, GENERAL_ID);

    // Assess
    expect(result.statusCode).toBe(403);
    expect(errorOf(result).code).toBe('FORBIDDEN');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
