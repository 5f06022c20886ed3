// Local runtime tests (local/gateway.ts): API Gateway read from the synthesized stateless template. Every route of the
// table reaches its own function; what the template does not declare reaches the fallback or nothing; a body the
// deployed gateway would refuse gets the template's BAD_REQUEST_BODY answer, byte for byte; a route taken out of the
// template is gone locally too. A few hand-written templates pin the routing rules the stack itself does not exercise.
import { fallbackRoute, routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { gatewayAnswer, readGateway, routeRequest, validateRequest, type GatewayAnswer, type GatewayRoute, type LocalGateway } from '../../local/gateway';
import { functionOf, resourcesOf, synth, type Json } from '../infra/synth';

const template = (): Json => synth().api.toJSON();
let read: LocalGateway | undefined;
/** The gateway of the stack as it is, read once: reading compiles every model. */
const gateway = (): LocalGateway => (read ??= readGateway(template()));
const functionIdOf = (route: Pick<RouteDefinition, 'operationId'>) => functionOf(synth(), route).functionId;

/** A concrete path for a route's template: each `{name}` becomes `name-1`. */
const concrete = (path: string) => path.replace(/\{(\w+)\}/g, '$1-1');

/** A gateway response of the template as it stands there, read without the module under test. */
function templateAnswer(type: string): GatewayAnswer {
  const [response] = Object.values(resourcesOf(template(), 'AWS::ApiGateway::GatewayResponse')).filter((resource) => resource.Properties.ResponseType === type);
  const properties = response!.Properties as Json;
  return {
    statusCode: Number(properties.StatusCode),
    headers: Object.fromEntries(Object.entries(properties.ResponseParameters as Record<string, string>).map(([key, value]) => [key.replace('gatewayresponse.header.', ''), value.slice(1, -1)])),
    body: properties.ResponseTemplates['application/json'],
  };
}

const signIn = (): GatewayRoute => routeRequest(gateway(), 'POST', '/sign-in')!.route;
const VALID_SIGN_IN = { companyId: 'demo', email: 'ada@demo.example', password: 'a passphrase' };
const json = { 'Content-Type': 'application/json' };

describe('when a request is routed by the stateless template', () => {
  it.each(routeList.map((route) => [route.operationId, route] as const))('routes %s to its own function', (_name, route) => {
    const routed = routeRequest(gateway(), route.method, concrete(route.path));

    expect(routed?.route).toMatchObject({ method: route.method, resourcePath: route.path, functionLogicalId: functionIdOf(route) });
  });

  it('gives an id segment as the path parameter', () => {
    const routed = routeRequest(gateway(), 'GET', '/admins/01JD5Q1X');

    expect(routed?.route.functionLogicalId).toBe(functionIdOf(routes.getAdmin));
    expect(routed?.pathParameters).toEqual({ adminId: '01JD5Q1X' });
  });

  it('hands a path parameter over still percent-encoded, as API Gateway does', () => {
    const routed = routeRequest(gateway(), 'DELETE', '/company/suppressed-addresses/gil%40demo.example');

    expect(routed?.route.functionLogicalId).toBe(functionIdOf(routes.clearSuppressedAddress));
    expect(routed?.pathParameters).toEqual({ email: 'gil%40demo.example' });
  });

  it('sends a method a declared resource lacks to the fallback function, through that resource\'s ANY', () => {
    const routed = routeRequest(gateway(), 'DELETE', '/sign-in');

    expect(routed?.route).toMatchObject({ method: 'ANY', resourcePath: '/sign-in', functionLogicalId: functionIdOf(fallbackRoute) });
    expect(routed?.pathParameters).toEqual({});
  });

  it('sends the console page GET / and anything else on / to the fallback', () => {
    expect(routeRequest(gateway(), 'GET', '/')?.route.functionLogicalId).toBe(functionIdOf(routes.consolePage));
    expect(routeRequest(gateway(), 'POST', '/')?.route).toMatchObject({ method: 'ANY', resourcePath: '/', functionLogicalId: functionIdOf(fallbackRoute) });
  });

  it('sends an unknown path to the fallback through {proxy+}, with the rest of the path as proxy', () => {
    const routed = routeRequest(gateway(), 'GET', '/no/such/thing');

    expect(routed?.route).toMatchObject({ method: 'ANY', resourcePath: '/{proxy+}', functionLogicalId: functionIdOf(fallbackRoute) });
    expect(routed?.pathParameters).toEqual({ proxy: 'no/such/thing' });
  });

  it('backs out of a declared subtree that cannot hold the path and lands on {proxy+}', () => {
    const routed = routeRequest(gateway(), 'GET', '/admins/01JD5Q1X/no/such');

    expect(routed?.route.resourcePath).toBe('/{proxy+}');
    expect(routed?.pathParameters).toEqual({ proxy: 'admins/01JD5Q1X/no/such' });
  });

  it('ignores a trailing slash', () => {
    expect(routeRequest(gateway(), 'GET', '/health/')?.route.functionLogicalId).toBe(functionIdOf(routes.health));
  });

  it.each(['//health', '/admins/..', '/admins/%2e%2e', '/./health'])('sends %s to the fallback, never to a declared function', (path) => {
    const routed = routeRequest(gateway(), 'GET', path);

    expect(routed?.route).toMatchObject({ resourcePath: '/{proxy+}', functionLogicalId: functionIdOf(fallbackRoute) });
  });
});

describe('when a route is taken out of the template', () => {
  it('no longer reaches its function: POST /sign-in goes to the fallback', () => {
    // Prepare: the template without the sign-in method, as a stack built without the route would be.
    const copy = structuredClone(template());
    const signInId = functionIdOf(routes.signIn);
    for (const [id, resource] of Object.entries(resourcesOf(copy, 'AWS::ApiGateway::Method'))) {
      if (JSON.stringify(resource.Properties.Integration).includes(signInId)) delete copy.Resources[id];
    }

    // Act
    const routed = routeRequest(readGateway(copy), 'POST', '/sign-in');

    // Assess
    expect(routed?.route).toMatchObject({ method: 'ANY', functionLogicalId: functionIdOf(fallbackRoute) });
    expect(readGateway(copy).routes.map((route) => route.functionLogicalId)).not.toContain(signInId);
  });
});

describe('when the gateway judges a body against the route\'s model', () => {
  it.each([
    ['a required field missing', JSON.stringify({ companyId: 'demo', email: 'ada@demo.example' })],
    ['an unknown field', JSON.stringify({ ...VALID_SIGN_IN, admin: true })],
    ['a field of the wrong type', JSON.stringify({ ...VALID_SIGN_IN, password: 42 })],
    ['a body that is not JSON', '{"companyId": "demo",'],
    ['a JSON array', '[]'],
  ])('refuses %s with exactly the template\'s BAD_REQUEST_BODY answer', (_case, body) => {
    const answer = validateRequest(gateway(), signIn(), { headers: json, body });

    expect(answer).toEqual(templateAnswer('BAD_REQUEST_BODY'));
    expect(answer).toEqual({ statusCode: 400, headers: expect.objectContaining({ 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' }), body: expect.stringContaining('"VALIDATION_FAILED"') });
  });

  it('lets a valid body through to the function', () => {
    expect(validateRequest(gateway(), signIn(), { headers: json, body: JSON.stringify(VALID_SIGN_IN) })).toBeUndefined();
  });

  it.each([
    ['sign-out', 'POST', '/sign-out'],
    ['health', 'GET', '/health'],
    ['the fallback', 'PUT', '/no/such/thing'],
  ])('never refuses a body on %s, which has no model', (_name, method, path) => {
    const { route } = routeRequest(gateway(), method, path)!;

    expect(route.bodyModels).toBeUndefined();
    expect(validateRequest(gateway(), route, { headers: json, body: 'not json at all' })).toBeUndefined();
  });

  it('gives every route with a body schema, and only those, a model', () => {
    const modelled = gateway()
      .routes.filter((route) => route.bodyModels !== undefined)
      .map((route) => route.functionLogicalId)
      .sort();

    expect(modelled).toEqual(routeList.filter((route) => route.body !== undefined).map(functionIdOf).sort());
  });
});

describe('when the body\'s Content-Type varies', () => {
  const invalid = JSON.stringify({ companyId: 'demo' });

  it.each([
    ['application/json; charset=utf-8', { 'Content-Type': 'application/json; charset=utf-8' }],
    ['application/json;charset=UTF-8 under a lower-case header name', { 'content-type': 'application/json;charset=UTF-8' }],
    ['APPLICATION/JSON', { 'Content-Type': 'APPLICATION/JSON' }],
    ['no Content-Type at all (judged as application/json)', {}],
  ])('still judges the body with %s', (_case, headers: Record<string, string>) => {
    expect(validateRequest(gateway(), signIn(), { headers, body: invalid })).toEqual(templateAnswer('BAD_REQUEST_BODY'));
  });

  it.each([
    ['no body', null],
    ['an empty body', ''],
  ])('judges %s as {}, which a model with required fields refuses', (_case, body) => {
    expect(validateRequest(gateway(), signIn(), { headers: json, body })).toEqual(templateAnswer('BAD_REQUEST_BODY'));
    expect(validateRequest(gateway(), signIn(), { headers: {}, body })).toEqual(templateAnswer('BAD_REQUEST_BODY'));
  });

  it.each(['text/plain', 'application/x-www-form-urlencoded', 'application/json-patch+json'])(
    'does not judge a %s body: no model is declared for it, so it reaches the function',
    (contentType) => {
      expect(validateRequest(gateway(), signIn(), { headers: { 'Content-Type': contentType }, body: invalid })).toBeUndefined();
    },
  );
});

describe('when the gateway answers by itself', () => {
  it('answers a path it cannot route with the template\'s MISSING_AUTHENTICATION_TOKEN response, 404 in the envelope', () => {
    expect(gateway().responses.MISSING_AUTHENTICATION_TOKEN).toEqual(templateAnswer('MISSING_AUTHENTICATION_TOKEN'));
    expect(gateway().responses.MISSING_AUTHENTICATION_TOKEN?.statusCode).toBe(404);
  });

  it('answers DEFAULT_4XX with the refused request\'s status, and a type the template leaves out with its family\'s answer', () => {
    const { DEFAULT_4XX: other4xx } = gateway().responses;

    expect(gatewayAnswer(gateway(), 'DEFAULT_4XX', 405)).toEqual({ ...other4xx, statusCode: 405 });
    expect(other4xx?.body).toContain('"REQUEST_REFUSED"');
    expect(gatewayAnswer(gateway(), 'UNSUPPORTED_MEDIA_TYPE')).toEqual({ ...other4xx, statusCode: 415 });
    expect(gatewayAnswer(gateway(), 'INTEGRATION_TIMEOUT')).toMatchObject({ statusCode: 504, body: expect.stringContaining('"OUTCOME_UNKNOWN"') });
  });
});

/**
 * A REST API by hand: methods as `METHOD path` → function id or 'MOCK' (their resources made along the path), other
 * resources by logical id, and more properties for some methods.
 */
function handTemplate(methods: Record<string, string>, extra: Json = {}, methodProperties: Record<string, Json> = {}): Json {
  const resources: Json = { Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} } };
  const idOf = (path: string) => (path === '/' ? undefined : `R${path.replace(/[^A-Za-z0-9]/g, '_')}`);
  const parentOf = (path: string): Json => {
    const parent = path.slice(0, path.lastIndexOf('/')) || '/';
    return parent === '/' ? { 'Fn::GetAtt': ['Api', 'RootResourceId'] } : { Ref: idOf(parent) };
  };
  const ensure = (path: string) => {
    if (path === '/' || resources[idOf(path)!]) return;
    ensure(path.slice(0, path.lastIndexOf('/')) || '/');
    resources[idOf(path)!] = { Type: 'AWS::ApiGateway::Resource', Properties: { ParentId: parentOf(path), PathPart: path.slice(path.lastIndexOf('/') + 1) } };
  };
  for (const [key, target] of Object.entries(methods)) {
    const [method, path] = key.split(' ') as [string, string];
    ensure(path);
    const resourceId = path === '/' ? { 'Fn::GetAtt': ['Api', 'RootResourceId'] } : { Ref: idOf(path) };
    const integration = target === 'MOCK' ? { Type: 'MOCK' } : { Type: 'AWS_PROXY', Uri: { 'Fn::Join': ['', ['arn:', { 'Fn::GetAtt': [target, 'Arn'] }, '/invocations']] } };
    resources[`M${key.replace(/[^A-Za-z0-9]/g, '_')}`] = {
      Type: 'AWS::ApiGateway::Method',
      Properties: { HttpMethod: method, ResourceId: resourceId, Integration: integration, ...methodProperties[key] },
    };
  }
  return { Resources: { ...resources, ...extra } };
}

describe('when resources compete for a path (hand-written templates)', () => {
  const competing = readGateway(
    handTemplate({
      'GET /items/latest': 'Latest',
      'GET /items/{itemId}': 'Item',
      'POST /items/special': 'Special',
      'GET /items/{itemId}/parts': 'Parts',
      'GET /{proxy+}': 'Proxy',
      'OPTIONS /items/latest': 'MOCK',
    }),
  );

  it('prefers a literal part to a {param} at the same level', () => {
    expect(routeRequest(competing, 'GET', '/items/latest')?.route.functionLogicalId).toBe('Latest');
    expect(routeRequest(competing, 'GET', '/items/42')).toEqual({ route: expect.objectContaining({ functionLogicalId: 'Item' }), pathParameters: { itemId: '42' } });
  });

  it('lets a literal resource without the method yield to a {param} sibling that has it', () => {
    expect(routeRequest(competing, 'GET', '/items/special')).toEqual({ route: expect.objectContaining({ functionLogicalId: 'Item' }), pathParameters: { itemId: 'special' } });
  });

  it('takes {proxy+} only when nothing more specific has the method, with the rest of the path', () => {
    expect(routeRequest(competing, 'GET', '/items/42/parts')?.route.functionLogicalId).toBe('Parts');
    expect(routeRequest(competing, 'GET', '/items/42/parts/7')).toEqual({ route: expect.objectContaining({ functionLogicalId: 'Proxy' }), pathParameters: { proxy: 'items/42/parts/7' } });
  });

  it('routes nothing when no resource on the path has the method or ANY: API Gateway answers MISSING_AUTHENTICATION_TOKEN', () => {
    expect(routeRequest(competing, 'DELETE', '/items/42')).toBeUndefined();
    expect(routeRequest(competing, 'GET', '/')).toBeUndefined();
    expect(gatewayAnswer(competing, 'MISSING_AUTHENTICATION_TOKEN')).toEqual({
      statusCode: 403,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Missing Authentication Token"}',
    });
  });

  it('leaves a MOCK integration (CORS preflight) out of the routes', () => {
    expect(competing.routes.map((route) => `${route.method} ${route.resourcePath}`)).not.toContain('OPTIONS /items/latest');
    expect(routeRequest(competing, 'OPTIONS', '/items/latest')).toBeUndefined();
  });
});

describe('when a hand-written method validates bodies with a $default model', () => {
  const notes = readGateway(
    handTemplate(
      { 'POST /notes': 'Notes' },
      {
        Validator: { Type: 'AWS::ApiGateway::RequestValidator', Properties: { ValidateRequestBody: true } },
        // A Schema may be JSON text as well as an object.
        NoteModel: { Type: 'AWS::ApiGateway::Model', Properties: { Schema: JSON.stringify({ type: 'object', required: ['text'] }) } },
      },
      { 'POST /notes': { RequestValidatorId: { Ref: 'Validator' }, RequestModels: { $default: { Ref: 'NoteModel' } } } },
    ),
  );
  const route = () => routeRequest(notes, 'POST', '/notes')!.route;

  it('judges a body of any content type with it, answering API Gateway\'s own 400 where the template customizes nothing', () => {
    expect(validateRequest(notes, route(), { headers: { 'Content-Type': 'text/plain' }, body: '{}' })).toEqual({
      statusCode: 400,
      headers: { 'Content-Type': 'application/json' },
      body: '{"message":"Invalid request body"}',
    });
    expect(validateRequest(notes, route(), { headers: { 'Content-Type': 'text/plain' }, body: '{"text":"hi"}' })).toBeUndefined();
  });
});
