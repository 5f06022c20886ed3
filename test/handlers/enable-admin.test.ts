// Handler tests of POST /admins/{adminId}/enable through the whole middy pipeline, DynamoDB mocked at the document
// client: master only, a bad id refused before any read, and a disabled master enabled with the company's count of
// active masters moved in the same transaction.
import { DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/enable-admin/handler';
import { apiEvent, errorOf, lambdaContext } from './events';
import { COMPANY, GENERAL_ID, MASTER_ID, adminItem, signedInAs, storeAdmin, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(TransactWriteCommand).resolves({});
});

const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });

const enable = (authorization: string, adminId: string) =>
  handler(apiEvent('POST', `/admins/${adminId}/enable`, { headers: { Authorization: authorization }, pathParameters: { adminId } }), lambdaContext());

describe('when a master enables a disabled master of his company', () => {
  it('answers 204, stores him active at the next version with ADMIN_ENABLED, and adds him to the active masters', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    storeAdmin(ddb, adminItem({ adminId: GENERAL_ID, role: 'master', status: 'disabled', version: 4 }));

    // Act
    const result = await enable(authorization, GENERAL_ID);

    // Assess
    expect(result.statusCode).toBe(204);
    const items = ddb.commandCalls(TransactWriteCommand)[0]?.args[0].input.TransactItems ?? [];
    expect(items[0]?.Update).toMatchObject({
      TableName: tables().directory,
      Key: { pk: `COMPANY#${COMPANY}`, sk: `ADMIN#${GENERAL_ID}` },
      ExpressionAttributeValues: expect.objectContaining({ ':w_status': 'active', ':w_version': 5, ':readVersion': 4 }),
    });
    expect(items[1]?.Update).toMatchObject({ UpdateExpression: 'ADD activeMasterCount :delta', ExpressionAttributeValues: { ':delta': 1 } });
    expect(items.map((item) => item.Put?.Item?.type).filter(Boolean)).toEqual(['ADMIN_ENABLED']);
  });
});

describe('when the request cannot enable anyone', () => {
  it('answers 400 to an id that is not a ULID, before reading the admin', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await enable(authorization, 'not-an-id');

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).code).toBe('VALIDATION_FAILED');
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });

  it('answers 404 ADMIN_NOT_FOUND for an admin who does not exist', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await enable(authorization, GENERAL_ID);

    // Assess
    expect(result.statusCode).toBe(404);
    expect(errorOf(result).code).toBe('ADMIN_NOT_FOUND');
  });

  it('answers 403 FORBIDDEN to a general admin and writes nothing', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem({ role: 'general' }));

    // Act
    const result = await enable(authorization, GENERAL_ID);

    // Assess
    expect(result.statusCode).toBe(403);
    expect(ddb.commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
