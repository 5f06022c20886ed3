// Contract: the OpenAPI 3.1 document, generated from the route table and its zod schemas (OpenAPI 3.1 speaks JSON
// Schema 2020-12, which is what zod emits).
import { z } from 'zod';
import { ErrorBody } from './schemas';
import { STATUS_OF } from '../http/error-status';
import { IDEMPOTENCY_KEY_DESCRIPTION, IDEMPOTENCY_KEY_HEADER, IDEMPOTENCY_KEY_PATTERN } from './idempotency-key';
import { routeList, type RouteDefinition } from './routes';

type JsonObject = Record<string, unknown>;

/** Converts a schema, moving its shared definitions into the document's components. */
function toSchema(schema: z.ZodType, io: 'input' | 'output', components: JsonObject): JsonObject {
  const { $schema: _dialect, $defs, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonObject;
  const relink = (value: unknown): JsonObject => JSON.parse(JSON.stringify(value).replaceAll('"#/$defs/', '"#/components/schemas/'));
  for (const [id, definition] of Object.entries(($defs ?? {}) as JsonObject)) components[id] = relink(definition);
  return relink(rest);
}

function parameters(route: RouteDefinition, components: JsonObject): JsonObject[] {
  const from = (schema: z.ZodType | undefined, location: 'path' | 'query') => {
    if (schema === undefined) return [];
    const { properties = {}, required = [] } = toSchema(schema, 'input', components) as { properties?: JsonObject; required?: string[] };
    return Object.entries(properties).map(([name, property]) => ({
      name,
      in: location,
      required: location === 'path' || required.includes(name),
      schema: property,
    }));
  };
  const idempotencyKey = route.idempotency === 'key' ? [{ $ref: '#/components/parameters/IdempotencyKey' }] : [];
  return [...from(route.params, 'path'), ...from(route.query, 'query'), ...idempotencyKey];
}

/** The optional header every `idempotency: 'key'` route accepts. */
const idempotencyKeyParameter = {
  name: IDEMPOTENCY_KEY_HEADER,
  in: 'header',
  required: false,
  description: IDEMPOTENCY_KEY_DESCRIPTION,
  schema: { type: 'string', minLength: 1, maxLength: 128, pattern: IDEMPOTENCY_KEY_PATTERN.source },
};

function operation(route: RouteDefinition, components: JsonObject): JsonObject {
  const errorResponse = { $ref: '#/components/responses/Error' };
  const responses: JsonObject = {};
  for (const [status, response] of Object.entries(route.responses)) {
    const content = route.servesPage
      ? { 'text/html': { schema: { type: 'string' } } }
      : response.schema
        ? { 'application/json': { schema: toSchema(response.schema, 'output', components) } }
        : undefined;
    responses[status] = { description: response.description, ...(content ? { content } : {}) };
  }
  const errorStatuses = new Set((route.errors ?? []).map((code) => STATUS_OF[code]));
  if (route.body || route.query || route.params) errorStatuses.add(400);
  if (route.access === 'session' || route.access === 'master') errorStatuses.add(401);
  if (route.access === 'master') errorStatuses.add(403);
  if (route.idempotency === 'key') for (const code of ['IDEMPOTENCY_IN_PROGRESS', 'IDEMPOTENCY_KEY_REUSED'] as const) errorStatuses.add(STATUS_OF[code]);
  // Any route that runs a function can end unfinished (see README, Honest answers): 500 INTERNAL, 503 SERVICE_BUSY or OUTCOME_UNKNOWN.
  for (const code of ['INTERNAL', 'SERVICE_BUSY', 'OUTCOME_UNKNOWN'] as const) errorStatuses.add(STATUS_OF[code]);
  for (const status of [...errorStatuses].sort()) responses[String(status)] = errorResponse;
  return {
    operationId: route.operationId,
    summary: route.summary,
    ...(route.access === 'session' || route.access === 'master' ? { security: [{ session: [] }] } : { security: [] }),
    ...(route.access === 'master' ? { description: 'Master administrators only.' } : {}),
    parameters: parameters(route, components),
    ...(route.body
      ? { requestBody: { required: true, content: { 'application/json': { schema: toSchema(route.body, 'input', components) } } } }
      : {}),
    responses,
  };
}

export function openApiDocument(): JsonObject {
  const components: JsonObject = {};
  const paths: Record<string, JsonObject> = {};
  for (const route of routeList) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route, components) };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'adminpass',
      version: '1.0.0',
      description: 'Administrator password management for a multi-company admin console. Every error is {"error":{"code","message","details?"}}.',
    },
    paths,
    components: {
      schemas: { ...components, Error: toSchema(ErrorBody, 'output', components) },
      parameters: { IdempotencyKey: idempotencyKeyParameter },
      responses: { Error: { description: 'An error.', content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } } },
      securitySchemes: { session: { type: 'http', scheme: 'bearer', description: 'The sessionToken from POST /sign-in.' } },
    },
  };
}
