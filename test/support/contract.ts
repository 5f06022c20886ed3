// Test support: holds every answer of the local API to the OpenAPI document GET /openapi.json serves. The route is
// found from the document's own paths (not the route table), and the answer must be a status that operation
// declares, with the media type, body schema (ajv, JSON Schema 2020-12 with formats) and headers declared for it: a
// required header missing, a declared one malformed, or a header the document does not know is a mismatch. A path
// no operation has must be 404 ROUTE_NOT_FOUND, a method the path lacks 405 METHOD_NOT_ALLOWED with its Allow.
import { isCanonicalPath } from '../../local/gateway';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsPlugin from 'ajv-formats';
import { openApiDocument } from '../../functions/contract/openapi';

/** One answer as the local server sent it. */
export interface ObservedAnswer {
  readonly method: string;
  /** The path without its query string. */
  readonly path: string;
  readonly status: number;
  readonly headers: Readonly<Record<string, string | number | boolean>>;
  readonly body: string;
}

type Json = Record<string, unknown>;

/**
 * Headers every answer may carry that the document describes once, in its info (security, CORS), or that belong to
 * HTTP itself; lower-cased. Any other header must be declared on the response.
 */
const GENERAL_HEADERS = new Set([
  'content-type',
  'content-length',
  'cache-control',
  'content-security-policy',
  'referrer-policy',
  'strict-transport-security',
  'x-content-type-options',
  'vary',
  'access-control-allow-origin',
  'access-control-expose-headers',
]);

const DOCUMENT_ID = 'https://adminpass.test/openapi.json';
const pointerPart = (part: string): string => part.replaceAll('~', '~0').replaceAll('/', '~1');

export interface ContractChecker {
  /** The mismatches of one answer; none when it is what the document declares. */
  check(answer: ObservedAnswer): string[];
}

