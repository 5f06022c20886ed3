// Stack tests (lib/api.ts, lib/api-function.ts, lib/stateless-stack.ts): the REST API as the template promises it,
// checked against the route table: methods and their functions, the stage's logs and throttling, body validation,
// CORS, the functions' house settings and the outputs. No snapshots; bundling is skipped.
import { eventFunctionList, type FunctionDeclaration } from '../../functions/contract/event-functions';
import { fallbackRoute, judgesNewPasswords, routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { ACCESS_LOG_FIELDS } from '../../lib/api';
import { requestModelSchema } from '../../lib/request-models';
import { Match, SENDER, type Synthesized, expectResource, functionOf, logicalIdOf, resourcesOf, secretIdOf, synth, tableIdOf, tableKeys, type Json } from './synth';
import { TABLES } from '../../functions/adapters/dynamodb/table-definitions';

interface MethodRow {
  readonly httpMethod: string;
  readonly path: string;
  readonly integrationType: string;
  readonly functionId: string | undefined;
}

/** Every API Gateway method with its full resource path (rebuilt from PathPart/ParentId) and the function it calls. */
function methodsOf(template: Json): MethodRow[] {
  const resources = resourcesOf(template, 'AWS::ApiGateway::Resource');
  const pathOf = (resourceId: Json): string => {
    const resource = resourceId.Ref === undefined ? undefined : resources[resourceId.Ref];
    if (!resource) return ''; // the root: { Fn::GetAtt: [RestApi, RootResourceId] }
    return `${pathOf(resource.Properties.ParentId)}/${resource.Properties.PathPart}`;
  };
  return Object.values(resourcesOf(template, 'AWS::ApiGateway::Method')).map(({ Properties: method }) => {
    const uriParts: Json[] = method.Integration.Uri?.['Fn::Join'][1] ?? [];
    const target = uriParts.find((part) => typeof part === 'object' && part['Fn::GetAtt']?.[1] === 'Arn');
    return {
      httpMethod: method.HttpMethod,
      path: pathOf(method.ResourceId) || '/',
      integrationType: method.Integration.Type,
      functionId: target?.['Fn::GetAtt'][0],
    };
  });
}

/** The method of a route: its HTTP method, integrated with its function. */
function methodOf(synthesized: Synthesized, route: RouteDefinition): Json {
  const { functionId } = functionOf(synthesized, route);
  const found = Object.values(resourcesOf(synthesized.api.toJSON(), 'AWS::ApiGateway::Method')).find(
    ({ Properties: method }) => method.HttpMethod === route.method && JSON.stringify(method.Integration.Uri ?? {}).includes(`"${functionId}"`),
  );
  if (!found) throw new Error(`no method for ${route.operationId}`);
  return found.Properties;
}

const variablesOf = (template: Json, functionId: string): Json => template.Resources[functionId].Properties.Environment.Variables;
const bodyRoutes = routeList.filter((route) => route.body !== undefined);
const bodilessRoutes = routeList.filter((route) => route.body === undefined);

describe('when the API is generated from the route table', () => {
  it.each(routeList)('exposes $method $path, integrated with its own function', (route) => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, route);

    expect(methodsOf(synthesized.api.toJSON())).toContainEqual({ httpMethod: route.method, path: route.path, integrationType: 'AWS_PROXY', functionId });
  });

  it.each(routeList)('leaves $operationId open at the gateway (authorization NONE): its function checks its access, $access', (route) => {
    expect(methodOf(synth(), route).AuthorizationType).toBe('NONE');
  });

  it('gives every route a function of its own, and one more for the fallback (besides the event functions)', () => {
    const synthesized = synth();

    const routeFunctions = new Set(routeList.map((route) => functionOf(synthesized, route).functionId));
    expect(routeFunctions.size).toBe(routeList.length);
    expect(routeFunctions).not.toContain(functionOf(synthesized, fallbackRoute).functionId);
    synthesized.api.resourceCountIs('AWS::Lambda::Function', routeList.length + 1 + eventFunctionList.length);
  });

  it('declares no method the route table does not, besides the fallback', () => {
    const synthesized = synth();
    const { functionId: fallbackId } = functionOf(synthesized, fallbackRoute);

    const undeclared = methodsOf(synthesized.api.toJSON()).filter(
      (row) => row.functionId !== fallbackId && !routeList.some((route) => route.method === row.httpMethod && route.path === row.path),
    );
    expect(undeclared).toEqual([]);
  });

  it('sends any method on an undeclared path, and on the root, to the fallback function', () => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, fallbackRoute);

    const methods = methodsOf(synthesized.api.toJSON());
    expect(methods).toContainEqual({ httpMethod: 'ANY', path: '/{proxy+}', integrationType: 'AWS_PROXY', functionId });
    expect(methods).toContainEqual({ httpMethod: 'ANY', path: '/', integrationType: 'AWS_PROXY', functionId });
  });

  it('sends an undeclared method on a declared path to the fallback function, so it can answer 405', () => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, fallbackRoute);

    const methods = methodsOf(synthesized.api.toJSON());
    for (const path of new Set(routeList.map((route) => route.path))) {
      expect(methods).toContainEqual({ httpMethod: 'ANY', path, integrationType: 'AWS_PROXY', functionId });
    }
  });

  it("answers API Gateway's own refusals in the error envelope, an unroutable path as 404", () => {
    const { api } = synth();

    api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'MISSING_AUTHENTICATION_TOKEN',
      StatusCode: '404',
      ResponseTemplates: { 'application/json': Match.stringLikeRegexp('"code":"ROUTE_NOT_FOUND"') },
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Cache-Control': "'no-store'" }),
    });
    for (const type of ['THROTTLED', 'REQUEST_TOO_LARGE', 'BAD_REQUEST_BODY', 'WAF_FILTERED', 'DEFAULT_4XX', 'DEFAULT_5XX']) {
      api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
        ResponseType: type,
        ResponseTemplates: { 'application/json': Match.stringLikeRegexp('^\\{"error":\\{"code":"[A-Z_]+","message":') },
      });
    }
  });

  it('answers a failed or timed-out function with OUTCOME_UNKNOWN, never claiming that nothing changed', () => {
    const { api } = synth();
    const [response] = Object.values(api.findResources('AWS::ApiGateway::GatewayResponse', { Properties: { ResponseType: 'DEFAULT_5XX' } }));
    const body = JSON.parse(response!.Properties.ResponseTemplates['application/json']);

    expect(body.error.code).toBe('OUTCOME_UNKNOWN');
    expect(body.error.message).not.toMatch(/nothing (was|has been) changed/i);
  });

  it('answers a body that fails its model as the functions do: 400 VALIDATION_FAILED, without quoting the body', () => {
    const { api } = synth();

    api.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseType: 'BAD_REQUEST_BODY',
      StatusCode: '400',
      ResponseTemplates: { 'application/json': JSON.stringify({ error: { code: 'VALIDATION_FAILED', message: 'The request body is not valid.' } }) },
    });
  });

  it('deploys the API to a regional endpoint and a stage named after the stage', () => {
    const { api } = synth({ stage: 'staging' });

    api.hasResourceProperties('AWS::ApiGateway::RestApi', { EndpointConfiguration: { Types: ['REGIONAL'] } });
    api.hasResourceProperties('AWS::ApiGateway::Stage', { StageName: 'staging' });
  });
});

