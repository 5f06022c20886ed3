// Infrastructure: a route's zod body schema as an API Gateway model (JSON Schema draft 4), so API Gateway refuses a
// malformed body before a function runs. The function still validates with zod; the model must never be stricter.
import { z } from 'zod';

/** JSON Schema as plain data. */
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

/**
 * Keywords API Gateway's draft-4 validator would judge differently from zod, dropped so the model is only ever looser:
 * `format` (its email grammar is not zod's, and zod's own `pattern` stays beside it).
 */
const DIFFERENTLY_JUDGED = new Set(['format']);

/**
 * Regular-expression syntax newer than the ECMA-262 edition draft 4 names, which API Gateway's validator may reject
 * or read differently: Unicode property escapes (`\p{Cc}`), lookbehind and named groups.
 */
const NEWER_REGEX_SYNTAX = /\\[pP]\{|\(\?<[=!a-zA-Z]/;

/**
 * The route's body schema as API Gateway accepts it: zod's draft-04 output for the input side (a field with a
 * default is optional), every schema inlined (no `$ref`, no ids or examples from the registry), and then without
 * the keywords and patterns above. Everything else (types, required fields, no unknown fields, lengths, ranges,
 * enums, plain patterns) is kept.
 */
export function requestModelSchema(schema: z.ZodType): JsonSchemaObject {
  const generated = z.toJSONSchema(schema, { target: 'draft-04', io: 'input', metadata: z.registry(), unrepresentable: 'throw' });
  return withoutUnsupported(generated) as JsonSchemaObject;
}

/** Drops the keywords API Gateway would judge differently, at any depth; property names are data and kept. */
export function withoutUnsupported(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutUnsupported(item));
  if (node === null || typeof node !== 'object') return node;
  const kept = Object.entries(node as Record<string, unknown>).filter(
    ([key, value]) => isPropertyMap || !(DIFFERENTLY_JUDGED.has(key) || (key === 'pattern' && typeof value === 'string' && NEWER_REGEX_SYNTAX.test(value))),
  );
  return Object.fromEntries(kept.map(([key, value]) => [key, withoutUnsupported(value, !isPropertyMap && (key === 'properties' || key === 'patternProperties'))]));
}
