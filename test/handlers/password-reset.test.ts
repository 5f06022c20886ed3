// Handler tests of the reset link routes through the whole middy pipeline, DynamoDB mocked at the document client:
// the per-client miss limit and what the answers never contain.
import { GetCommand, DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { ApiHandler } from '../../functions/http/pipeline';
import { apiEvent, errorOf, headerOf, lambdaContext } from './events';

const ddb = mockClient(DynamoDBDocumentClient);
let verify: ApiHandler;
let complete: ApiHandler;

beforeAll(async () => {
  // This file's handlers read the limit when they first build the limiter, after this line.
  process.env.RESET_LINK_MAX_MISSES = '3';
  ({ handler: verify } = await import('../../functions/verify-password-reset/handler'));
  ({ handler: complete } = await import('../../functions/complete-password-reset/handler'));
});

beforeEach(() => {
  ddb.reset();
  ddb.on(UpdateCommand).resolves({});
});

const CLIENT = '203.0.113.50';
const token = 'Q'.repeat(43);

describe('when a client has missed the limit of reset links in this window', () => {
  it('answers a miss 429 TOO_MANY_ATTEMPTS with Retry-After, on verify and on complete, having counted nothing more', async () => {
    ddb.on(GetCommand).resolves({});
    // The window is full: the conditional increment of the stored count is refused.
    ddb.on(UpdateCommand).rejects(new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }));

    const verified = await verify(apiEvent('POST', '/password-reset/verify', { body: { token }, sourceIp: CLIENT }), lambdaContext());
    const completed = await complete(
      apiEvent('POST', '/password-reset/complete', { body: { token, newPassword: 'a long new passphrase', confirmPassword: 'a long new passphrase' }, sourceIp: CLIENT }),
      lambdaContext(),
    );

    expect([verified.statusCode, completed.statusCode]).toEqual([429, 429]);
    expect(errorOf(verified).code).toBe('TOO_MANY_ATTEMPTS');
    // Retry-After: the seconds left in the client's 15-minute window of misses.
    for (const result of [verified, completed]) expect(Number(headerOf(result, 'Retry-After'))).toBeGreaterThanOrEqual(1);
    for (const result of [verified, completed]) expect(Number(headerOf(result, 'Retry-After'))).toBeLessThanOrEqual(15 * 60);
    expect(ddb.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.pk)).toEqual([expect.stringMatching(/^LIMIT#/), expect.stringMatching(/^LIMIT#/)]);
  });
});

describe('when the link is unknown', () => {
  it('answers 410 RESET_LINK_INVALID, keeps the place it took in the client’s limit, and never echoes the token', async () => {
    ddb.on(GetCommand).resolves({});

    const result = await verify(apiEvent('POST', '/password-reset/verify', { body: { token }, sourceIp: CLIENT }), lambdaContext());

    expect(result.statusCode).toBe(410);
    expect(errorOf(result).message).toMatch(/Ask your master administrator to send you a new link/);
    expect(result.body).not.toContain(token);
    expect(headerOf(result, 'Cache-Control')).toBe('no-store');
    const counted = ddb.commandCalls(UpdateCommand)[0]?.args[0].input;
    expect(counted?.Key?.pk).toMatch(new RegExp(`^LIMIT#reset-link#${CLIENT.replaceAll('.', '\\.')}#\\d+$`));
    expect(counted).toMatchObject({ UpdateExpression: expect.stringContaining('ADD attempts :one'), ConditionExpression: 'attribute_not_exists(attempts) OR attempts < :max' });
    expect(ddb.commandCalls(UpdateCommand)).toHaveLength(1);
  });
});