describe('when the stage is deployed', () => {
  it('writes an access log line per request to its own log group', () => {
    const synthesized = synth();
    const accessLogsId = logicalIdOf(synthesized.stateless, synthesized.stateless.api.accessLogs);

    synthesized.api.hasResourceProperties('AWS::ApiGateway::Stage', {
      AccessLogSetting: { DestinationArn: { 'Fn::GetAtt': [accessLogsId, 'Arn'] }, Format: JSON.stringify(ACCESS_LOG_FIELDS) },
    });
  });

  it('logs the status, the route, the caller and the firewall verdict, as JSON', () => {
    const fields = JSON.parse(JSON.stringify(ACCESS_LOG_FIELDS)) as Record<string, string>;

    expect(fields).toMatchObject({ requestId: '$context.requestId', status: '$context.status', resourcePath: '$context.resourcePath', ip: '$context.identity.sourceIp', wafStatus: '$context.waf.status' });
  });

  it("never logs API Gateway's validation message, which quotes the submitted value", () => {
    expect(JSON.stringify(ACCESS_LOG_FIELDS)).not.toContain('validationErrorString');
  });

  it('throttles the stage (rate 25, burst 50) and logs errors without the data trace', () => {
    const { api } = synth();

    api.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: [
        { HttpMethod: '*', ResourcePath: '/*', ThrottlingRateLimit: 25, ThrottlingBurstLimit: 50, LoggingLevel: 'ERROR', DataTraceEnabled: false },
      ],
    });
  });

  it('creates the execution log group under the name API Gateway writes to, before the stage', () => {
    const synthesized = synth();
    const restApiId = logicalIdOf(synthesized.stateless, synthesized.stateless.api.restApi);

    const [executionLogsId] = Object.keys(
      synthesized.api.findResources('AWS::Logs::LogGroup', {
        Properties: { LogGroupName: { 'Fn::Join': ['', ['API-Gateway-Execution-Logs_', { Ref: restApiId }, '/dev']] } },
      }),
    );
    expect(executionLogsId).toBeDefined();
    synthesized.api.hasResource('AWS::ApiGateway::Stage', { DependsOn: Match.arrayWith([executionLogsId]) });
  });

  it('leaves the account role API Gateway logs through to the account stack: no account setting in a stage', () => {
    const { api, data } = synth();

    for (const template of [api, data]) template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});

