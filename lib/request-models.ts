// Infrastructure: a route's zod body schema as an API Gateway model (JSON Schema draft 4), so API Gateway refuses a
// body of the wrong shape before a function runs. The function still validates with zod; the model must never be
// stricter, and it leaves to the function every rule about a value a person types, which only the function can answer
// field by field (the gateway's 400 cannot say which field: its description would quote the value).
import { z } from 'zod';

/** JSON Schema as plain data. */
export type JsonSchemaObject = { readonly [keyword: string]: unknown };

/**
 * Keywords left to the function: `format`, which API Gateway's draft-4 validator judges differently from zod (its email
 * grammar is not zod's), and the value rules a person can break while typing into a form (an address without its
 * `@`, a setting below its minimum), which the function answers with the field and what it expects, so the console
 * can show it beside the field. A pattern also may use syntax newer than draft 4's ECMA-262 (`\p{Cc}`, lookbehind).
 */
const LEFT_TO_THE_FUNCTION = new Set(['format', 'pattern', 'minLength', 'minimum', 'maximum', 'exclusiveMinimum', 'exclusiveMaximum', 'multipleOf']);

/**
 * The route's body schema as API Gateway accepts it: zod's draft-04 output for the input side (a field with a
 * default is optional), every schema inlined (no `$ref`, no ids or examples from the registry), and then without
 * the keywords above. The shape is kept: types, required fields, no unknown fields, enums, and the maximum length of
 * each string, which bounds what reaches a function.
 */
export function requestModelSchema(schema: z.ZodType): JsonSchemaObject {
  const generated = z.toJSONSchema(schema, { target: 'draft-04', io: 'input', metadata: z.registry(), unrepresentable: 'throw' });
  return withoutUnsupported(generated) as JsonSchemaObject;
}

/** Drops the keywords left to the function, at any depth; property names are data and kept. */
export function withoutUnsupported(node: unknown, isPropertyMap = false): unknown {
  if (Array.isArray(node)) return node.map((item) => withoutUnsupported(item));
  if (node === null || typeof node !== 'object') return node;
  const kept = Object.entries(node as Record<string, unknown>).filter(([key]) => isPropertyMap || !LEFT_TO_THE_FUNCTION.has(key));
  return Object.fromEntries(kept.map(([key, value]) => [key, withoutUnsupported(value, !isPropertyMap && (key === 'properties' || key === 'patternProperties'))]));
}
