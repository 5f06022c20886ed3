// Local runtime tests (local/iam-check.ts, local/function-policies.ts): every AWS call a function makes on the local
// server is checked against its IAM policy and environment in the synthesized template. A route that forgets a
// table fails over HTTP, as it would deployed; the route table as it is passes.
import { routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { loadFunctionPolicies, type FunctionPolicies, type FunctionPolicy } from '../../local/function-policies';
import { isAllowed, requestsOf } from '../../local/iam-check';
import { startApi, templatePolicies, type ApiClient } from '../support/api-client';
import { documentClient, provisionTestCompany, testDirectory } from '../support/companies';
import { createGeneralAdmin, signInMaster } from '../support/scenario';

const client = documentClient();
const directory = testDirectory(client);
const tableArn = (variable: string) => `arn:aws:dynamodb:us-east-1:000000000000:table/${process.env[variable]}`;

/** The template's policy of one function, with the local table names in its ARNs. */
async function localPolicyOf(operationId: string): Promise<FunctionPolicy> {
  const { withLocalTableNames } = await import('../../local/function-policies');
  const { localTableNamesFromEnvironment } = await import('../../local/iam-check');
  return withLocalTableNames(templatePolicies(), localTableNamesFromEnvironment())[operationId]!;
}

/** A server whose log lines the test reads, and the unlock of a fresh general admin by his master over it. */
async function serverWith(functionPolicies: FunctionPolicies): Promise<{ api: ApiClient; log: string[] }> {
  const log: string[] = [];
  return { api: await startApi({ functionPolicies, onRequest: (line) => log.push(line) }), log };
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
      environment: [],
      statements: [
        { effect: 'Allow', actions: ['dynamodb:*'], resources: ['*'] },
        { effect: 'Deny', actions: ['dynamodb:DeleteItem'], resources: [tableArn('AUDIT_TABLE')] },
      ],
    };

    expect(isAllowed(policy, { action: 'dynamodb:PutItem', resources: [tableArn('AUDIT_TABLE')] })).toBe(true);
    expect(isAllowed(policy, { action: 'dynamodb:DeleteItem', resources: [tableArn('AUDIT_TABLE')] })).toBe(false);
  });
});

describe('when the local server runs each function with its template policy', () => {
  it('unlocks an admin with the route table as it is', async () => {
    const { api, log } = await serverWith(templatePolicies());
    try {
      const response = await unlockAGeneralAdmin(api);

      expect(response.status).toBe(204);
      expect(log.filter((line) => /AccessDenied|MissingEnvironment/.test(line))).toEqual([]);
    } finally {
      await api.stop();
    }
  });

  it('fails the unlock, with AccessDeniedException logged, when the stack is built from a route table whose unlockAdmin forgets the audit table', async () => {
    // Prepare: the stack synthesized from a route table that differs in that one entry.
    const { audit: _forgotten, ...tables } = routes.unlockAdmin.tables;
    const mutated: RouteDefinition[] = routeList.map((route) => (route === routes.unlockAdmin ? { ...route, tables } : route));
    const { api, log } = await serverWith(await loadFunctionPolicies({ routes: mutated }));
    try {
      // Act
      const response = await unlockAGeneralAdmin(api);

      // Assess: refused as deployed, both the grant and the variable named.
      expect([500, 503]).toContain(response.status);
      expect(log).toContainEqual(expect.stringMatching(/^AccessDeniedException: .*unlockAdmin.* dynamodb:PutItem on resource: .*:table\/adminpass-test-audit/));
      expect(log).toContainEqual(expect.stringMatching(/^MissingEnvironmentVariable: function unlockAdmin .* no AUDIT_TABLE/));
    } finally {
      await api.stop();
    }
    // Synthesizing the whole app takes tens of seconds on two busy cores.
  }, 240_000);

  it('fails a call to a table whose variable the function has not, even where the grant is there', async () => {
    const policies = templatePolicies();
    const unlock = policies[routes.unlockAdmin.operationId]!;
    const { api, log } = await serverWith({ ...policies, [unlock.operationId]: { ...unlock, environment: unlock.environment.filter((name) => name !== 'AUDIT_TABLE') } });
    try {
      const response = await unlockAGeneralAdmin(api);

      expect([500, 503]).toContain(response.status);
      expect(log).toContainEqual(expect.stringMatching(/^MissingEnvironmentVariable: function unlockAdmin called TransactWriteItemsCommand .* no AUDIT_TABLE/));
      expect(log.filter((line) => line.startsWith('AccessDeniedException'))).toEqual([]);
    } finally {
      await api.stop();
    }
  });
});