describe('when a route has a body schema', () => {
  it('has one request validator, which validates bodies', () => {
    const { api } = synth();

    api.resourceCountIs('AWS::ApiGateway::RequestValidator', 1);
    api.hasResourceProperties('AWS::ApiGateway::RequestValidator', { ValidateRequestBody: true });
  });

  it.each(bodyRoutes)('validates the body of $operationId against a model generated from its zod schema', (route) => {
    const synthesized = synth();
    const template = synthesized.api.toJSON();
    const [validatorId] = Object.keys(resourcesOf(template, 'AWS::ApiGateway::RequestValidator'));

    const method = methodOf(synthesized, route);
    expect(method.RequestValidatorId).toEqual({ Ref: validatorId });
    const modelId = method.RequestModels['application/json'].Ref as string;
    expect(template.Resources[modelId].Properties).toMatchObject({ ContentType: 'application/json', Schema: requestModelSchema(route.body!) });
  });

  it.each(bodilessRoutes)('leaves $operationId, which takes no body, without validator or model', (route) => {
    const method = methodOf(synth(), route);

    expect(method.RequestValidatorId).toBeUndefined();
    expect(method.RequestModels).toBeUndefined();
  });

  it('declares a draft-04 model for each body route and no other', () => {
    const { api } = synth();

    api.resourceCountIs('AWS::ApiGateway::Model', bodyRoutes.length);
    api.allResourcesProperties('AWS::ApiGateway::Model', { Schema: Match.objectLike({ $schema: 'http://json-schema.org/draft-04/schema#' }) });
  });
});

describe('when browser origins are allowed', () => {
  const ORIGIN = 'https://console.adminpass.example';

  it('answers preflight requests at the gateway on every declared path', () => {
    const template = synth({ allowedOrigins: ORIGIN }).api.toJSON();

    const preflight = methodsOf(template).filter((row) => row.httpMethod === 'OPTIONS');
    expect(preflight.map((row) => row.integrationType)).toEqual(preflight.map(() => 'MOCK'));
    for (const path of new Set(routeList.map((route) => route.path))) expect(preflight.map((row) => row.path)).toContain(path);
  });

  it('tells every function of the API the allowed origins', () => {
    const synthesized = synth({ allowedOrigins: `${ORIGIN},https://staging.adminpass.example` });

    for (const route of [...routeList, fallbackRoute]) {
      expect(variablesOf(synthesized.apiResolved, functionOf(synthesized, route).functionId).ALLOWED_ORIGINS).toBe(`${ORIGIN},https://staging.adminpass.example`);
    }
  });

  it("lets the one allowed origin read the gateway's own error answers", () => {
    const { api } = synth({ allowedOrigins: ORIGIN });

    api.allResourcesProperties('AWS::ApiGateway::GatewayResponse', {
      ResponseParameters: Match.objectLike({ 'gatewayresponse.header.Access-Control-Allow-Origin': `'${ORIGIN}'` }),
    });
  });

  it('has no preflight and no ALLOWED_ORIGINS when none is allowed', () => {
    const { api } = synth();
    const template = api.toJSON();

    expect(methodsOf(template).filter((row) => row.httpMethod === 'OPTIONS')).toEqual([]);
    api.allResourcesProperties('AWS::Lambda::Function', { Environment: { Variables: Match.objectLike({ ALLOWED_ORIGINS: Match.absent() }) } });
  });
});

