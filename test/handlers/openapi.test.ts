// Handler tests of GET /openapi.json: the document generated from the route table declares each operation once, every
// status it can answer with the codes of each, the headers sent and read, and nothing that points nowhere or at itself.
// (test/contract/openapi-tools.test.ts runs Redocly and openapi-typescript on it; the integration tests hold every
// answer of the local API to it.)
import { openApiDocument } from '../../functions/contract/openapi';
import { errorCodesByStatus } from '../../functions/contract/error-responses';
import { routeList, routes, type RouteDefinition } from '../../functions/contract/routes';
import { handler } from '../../functions/openapi/handler';
import { apiEvent, headerOf, lambdaContext } from './events';

type Json = Record<string, any>;

let served: { statusCode: number; body: string; headers?: Record<string, unknown> };
let document: Json;
beforeAll(async () => {
  served = (await handler(apiEvent('GET', '/openapi.json'), lambdaContext())) as typeof served;
  document = JSON.parse(served.body) as Json;
});

const operationOf = (route: RouteDefinition): Json => document.paths[route.path][route.method.toLowerCase()];
/** A component a `$ref` names, or the node itself. */
const resolved = (node: Json): Json => (typeof node.$ref === 'string' ? resolved(node.$ref.slice(2).split('/').reduce((at: Json, part: string) => at[part], document)) : node);
const refsIn = (text: string): string[] => [...new Set([...text.matchAll(/"\$ref":"#\/([^"]+)"/g)].map((match) => match[1] as string))];

describe('when the OpenAPI document is requested', () => {
  it('answers 200 with an OpenAPI 3.1.0 document, the one generated in the process', () => {
    expect(served.statusCode).toBe(200);
    expect(headerOf(served as never, 'Cache-Control')).toBe('no-store');
    expect(document.openapi).toBe('3.1.0');
    expect(document).toEqual(JSON.parse(JSON.stringify(openApiDocument())));
  });

  it('has exactly the operations of the route table, each with a summary, a tag it declares and a description', () => {
    const documented = Object.entries(document.paths as Json).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    const tags = new Set((document.tags as { name: string }[]).map((tag) => tag.name));

    expect(documented.sort()).toEqual(routeList.map((route) => `${route.method} ${route.path}`).sort());
    for (const route of routeList) {
      expect(operationOf(route)).toMatchObject({ operationId: route.operationId, summary: route.summary, description: expect.any(String) });
      expect(tags.has(operationOf(route).tags[0])).toBe(true);
    }
  });

  it('names the servers a client points at: a deployed stage and npm start', () => {
    expect(document.servers.map((server: { url: string }) => server.url)).toEqual(['https://{apiId}.execute-api.{region}.amazonaws.com/{stage}', 'http://127.0.0.1:3000']);
  });

  it('resolves every $ref, and no component is a reference to itself', () => {
    const refs = refsIn(served.body);
    for (const ref of refs) expect(ref.split('/').reduce((at: Json | undefined, part) => at?.[part], document)).toBeDefined();
    for (const [group, components] of Object.entries(document.components as Record<string, Json>)) {
      for (const [name, component] of Object.entries(components)) expect(component).not.toEqual({ $ref: `#/components/${group}/${name}` });
    }
  });

  it('refers to every component but the two answers of the catch-all (why Redocly\'s no-unused-components is off)', () => {
    const referenced = new Set(refsIn(served.body));
    const unused = Object.entries(document.components as Record<string, Json>)
      .filter(([group]) => group !== 'securitySchemes')
      .flatMap(([group, components]) => Object.keys(components).map((name) => `components/${group}/${name}`))
      .filter((ref) => !referenced.has(ref));

    expect(unused).toEqual(['components/responses/RouteNotFound', 'components/responses/MethodNotAllowed']);
  });
});

describe.each(routeList.map((route) => [`${route.method} ${route.path}`, route] as const))('when the document describes %s', (_name, route) => {
  it('declares its own statuses, each error status it can answer with exactly its codes, and the gateway default', () => {
    const responses = operationOf(route).responses as Json;
    const errors = errorCodesByStatus(route);

    expect(Object.keys(responses).sort()).toEqual([...Object.keys(route.responses), ...[...errors.keys()].map(String), 'default'].sort());
    for (const [status, codes] of errors) {
      const schema = resolved(responses[status]).content['application/json'].schema;
      expect(schema.properties.error.properties.code.enum).toEqual(codes);
    }
  });

  it('requires a session exactly on session routes, and then declares WWW-Authenticate on its 401', () => {
    const operation = operationOf(route);
    const needsSession = route.access === 'session' || route.access === 'master';

    expect(operation.security).toEqual(needsSession ? [{ session: [] }] : []);
    if (needsSession) expect(resolved(operation.responses['401']).headers['WWW-Authenticate']).toBeDefined();
  });

  it('declares Retry-After on every error status that can carry a code sent with it', () => {
    const sentWithRetryAfter = ['SERVICE_BUSY', 'OUTCOME_UNKNOWN', 'TOO_MANY_RESETS', 'TOO_MANY_ATTEMPTS', 'IDEMPOTENCY_IN_PROGRESS'];
    const statuses = [...errorCodesByStatus(route)].filter(([, codes]) => codes.some((code) => sentWithRetryAfter.includes(code))).map(([status]) => String(status));

    expect(statuses).toContain('503');
    for (const status of statuses) expect(resolved(operationOf(route).responses[status]).headers['Retry-After']).toBeDefined();
  });
});

describe('when the document describes headers', () => {
  const headersOf = (route: RouteDefinition, status: number): Json => operationOf(route).responses[String(status)].headers ?? {};
  const parameterOf = (route: RouteDefinition, name: string): Json | undefined =>
    (operationOf(route).parameters as Json[]).map(resolved).find((parameter) => parameter.name === name);

  it('declares the ETag an admin is answered with, and Location for a new one', () => {
    expect(Object.keys(headersOf(routes.getAdmin, 200))).toEqual(['ETag']);
    expect(Object.keys(headersOf(routes.updateAdmin, 200))).toEqual(expect.arrayContaining(['ETag', 'Idempotent-Replayed']));
    expect(Object.keys(headersOf(routes.createAdmin, 201))).toEqual(expect.arrayContaining(['ETag', 'Location', 'Idempotent-Replayed']));
  });

  it('requires If-Match on PATCH /admins/{adminId}, which answers 428 without it', () => {
    expect(parameterOf(routes.updateAdmin, 'If-Match')).toMatchObject({ in: 'header', required: true });
    expect(parameterOf(routes.getAdmin, 'If-Match')).toBeUndefined();
  });

  it('declares Retry-After as required where every code of the status sends it, and optional where the gateway may answer', () => {
    const retryAfter = (route: RouteDefinition, status: number) => resolved(resolved(operationOf(route).responses[String(status)]).headers['Retry-After']);

    expect(retryAfter(routes.createAdmin, 503).required).toBe(true);
    expect(retryAfter(routes.requestPasswordReset, 429).required).not.toBe(true);
  });
});

describe('when the document describes retries', () => {
  const keyed = routeList.filter((route) => route.idempotency === 'key');

  it.each(keyed.map((route) => [route.operationId, route] as const))('declares the optional Idempotency-Key header on %s, with 409 and 422', (_id, route) => {
    const operation = operationOf(route);

    expect(operation.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['409', '422']));
  });

  it('declares it nowhere else, and says on the others why a retry needs none', () => {
    const declaring = routeList.filter((route) => JSON.stringify(operationOf(route)).includes('IdempotencyKey')).map((route) => route.operationId);

    expect(declaring.sort()).toEqual(keyed.map((route) => route.operationId).sort());
    expect(served.body.match(/"name":"Idempotency-Key"/g)).toHaveLength(1);
    expect(operationOf(routes.signIn).description).toContain('Idempotency-Key is ignored here');
  });

  it('describes the header once, as an optional header with its format and what a retry sees', () => {
    const parameter = document.components.parameters.IdempotencyKey as Json;

    expect(parameter).toMatchObject({ name: 'Idempotency-Key', in: 'header', schema: { type: 'string', minLength: 1, maxLength: 128 } });
    expect(parameter.required).not.toBe(true);
    expect(parameter.description).toEqual(expect.stringContaining('IDEMPOTENCY_KEY_REUSED'));
    expect(parameter.description).toEqual(expect.stringContaining('IDEMPOTENCY_IN_PROGRESS'));
  });
});

describe('when the document describes the round trips', () => {
  it('marks the read-only fields of an admin and of the policy, and PATCH and PUT take them back', () => {
    const { Admin, PasswordPolicyValues, PasswordPolicyUpdate } = document.components.schemas as Json;
    const patch = operationOf(routes.updateAdmin).requestBody.content['application/json'].schema;
    const readOnly = (schema: Json) => Object.entries(schema.properties as Json).filter(([, property]) => property.readOnly === true).map(([name]) => name);

    expect(readOnly(Admin)).toEqual(['adminId', 'companyId', 'status', 'locked', 'lockedUntil', 'passwordChangedAt', 'passwordState', 'passwordExpiresAt', 'resetLinkSentTo', 'lastSignInAt', 'createdAt', 'updatedAt']);
    expect(readOnly(patch)).toEqual(readOnly(Admin));
    expect(readOnly(PasswordPolicyValues)).toEqual(['maxLength']);
    expect(readOnly(PasswordPolicyUpdate)).toEqual(['maxLength']);
  });
});
