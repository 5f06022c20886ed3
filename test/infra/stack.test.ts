// Stack tests: what the synthesized template promises, checked resource by resource against the route table and the
// table definitions (no snapshots). Bundling is skipped, so no esbuild runs here.
import { App, type CfnElement, type Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { TABLES, type TableDefinition, type TableKey } from '../../functions/adapters/dynamodb/table-definitions';
import { fallbackRoute, routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { readAppContext } from '../../lib/app-context';
import { AdminpassStack } from '../../lib/adminpass-stack';

// What each access level means, written out here rather than imported, so the test states the policy independently.
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:Query'];
const WRITE_ACTIONS = [...READ_ACTIONS, 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'];
const tableKeys = Object.keys(TABLES) as TableKey[];
const SENDER = 'no-reply@mail.adminpass.example';

interface Synthesized {
  readonly stack: AdminpassStack;
  readonly template: Template;
}

/** A fresh app and stack; bundling is skipped for every stack, so the functions' code is never built. */
function synth(stage = 'dev', bcryptCost = 12): Synthesized {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new AdminpassStack(app, 'Adminpass', { stage, bcryptCost, senderEmail: SENDER });
  return { stack, template: Template.fromStack(stack) };
}

const logicalIdOf = (stack: Stack, construct: IConstruct): string => stack.getLogicalId(construct.node.defaultChild as CfnElement);

function functionOf({ stack }: Synthesized, route: RouteDefinition) {
  const fn = stack.api.functions.get(route.operationId);
  if (!fn) throw new Error(`no function for ${route.operationId}`);
  return { functionId: logicalIdOf(stack, fn.handler), roleId: logicalIdOf(stack, fn.handler.role as IConstruct) };
}

const tableIdOf = ({ stack }: Synthesized, key: TableKey): string => logicalIdOf(stack, stack.data.tables[key]);
const secretIdOf = ({ stack }: Synthesized): string => logicalIdOf(stack, stack.pepper.secret);

interface MethodRow {
  readonly httpMethod: string;
  readonly path: string;
  readonly integrationType: string;
  readonly functionId: string | undefined;
}

/** CloudFormation JSON as the template hands it back. */
type Json = Record<string, any>;

/** Every API Gateway method with its full resource path (rebuilt from PathPart/ParentId) and the function it calls. */
function methodsOf(template: Template): MethodRow[] {
  const resources: Json = template.findResources('AWS::ApiGateway::Resource');
  const pathOf = (resourceId: Json): string => {
    const resource = resourceId.Ref === undefined ? undefined : resources[resourceId.Ref];
    if (!resource) return ''; // the root: { Fn::GetAtt: [RestApi, RootResourceId] }
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  return Object.values(template.findResources('AWS::ApiGateway::Method') as Json).map(({ Properties: method }) => {
    const uriParts: Json[] = method.Integration.Uri['Fn::Join'][1];
    const target = uriParts.find((part) => typeof part === 'object' && part['Fn::GetAtt']?.[1] === 'Arn');
    return {
      httpMethod: method.HttpMethod,
      path: pathOf(method.ResourceId) || '/',
      integrationType: method.Integration.Type,
      functionId: target?.['Fn::GetAtt'][0],
    };
  });
}

interface Statement {
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Effect: string;
}

/** Every statement of every inline policy attached to the role. */
function statementsOf(template: Template, roleId: string): Statement[] {
  const policies: Json = template.findResources('AWS::IAM::Policy', { Properties: { Roles: Match.arrayWith([{ Ref: roleId }]) } });
  return Object.values(policies).flatMap((policy) => policy.Properties.PolicyDocument.Statement as Statement[]);
}

/** The DynamoDB actions the role is allowed, by resource (a table's logical id when the resource is its ARN). */
function dynamoAccessOf(template: Template, roleId: string): Record<string, string[]> {
  const access: Record<string, string[]> = {};
  for (const statement of statementsOf(template, roleId)) {
    const actions = [statement.Action].flat().filter((action) => action.startsWith('dynamodb:'));
    if (actions.length === 0) continue;
    for (const resource of [statement.Resource].flat() as Json[]) {
      const joined = resource['Fn::Join']?.[1] as Json[] | undefined;
      // A table ARN is {GetAtt [table, Arn]}; an index ARN joins it with "/index/<name>": both keyed by logical id.
      const arnOf =
        resource['Fn::GetAtt']?.[1] === 'Arn'
          ? (resource['Fn::GetAtt'][0] as string)
          : joined?.[0]?.['Fn::GetAtt']?.[1] === 'Arn' && typeof joined[1] === 'string'
            ? `${joined[0]['Fn::GetAtt'][0]}${joined[1]}`
            : JSON.stringify(resource);
      access[arnOf] = [...(access[arnOf] ?? []), ...actions].sort();
    }
  }
  return access;
}

/** What the route table says the route's role may do, in the same shape as dynamoAccessOf. */
function expectedDynamoAccess(synthesized: Synthesized, route: RouteDefinition): Record<string, string[]> {
  return Object.fromEntries(
    (Object.entries(route.tables) as [TableKey, 'read' | 'write'][]).flatMap(([key, access]) => {
      const actions = [...(access === 'write' ? WRITE_ACTIONS : READ_ACTIONS)].sort();
      const indexes = (TABLES[key] as TableDefinition).globalIndexes ?? [];
      return [
        [tableIdOf(synthesized, key), actions],
        ...indexes.map((index) => [`${tableIdOf(synthesized, key)}/index/${index.indexName}`, ['dynamodb:Query']]),
      ];
    }),
  );
}

/** Asserts that the resource with this logical id matches the pattern, which may use Match helpers. */
function expectResource(template: Template, type: string, logicalId: string, pattern: Json): void {
  expect(Object.keys(template.findResources(type, pattern))).toContain(logicalId);
}

const variablesOf = (template: Template, functionId: string): Json => template.toJSON().Resources[functionId].Properties.Environment.Variables;

const readsPepper = (template: Template, roleId: string, secretId: string): boolean =>
  statementsOf(template, roleId).some(
    (statement) => [statement.Action].flat().includes('secretsmanager:GetSecretValue') && JSON.stringify(statement.Resource) === JSON.stringify({ Ref: secretId }),
  );

describe('when the API is generated from the route table', () => {
  it.each(routeList)('exposes $method $path, integrated with its own function', (route) => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, route);

    expect(methodsOf(synthesized.template)).toContainEqual({ httpMethod: route.method, path: route.path, integrationType: 'AWS_PROXY', functionId });
  });

  it('gives every route a function of its own, and one more for the fallback', () => {
    const synthesized = synth();

    const routeFunctions = new Set(routeList.map((route) => functionOf(synthesized, route).functionId));
    expect(routeFunctions.size).toBe(routeList.length);
    expect(routeFunctions).not.toContain(functionOf(synthesized, fallbackRoute).functionId);
    synthesized.template.resourceCountIs('AWS::Lambda::Function', routeList.length + 1);
  });

  it('declares no method the route table does not, besides the fallback', () => {
    const synthesized = synth();
    const { functionId: fallbackId } = functionOf(synthesized, fallbackRoute);

    const undeclared = methodsOf(synthesized.template).filter(
      (row) => row.functionId !== fallbackId && !routeList.some((route) => route.method === row.httpMethod && route.path === row.path),
    );
    expect(undeclared).toEqual([]);
  });

  it('sends any method on an undeclared path, and on the root, to the fallback function', () => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, fallbackRoute);

    const methods = methodsOf(synthesized.template);
    expect(methods).toContainEqual({ httpMethod: 'ANY', path: '/{proxy+}', integrationType: 'AWS_PROXY', functionId });
    expect(methods).toContainEqual({ httpMethod: 'ANY', path: '/', integrationType: 'AWS_PROXY', functionId });
  });

  it('sends an undeclared method on a declared path to the fallback function, so it can answer 405', () => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, fallbackRoute);

    const methods = methodsOf(synthesized.template);
    for (const path of new Set(routeList.map((route) => route.path))) {
      expect(methods).toContainEqual({ httpMethod: 'ANY', path, integrationType: 'AWS_PROXY', functionId });
    }
  });

  it("answers API Gateway's own refusals in the error envelope, an unroutable path as 404", () => {
    const { template } = synth();

    template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"ROUTE_NOT_FOUND"') },
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Cache-Control': "'no-store'" }),
    });
    for (const type of ['THROTTLED', 'REQUEST_TOO_LARGE', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":\\{"code":"[A-Z_]+","message":') },
      });
    }
  });

  it('deploys the API to a regional endpoint and a stage named after the stage', () => {
    const { template } = synth('staging');

    template.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    template.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'staging' });
  });

  it('outputs the API URL and the name of each table', () => {
    const synthesized = synth();

    synthesized.template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    for (const key of tableKeys) {
      synthesized.template.hasOutput(`${TABLES[key].constructId}Name`, { Value: { Ref: tableIdOf(synthesized, key) } });
    }
  });
});

