// The request's time budget: the worst a stuck AWS call can take fits inside the function's timeout with room for
// the password hash and the answer, and every SDK client is built with it.
import { jest } from '@jest/globals';
import { StandardRetryStrategy } from '@smithy/core/retry';
import { dynamoDb } from '../../functions/adapters/clients/dynamodb';
import { secretsManager } from '../../functions/adapters/clients/secrets-manager';
import { ses } from '../../functions/adapters/clients/ses';
import {
  ANSWER_MARGIN_MS,
  FUNCTION_TIMEOUT_MS,
  PASSWORD_HASH_ROOM_MS,
  SDK_CALL_WORST_CASE_MS,
  SDK_CONNECTION_TIMEOUT_MS,
  SDK_MAX_ATTEMPTS,
  SDK_MAX_BACKOFF_MS,
  SDK_REQUEST_TIMEOUT_MS,
} from '../../functions/adapters/clients/sdk-budget';

describe('when one AWS call gets no answer at all', () => {
  it('gives up (every attempt timing out, plus the backoff) with room left for a hash and the answer', () => {
    // Prepare: the worst case, spelled out
    const worstCase = SDK_MAX_ATTEMPTS * (SDK_CONNECTION_TIMEOUT_MS + SDK_REQUEST_TIMEOUT_MS) + (SDK_MAX_ATTEMPTS - 1) * SDK_MAX_BACKOFF_MS;

    // Act
    const left = FUNCTION_TIMEOUT_MS - worstCase - PASSWORD_HASH_ROOM_MS - ANSWER_MARGIN_MS;

    // Assess
    expect(SDK_CALL_WORST_CASE_MS).toBe(worstCase);
    expect(worstCase).toBe(7_000);
    expect(left).toBeGreaterThanOrEqual(0);
  });

  it('fails before the pipeline has to answer, so the answer can name what the call did', () => {
    expect(SDK_CALL_WORST_CASE_MS).toBeLessThan(FUNCTION_TIMEOUT_MS - ANSWER_MARGIN_MS);
  });
});

describe('when the SDK backs off before its retry', () => {
  afterEach(() => {
    jest.restoreAllMocks();
  });

  it.each([
    ['a throttling error', 'THROTTLING'],
    ['a transient error', 'TRANSIENT'],
  ] as const)('waits no longer than the budget allows after %s (the installed standard strategy)', async (_what, errorType) => {
    // Prepare: the jitter at its largest
    jest.spyOn(Math, 'random').mockReturnValue(0.999_999);
    const strategy = new StandardRetryStrategy(SDK_MAX_ATTEMPTS);
    const first = await strategy.acquireInitialRetryToken('dynamodb');

    // Act
    const retry = await strategy.refreshRetryTokenForRetry(first, { errorType });

    // Assess
    expect((retry as unknown as { $retryLog: { acquisitionDelay: number } }).$retryLog.acquisitionDelay).toBeLessThanOrEqual(SDK_MAX_BACKOFF_MS);
    await expect(strategy.refreshRetryTokenForRetry(retry, { errorType })).rejects.toThrow(/No retry token/);
  });
});

describe('when the functions build their SDK clients', () => {
  it.each([
    ['DynamoDB', dynamoDb.config],
    ['SES', ses.config],
    ['Secrets Manager', secretsManager.config],
  ])('gives the %s client the attempts, connection timeout and request timeout of the budget', async (_name, config) => {
    // Act
    const maxAttempts = await config.maxAttempts();
    // NodeHttpHandler resolves its options once, before its first request.
    const handler = await (config.requestHandler as unknown as { configProvider: Promise<Record<string, unknown>> }).configProvider;

    // Assess
    expect(maxAttempts).toBe(SDK_MAX_ATTEMPTS);
    expect(typeof config.retryMode === 'function' ? await config.retryMode() : config.retryMode).toBe('standard');
    expect(handler).toMatchObject({
      connectionTimeout: SDK_CONNECTION_TIMEOUT_MS,
      requestTimeout: SDK_REQUEST_TIMEOUT_MS,
      throwOnRequestTimeout: true,
    });
  });
});