/** A checker of answers against `document` (by default the one the service serves). */
export function contractChecker(document: Json = JSON.parse(JSON.stringify(openApiDocument())) as Json): ContractChecker {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  (addFormatsPlugin as unknown as (instance: Ajv2020) => void)(ajv);
  ajv.addSchema({ ...document, $id: DOCUMENT_ID });
  const validatorAt = (pointer: string): ValidateFunction => {
    const validate = ajv.getSchema(`${DOCUMENT_ID}#${pointer}`);
    if (validate === undefined) throw new Error(`the document has no schema at ${pointer}`);
    return validate;
  };

  const at = (pointer: string): unknown =>
    pointer
      .split('/')
      .slice(1)
      .reduce<unknown>((node, part) => (node as Json | undefined)?.[part.replaceAll('~1', '/').replaceAll('~0', '~')], document);
  /** Follows a `$ref` within the document; answers the object and its pointer. */
  const resolve = (node: Json, pointer: string): { node: Json; pointer: string } => {
    const ref = node.$ref;
    if (typeof ref !== 'string') return { node, pointer };
    const target = ref.replace(/^#/, '');
    return resolve(at(target) as Json, target);
  };

  const paths = document.paths as Record<string, Json>;
  const templates = Object.keys(paths).map((template) => ({ template, segments: template.split('/').filter(Boolean) }));
  const matching = (path: string): string[] => {
    // A path with an empty or a dot segment reaches no operation (the gateway and the local server alike).
    if (!isCanonicalPath(path)) return [];
    const segments = path.split('/').filter(Boolean);
    return templates
      .filter(({ segments: parts }) => parts.length === segments.length && parts.every((part, index) => part.startsWith('{') || part === segments[index]))
      .map(({ template }) => template);
  };

  function checkBody(answer: ObservedAnswer, response: Json, pointer: string, problems: string[]): void {
    const content = response.content as Record<string, Json> | undefined;
    if (content === undefined) {
      if (answer.body !== '') problems.push('has a body, where the document declares none');
      return;
    }
    const mediaType = String(answer.headers['content-type'] ?? '').split(';')[0]!.trim();
    if (!(mediaType in content)) {
      problems.push(`is ${mediaType || 'without Content-Type'}, where the document declares ${Object.keys(content).join(' or ')}`);
      return;
    }
    let value: unknown = answer.body;
    if (mediaType === 'application/json') {
      try {
        value = JSON.parse(answer.body);
      } catch {
        problems.push('is not JSON');
        return;
      }
    }
    const validate = validatorAt(`${pointer}/content/${pointerPart(mediaType)}/schema`);
    if (!validate(value)) {
      problems.push(...(validate.errors ?? []).map((error) => `body${error.instancePath} ${error.message ?? ''} ${JSON.stringify(error.params)}`));
    }
  }

  function checkHeaders(answer: ObservedAnswer, response: Json, pointer: string, problems: string[]): void {
    const declared = (response.headers ?? {}) as Record<string, Json>;
    const sent = new Map(Object.entries(answer.headers).map(([name, value]) => [name.toLowerCase(), String(value)]));
    for (const [name, header] of Object.entries(declared)) {
      const { node, pointer: headerPointer } = resolve(header, `${pointer}/headers/${pointerPart(name)}`);
      const value = sent.get(name.toLowerCase());
      if (value === undefined) {
        if (node.required === true) problems.push(`lacks the header ${name}, which the document requires`);
        continue;
      }
      const validate = validatorAt(`${headerPointer}/schema`);
      if (!validate(value)) problems.push(`header ${name}: ${JSON.stringify(value)} ${validate.errors?.[0]?.message ?? ''}`);
    }
    const known = new Set(Object.keys(declared).map((name) => name.toLowerCase()));
    for (const name of sent.keys()) if (!known.has(name) && !GENERAL_HEADERS.has(name)) problems.push(`sends the header ${name}, which the document does not declare`);
  }

  function checkResponse(answer: ObservedAnswer, responseNode: Json, pointer: string, problems: string[]): void {
    const { node, pointer: responsePointer } = resolve(responseNode, pointer);
    checkBody(answer, node, responsePointer, problems);
    checkHeaders(answer, node, responsePointer, problems);
  }

  return {
    check(observed) {
      const answer = { ...observed, headers: Object.fromEntries(Object.entries(observed.headers).map(([name, value]) => [name.toLowerCase(), value])) };
      const problems: string[] = [];
      const method = answer.method.toLowerCase();
      const candidates = matching(answer.path);
      const template = candidates.find((candidate) => method in paths[candidate]!);
      if (template === undefined) {
        // No operation: the catch-all's answers, described as components.
        const expected = candidates.length === 0 ? { status: 404, name: 'RouteNotFound' } : { status: 405, name: 'MethodNotAllowed' };
        if (answer.status !== expected.status) {
          problems.push(`answers ${answer.status}, where a request no operation takes must get ${expected.status}`);
        } else {
          const pointer = `/components/responses/${expected.name}`;
          checkResponse(answer, at(pointer) as Json, pointer, problems);
          if (expected.status === 405) {
            const allowed = new Set(candidates.flatMap((candidate) => Object.keys(paths[candidate]!).map((name) => name.toUpperCase())));
            const sent = new Set(String(answer.headers.allow ?? '').split(', '));
            if ([...allowed].sort().join() !== [...sent].sort().join()) problems.push(`Allow is ${[...sent].join(', ')}, where the document has ${[...allowed].join(', ')}`);
          }
        }
      } else {
        const declared = `/paths/${pointerPart(template)}/${method}/responses/${answer.status}`;
        // A status the operation does not list is the gateway's own (a function that failed: 502), held to `default`,
        // whose codes no function answers: an undeclared status from a function still fails on its code.
        const fallback = `/paths/${pointerPart(template)}/${method}/responses/default`;
        const pointer = at(declared) !== undefined ? declared : answer.status >= 500 && at(fallback) !== undefined ? fallback : undefined;
        if (pointer === undefined) problems.push(`answers ${answer.status}, a status the document does not declare for this operation`);
        else checkResponse(answer, at(pointer) as Json, pointer, problems);
      }
      return problems.map((problem) => `${answer.method} ${answer.path} ${answer.status}: ${problem}`);
    },
  };
}