describe('when the functions are built', () => {
  it('runs every function on nodejs24.x on arm64', () => {
    const { template } = synth();

    template.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });

  it('gives every function 1024 MB, 10 seconds, source maps and the Powertools settings', () => {
    const { template } = synth();

    template.allResourcesProperties('AWS::Lambda::Function', {
      MemorySize: 1024,
      Timeout: 10,
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({ NODE_OPTIONS: '--enable-source-maps', POWERTOOLS_SERVICE_NAME: 'adminpass', POWERTOOLS_LOG_LEVEL: 'INFO' }),
      },
    });
  });

  it('gives every function its own log group', () => {
    const { template } = synth();

    const logGroupRefs = Object.values(template.findResources('AWS::Lambda::Function') as Json).map((fn) => fn.Properties.LoggingConfig?.LogGroup?.Ref);
    expect(logGroupRefs).not.toContain(undefined);
    expect(new Set(logGroupRefs).size).toBe(routeList.length + 1);
    template.resourceCountIs('AWS::Logs::LogGroup', routeList.length + 1);
  });

  it.each(routeList)('gives $operationId the table names of exactly the tables it uses', (route) => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, route);

    const variables = Object.fromEntries(
      tableKeys.map((key) => [TABLES[key].envVar, key in route.tables ? { Ref: tableIdOf(synthesized, key) } : Match.absent()]),
    );
    expectResource(synthesized.template, 'AWS::Lambda::Function', functionId, {
      Properties: { Environment: { Variables: Match.objectLike(variables) } },
    });
  });

  it.each(routeList)('gives $operationId the pepper and bcrypt cost only if it hashes passwords', (route) => {
    const synthesized = synth('dev', 13);
    const { functionId } = functionOf(synthesized, route);

    const variables = variablesOf(synthesized.template, functionId);
    if (route.usesPepper) {
      expect(variables).toMatchObject({ PEPPER_SECRET_ARN: { Ref: secretIdOf(synthesized) }, BCRYPT_COST: '13' });
    } else {
      expect(variables).not.toHaveProperty('PEPPER_SECRET_ARN');
      expect(variables).not.toHaveProperty('BCRYPT_COST');
    }
  });
});

