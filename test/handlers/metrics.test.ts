// Handler tests of the service's metrics: a sign-in through the whole pipeline writes its counts as one CloudWatch
// embedded-metric-format line, with DynamoDB mocked at the document client, and no secret reaches that line.
import { jest } from '@jest/globals';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import type { ApiHandler } from '../../functions/http/pipeline';
import { METRICS_NAMESPACE_ENV, SERVICE_NAME, SERVICE_METRICS } from '../../functions/http/metric-names';
import { DEFAULT_SOURCE_IP as SOURCE_IP, apiEvent, lambdaContext } from './events';
import { COMPANY, adminItem, answerSignInDefaults, passwordAttributes, storeAdmin } from './fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const PASSWORD = 'correct horse battery staple';
const WRONG_PASSWORD = 'correct horse battery stapler';
const NAMESPACE = 'adminpass/metrics-test';
let storedPassword: Awaited<ReturnType<typeof passwordAttributes>>;
let handler: ApiHandler;

/** An EMF line as CloudWatch reads it: the metric values at the top level, their definitions under `_aws`. */
interface EmfLine {
  readonly _aws: { readonly CloudWatchMetrics: { readonly Namespace: string; readonly Dimensions: string[][]; readonly Metrics: { Name: string; Unit: string }[] }[] };
  readonly [name: string]: unknown;
}

beforeAll(async () => {
  // As deployed: the metric lines are written at the INFO log level, in the namespace the stack gives.
  process.env.POWERTOOLS_LOG_LEVEL = 'INFO';
  process.env[METRICS_NAMESPACE_ENV] = NAMESPACE;
  storedPassword = await passwordAttributes(PASSWORD);
  ({ handler } = await import('../../functions/sign-in/handler'));
});

beforeEach(() => {
  ddb.reset();
  answerSignInDefaults(ddb);
});

/** Signs in and returns every line the invocation wrote to stdout. */
async function signInWritingLines(password: string): Promise<string[]> {
  const chunks: string[] = [];
  const spy = jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    chunks.push(String(chunk));
    return true;
  });
  // An unexpected failure's line goes to stderr: kept out of the test's output.
  const quiet = jest.spyOn(process.stderr, 'write').mockImplementation(() => true);
  try {
    await handler(apiEvent('POST', '/sign-in', { body: { companyId: COMPANY, email: 'grace.hopper@acme.example', password } }), lambdaContext());
  } finally {
    spy.mockRestore();
    quiet.mockRestore();
  }
  return chunks.join('').split('\n').filter((line) => line.trim() !== '');
}

const emfLinesOf = (lines: readonly string[]): EmfLine[] => lines.map((line) => JSON.parse(line) as EmfLine).filter((line) => line._aws !== undefined);

/** The counts one EMF line carries, by metric name. */
const countsOf = (line: EmfLine): Record<string, unknown> =>
  Object.fromEntries(line._aws.CloudWatchMetrics.flatMap((directive) => directive.Metrics).map(({ Name }) => [Name, line[Name]]));

describe('when the password is right', () => {
  it('writes one EMF line counting the sign-in, in the stack’s namespace with the service dimension alone', async () => {
    // Prepare
    storeAdmin(ddb, adminItem(storedPassword));

    // Act
    const lines = await signInWritingLines(PASSWORD);

    // Assess
    const emf = emfLinesOf(lines);
    expect(emf).toHaveLength(1);
    expect(countsOf(emf[0]!)).toEqual({ SignInSucceeded: 1 });
    expect(emf[0]!._aws.CloudWatchMetrics).toEqual([{ Namespace: NAMESPACE, Dimensions: [['service']], Metrics: [{ Name: 'SignInSucceeded', Unit: 'Count' }] }]);
    expect(emf[0]!.service).toBe(SERVICE_NAME);
  });

  it('puts no password, token, address or company in the metric line', async () => {
    // Prepare
    storeAdmin(ddb, adminItem(storedPassword));

    // Act
    const lines = await signInWritingLines(PASSWORD);

    // Assess
    const line = JSON.stringify(emfLinesOf(lines));
    for (const secretOrIdentity of [PASSWORD, 'grace.hopper@acme.example', COMPANY, SOURCE_IP, 'sessionToken']) expect(line).not.toContain(secretOrIdentity);
  });
});

describe('when the password is wrong', () => {
  it('counts a failed sign-in, and the request line names the company and the code the per-company rule reads', async () => {
    // Prepare
    storeAdmin(ddb, adminItem(storedPassword));

    // Act
    const lines = await signInWritingLines(WRONG_PASSWORD);

    // Assess
    expect(emfLinesOf(lines).map(countsOf)).toEqual([{ SignInFailed: 1 }]);
    const request = lines.map((line) => JSON.parse(line) as Record<string, unknown>).find((line) => line.message === 'request');
    expect(request).toMatchObject({ operation: 'signIn', errorCode: 'INVALID_CREDENTIALS', companyId: COMPANY });
    expect(lines.join('\n')).not.toContain(WRONG_PASSWORD);
  });

  it('counts the lock it sets when it takes the source’s last place', async () => {
    // Prepare: nine failures from this source in a window opened five minutes ago (the policy's threshold is ten)
    const window = new Date(Date.now() - 5 * 60_000).toISOString();
    storeAdmin(
      ddb,
      adminItem({ ...storedPassword, failedSignIns: 9, failureWindowStartedAt: window, sourceAttempts: { [SOURCE_IP]: { failedSignIns: 9, failureWindowStartedAt: window } }, knownSources: {} }),
    );

    // Act
    const lines = await signInWritingLines(WRONG_PASSWORD);

    // Assess
    expect(emfLinesOf(lines).map(countsOf)).toEqual([{ SignInFailed: 1, AccountLocked: 1 }]);
  });
});

describe('when the events cannot be stored', () => {
  it('counts nothing: the metrics agree with the audit trail', async () => {
    // Prepare
    storeAdmin(ddb, adminItem(storedPassword));
    ddb.on(BatchWriteCommand).rejects(Object.assign(new Error('refused'), { name: 'ValidationException', $metadata: { httpStatusCode: 400 } }));

    // Act
    const lines = await signInWritingLines(WRONG_PASSWORD);

    // Assess
    expect(emfLinesOf(lines)).toEqual([]);
  });
});

describe('the metric names', () => {
  it('are each described, for the dashboard and the README', () => {
    for (const description of Object.values(SERVICE_METRICS)) expect(description.length).toBeGreaterThan(10);
  });
});
