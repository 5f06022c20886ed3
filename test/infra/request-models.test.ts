// Stack tests (lib/request-models.ts): a route's zod body schema as an API Gateway model: JSON Schema draft 4, never
// stricter than the zod schema the function validates with.
import { z } from 'zod';
import { routeList } from '../../functions/contract/routes';
import { requestModelSchema, withoutUnsupported } from '../../lib/request-models';

const bodyRoutes = routeList.filter((route) => route.body !== undefined);

/** Every value of a keyword anywhere in the schema. */
function valuesOf(schema: unknown, keyword: string): unknown[] {
  if (Array.isArray(schema)) return schema.flatMap((item) => valuesOf(item, keyword));
  if (schema === null || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([key, value]) => [...(key === keyword ? [value] : []), ...valuesOf(value, keyword)]);
}

describe('when a body schema becomes a model', () => {
  it.each(bodyRoutes)('declares draft 4 for $operationId, with no reference, id or format', (route) => {
    const model = requestModelSchema(route.body!);

    expect(model.$schema).toBe('http://json-schema.org/draft-04/schema#');
    for (const keyword of ['$ref', 'definitions', '$defs', 'id', '$id', 'format', 'example', 'examples']) expect(valuesOf(model, keyword)).toEqual([]);
  });

  it.each(bodyRoutes)('keeps no pattern of $operationId that uses syntax newer than draft 4\'s ECMA-262', (route) => {
    for (const pattern of valuesOf(requestModelSchema(route.body!), 'pattern')) expect(pattern).not.toMatch(/\\[pP]\{|\(\?<[=!a-zA-Z]/);
  });

  it('keeps the shape: types, required fields, no unknown fields, lengths, plain patterns', () => {
    const model = requestModelSchema(z.strictObject({ companyId: z.string().regex(/^[a-z]+$/), password: z.string().min(1).max(1024) }));

    expect(model).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: { companyId: { type: 'string', pattern: '^[a-z]+$' }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
      required: ['companyId', 'password'],
      additionalProperties: false,
    });
  });

  it('leaves a field with a default optional, as the client may omit it', () => {
    const model = requestModelSchema(z.strictObject({ role: z.enum(['master', 'general']).default('general'), email: z.email() }));

    expect(model.required).toEqual(['email']);
  });

  it('drops the email format but keeps the email pattern', () => {
    const model = requestModelSchema(z.object({ email: z.email() }));

    expect(model.properties).toEqual({ email: { type: 'string', pattern: expect.stringContaining('@') } });
  });

  it('drops a Unicode property pattern, which the function still enforces', () => {
    const model = requestModelSchema(z.object({ name: z.string().max(100).regex(/^[^\p{Cc}]*$/u) }));

    expect(model.properties).toEqual({ name: { type: 'string', maxLength: 100 } });
  });

  it('inlines a schema registered with an id instead of referring to it', () => {
    const Settings = z.strictObject({ minLength: z.number().int().min(8) }).meta({ id: 'TestSettings', description: 'x' });

    expect(requestModelSchema(Settings)).toMatchObject({ type: 'object', properties: { minLength: { type: 'integer', minimum: 8 } } });
  });
});

describe('when unsupported keywords are stripped', () => {
  it('keeps a property that happens to be named like a dropped keyword', () => {
    expect(withoutUnsupported({ type: 'object', properties: { format: { type: 'string', format: 'email' } } })).toEqual({
      type: 'object',
      properties: { format: { type: 'string' } },
    });
  });

  it('strips at any depth, in arrays too', () => {
    expect(withoutUnsupported({ anyOf: [{ type: 'string', format: 'date-time' }, { items: { pattern: '(?<=a)b' } }] })).toEqual({
      anyOf: [{ type: 'string' }, { items: {} }],
    });
  });
});
