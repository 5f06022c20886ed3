// Stack tests (lib/request-models.ts): a route's zod body schema as an API Gateway model: JSON Schema draft 4, never
// stricter than the zod schema the function validates with.
import { z } from 'zod';
import { routeList } from '../../functions/contract/routes';
import { requestModelSchema, withoutUnsupported } from '../../lib/request-models';

const bodyRoutes = routeList.filter((route) => route.body !== undefined);

/** Every value of a keyword anywhere in the schema. */
/** Every value of a keyword at any depth; the names of properties are data, not keywords. */
function valuesOf(schema: unknown, keyword: string, isPropertyMap = false): unknown[] {
  if (Array.isArray(schema)) return schema.flatMap((item) => valuesOf(item, keyword));
  if (schema === null || typeof schema !== 'object') return [];
  return Object.entries(schema).flatMap(([key, value]) => [...(!isPropertyMap && key === keyword ? [value] : []), ...valuesOf(value, keyword, !isPropertyMap && key === 'properties')]);
}

describe('when a body schema becomes a model', () => {
  it.each(bodyRoutes)('declares draft 4 for $operationId, with no reference, id or format', (route) => {
    const model = requestModelSchema(route.body!);

    expect(model.$schema).toBe('http://json-schema.org/draft-04/schema#');
    for (const keyword of ['$ref', 'definitions', '$defs', 'id', '$id', 'format', 'example', 'examples']) expect(valuesOf(model, keyword)).toEqual([]);
  });

  it.each(bodyRoutes)('leaves every value rule of $operationId to the function: no pattern, minimum length or range', (route) => {
    const model = requestModelSchema(route.body!);

    for (const keyword of ['pattern', 'minLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']) expect(valuesOf(model, keyword)).toEqual([]);
  });

  it('keeps the shape: types, required fields, no unknown fields, enums and maximum lengths', () => {
    const model = requestModelSchema(
      z.strictObject({ companyId: z.string().regex(/^[a-z]+$/), password: z.string().min(1).max(1024), role: z.enum(['master', 'general']), days: z.int().min(1).max(90) }),
    );

    expect(model).toEqual({
      $schema: 'http://json-schema.org/draft-04/schema#',
      type: 'object',
      properties: { companyId: { type: 'string' }, password: { type: 'string', maxLength: 1024 }, role: { type: 'string', enum: ['master', 'general'] }, days: { type: 'integer' } },
      required: ['companyId', 'password', 'role', 'days'],
      additionalProperties: false,
    });
  });

  it('leaves a field with a default optional, as the client may omit it', () => {
    const model = requestModelSchema(z.strictObject({ role: z.enum(['master', 'general']).default('general'), email: z.email() }));

    expect(model.required).toEqual(['email']);
  });

  it("drops the email's format and pattern, so a mistyped address is answered by the function, which names the field", () => {
    const model = requestModelSchema(z.object({ email: z.email() }));

    expect(model.properties).toEqual({ email: { type: 'string' } });
  });

  it('inlines a schema registered with an id instead of referring to it', () => {
    const Settings = z.strictObject({ minLength: z.number().int().min(8) }).meta({ id: 'TestSettings', description: 'x' });

    expect(requestModelSchema(Settings)).toMatchObject({ type: 'object', properties: { minLength: { type: 'integer' } } });
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
