// Handler tests of GET /audit-events through the whole middy pipeline, DynamoDB mocked at the document client:
// master only, newest first by Query (never a Scan), narrowed to one admin through the byAdmin index, to a type and
// to a date range, paginated, with the names of the admins a page mentions from one BatchGetItem of the directory.
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { handler } from '../../functions/list-audit-events/handler';
import { apiEvent, errorOf, lambdaContext } from './events';
import { COMPANY, GENERAL_ID, MASTER_ID, adminItem, signedInAs, tables } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const EVENT_ID = '01JX7B0000000000000000000A';

const GENERAL_NAME = { adminId: GENERAL_ID, name: 'Gil General', email: 'gil@acme.example' };

beforeEach(() => {
  ddb.reset();
  ddb.on(GetCommand).resolves({});
  ddb.on(BatchGetCommand).resolves({ Responses: { [tables().directory]: [GENERAL_NAME] } });
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
    expect(JSON.parse(result.body)).toEqual({ items: [event], nextCursor: null, admins: [GENERAL_NAME] });
    expect(ddb.commandCalls(QueryCommand)[0]?.args[0].input).toMatchObject({
      TableName: tables().audit,
      ExpressionAttributeValues: { ':partition': `COMPANY#${COMPANY}` },
      ScanIndexForward: false,
      Limit: 50,
    });
    expect(ddb.commandCalls(ScanCommand)).toHaveLength(0);
  });

  it('names the admins of the page with one BatchGetItem of the company\'s admin items', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(QueryCommand).resolves({ Items: [eventItem(EVENT_ID), { ...eventItem('01JX7B0000000000000000000B'), actorAdminId: MASTER_ID, details: { requestedBy: MASTER_ID } }] });

    // Act
    await list(authorization);

    // Assess
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(1);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(1);
    const keys = ddb.commandCalls(BatchGetCommand)[0]!.args[0].input.RequestItems![tables().directory]!.Keys;
    expect(keys).toEqual(
      expect.arrayContaining([GENERAL_ID, MASTER_ID].map((adminId) => ({ pk: `COMPANY#${COMPANY}`, sk: `ADMIN#${adminId}` }))),
    );
    expect(keys).toHaveLength(2);
  });

  it('narrows to a date range by the key condition on the event ids, and to a type by a filter', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(QueryCommand).resolves({ Items: [] });

    // Act
    const result = await list(authorization, { type: 'ACCOUNT_LOCKED', from: '2025-06-01T00:00:00.000Z', to: '2025-06-02T23:59:59.999Z' });

    // Assess
    expect(result.statusCode).toBe(200);
    const input = ddb.commandCalls(QueryCommand)[0]!.args[0].input;
    expect(input.KeyConditionExpression).toBe('pk = :partition AND sk BETWEEN :lowest AND :highest');
    // 2025-06-01T00:00:00.000Z and 2025-06-02T23:59:59.999Z as the time part of a ULID.
    expect(input.ExpressionAttributeValues).toMatchObject({ ':lowest': 'EVENT#01JWMCKG000000000000000000', ':highest': 'EVENT#01JWSHCXZZZZZZZZZZZZZZZZZZ', ':type': 'ACCOUNT_LOCKED' });
    expect(input.FilterExpression).toBe('#type = :type');
  });

  it('reads on past the events a type filter skips, a bounded number of times, and answers where it stopped', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(QueryCommand).resolves({ Items: [], LastEvaluatedKey: { pk: `COMPANY#${COMPANY}`, sk: `EVENT#${EVENT_ID}` } });

    // Act
    const result = await list(authorization, { type: 'ADMIN_DISABLED' });

    // Assess
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toMatchObject({ items: [], nextCursor: expect.any(String) });
    expect(ddb.commandCalls(QueryCommand)).toHaveLength(5);
    expect(ddb.commandCalls(BatchGetCommand)).toHaveLength(0);
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
    ['an event type that is not one', { type: 'SIGNED_IN' }, 'query.type'],
    ['a from that is not a UTC time', { from: '2025-06-01' }, 'query.from'],
    ['a to that is not a time', { to: 'yesterday' }, 'query.to'],
    ['a to before the from', { from: '2025-06-02T00:00:00.000Z', to: '2025-06-01T00:00:00.000Z' }, 'query.to'],
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