describe('when permissions are derived from the route table', () => {
  it.each([...routeList, fallbackRoute])('grants $operationId exactly the DynamoDB actions its tables entry implies', (route) => {
    const synthesized = synth();
    const { roleId } = functionOf(synthesized, route);

    expect(dynamoAccessOf(synthesized.template, roleId)).toEqual(expectedDynamoAccess(synthesized, route));
  });

  it('gives get-me read access and no PutItem on any table', () => {
    const synthesized = synth();
    const { roleId } = functionOf(synthesized, routes.getMe);

    const access = dynamoAccessOf(synthesized.template, roleId);
    expect(access[tableIdOf(synthesized, 'directory')]).toEqual(expect.arrayContaining(['dynamodb:GetItem']));
    expect(Object.values(access).flat()).not.toContain('dynamodb:PutItem');
  });

  it('gives health and the fallback no DynamoDB actions at all', () => {
    const synthesized = synth();

    for (const route of [routes.health, fallbackRoute]) {
      expect(dynamoAccessOf(synthesized.template, functionOf(synthesized, route).roleId)).toEqual({});
    }
  });

  it("puts no wildcard action or resource in any function's own policy", () => {
    const synthesized = synth();

    for (const route of [...routeList, fallbackRoute]) {
      for (const statement of statementsOf(synthesized.template, functionOf(synthesized, route).roleId)) {
        expect([statement.Action].flat()).not.toContainEqual(expect.stringContaining('*'));
        expect([statement.Resource].flat()).not.toContain('*');
      }
    }
  });

  it.each(routeList)('lets $operationId send email only if it mails, and only as the configured sender', (route) => {
    const synthesized = synth();

    const sesStatements = statementsOf(synthesized.template, functionOf(synthesized, route).roleId).filter((statement) =>
      [statement.Action].flat().some((action: string) => action.startsWith('ses:')),
    );
    if (route.sendsEmail) {
      expect(sesStatements).toEqual([
        expect.objectContaining({
          Action: 'ses:SendEmail',
          Condition: { StringEquals: { 'ses:FromAddress': SENDER } },
          Resource: [
            { 'Fn::Join': ['', expect.arrayContaining([`:identity/${SENDER}`])] },
            { 'Fn::Join': ['', expect.arrayContaining([':identity/mail.adminpass.example'])] },
          ],
        }),
      ]);
    } else {
      expect(sesStatements).toEqual([]);
    }
  });

  it.each(routeList)('gives $operationId the sender and the public URL only if it mails', (route) => {
    const synthesized = synth();

    const variables = variablesOf(synthesized.template, functionOf(synthesized, route).functionId);
    if (route.sendsEmail) {
      expect(variables).toMatchObject({ SENDER_EMAIL: SENDER, PUBLIC_BASE_URL: expect.objectContaining({ 'Fn::Join': expect.anything() }) });
    } else {
      expect(variables).not.toHaveProperty('SENDER_EMAIL');
      expect(variables).not.toHaveProperty('PUBLIC_BASE_URL');
    }
  });

  it('lets sign-in read the pepper secret and not get-me', () => {
    const synthesized = synth();
    const secretId = secretIdOf(synthesized);

    expect(readsPepper(synthesized.template, functionOf(synthesized, routes.signIn).roleId, secretId)).toBe(true);
    expect(readsPepper(synthesized.template, functionOf(synthesized, routes.getMe).roleId, secretId)).toBe(false);
  });

  it.each(routeList)('lets $operationId read the pepper only if it hashes passwords', (route) => {
    const synthesized = synth();

    expect(readsPepper(synthesized.template, functionOf(synthesized, route).roleId, secretIdOf(synthesized))).toBe(route.usesPepper === true);
  });
});

