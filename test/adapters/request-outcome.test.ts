// What an SDK failure says about a write: refused with a definite answer (nothing written), throttled (nothing
// written, the service is busy) or no answer (it may have been written). One table, one function.
import { ConditionalCheckFailedException, ProvisionedThroughputExceededException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { classifySdkError, type SdkFailure } from '../../functions/adapters/clients/request-outcome';

const named = (name: string, httpStatusCode?: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: httpStatusCode === undefined ? {} : { httpStatusCode } });

const socketError = (code: string) => Object.assign(new Error(`socket hang up (${code})`), { code });

describe('when an SDK call fails', () => {
  it.each<[string, unknown, SdkFailure]>([
    ['a failed condition', new ConditionalCheckFailedException({ message: 'The conditional request failed', $metadata: {} }), 'refused'],
    ['a cancelled transaction', new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] }), 'refused'],
    ['a write that met a running transaction', named('TransactionConflictException', 400), 'throttled'],
    ['a transaction cancelled by a conflict with another', new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] }), 'throttled'],
    ['a validation error', named('ValidationException', 400), 'refused'],
    ['access denied (DynamoDB)', named('AccessDeniedException', 400), 'refused'],
    ['access denied (SES)', named('AccessDenied', 403), 'refused'],
    ['a rejected email', named('MessageRejected', 400), 'refused'],
    ['another answer of the service with a 4xx', named('SomeNewClientError', 400), 'refused'],
    ['a call refused because the invocation answered', named('InvocationAnswered'), 'refused'],
    ['provisioned throughput exceeded', new ProvisionedThroughputExceededException({ message: 'slow down', $metadata: {} }), 'throttled'],
    ['throttling', named('ThrottlingException', 400), 'throttled'],
    ['the account request limit', named('RequestLimitExceeded', 400), 'throttled'],
    ['SES throttling', named('Throttling', 400), 'throttled'],
    ['a 429 of any name', named('SomethingElse', 429), 'throttled'],
    ['a transaction cancelled by throttling', new TransactionCanceledException({ message: 'cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }] }), 'throttled'],
    ['a request timeout', named('TimeoutError'), 'no-answer'],
    ['an aborted request', named('AbortError'), 'no-answer'],
    ['a reset connection', socketError('ECONNRESET'), 'no-answer'],
    ['a refused connection', socketError('ECONNREFUSED'), 'no-answer'],
    ['an internal server error', named('InternalServerError', 500), 'no-answer'],
    ['service unavailable', named('ServiceUnavailable', 503), 'no-answer'],
    ['another 5xx', named('SomethingBroke', 502), 'no-answer'],
    ['a transaction still in progress (a retry found the first attempt running)', named('TransactionInProgressException', 400), 'no-answer'],
    ['something that is not an error', 'a string', 'no-answer'],
  ])('classifies %s', (_what, error, expected) => {
    // Act
    const failure = classifySdkError(error);

    // Assess
    expect(failure).toBe(expected);
  });
});
