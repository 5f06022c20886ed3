// Handler tests of Idempotency-Key (functions/http/idempotency.ts) through the whole middy pipeline of POST /admins:
// replay, reuse with another body, in progress, bad keys, what is stored, and which answers are never kept. The
// idempotency table is a small in-memory copy of the conditions Powertools' DynamoDB layer writes with.
import { ConditionalCheckFailedException, DeleteItemCommand, GetItemCommand, PutItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { marshall, unmarshall } from '@aws-sdk/util-dynamodb';
import { TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { routeList, routes } from '../../functions/contract/routes';
import { handler } from '../../functions/create-admin/handler';
import { DomainError, type ErrorCode } from '../../functions/domain/errors';
import { STATUS_OF } from '../../functions/http/error-status';
import { idempotent } from '../../functions/http/idempotency';
import type { ParsedRequest } from '../../functions/http/pipeline';
import { noContent, type Reply } from '../../functions/http/responses';
import { apiEvent, errorOf, headerOf, lambdaContext } from './events';
import { MASTER_ID, adminItem, loadPasswordJudges, signedInAs } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const TABLE = process.env.IDEMPOTENCY_TABLE as string;
const TEMPORARY = 'blue kettle under a tall bridge';
const registration = { email: 'linus@acme.example', name: 'Linus Torvalds', temporaryPassword: TEMPORARY };

/** The idempotency table: records by id, with the put condition of Powertools' DynamoDBPersistenceLayer. */
let records: Map<string, Record<string, unknown>>;

function emulateIdempotencyTable(): void {
  records = new Map();
  const idOf = (key: unknown) => unmarshall(key as never).id as string;
  // The commands are client-dynamodb's, sent through the document client, so the stub is typed for the other kind.
  const on = (command: unknown) => ddb.on(command as never);
  on(PutItemCommand).callsFake((input: { TableName: string; Item: never }) => {
    expect(input.TableName).toBe(TABLE);
    const item = unmarshall(input.Item);
    const old = records.get(item.id as string);
    const now = Date.now();
    const takenOver =
      old === undefined ||
      (old.expiration as number) < now / 1000 ||
      (old.status === 'INPROGRESS' && old.in_progress_expiration !== undefined && (old.in_progress_expiration as number) < now);
    if (!takenOver) throw new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {}, Item: marshall(old) as never });
    records.set(item.id as string, item);
    return {};
  });
  on(GetItemCommand).callsFake((input: { Key: unknown }) => {
    const item = records.get(idOf(input.Key));
    return item === undefined ? {} : { Item: marshall(item) };
  });
  on(UpdateItemCommand).callsFake((input: { Key: unknown; ExpressionAttributeNames: Record<string, string>; ExpressionAttributeValues: never }) => {
    const values = unmarshall(input.ExpressionAttributeValues);
    const item = { ...records.get(idOf(input.Key)), id: idOf(input.Key) } as Record<string, unknown>;
    for (const [alias, name] of Object.entries(input.ExpressionAttributeNames)) item[name] = values[`:${alias.slice(1)}`];
    records.set(item.id as string, item);
    return {};
  });
  on(DeleteItemCommand).callsFake((input: { Key: unknown }) => {
    records.delete(idOf(input.Key));
    return {};
  });
}

// The first admin created judges his temporary password: the judges load before, not within a request's deadline.
beforeAll(loadPasswordJudges);

beforeEach(() => {
  ddb.reset();
  emulateIdempotencyTable();
});

const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });

const post = (authorization: string | undefined, body: unknown, key?: string) =>
  handler(
    apiEvent('POST', '/admins', {
      headers: { ...(authorization ? { Authorization: authorization } : {}), ...(key !== undefined ? { 'Idempotency-Key': key } : {}) },
      body,
    }),
    lambdaContext(),
  );

const transactions = () => ddb.commandCalls(TransactWriteCommand).length;
const idempotencyCalls = () => ddb.calls().filter((call) => (call.args[0].input as { TableName?: string }).TableName === TABLE).length;