describe('when the functions are built', () => {
  it('runs every function on nodejs24.x on arm64', () => {
    synth().api.allResourcesProperties('AWS::Lambda::Function', { Runtime: 'nodejs24.x', Architectures: ['arm64'] });
  });

  it('gives the functions that hash one vCPU of memory and the others 1024 MB', () => {
    const synthesized = synth();

    const functions = synthesized.api.findResources('AWS::Lambda::Function') as Json;
    const memoryOf = (route: FunctionDeclaration) => [route.operationId, functions[functionOf(synthesized, route).functionId].Properties.MemorySize];
    const declared: FunctionDeclaration[] = [...routeList, fallbackRoute, ...eventFunctionList];
    const hashing = declared.filter((route) => route.usesPepper === true);

    expect(hashing.map((route) => route.operationId)).toEqual(expect.arrayContaining(['signIn', 'changeOwnPassword', 'completePasswordReset']));
    for (const route of declared) {
      expect(memoryOf(route)).toEqual([route.operationId, route.usesPepper === true ? 1769 : 1024]);
    }
  });

  it('gives every function 10 seconds and the Powertools settings, and leaves source maps to the failure log', () => {
    // --enable-source-maps would parse each bundle's map at every cold start (functions/http/source-mapped-stack.ts).
    synth().api.allResourcesProperties('AWS::Lambda::Function', {
      Timeout: 10,
      Handler: 'index.handler',
      Environment: {
        Variables: Match.objectLike({ NODE_OPTIONS: Match.absent(), POWERTOOLS_SERVICE_NAME: 'adminpass', POWERTOOLS_LOG_LEVEL: 'INFO' }),
      },
    });
  });

  it('gives every function its own log group, besides the access and execution logs', () => {
    const { api } = synth();

    const logGroupRefs = Object.values(api.findResources('AWS::Lambda::Function') as Json).map((fn) => fn.Properties.LoggingConfig?.LogGroup?.Ref);
    expect(logGroupRefs).not.toContain(undefined);
    expect(new Set(logGroupRefs).size).toBe(routeList.length + 1 + eventFunctionList.length);
    api.resourceCountIs('AWS::Logs::LogGroup', routeList.length + 1 + eventFunctionList.length + 2);
  });

  it('gives every function a role of its own', () => {
    const synthesized = synth();

    const roles = [...routeList, fallbackRoute, ...eventFunctionList].map((route) => functionOf(synthesized, route).roleId);
    expect(new Set(roles).size).toBe(roles.length);
    for (const route of [...routeList, fallbackRoute, ...eventFunctionList]) {
      const { functionId, roleId } = functionOf(synthesized, route);
      expectResource(synthesized.api, 'AWS::Lambda::Function', functionId, { Properties: Match.objectLike({ Role: { 'Fn::GetAtt': [roleId, 'Arn'] } }) });
    }
  });

  it.each(routeList)('gives $operationId the table names of exactly the tables it uses', (route) => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, route);

    const variables = variablesOf(synthesized.apiResolved, functionId);
    for (const key of tableKeys) {
      if (key in route.tables) expect(variables[TABLES[key].envVar]).toEqual({ Ref: tableIdOf(synthesized, key) });
      else expect(variables).not.toHaveProperty(TABLES[key].envVar);
    }
  });

  it.each(routeList)('gives $operationId the pepper, the bcrypt cost and the hash scheme only if it hashes passwords', (route) => {
    const synthesized = synth({ bcryptCost: 13 });
    const { functionId } = functionOf(synthesized, route);

    const variables = variablesOf(synthesized.apiResolved, functionId);
    if (route.usesPepper) {
      expect(variables).toMatchObject({ PEPPER_SECRET_ARN: { Ref: secretIdOf(synthesized) }, BCRYPT_COST: '13', PASSWORD_HASH_SCHEME: 'bcrypt' });
    } else {
      expect(variables).not.toHaveProperty('PEPPER_SECRET_ARN');
      expect(variables).not.toHaveProperty('BCRYPT_COST');
      expect(variables).not.toHaveProperty('PASSWORD_HASH_SCHEME');
    }
  });

  it('hands the argon2id scheme to the hashing functions when the context chooses it', () => {
    const synthesized = synth({ passwordHashScheme: 'argon2id' });

    expect(variablesOf(synthesized.apiResolved, functionOf(synthesized, routes.signIn).functionId)).toMatchObject({ PASSWORD_HASH_SCHEME: 'argon2id' });
  });

  it.each(routeList)('gives $operationId the sender, the configuration set to name and the public URL only if it mails', (route) => {
    const synthesized = synth();

    const variables = variablesOf(synthesized.apiResolved, functionOf(synthesized, route).functionId);
    if (route.sendsEmail) {
      expect(variables).toMatchObject({
        SENDER_EMAIL: SENDER,
        SES_CONFIGURATION_SET: { Ref: logicalIdOf(synthesized.stateful, synthesized.stateful.feedback.configurationSet) },
        PUBLIC_BASE_URL: expect.objectContaining({ 'Fn::Join': expect.anything() }),
      });
    } else {
      expect(variables).not.toHaveProperty('SENDER_EMAIL');
      expect(variables).not.toHaveProperty('SES_CONFIGURATION_SET');
      expect(variables).not.toHaveProperty('PUBLIC_BASE_URL');
    }
  });

  it.each(routeList)('gives $operationId the breached-password check, when the deployment turns it on, only if it judges new passwords', (route) => {
    const synthesized = synth({ pwnedPasswordsUrl: 'https://api.pwnedpasswords.com/', pwnedPasswordsTimeoutMs: '1200' });

    const variables = variablesOf(synthesized.apiResolved, functionOf(synthesized, route).functionId);
    if (judgesNewPasswords(route)) {
      expect(variables).toMatchObject({ PWNED_PASSWORDS_URL: 'https://api.pwnedpasswords.com', PWNED_PASSWORDS_TIMEOUT_MS: '1200' });
    } else {
      expect(variables).not.toHaveProperty('PWNED_PASSWORDS_URL');
      expect(variables).not.toHaveProperty('PWNED_PASSWORDS_TIMEOUT_MS');
    }
  });

  it('turns the breached-password check on for exactly the five functions that set a password', () => {
    const synthesized = synth({ pwnedPasswordsUrl: 'https://api.pwnedpasswords.com' });

    const checking = [...routeList, fallbackRoute]
      .filter((route) => variablesOf(synthesized.apiResolved, functionOf(synthesized, route).functionId).PWNED_PASSWORDS_URL !== undefined)
      .map((route) => route.operationId);
    expect(checking.sort()).toEqual(['answerNewPasswordChallenge', 'changeOwnPassword', 'completePasswordReset', 'createAdmin', 'setTemporaryPassword']);
  });

  it('gives the checking functions the default timeout of 1500 ms when none is configured', () => {
    const synthesized = synth({ pwnedPasswordsUrl: 'https://api.pwnedpasswords.com' });

    expect(variablesOf(synthesized.apiResolved, functionOf(synthesized, routes.changeOwnPassword).functionId).PWNED_PASSWORDS_TIMEOUT_MS).toBe('1500');
  });

  it('gives no function the breached-password check by default', () => {
    const synthesized = synth();

    for (const route of [...routeList, fallbackRoute]) {
      expect(variablesOf(synthesized.apiResolved, functionOf(synthesized, route).functionId)).not.toHaveProperty('PWNED_PASSWORDS_URL');
    }
  });

  it('points emailed links at the configured public URL when there is one', () => {
    const synthesized = synth({ publicBaseUrl: 'https://admin.adminpass.example/' });

    const variables = variablesOf(synthesized.apiResolved, functionOf(synthesized, routes.requestPasswordReset).functionId);
    expect(variables.PUBLIC_BASE_URL).toBe('https://admin.adminpass.example');
  });
});

describe('when the outputs are read', () => {
  it('outputs the API URL, the public URL, the Password Change Screen URL and the sender', () => {
    const { api } = synth({ publicBaseUrl: 'https://admin.adminpass.example' });

    api.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
    api.hasOutput('PublicBaseUrl', { Value: 'https://admin.adminpass.example' });
    api.hasOutput('PasswordChangeScreenUrl', { Value: 'https://admin.adminpass.example/password-reset' });
    api.hasOutput('SenderEmail', { Value: SENDER });
  });

  it('outputs the name of each table from the stack the operator names', () => {
    const synthesized = synth();

    for (const key of tableKeys) {
      expect(synthesized.apiResolved.Outputs[`${TABLES[key].constructId}Name`].Value).toEqual({ Ref: tableIdOf(synthesized, key) });
    }
  });

  it('outputs the alarm topic', () => {
    const synthesized = synth();

    synthesized.api.hasOutput('AlarmTopicArn', { Value: { Ref: logicalIdOf(synthesized.stateless, synthesized.stateless.alarms.topic) } });
  });
});
