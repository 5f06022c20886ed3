// Fault tests against a DynamoDB Local of this file's own, paused with SIGSTOP mid-request: each answer is the
// documented one, it comes within the time budget, and the data afterwards match it. (The suite's shared DynamoDB
// Local is never paused.)
import type { APIGatewayProxyResult } from 'aws-lambda';
import { GetCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { ApiHandler } from '../../functions/http/pipeline';
import { FUNCTION_TIMEOUT_MS } from '../../functions/adapters/clients/sdk-budget';
import { createTables, localTableNames, startDynamoDbLocal, type DynamoDbLocal } from '../../local/dynamodb-local';
import { freePort } from '../../local/ports';
import { apiEvent, errorOf, lambdaContext } from '../handlers/events';
import { documentClient, provisionTestCompany, testDirectory, type ProvisionedCompany } from '../support/companies';
import { MASTER_PASSWORD } from '../support/scenario';

let db: DynamoDbLocal;
let paused = false;
let client: DynamoDBDocumentClient;
let company: ProvisionedCompany;
let sessionToken: string;
let handlers: { signIn: ApiHandler; answerChallenge: ApiHandler; createAdmin: ApiHandler };
/** Set to pause DynamoDB Local the moment the next write of the handlers is sent. */
let pauseAtNextWrite = false;

const pause = () => {
  process.kill(db.pid!, 'SIGSTOP');
  paused = true;
};
const resume = () => {
  if (paused) process.kill(db.pid!, 'SIGCONT');
  paused = false;
};
const bodyOf = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;
const count = async (table: string) => (await client.send(new ScanCommand({ TableName: table, Select: 'COUNT', ConsistentRead: true }))).Count;
const timed = async <T>(run: () => Promise<T>) => {
  const started = Date.now();
  const value = await run();
  return { value, ms: Date.now() - started };
};

beforeAll(async () => {
  db = await startDynamoDbLocal({ port: await freePort() });
  const names = localTableNames('adminpass-paused');
  await createTables(db.endpoint, names);
  // The handlers read their endpoint and tables at import: this file's registry imports them only now.
  Object.assign(process.env, {
    DYNAMODB_ENDPOINT: db.endpoint,
    DIRECTORY_TABLE: names.directory,
    SESSIONS_TABLE: names.sessions,
    TOKENS_TABLE: names.tokens,
    AUDIT_TABLE: names.audit,
  });
  client = documentClient();
  company = await provisionTestCompany(testDirectory(client));
  const { dynamoDb } = await import('../../functions/adapters/clients/dynamodb');
  dynamoDb.middlewareStack.add(
    (next, context) => async (args) => {
      if (pauseAtNextWrite && context.commandName === 'TransactWriteItemsCommand') {
        pauseAtNextWrite = false;
        pause();
      }
      return next(args);
    },
    { step: 'initialize', priority: 'low', name: 'testPauseAtWrite' },
  );
  handlers = {
    signIn: (await import('../../functions/sign-in/handler')).handler,
    answerChallenge: (await import('../../functions/answer-new-password-challenge/handler')).handler,
    createAdmin: (await import('../../functions/create-admin/handler')).handler,
  };
  const challenge = await handlers.signIn(
    apiEvent('POST', '/sign-in', { body: { companyId: company.companyId, email: company.masterEmail, password: company.masterTemporaryPassword } }),
    lambdaContext(),
  );
  const session = await handlers.answerChallenge(
    apiEvent('POST', '/sign-in/new-password', { body: { challengeToken: bodyOf(challenge).challengeToken, newPassword: MASTER_PASSWORD } }),
    lambdaContext(),
  );
  sessionToken = bodyOf(session).sessionToken as string;
}, 60_000);

afterEach(() => {
  resume();
});

afterAll(async () => {
  resume();
  client?.destroy();
  await db?.stop();
}, 30_000);

describe('when DynamoDB freezes before a sign-in reads anything', () => {
  it('answers 503 SERVICE_BUSY within the budget, and indeed nothing was written', async () => {
    // Prepare
    const sessionsBefore = await count(process.env.SESSIONS_TABLE!);
    const auditBefore = await count(process.env.AUDIT_TABLE!);
    pause();

    // Act
    const { value: result, ms } = await timed(() =>
      handlers.signIn(
        apiEvent('POST', '/sign-in', { body: { companyId: company.companyId, email: company.masterEmail, password: MASTER_PASSWORD } }),
        lambdaContext(),
      ),
    );
    resume();

    // Assess: the answer, in time
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('SERVICE_BUSY');
    expect(errorOf(result).message).toMatch(/Nothing was changed/);
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    // Assess: the data match it, once DynamoDB runs again
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    expect(await count(process.env.SESSIONS_TABLE!)).toBe(sessionsBefore);
    expect(await count(process.env.AUDIT_TABLE!)).toBe(auditBefore);
  }, 30_000);
});

describe('when DynamoDB freezes while the transaction creating an admin is under way', () => {
  it('answers 503 OUTCOME_UNKNOWN within the budget, and the data afterwards hold the whole admin or none of it', async () => {
    // Prepare
    const email = `paused.${Date.now()}@${company.companyId}.example`;
    pauseAtNextWrite = true;

    // Act
    const { value: result, ms } = await timed(() =>
      handlers.createAdmin(
        apiEvent('POST', '/admins', {
          headers: { Authorization: `Bearer ${sessionToken}` },
          body: { email, name: 'Paula Paused', temporaryPassword: 'violet lantern over quiet harbour' },
        }),
        lambdaContext(),
      ),
    );
    resume();

    // Assess: the answer, in time, never claiming that nothing changed
    expect(paused).toBe(false);
    expect(result.statusCode).toBe(503);
    expect(errorOf(result).code).toBe('OUTCOME_UNKNOWN');
    expect(errorOf(result).message).not.toMatch(/Nothing was changed/);
    expect(ms).toBeLessThan(FUNCTION_TIMEOUT_MS);
    // Assess: the transaction sent before the freeze may commit after it; the data hold all of it or none
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const claim = await client.send(
      new GetCommand({ TableName: process.env.DIRECTORY_TABLE!, Key: { pk: `COMPANY#${company.companyId}`, sk: `EMAIL#${email}` }, ConsistentRead: true }),
    );
    const adminId = claim.Item?.adminId as string | undefined;
    const admin =
      adminId === undefined
        ? undefined
        : await client.send(new GetCommand({ TableName: process.env.DIRECTORY_TABLE!, Key: { pk: `COMPANY#${company.companyId}`, sk: `ADMIN#${adminId}` }, ConsistentRead: true }));
    expect(adminId === undefined || admin?.Item?.email === email).toBe(true);
  }, 30_000);
});