describe('when the route table declares retries', () => {
  it('gives every route that is not a GET an idempotency decision', () => {
    const undecided = routeList.filter((route) => route.method !== 'GET' && route.idempotency === undefined).map((route) => route.operationId);

    expect(undecided).toEqual([]);
  });

  it('grants the idempotency table to exactly the routes that take a key', () => {
    const mismatched = routeList.filter((route) => (route.idempotency === 'key') !== (route.tables.idempotency === 'write'));

    expect(mismatched.map((route) => route.operationId)).toEqual([]);
  });

  it('replays the answer of sign-in and the challenge nowhere, since it holds a session token', () => {
    expect([routes.signIn.idempotency, routes.answerNewPasswordChallenge.idempotency]).toEqual([
      { none: expect.stringContaining('session token') },
      { none: expect.stringContaining('session token') },
    ]);
  });
});

describe('when a master sends POST /admins twice with one Idempotency-Key', () => {
  it('creates one admin and answers the retry with the same 201, body, ETag and Location, marked as replayed', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const first = await post(authorization, registration, 'create-linus-1');
    const retry = await post(authorization, registration, 'create-linus-1');

    // Assess
    expect(transactions()).toBe(1);
    expect(first.statusCode).toBe(201);
    expect(retry.statusCode).toBe(201);
    expect(retry.body).toBe(first.body);
    expect(headerOf(retry, 'ETag')).toBe(headerOf(first, 'ETag'));
    expect(headerOf(retry, 'Location')).toBe(headerOf(first, 'Location'));
    expect(headerOf(first, 'Idempotent-Replayed')).toBeUndefined();
    expect(headerOf(retry, 'Idempotent-Replayed')).toBe('true');
  });

  it('answers 422 IDEMPOTENCY_KEY_REUSED to the same key with another body, and creates nothing more', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(TransactWriteCommand).resolves({});
    await post(authorization, registration, 'create-linus-2');

    // Act
    const other = await post(authorization, { ...registration, name: 'Linus B. Torvalds' }, 'create-linus-2');

    // Assess
    expect(other.statusCode).toBe(422);
    expect(errorOf(other).code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(transactions()).toBe(1);
  });

  it('stores neither the temporary password nor the key itself, and expires the record after 24 hours', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await post(authorization, registration, 'create-linus-secret-key');

    // Assess
    const [record] = [...records.values()];
    expect(record).toMatchObject({ status: 'COMPLETED', id: expect.stringMatching(/^adminpass\.createAdmin#/) });
    expect(JSON.stringify(record)).not.toContain(TEMPORARY);
    expect(JSON.stringify(record)).not.toContain('create-linus-secret-key');
    expect((record?.expiration as number) - Date.now() / 1000).toBeCloseTo(24 * 60 * 60, -1);
  });
});

describe('when the first request with the key is still running', () => {
  it('answers 409 IDEMPOTENCY_IN_PROGRESS with Retry-After, runs nothing and leaves the first request its record', async () => {
    // Prepare: the first request's record, taken a moment ago with the function's deadline ahead.
    const authorization = signedInAs(ddb, master());
    ddb.on(TransactWriteCommand).resolves({});
    await post(authorization, registration, 'create-linus-3');
    const [id] = [...records.keys()];
    records.set(id as string, { ...records.get(id as string), status: 'INPROGRESS', in_progress_expiration: Date.now() + 9000 });

    // Act
    const retry = await post(authorization, registration, 'create-linus-3');

    // Assess
    expect(retry.statusCode).toBe(409);
    expect(errorOf(retry).code).toBe('IDEMPOTENCY_IN_PROGRESS');
    expect(headerOf(retry, 'Retry-After')).toBe('2');
    expect(transactions()).toBe(1);
    expect(records.get(id as string)?.status).toBe('INPROGRESS');
  });
});

describe('when the first answer is an error', () => {
  it('keeps no 4xx answer: a retry with the same key runs again', async () => {
    // Prepare: the email is taken on the first try only.
    const authorization = signedInAs(ddb, master());
    ddb
      .on(TransactWriteCommand)
      .rejectsOnce(new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }] }))
      .resolves({});

    // Act
    const first = await post(authorization, registration, 'create-linus-4');
    const retry = await post(authorization, registration, 'create-linus-4');

    // Assess
    expect([first.statusCode, retry.statusCode]).toEqual([409, 201]);
    expect(transactions()).toBe(2);
  });

  it('keeps an answer whose outcome is unknown: a retry gets the same 503 and the core never runs again', async () => {
    // Prepare: OUTCOME_UNKNOWN comes from a parallel change; its status is 503 there.
    (STATUS_OF as Record<string, number>).OUTCOME_UNKNOWN ??= 503;
    let runs = 0;
    const core = idempotent(routes.unlockAdmin, async () => {
      runs += 1;
      throw new DomainError('OUTCOME_UNKNOWN' as ErrorCode, 'The change may have been applied.');
    });
    const request = {
      headers: { 'idempotency-key': 'unlock-1' },
      params: { adminId: MASTER_ID },
      actor: { admin: { companyId: 'acme', adminId: MASTER_ID } },
    } as unknown as ParsedRequest<typeof routes.unlockAdmin>;

    // Act
    const first = await core(request, lambdaContext()).catch((error: unknown) => error);
    const retry = await core(request, lambdaContext()).catch((error: unknown) => error);

    // Assess
    expect(runs).toBe(1);
    expect([first, retry]).toEqual([expect.objectContaining({ code: 'OUTCOME_UNKNOWN' }), expect.objectContaining({ code: 'OUTCOME_UNKNOWN' })]);
  });
});

