// Local runtime tests (local/iam-check.ts, local/aws-endpoint.ts, local/function-environment.ts): every function
// runs with exactly its template environment, and every AWS call it makes is checked against its IAM policy in the
// synthesized template. A route that forgets a table, a grant or a variable fails over HTTP, as it would deployed;
// the route table as it is passes.
import { routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { loadSynthesizedTemplate, withLocalTableNames, type FunctionPolicy, type SynthesizedTemplate } from '../../local/synthesized-template';
import { isAllowed, rememberedDecisions, requestsOf } from '../../local/iam-check';
import { startApi, testTableNames, testTemplate, type ApiClient } from '../support/api-client';
import { documentClient, provisionTestCompany, testDirectory } from '../support/companies';
import { createGeneralAdmin, signInMaster } from '../support/scenario';

const client = documentClient();
const directory = testDirectory(client);
const tableArn = (variable: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${process.env[variable]}`;

/** The template's policy of one function, with the local table names in its ARNs. */
async function localPolicyOf(operationId: string): Promise<FunctionPolicy> {
  return withLocalTableNames(testTemplate().functions, testTableNames())[operationId]!;
}

/** A server from this template whose log lines (its own and the functions' errors) the test reads. */
async function serverWith(template: SynthesizedTemplate): Promise<{ api: ApiClient; log: string[] }> {
  const log: string[] = [];
  const api = await startApi({
    template,
    onRequest: (line) => log.push(line),
    onFunctionLog: (operationId, line) => log.push(`[${operationId}] ${line}`),
    runnerEnvironment: { ...process.env, POWERTOOLS_LOG_LEVEL: 'ERROR' },
  });
  return { api, log };
}

/** The run's template with one function changed. */
function withFunction(operationId: string, change: (fn: FunctionPolicy) => FunctionPolicy): SynthesizedTemplate {
  const template = testTemplate();
  return { ...template, functions: { ...template.functions, [operationId]: change(template.functions[operationId]!) } };
}

async function unlockAGeneralAdmin(api: ApiClient) {
  const company = await provisionTestCompany(directory);
  const master = await signInMaster(api, company);
  const general = await createGeneralAdmin(api, master, `gil@${company.companyId}.example`);
  return api.request('POST', `/admins/${general.adminId}/unlock`, { token: master.token });
}

afterAll(() => client.destroy());

describe('when a call is judged against a function policy from the template', () => {
  it('allows unlockAdmin a transaction that writes the directory and the audit table', async () => {
    const policy = await localPolicyOf(routes.unlockAdmin.operationId);
    const requests = requestsOf('dynamodb', 'TransactWriteItemsCommand', {
      TransactItems: [{ Update: { TableName: process.env.DIRECTORY_TABLE } }, { Put: { TableName: process.env.AUDIT_TABLE } }],
    });

    expect(requests.map((request) => request.action)).toEqual(['dynamodb:UpdateItem', 'dynamodb:PutItem']);
    expect(requests.every((request) => isAllowed(policy, request))).toBe(true);
  });

  it("denies getMe a PutItem on the directory, which it may only read", async () => {
    const policy = await localPolicyOf(routes.getMe.operationId);

    expect(isAllowed(policy, { action: 'dynamodb:GetItem', resources: [tableArn('DIRECTORY_TABLE')] })).toBe(true);
    expect(isAllowed(policy, { action: 'dynamodb:PutItem', resources: [tableArn('DIRECTORY_TABLE')] })).toBe(false);
  });

  it('judges a Query on an index by the index ARN, which listAuditEvents holds and getMe does not', async () => {
    const [request] = requestsOf('dynamodb', 'QueryCommand', { TableName: process.env.AUDIT_TABLE, IndexName: 'byAdmin' });

    expect(request!.resources).toEqual([`${tableArn('AUDIT_TABLE')}/index/byAdmin`]);
    expect(isAllowed(await localPolicyOf(routes.listAuditEvents.operationId), request!)).toBe(true);
    expect(isAllowed(await localPolicyOf(routes.getMe.operationId), request!)).toBe(false);
  });

  it('judges each table of a batch write as dynamodb:BatchWriteItem, which only a writer of that table holds', async () => {
    const requests = requestsOf('dynamodb', 'BatchWriteItemCommand', { RequestItems: { [process.env.AUDIT_TABLE!]: [] } });

    expect(requests).toEqual([{ action: 'dynamodb:BatchWriteItem', resources: [tableArn('AUDIT_TABLE')] }]);
    expect(isAllowed(await localPolicyOf(routes.unlockAdmin.operationId), requests[0]!)).toBe(true);
    expect(isAllowed(await localPolicyOf(routes.listAuditEvents.operationId), requests[0]!)).toBe(false);
  });

  it('lets requestPasswordReset send as the local sender only, and signIn not at all', async () => {
    const asSender = requestsOf('ses', 'SendEmailCommand', { Source: 'adminpass <adminpass@localhost.localdomain>' })[0]!;
    const asOther = requestsOf('ses', 'SendEmailCommand', { Source: 'someone@elsewhere.example' })[0]!;

    expect(isAllowed(await localPolicyOf(routes.requestPasswordReset.operationId), asSender)).toBe(true);
    expect(isAllowed(await localPolicyOf(routes.requestPasswordReset.operationId), asOther)).toBe(false);
    expect(isAllowed(await localPolicyOf(routes.signIn.operationId), asSender)).toBe(false);
  });

  it('lets signIn read the pepper secret, and getMe not', async () => {
    const [read] = requestsOf('secretsmanager', 'GetSecretValueCommand', { SecretId: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:adminpass-pepper' });

    expect(isAllowed(await localPolicyOf(routes.signIn.operationId), read!)).toBe(true);
    expect(isAllowed(await localPolicyOf(routes.getMe.operationId), read!)).toBe(false);
  });

  it('denies what an explicit Deny covers, even where an Allow covers it too', () => {
    const policy: FunctionPolicy = {
      operationId: 'probe',
      handler: 'probe',
      logicalId: 'Probe',
      environment: {},
      timeoutSeconds: 10,
      memoryMb: 1024,
      statements: [
        { effect: 'Allow', actions: ['dynamodb:*'], resources: ['*'] },
        { effect: 'Deny', actions: ['dynamodb:DeleteItem'], resources: [tableArn('AUDIT_TABLE')] },
      ],
    };

    expect(isAllowed(policy, { action: 'dynamodb:PutItem', resources: [tableArn('AUDIT_TABLE')] })).toBe(true);
    expect(isAllowed(policy, { action: 'dynamodb:DeleteItem', resources: [tableArn('AUDIT_TABLE')] })).toBe(false);
  });

  it('remembers each decision for the policy it was made for, as the endpoint asks them on every call', async () => {
    const decide = rememberedDecisions();
    const [reader, writer] = [await localPolicyOf(routes.getMe.operationId), await localPolicyOf(routes.unlockAdmin.operationId)];
    const put = { action: 'dynamodb:PutItem', resources: [tableArn('AUDIT_TABLE')] };
    const get = { action: 'dynamodb:GetItem', resources: [tableArn('DIRECTORY_TABLE')] };

    const twice = [reader, writer, reader, writer].flatMap((policy) => [decide(policy, put), decide(policy, get)]);

    expect(twice).toEqual([false, true, true, true, false, true, true, true]);
    expect(twice.slice(0, 4)).toEqual([isAllowed(reader, put), isAllowed(reader, get), isAllowed(writer, put), isAllowed(writer, get)]);
  });
});

describe('when the local server runs each function with its template environment and policy', () => {
  it('unlocks an admin with the route table as it is', async () => {
    const { api, log } = await serverWith(testTemplate());
    try {
      const response = await unlockAGeneralAdmin(api);

      expect(response.status).toBe(204);
      expect(log.filter((line) => /AccessDenied|audit table/.test(line))).toEqual([]);
    } finally {
      await api.stop();
    }
  });

  it('fails the unlock when the stack is built from a route table whose unlockAdmin forgets the audit table', async () => {
    // Prepare: the stack synthesized from a route table that differs in that one entry.
    const { audit: _forgotten, ...tables } = routes.unlockAdmin.tables;
    const mutated: RouteDefinition[] = routeList.map((route) => (route === routes.unlockAdmin ? { ...route, tables } : route));
    const { api, log } = await serverWith(await loadSynthesizedTemplate({ routes: mutated }));
    try {
      // Act
      const response = await unlockAGeneralAdmin(api);

      // Assess: refused as deployed, where the function has no AUDIT_TABLE and no grant on the audit table.
      expect([500, 503]).toContain(response.status);
      expect(log).toContainEqual(expect.stringMatching(/^\[unlockAdmin\] .*needs the audit table/));
    } finally {
      await api.stop();
    }
    // Synthesizing the whole app takes tens of seconds on two busy cores.
  }, 240_000);

  it('denies the call, with AccessDeniedException logged, when the grant on the audit table is missing though the variable is there', async () => {
    const auditArn = `arn:aws:dynamodb:us-east-1:000000000000:table/{table:audit}`;
    const { api, log } = await serverWith(
      withFunction(routes.unlockAdmin.operationId, (fn) => ({ ...fn, statements: fn.statements.filter((statement) => !statement.resources.includes(auditArn)) })),
    );
    try {
      const response = await unlockAGeneralAdmin(api);

      expect([500, 503]).toContain(response.status);
      expect(log).toContainEqual(expect.stringMatching(/^AccessDeniedException: .*unlockAdmin.* dynamodb:PutItem on resource: .*:table\/adminpass-test-audit/));
    } finally {
      await api.stop();
    }
  });

  it('fails the unlock when the variable of the audit table is missing though the grant is there, and calls nothing IAM denies', async () => {
    const { api, log } = await serverWith(
      withFunction(routes.unlockAdmin.operationId, (fn) => ({ ...fn, environment: Object.fromEntries(Object.entries(fn.environment).filter(([name]) => name !== 'AUDIT_TABLE')) })),
    );
    try {
      const response = await unlockAGeneralAdmin(api);

      expect([500, 503]).toContain(response.status);
      expect(log).toContainEqual(expect.stringMatching(/^\[unlockAdmin\] .*needs the audit table/));
      expect(log.filter((line) => line.startsWith('AccessDeniedException'))).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});
