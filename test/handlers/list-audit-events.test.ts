// Handler tests of GET /audit-events through the whole middy pipeline, DynamoDB mocked at the document client:
// master only, newest first by Query (never a Scan), narrowed to one admin through the byAdmin index, paginated.
import { DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/list-audit-events/handler';
import { apiEvent, errorOf, lambdaContext } from './events';
import { COMPANY, GENERAL_ID, MASTER_ID, adminItem, signedInAs, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const EVENT_ID = '01JX7B0000000000000000000A';

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
});

const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });

/** An event item as the audit table stores it, with its keys and TTL. */
const eventItem = (eventId: string) => ({
  pk: `COMPANY#${COMPANY}`,
  sk: `EVENT#${eventId}`,
  adminKey: `COMPANY#${COMPANY}#ADMIN#${GENERAL_ID}`,
  ttl: 1_783_000_000,
  eventId,
  companyId: COMPANY,
  type: 'ACCOUNT_LOCKED',
  outcome: 'failure',
  at: '2025-06-02T09:15:00.000Z',
  actorAdminId: null,
  targetAdminId: GENERAL_ID,
  sourceIp: '203.0.113.77',
  userAgent: 'Mozilla/5.0',
  details: { minutes: '15' },
});

const list = (authorization: string, queryStringParameters: Record<string, string> = {}) =>
  handler(apiEvent('GET', '/audit-events', { headers: { Authorization: authorization }, queryStringParameters }), lambdaContext());

describe('when a master reads the audit trail', () => {
  it('answers 200 with the company’s events, newest first, by a Query of its partition, without the storage keys', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(QueryCommand).resolves({ Items: [eventItem(EVENT_ID)] });

    // Act
    const result = await list(authorization);

    // Assess
    expect(result.statusCode).toBe(200);
    const { pk: _pk, sk: _sk, adminKey: _adminKey, ttl: _ttl, ...event } = eventItem(EVENT_ID);
    expect(JSON.parse(result.body)).toEqual({ items: [event], nextCursor: null });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: tables().audit,
      ExpressionAttributeValues: { ':partition': `COMPANY#${COMPANY}` },
      ScanIndexForward: false,
      Limit: 50,
    });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('narrows to one admin through the byAdmin index', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(QueryCommand).resolves({ Items: [] });

    // Act
    const result = await list(authorization, { adminId: GENERAL_ID, limit: '10' });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      IndexName: 'byAdmin',
      ExpressionAttributeValues: { ':partition': `COMPANY#${COMPANY}#ADMIN#${GENERAL_ID}` },
      Limit: 10,
    });
  });

  it('answers a cursor for the next page that leads the next Query on from the last event', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(QueryCommand).resolves({ Items: [eventItem(EVENT_ID)], LastEvaluatedKey: { pk: `COMPANY#${COMPANY}`, sk: `EVENT#${EVENT_ID}` } });
    const first = JSON.parse((await list(authorization, { limit: '1' })).body) as { nextCursor: string };

    // Act
    await list(authorization, { limit: '1', cursor: first.nextCursor });

    // Assess
    expect(first.nextCursor).toEqual(expect.any(String));
    expect(first.nextCursor).not.toContain(COMPANY);
    expect(ddb.commandCalls(QueryCommand)[1]?.args[0].input.ExclusiveStartKey).toEqual({ pk: `COMPANY#${COMPANY}`, sk: `EVENT#${EVENT_ID}` });
  });

  it.each([
    ['a limit above 100', { limit: '101' }, 'query.limit'],
    ['an adminId that is not one', { adminId: 'x' }, 'query.adminId'],
    ['an unknown parameter', { companyId: 'globex' }, 'query.companyId'],
  ])('answers 400 naming the parameter for %s', async (_what, query, field) => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await list(authorization, query);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field })]);
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });

  it('answers 400 for a cursor this API did not hand out', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await list(authorization, { cursor: Buffer.from('COMPANY#globex', 'utf8').toString('base64url') });

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field: 'cursor', code: 'INVALID_CURSOR' })]);
  });
});

describe('when a general admin reads it', () => {
  it('answers 403 FORBIDDEN without querying the trail', async () => {
    // Prepare
    const authorization = signedInAs(ddb, adminItem({ adminId: GENERAL_ID, role: 'general' }));

    // Act
    const result = await list(authorization);

    // Assess
    expect(result.statusCode).toBe(403);
    expect(errorOf(result).code).toBe('FORBIDDEN');
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(0);
  });
});
