// Handler tests of the answers a request gives when AWS fails under it: faults injected at the transport (under the
// SDK's retries and the outcome tracking) with aws-sdk-client-mock. A 5xx says "nothing was changed" only when that
// is known, and once the invocation answered no write goes out.
import { jest } from '@jest/globals';
import { ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { dynamoDb } from '../../functions/adapters/clients/dynamodb';
import { handler } from '../../functions/create-admin/handler';
import { issueToken } from '../../functions/domain/tokens';
import { logger } from '../../functions/http/logger';
import { cryptoRandom } from '../../functions/wiring/system';
import { lambdaContext as localLambdaContext } from '../../local/proxy-event';
import { apiEvent, errorOf, headerOf, lambdaContext } from './events';
import { COMPANY, MASTER_ID, adminItem, companyItem, loadPasswordJudges, signedInAs, tables, type DocumentClientMock } from './fixtures';
import { mockAtTransport } from './transport-mock';

const ddbMock = mockAtTransport<DocumentClientMock>(dynamoDb);
const ddb = () => ddbMock.transport;

const registration = { email: 'linus@acme.example', name: 'Linus Torvalds', temporaryPassword: 'blue kettle under a tall bridge' };
const master = () => adminItem({ adminId: MASTER_ID, role: 'master', email: 'ada@acme.example', name: 'Ada Lovelace' });
const post = (authorization: string, context = lambdaContext()) =>
  handler(apiEvent('POST', '/admins', { headers: { Authorization: authorization }, body: registration }), context);

const throttled = () => new ProvisionedThroughputExceededException({ message: 'The level of configured provisioned throughput for the table was exceeded.', $metadata: {} });
const timedOut = () => Object.assign(new Error('@smithy/node-http-handler - a request has exceeded the configured 2000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' });
const NOTHING_CHANGED = /Nothing was changed/;

// The first admin created judges his temporary password: the judges load before, not within a request's deadline.
beforeAll(loadPasswordJudges);

beforeEach(() => {
  ddbMock.reset();
});

afterEach(() => {
  jest.restoreAllMocks();
});

describe('when DynamoDB throttles a read before anything is written', () => {
  it('answers 503 SERVICE_BUSY with Retry-After, says nothing was changed, and writes nothing', async () => {
    // Prepare
    ddb().on(GetCommand).rejects(throttled());
    const { token } = issueToken(cryptoRandom);

    // Act
    const result = await post(`Bearer ${token}`);

    // Assess
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('SERVICE_BUSY');
    expect(errorOf(result).message).toMatch(NOTHING_CHANGED);
    expect(headerOf(result, 'Retry-After')).toMatch(/^\d+$/);
    expect(ddb().commandCalls(TransactWriteCommand)).toHaveLength(0);
    // The SDK retried the throttled read once, within its budget.
    expect(ddb().commandCalls(GetCommand)).toHaveLength(2);
  });
});

describe('when the transaction that creates the admin times out', () => {
  it('answers 503 OUTCOME_UNKNOWN, never "nothing was changed"', async () => {
    // Prepare
    const authorization = signedInAs(ddb(), master());
    ddb().on(TransactWriteCommand).rejects(timedOut());

    // Act
    const result = await post(authorization);

    // Assess
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('OUTCOME_UNKNOWN');
    expect(errorOf(result).message).toMatch(/may have been applied/);
    expect(errorOf(result).message).not.toMatch(NOTHING_CHANGED);
    expect(headerOf(result, 'Retry-After')).toMatch(/^\d+$/);
    expect(result.body).not.toMatch(/ETIMEDOUT|requestTimeout/);
  });

  it('answers 503 OUTCOME_UNKNOWN, not 409, when the retry then finds the email claimed (by its own first attempt)', async () => {
    // Prepare
    const authorization = signedInAs(ddb(), master());
    ddb()
      .on(TransactWriteCommand)
      .rejectsOnce(timedOut())
      .rejects(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [{ Code: 'None' }, { Code: 'None' }, { Code: 'ConditionalCheckFailed' }],
        }),
      );

    // Act
    const result = await post(authorization);

    // Assess
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('OUTCOME_UNKNOWN');
    expect(ddb().commandCalls(TransactWriteCommand)).toHaveLength(2);
  });
});

describe('when the transaction keeps meeting other transactions on its items', () => {
  it('tries it again a few times, then answers 503 SERVICE_BUSY: nothing was changed', async () => {
    // Prepare
    const authorization = signedInAs(ddb(), master());
    ddb()
      .on(TransactWriteCommand)
      .rejects(
        new TransactionCanceledException({
          message: 'Transaction cancelled',
          $metadata: { httpStatusCode: 400 },
          CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }, { Code: 'None' }],
        }),
      );

    // Act
    const result = await post(authorization);

    // Assess
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('SERVICE_BUSY');
    expect(errorOf(result).message).toMatch(NOTHING_CHANGED);
    // The adapter's own retries of a conflict, each one attempt of the SDK (a cancellation is an answer, not retried by it).
    expect(ddb().commandCalls(TransactWriteCommand).length).toBeGreaterThan(1);
  });
});

describe('when a read is refused before anything is written', () => {
  it('answers 500 INTERNAL saying nothing was changed', async () => {
    // Prepare: a definite refusal (a missing grant), not a busy service
    ddb()
      .on(GetCommand)
      .rejects(Object.assign(new Error('not authorized to perform dynamodb:GetItem'), { name: 'AccessDeniedException', $metadata: { httpStatusCode: 400 } }));
    const { token } = issueToken(cryptoRandom);

    // Act
    const result = await post(`Bearer ${token}`);

    // Assess
    expect(result.statusCode).toBe(500);
    expect(errorOf(result)).toEqual({ code: 'INTERNAL', message: 'Something went wrong on our side. Nothing was changed; please try again.' });
    expect(ddb().commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});

describe('when the request runs past the function deadline', () => {
  it('answers 503 in time, during the session check, and sends no write after the answer', async () => {
    // Prepare: 1.5 s left, so the pipeline must answer after 0.5 s; the company read of the session check takes 1.5 s
    const authorization = signedInAs(ddb(), master());
    ddb()
      .on(GetCommand, { TableName: tables().directory, Key: { pk: `COMPANY#${COMPANY}`, sk: '#COMPANY' } })
      .callsFake(async () => {
        await new Promise((resolve) => setTimeout(resolve, 1_500));
        return { Item: companyItem() };
      });
    ddb().on(TransactWriteCommand).resolves({});
    const warn = jest.spyOn(logger, 'warn');
    const context = localLambdaContext('adminpass-test', undefined, 1_500);

    // Act
    const started = Date.now();
    const result = await post(authorization, context);
    const answeredAfter = Date.now() - started;

    // Assess: the answer
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('SERVICE_BUSY');
    expect(answeredAfter).toBeLessThan(1_500);
    // Assess: the pipeline ran on to where it would write, and was refused (its late log line says so)
    const lateLine = () => warn.mock.calls.find(([message]) => message === 'finished after the answer');
    for (let waited = 0; lateLine() === undefined && waited < 10_000; waited += 100) await new Promise((resolve) => setTimeout(resolve, 100));
    expect(lateLine()).toBeDefined();
    expect(ddb().commandCalls(TransactWriteCommand)).toHaveLength(0);
  });
});
