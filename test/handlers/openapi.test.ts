// Handler tests of GET /openapi.json: the document generated from the route table.
import { handler } from '../../functions/openapi/handler';
import { routeList } from '../../functions/contract/routes';
import { apiEvent, headerOf, lambdaContext } from './events';

type Operation = { operationId: string; security: unknown[]; responses: Record<string, unknown>; requestBody?: unknown };
type Document = { openapi: string; paths: Record<string, Record<string, Operation>>; components: { schemas: Record<string, unknown> } };

async function fetchDocument() {
  const result = await handler(apiEvent('GET', '/openapi.json'), lambdaContext());
  return { result, document: JSON.parse(result.body) as Document };
}

describe('when the OpenAPI document is requested', () => {
  it('answers 200 with an OpenAPI 3.1.0 document', async () => {
    // Act
    const { result, document } = await fetchDocument();

    // Assess
    expect(result.statusCode).toBe(200);
    expect(document.openapi).toBe('3.1.0');
    expect(headerOf(result, 'Cache-Control')).toBe('no-store');
  });

  it.each(routeList.map((route) => [route.method, route.path, route.operationId] as const))(
    'describes %s %s as %s',
    async (method, path, operationId) => {
      // Act
      const { document } = await fetchDocument();

      // Assess
      expect(document.paths[path]?.[method.toLowerCase()]?.operationId).toBe(operationId);
    },
  );

  it('has no operation the route table does not declare', async () => {
    // Act
    const { document } = await fetchDocument();

    // Assess
    const documented = Object.entries(document.paths).flatMap(([path, operations]) => Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`));
    expect(documented.sort()).toEqual(routeList.map((route) => `${route.method} ${route.path}`).sort());
  });

  it('requires a bearer session on session routes and documents 401 there, and none on public ones', async () => {
    // Act
    const { document } = await fetchDocument();

    // Assess
    expect(document.paths['/me']?.get?.security).toEqual([{ session: [] }]);
    expect(document.paths['/me']?.get?.responses).toHaveProperty('401');
    expect(document.paths['/sign-in']?.post?.security).toEqual([]);
    expect(document.paths['/admins']?.post?.responses).toHaveProperty('403');
  });

  it('resolves every $ref to a component it defines', async () => {
    // Act
    const { result, document } = await fetchDocument();

    // Assess
    const refs = [...result.body.matchAll(/"\$ref":"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1] as string);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of new Set(refs)) expect(document.components.schemas).toHaveProperty([ref]);
  });
});

describe('when the document describes retries', () => {
  type Parameter = { $ref?: string; name?: string };
  const keyed = routeList.filter((route) => route.idempotency === 'key');

  it.each(keyed.map((route) => [route.operationId, route] as const))('declares the optional Idempotency-Key header on %s, with 409 and 422', async (_id, route) => {
    // Act
    const { document } = await fetchDocument();

    // Assess
    const operation = document.paths[route.path]?.[route.method.toLowerCase()] as Operation & { parameters: Parameter[] };
    expect(operation.parameters).toContainEqual({ $ref: '#/components/parameters/IdempotencyKey' });
    expect(Object.keys(operation.responses)).toEqual(expect.arrayContaining(['409', '422']));
  });

  it('declares it nowhere else', async () => {
    // Act
    const { result, document } = await fetchDocument();

    // Assess
    const declaring = Object.values(document.paths).flatMap((operations) =>
      Object.values(operations).filter((operation) => JSON.stringify(operation).includes('IdempotencyKey')).map((operation) => operation.operationId),
    );
    expect(declaring.sort()).toEqual(keyed.map((route) => route.operationId).sort());
    expect(result.body.match(/"name":"Idempotency-Key"/g)).toHaveLength(1);
  });

  it('describes the header once, as an optional header with its format and what a retry sees', async () => {
    // Act
    const { document } = await fetchDocument();

    // Assess
    const parameter = (document.components as unknown as { parameters: Record<string, Record<string, unknown>> }).parameters.IdempotencyKey;
    expect(parameter).toMatchObject({ name: 'Idempotency-Key', in: 'header', required: false, schema: { type: 'string', minLength: 1, maxLength: 128 } });
    expect(parameter?.description).toEqual(expect.stringContaining('IDEMPOTENCY_KEY_REUSED'));
    expect(parameter?.description).toEqual(expect.stringContaining('IDEMPOTENCY_IN_PROGRESS'));
  });
});
