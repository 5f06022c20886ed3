// Stack tests (lib/api.ts, lib/api-function.ts): each function's role allows exactly what its route in the route
// table implies, written out here independently of the stack: its own log group, its tables' actions, the pepper,
// and sending as the configured sender. A function that gains any other action or resource fails here.
import { Template } from 'aws-cdk-lib/assertions';
import { TABLES, type TableDefinition, type TableKey } from '../../functions/adapters/dynamodb/table-definitions';
import { fallbackRoute, routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { SENDER, functionOf, logicalIdOf, permissionsOf, resourcesOf, secretIdOf, statementsOf, synth, tableIdOf, type Synthesized } from './synth';

// What each access level means, written out here rather than imported, so the test states the policy independently.
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
// BatchWriteItem is an action of its own in IAM: the audit log stores standalone events with it.
const WRITE_ACTIONS = [...READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:BatchWriteItem'];
// grantRead on a secret: the value, and its description (the grant the pepper has always had).
const PEPPER_ACTIONS = ['secretsmanager:DescribeSecret', 'secretsmanager:GetSecretValue'];
const allFunctions: readonly RouteDefinition[] = [...routeList, fallbackRoute];
const configurationSetIdOf = ({ stateful }: Synthesized): string => logicalIdOf(stateful, stateful.feedback.configurationSet);

/** What the route table says the route's role may do, in the shape of permissionsOf. */
/** Every function sends its X-Ray trace segments (active tracing); X-Ray's actions take no resource but '*'. */
const TRACING = ['xray:PutTelemetryRecords on "*"', 'xray:PutTraceSegments on "*"'];
const isTracing = (statement: { Action: string | string[] }) => [statement.Action].flat().every((action) => action.startsWith('xray:Put'));

function expectedPermissions(synthesized: Synthesized, route: RouteDefinition, sesIdentities: readonly string[] = [SENDER]): string[] {
  const { logGroupId } = functionOf(synthesized, route);
  const lines = [`logs:CreateLogStream on ${logGroupId}`, `logs:PutLogEvents on ${logGroupId}`, ...TRACING];
  for (const [key, access] of Object.entries(route.tables) as [TableKey, 'read' | 'write'][]) {
    const tableId = tableIdOf(synthesized, key);
    lines.push(...(access === 'write' ? WRITE_ACTIONS : READ_ACTIONS).map((action) => `${action} on ${tableId}`));
    for (const index of (TABLES[key] as TableDefinition).globalIndexes ?? []) lines.push(`dynamodb:Query on ${tableId}/index/${index.indexName}`);
  }
  if (route.usesPepper) lines.push(...PEPPER_ACTIONS.map((action) => `${action} on ${secretIdOf(synthesized)}`));
  if (route.sendsEmail) {
    const onlyFromSender = JSON.stringify({ StringEquals: { 'ses:FromAddress': SENDER } });
    lines.push(...sesIdentities.map((identity) => `ses:SendEmail on ses:identity/${identity} if ${onlyFromSender}`));
    // SES authorizes a send against the configuration set it goes through, too: the sender identity's default.
    lines.push(`ses:SendEmail on ses:configuration-set/${configurationSetIdOf(synthesized)} if ${onlyFromSender}`);
  }
  return lines.sort();
}

describe('when permissions are derived from the route table', () => {
  it.each(allFunctions)('grants $operationId exactly what its route implies, and nothing else', (route) => {
    const synthesized = synth();

    expect(permissionsOf(synthesized, functionOf(synthesized, route).roleId)).toEqual(expectedPermissions(synthesized, route));
  });

  it.each(allFunctions)('attaches no managed policy to the $operationId role, and lets only Lambda assume it', (route) => {
    const synthesized = synth();
    const role = synthesized.apiResolved.Resources[functionOf(synthesized, route).roleId];

    expect(role.Properties.ManagedPolicyArns).toBeUndefined();
    expect(role.Properties.Policies).toBeUndefined();
    expect(role.Properties.AssumeRolePolicyDocument.Statement).toEqual([
      { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' } },
    ]);
  });

  it('gives get-me read access and no PutItem on any table', () => {
    const synthesized = synth();

    const permissions = permissionsOf(synthesized, functionOf(synthesized, routes.getMe).roleId);
    expect(permissions).toContain(`dynamodb:GetItem on ${tableIdOf(synthesized, 'directory')}`);
    expect(permissions.filter((line) => line.startsWith('dynamodb:PutItem'))).toEqual([]);
  });

  it('gives health and the fallback nothing but their own logs and their traces', () => {
    const synthesized = synth();

    for (const route of [routes.health, fallbackRoute]) {
      const { roleId, logGroupId } = functionOf(synthesized, route);
      expect(permissionsOf(synthesized, roleId)).toEqual([`logs:CreateLogStream on ${logGroupId}`, `logs:PutLogEvents on ${logGroupId}`, ...TRACING]);
    }
  });

  it("puts no wildcard action or resource in any function's policy but the tracing one", () => {
    const synthesized = synth();

    for (const route of allFunctions) {
      for (const statement of statementsOf(synthesized, functionOf(synthesized, route).roleId).filter((candidate) => !isTracing(candidate))) {
        expect([statement.Action].flat()).not.toContainEqual(expect.stringContaining('*'));
        expect(JSON.stringify(statement.Resource)).not.toMatch(/"\*"|\/\*"/);
      }
    }
  });

  it('lets sign-in read the pepper secret and not get-me', () => {
    const synthesized = synth();
    const reads = (route: RouteDefinition) => permissionsOf(synthesized, functionOf(synthesized, route).roleId).includes(`secretsmanager:GetSecretValue on ${secretIdOf(synthesized)}`);

    expect(reads(routes.signIn)).toBe(true);
    expect(reads(routes.getMe)).toBe(false);
  });

  it('lets no role but the mailing functions send email, and those only as the sender', () => {
    const synthesized = synth();

    const senders = Object.keys(resourcesOf(synthesized.apiResolved, 'AWS::IAM::Role')).filter((roleId) =>
      permissionsOf(synthesized, roleId).some((line) => line.startsWith('ses:')),
    );
    const mailing = routeList.filter((route) => route.sendsEmail).map((route) => functionOf(synthesized, route).roleId);
    expect(senders.sort()).toEqual(mailing.sort());
  });

  it("sends as the sender's domain identity when the domain is what SES verifies", () => {
    const synthesized = synth({ senderIdentity: 'domain' });
    const { roleId } = functionOf(synthesized, routes.requestPasswordReset);

    expect(permissionsOf(synthesized, roleId).filter((line) => line.startsWith('ses:'))).toEqual([
      `ses:SendEmail on ses:configuration-set/${configurationSetIdOf(synthesized)} if ${JSON.stringify({ StringEquals: { 'ses:FromAddress': SENDER } })}`,
      `ses:SendEmail on ses:identity/mail.adminpass.example if ${JSON.stringify({ StringEquals: { 'ses:FromAddress': SENDER } })}`,
    ]);
  });

  it("sends as the sender's address or domain, through its own configuration set, when another stage owns the identity", () => {
    const synthesized = synth({ senderIdentity: 'existing' });
    const { roleId } = functionOf(synthesized, routes.requestPasswordReset);
    const onlyFromSender = JSON.stringify({ StringEquals: { 'ses:FromAddress': SENDER } });

    expect(permissionsOf(synthesized, roleId).filter((line) => line.startsWith('ses:'))).toEqual([
      `ses:SendEmail on ses:configuration-set/${configurationSetIdOf(synthesized)} if ${onlyFromSender}`,
      `ses:SendEmail on ses:identity/mail.adminpass.example if ${onlyFromSender}`,
      `ses:SendEmail on ses:identity/${SENDER} if ${onlyFromSender}`,
    ]);
  });

  it.each(routeList.filter((route) => route.sendsEmail))('lets $operationId address the verified sandbox recipients, still only from the sender', (route) => {
    const synthesized = synth({ sandboxRecipients: 'tester@adminpass.example,qa.adminpass.example' });

    expect(permissionsOf(synthesized, functionOf(synthesized, route).roleId)).toEqual(
      expectedPermissions(synthesized, route, [SENDER, 'tester@adminpass.example', 'qa.adminpass.example']),
    );
  });
});

describe('when other roles are read', () => {
  it('declares no managed policy of its own that a role could be given', () => {
    synth().api.resourceCountIs('AWS::IAM::ManagedPolicy', 0);
  });


  it('gives no role of a stage a managed policy', () => {
    const { apiResolved, data } = synth();

    for (const template of [apiResolved, data.toJSON()]) {
      expect(Object.values(resourcesOf(template, 'AWS::IAM::Role')).filter((role) => role.Properties.ManagedPolicyArns !== undefined)).toEqual([]);
    }
  });

  it('has one role with a managed policy in the account stack: the account-wide role API Gateway logs through', () => {
    const account = Template.fromStack(synth().account).toJSON();

    const withManaged = Object.values(resourcesOf(account, 'AWS::IAM::Role')).filter((role) => role.Properties.ManagedPolicyArns !== undefined);
    expect(withManaged).toEqual([
      expect.objectContaining({
        Properties: expect.objectContaining({
          AssumeRolePolicyDocument: expect.objectContaining({ Statement: [expect.objectContaining({ Principal: { Service: 'apigateway.amazonaws.com' } })] }),
          ManagedPolicyArns: [{ 'Fn::Join': ['', expect.arrayContaining([':iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs'])] }],
        }),
      }),
    ]);
  });
});

describe('when functions keep retries', () => {
  it('gives the idempotency table to exactly the routes that take an Idempotency-Key, for read and write', () => {
    const synthesized = synth();
    const tableId = tableIdOf(synthesized, 'idempotency');

    const holders = allFunctions.filter((route) =>
      permissionsOf(synthesized, functionOf(synthesized, route).roleId).some((line) => line.endsWith(` on ${tableId}`)),
    );
    expect(holders.map((route) => route.operationId).sort()).toEqual(routeList.filter((route) => route.idempotency === 'key').map((route) => route.operationId).sort());
    for (const route of holders) {
      expect(permissionsOf(synthesized, functionOf(synthesized, route).roleId)).toEqual(
        expect.arrayContaining(['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'].map((action) => `${action} on ${tableId}`)),
      );
    }
    expect(holders.map((route) => route.operationId)).not.toContain(routes.signIn.operationId);
  });
});