describe('when the key is scoped', () => {
  it('keeps the same key of two companies apart: each caller acts once', async () => {
    // Prepare
    let runs = 0;
    const core = idempotent(routes.unlockAdmin, async () => {
      runs += 1;
      return noContent();
    });
    const as = (companyId: string) =>
      ({ headers: { 'idempotency-key': 'same-key' }, params: { adminId: MASTER_ID }, actor: { admin: { companyId, adminId: MASTER_ID } } }) as unknown as ParsedRequest<
        typeof routes.unlockAdmin
      >;

    // Act
    const [x, y] = [await core(as('company-x'), lambdaContext()), await core(as('company-y'), lambdaContext())];

    // Assess
    expect(runs).toBe(2);
    expect([(x as Reply).headers, (y as Reply).headers]).toEqual([undefined, undefined]);
    expect(records.size).toBe(2);
  });
});

describe('when the key or the request is refused first', () => {
  it.each([['with a space'], ['x'.repeat(129)], [''], ['ünïcode']])('answers 400 VALIDATION_FAILED to the key %j and runs nothing', async (key) => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    const result = await post(authorization, registration, key);

    // Assess
    expect(result.statusCode).toBe(400);
    expect(errorOf(result).details).toEqual([expect.objectContaining({ field: 'Idempotency-Key' })]);
    expect(transactions()).toBe(0);
    expect(idempotencyCalls()).toBe(0);
  });

  it('answers 401 to a caller without a session before reading any key', async () => {
    // Act
    const result = await post(undefined, registration, 'probe-1');

    // Assess
    expect(result.statusCode).toBe(401);
    expect(idempotencyCalls()).toBe(0);
  });

  it('answers 400 to an invalid body before reading any key', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());

    // Act
    const result = await post(authorization, { ...registration, role: 'emperor' }, 'bad-body-1');

    // Assess
    expect(result.statusCode).toBe(400);
    expect(idempotencyCalls()).toBe(0);
  });

  it('runs as before without a key, and touches no idempotency record', async () => {
    // Prepare
    const authorization = signedInAs(ddb, master());
    ddb.on(TransactWriteCommand).resolves({});

    // Act
    await post(authorization, registration);
    await post(authorization, registration);

    // Assess
    expect(transactions()).toBe(2);
    expect(idempotencyCalls()).toBe(0);
  });
});