describe('when the tables are created from the table definitions', () => {
  it.each(tableKeys)('creates the %s table on demand with point-in-time recovery and AWS-managed encryption', (key) => {
    const synthesized = synth();

    expectResource(synthesized.template, 'AWS::DynamoDB::GlobalTable', tableIdOf(synthesized, key), {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  it.each(tableKeys)('keys the %s table as defined, with TTL where defined', (key) => {
    const synthesized = synth();
    const { partitionKey, sortKey, timeToLiveAttribute }: TableDefinition = TABLES[key];

    expectResource(synthesized.template, 'AWS::DynamoDB::GlobalTable', tableIdOf(synthesized, key), {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : [])],
        TimeToLiveSpecification: timeToLiveAttribute ? { AttributeName: timeToLiveAttribute, Enabled: true } : Match.absent(),
      }),
    });
  });

  it('gives no table a physical name', () => {
    const { template } = synth();

    template.allResourcesProperties('AWS::DynamoDB::GlobalTable', { TableName: Match.absent() });
  });

  it('keeps the construct ids of the table definitions', () => {
    const { stack } = synth();

    for (const key of tableKeys) expect(stack.data.tables[key].node.id).toBe(TABLES[key].constructId);
  });
});

describe('when the stage is not dev', () => {
  it('retains every table and protects it from deletion', () => {
    const { template } = synth('prod');

    template.allResources('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
  });

  it('retains the pepper secret and the logs, kept for a year', () => {
    const { template } = synth('prod');

    template.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
    template.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: { RetentionInDays: 365 } });
  });
});

describe('when the stage is dev', () => {
  it('lets the tables go with the stack, unprotected', () => {
    const { template } = synth('dev');

    template.allResources('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
  });

  it('keeps logs for a week', () => {
    const { template } = synth('dev');

    template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 7 });
  });
});

describe('when the pepper secret is generated', () => {
  it('is 64 characters without punctuation', () => {
    const { template } = synth();

    template.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });
});

describe('when the app context is read', () => {
  const appWith = (context: Record<string, unknown>) => new App({ context });

  it('defaults to the dev stage and bcrypt cost 12', () => {
    expect(readAppContext(appWith({}))).toEqual({ stage: 'dev', bcryptCost: 12 });
  });

  it('accepts a cost given as a string on the command line', () => {
    expect(readAppContext(appWith({ stage: 'prod', bcryptCost: '13', senderEmail: SENDER }))).toEqual({ stage: 'prod', bcryptCost: 13, senderEmail: SENDER });
  });

  it('rejects a bcrypt cost below 10, naming the value', () => {
    expect(() => readAppContext(appWith({ bcryptCost: '4' }))).toThrow(/context bcryptCost="4" must be a whole number from 10 to 14/);
  });

  it('rejects a bcrypt cost that is not a number, naming the value', () => {
    expect(() => readAppContext(appWith({ bcryptCost: 'twelve' }))).toThrow(/bcryptCost="twelve"/);
  });

  it('rejects a stage that cannot name a stack, naming the value', () => {
    expect(() => readAppContext(appWith({ stage: 'Prod_1' }))).toThrow(/context stage="Prod_1" must be/);
  });

  it('requires the sender outside dev, naming what to pass', () => {
    expect(() => readAppContext(appWith({ stage: 'prod' }))).toThrow(/missing context senderEmail \(required for stage prod\)/);
  });

  it('accepts an https public URL and refuses an http one', () => {
    expect(readAppContext(appWith({ publicBaseUrl: 'https://admin.example.com' })).publicBaseUrl).toBe('https://admin.example.com');
    expect(() => readAppContext(appWith({ publicBaseUrl: 'http://admin.example.com' }))).toThrow(/publicBaseUrl.*must be an https URL/);
  });

  it('reports the problem on one line', () => {
    expect(() => readAppContext(appWith({ stage: 'X', bcryptCost: 99 }))).toThrow(/^[^\n]+$/);
  });
});
