// Local runtime: API Gateway as the synthesized stateless template declares it — which function each method and path
// reach, which bodies the gateway refuses before any function runs, and the gateway's own answers — read from the
// template's JSON alone (no aws-cdk-lib, no I/O), so a route missing from the stack is missing locally too.
//
// What API Gateway (REST) does, and where that was found:
// - Routing walks the resource tree: a literal path part beats a `{param}` at the same level, which beats a greedy
//   `{proxy+}`; the first resource along that order that has the request's method, or ANY, takes the request. A
//   literal resource without the method therefore yields to a `{proxy+}` sibling that has it, and a path no resource
//   with that method matches is MISSING_AUTHENTICATION_TOKEN (403 unless the template sets another status).
//   LocalStack's tests recorded against AWS: tests/aws/services/apigateway/test_apigateway_common.py,
//   TestApigatewayRouting (test_proxy_routing_with_hardcoded_resource_sibling,
//   test_routing_with_hardcoded_resource_sibling_order, test_routing_not_found: a wrong method on an existing
//   resource answers "Missing Authentication Token", MissingAuthenticationTokenException).
// - A trailing slash is ignored when routing (LocalStack's next-gen router, resource_router.py, "trailing slashes are
//   ignored in APIGW").
// - Path parameters are handed over as the raw segments, still percent-encoded: serverless/serverless#5037 (`/posts/%40`
//   gives `event.pathParameters.id` = `%40` on AWS), aws/aws-lambda-dotnet#386 (`file%20name.xml` through a proxy
//   parameter), and functions/contract/suppression-schemas.ts, which decodes `{email}` for that reason. A greedy
//   parameter is the rest of the path, its slashes kept.
// - Body validation (docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-method-request-validation.html):
//   the model is the one declared for the request's content type, else the `$default` one; "if no matching content
//   type is found, request validation is not performed" (so a `text/plain` body reaches the function unjudged).
//   Without a Content-Type header the application/json model applies, and an empty body is judged as `{}`: LocalStack's
//   test_api_gateway_request_validator, recorded against AWS, answers 400 to a GET with no body and no Content-Type
//   against a model with required fields; localstack/localstack#7916 ("consider the request body as an empty JSON
//   object"). A body that is not JSON fails (LocalStack's method_request.py, and the same test's snapshot
//   `{"message": "Invalid request body"}` for the gateway's default answer).
// - Content types are compared as media types: without parameters (`; charset=utf-8`) and case-insensitively
//   (RFC 9110 §8.3.1: parameters are not part of a media type's identity). No AWS page or recorded test found says
//   how API Gateway picks a model here, so this is a choice, not a finding. Were AWS to compare the whole header, it
//   would skip validation for such a request and the function's own zod check would answer 400 VALIDATION_FAILED.
// - Gateway responses (docs.aws.amazon.com/apigateway/latest/developerguide/supported-gateway-response-types.html):
//   each type has a default status; a type the API does not customize falls back to DEFAULT_4XX or DEFAULT_5XX, whose
//   own status is null (the original error's) unless set, and a status set there applies to every type of its family.
import AjvDraft04, { type ValidateFunction } from 'ajv-draft-04';

type Json = Record<string, any>;

/** Everything of API Gateway the local server needs, read once from the stateless stack's template. */
export interface LocalGateway {
  /** Every method on every resource, ANY and `{proxy+}` included; only Lambda proxy integrations (see readGateway). */
  readonly routes: readonly GatewayRoute[];
  /**
   * The template's gateway responses by ResponseType (BAD_REQUEST_BODY, DEFAULT_4XX, MISSING_AUTHENTICATION_TOKEN, …),
   * each with its status resolved. DEFAULT_4XX and DEFAULT_5XX without a StatusCode hold 400 and 500 as stand-ins: their
   * status is the refused request's, so ask `gatewayAnswer(gateway, 'DEFAULT_4XX', status)` for them.
   */
  readonly responses: Readonly<Record<string, GatewayAnswer>>;
}

/** One method of one resource, and the function behind it. */
export interface GatewayRoute {
  /** 'GET' | 'POST' | … | 'ANY', as the template writes it. */
  readonly method: string;
  /** The resource's path template, e.g. '/admins/{adminId}', '/{proxy+}', '/'. */
  readonly resourcePath: string;
  /** The logical id of the Lambda function the integration invokes (Integration.Uri's `Fn::GetAtt [id, 'Arn']`). */
  readonly functionLogicalId: string;
  /** Content type → JSON schema (draft-04), present only when the method's validator validates bodies. */
  readonly bodyModels?: Readonly<Record<string, Json>>;
}

/** An answer API Gateway sends itself, without invoking a function. */
export interface GatewayAnswer {
  readonly statusCode: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The status each gateway response type has when neither it nor its family's default sets one (AWS's table). */
const DEFAULT_STATUS: Readonly<Record<string, number>> = {
  ACCESS_DENIED: 403,
  API_CONFIGURATION_ERROR: 500,
  AUTHORIZER_CONFIGURATION_ERROR: 500,
  AUTHORIZER_FAILURE: 500,
  BAD_REQUEST_PARAMETERS: 400,
  BAD_REQUEST_BODY: 400,
  EXPIRED_TOKEN: 403,
  INTEGRATION_FAILURE: 504,
  INTEGRATION_TIMEOUT: 504,
  INVALID_API_KEY: 403,
  INVALID_SIGNATURE: 403,
  MISSING_AUTHENTICATION_TOKEN: 403,
  QUOTA_EXCEEDED: 429,
  REQUEST_TOO_LARGE: 413,
  RESOURCE_NOT_FOUND: 404,
  THROTTLED: 429,
  UNAUTHORIZED: 401,
  UNSUPPORTED_MEDIA_TYPE: 415,
  WAF_FILTERED: 403,
};

/** API Gateway's own messages where no gateway response is customized, as recorded against AWS (see the top). */
const BUILT_IN_MESSAGE: Readonly<Record<string, string>> = {
  MISSING_AUTHENTICATION_TOKEN: 'Missing Authentication Token',
  BAD_REQUEST_BODY: 'Invalid request body',
};

/** The model key API Gateway falls back to when no model matches the request's content type. */
const ANY_CONTENT_TYPE = '$default';
/** What a request without a Content-Type header is judged as. */
const ASSUMED_CONTENT_TYPE = 'application/json';

// Same settings as the model/zod agreement test (test/infra/request-model-agreement.test.ts), so a body is judged
// here exactly as that test proves the models judge it.
const ajv = new AjvDraft04({ strict: false });
/** One compiled validator per model schema object: routes that share a model share its validator. */
const compiled = new WeakMap<Json, ValidateFunction>();
function validatorOf(schema: Json): ValidateFunction {
  let validate = compiled.get(schema);
  if (validate === undefined) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate;
}

/**
 * A path the resource tree can answer: absolute, no empty segment (`//health`) and no dot segment (`/admins/..`, also
 * percent-encoded); a trailing slash is allowed. Anything else goes to the catch-all, `{proxy+}` under the root.
 */
export function isCanonicalPath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  const segments = path.slice(1).split('/');
  return segments.every((segment, index) => {
    if (segment === '') return index === segments.length - 1;
    const dots = segment.replace(/%2e/gi, '.');
    return dots !== '.' && dots !== '..';
  });
}

const getAtt = (node: unknown): [string, string] | undefined => {
  const value = (node as Json | null)?.['Fn::GetAtt'];
  return Array.isArray(value) && typeof value[0] === 'string' && typeof value[1] === 'string' ? [value[0], value[1]] : undefined;
};
const ref = (node: unknown): string | undefined => {
  const value = (node as Json | null)?.Ref;
  return typeof value === 'string' ? value : undefined;
};

/** The function an AWS_PROXY integration's Uri invokes: the `Fn::GetAtt [id, 'Arn']` inside its `Fn::Join`. */
function functionOfUri(uri: unknown): string | undefined {
  const parts = (uri as Json | null)?.['Fn::Join']?.[1];
  if (!Array.isArray(parts)) return undefined;
  return parts.map(getAtt).find((att) => att?.[1] === 'Arn')?.[0];
}

/** A gateway response header value is a quoted literal (`'no-store'`); a mapping (`method.request.header.X`) is not. */
function literal(value: unknown): string | undefined {
  return typeof value === 'string' && value.length >= 2 && value.startsWith("'") && value.endsWith("'") ? value.slice(1, -1) : undefined;
}

const familyOf = (status: number): 'DEFAULT_4XX' | 'DEFAULT_5XX' => (status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');

interface DeclaredResponse {
  readonly statusCode?: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string;
}

/** The declared responses, kept beside each gateway so undeclared types can inherit from their family's default. */
const declaredOf = new WeakMap<LocalGateway, Readonly<Record<string, DeclaredResponse>>>();

function resolveAnswer(declared: Readonly<Record<string, DeclaredResponse>>, type: string, status?: number): GatewayAnswer {
  const typeStatus = DEFAULT_STATUS[type] ?? (type === 'DEFAULT_5XX' ? 500 : 400);
  const family = declared[familyOf(status ?? typeStatus)];
  const own = declared[type];
  const statusCode = status ?? own?.statusCode ?? family?.statusCode ?? typeStatus;
  const source = own ?? family;
  if (source !== undefined) return { statusCode, headers: source.headers, body: source.body };
  // Nothing customized: API Gateway's own `{"message": …}` answer.
  return { statusCode, headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ message: BUILT_IN_MESSAGE[type] ?? type }) };
}

/**
 * Reads the REST API of a synthesized template (the stateless stack's `Template.toJSON()` or `cdk synth` output).
 * Methods whose integration is not a Lambda proxy (the MOCK OPTIONS methods CORS preflight adds when origins are
 * configured) are left out: locally such a request goes to the resource's ANY, the fallback function. Only literal
 * gateway response headers are kept (a mapped one, e.g. from a request header, has no value without a request).
 */
export function readGateway(apiTemplate: Json): LocalGateway {
  const resources = Object.entries((apiTemplate.Resources ?? {}) as Record<string, Json>);
  const ofType = (type: string) => new Map(resources.filter(([, resource]) => resource.Type === type).map(([id, resource]) => [id, (resource.Properties ?? {}) as Json]));
  const restApis = [...ofType('AWS::ApiGateway::RestApi').keys()];
  if (restApis.length !== 1) throw new Error(`expected one AWS::ApiGateway::RestApi in the template, found ${restApis.length}`);
  const resourceParts = ofType('AWS::ApiGateway::Resource');
  const validators = ofType('AWS::ApiGateway::RequestValidator');
  const models = ofType('AWS::ApiGateway::Model');

  const paths = new Map<string, string>();
  /** The path of a ResourceId or ParentId: the root's `Fn::GetAtt [api, 'RootResourceId']`, or a Ref to a resource. */
  const pathOf = (node: unknown): string => {
    if (getAtt(node)?.[1] === 'RootResourceId') return '/';
    const id = ref(node);
    const resource = id === undefined ? undefined : resourceParts.get(id);
    if (id === undefined || resource === undefined) throw new Error(`unresolvable API Gateway resource ${JSON.stringify(node)}`);
    let path = paths.get(id);
    if (path === undefined) {
      const parent = pathOf(resource.ParentId);
      path = `${parent === '/' ? '' : parent}/${resource.PathPart}`;
      paths.set(id, path);
    }
    return path;
  };

  const schemaOf = (node: unknown): Json => {
    const id = ref(node);
    const model = id !== undefined ? models.get(id) : [...models.values()].find((candidate) => candidate.Name === node);
    if (model === undefined) throw new Error(`unresolvable API Gateway model ${JSON.stringify(node)}`);
    return (typeof model.Schema === 'string' ? JSON.parse(model.Schema) : model.Schema) as Json;
  };

  const routes: GatewayRoute[] = [];
  for (const method of ofType('AWS::ApiGateway::Method').values()) {
    const functionLogicalId = method.Integration?.Type === 'AWS_PROXY' ? functionOfUri(method.Integration.Uri) : undefined;
    if (functionLogicalId === undefined) continue;
    const validatorId = ref(method.RequestValidatorId);
    const validatesBodies = validatorId !== undefined && validators.get(validatorId)?.ValidateRequestBody === true;
    const requestModels = (method.RequestModels ?? {}) as Record<string, unknown>;
    const bodyModels = validatesBodies ? Object.fromEntries(Object.entries(requestModels).map(([contentType, model]) => [contentType, schemaOf(model)])) : undefined;
    // Compiled now, once per model, so a schema API Gateway could not take fails the start, not a request.
    for (const schema of Object.values(bodyModels ?? {})) validatorOf(schema);
    routes.push({
      method: String(method.HttpMethod).toUpperCase(),
      resourcePath: pathOf(method.ResourceId),
      functionLogicalId,
      ...(bodyModels === undefined ? {} : { bodyModels }),
    });
  }

  const declared: Record<string, DeclaredResponse> = {};
  for (const response of ofType('AWS::ApiGateway::GatewayResponse').values()) {
    const headers = Object.fromEntries(
      Object.entries((response.ResponseParameters ?? {}) as Record<string, unknown>).flatMap(([key, value]) => {
        const name = /^gatewayresponse\.header\.(.+)$/.exec(key)?.[1];
        const text = literal(value);
        return name === undefined || text === undefined ? [] : [[name, text]];
      }),
    );
    const templates = (response.ResponseTemplates ?? {}) as Record<string, string>;
    const body = templates['application/json'] ?? Object.values(templates)[0] ?? '';
    declared[String(response.ResponseType)] = { ...(response.StatusCode === undefined ? {} : { statusCode: Number(response.StatusCode) }), headers, body };
  }
  const responses = Object.fromEntries(Object.keys(declared).map((type) => [type, resolveAnswer(declared, type)]));

  const gateway: LocalGateway = { routes, responses };
  declaredOf.set(gateway, declared);
  return gateway;
}

/**
 * The gateway's answer of a response type, as API Gateway builds it: the type's own gateway response, else its
 * family's (DEFAULT_4XX or DEFAULT_5XX) with the type's status, else API Gateway's built-in `{"message": …}`. `status`
 * is the refused request's status, which DEFAULT_4XX and DEFAULT_5XX answer with; it overrides any other.
 */
export function gatewayAnswer(gateway: LocalGateway, type: string, status?: number): GatewayAnswer {
  // A gateway not made by readGateway (a test's literal) has only its resolved answers to inherit from.
  return resolveAnswer(declaredOf.get(gateway) ?? gateway.responses, type, status);
}

/** A resource of the tree: its methods, and its children by kind. */
interface ResourceNode {
  readonly path: string;
  readonly methods: Map<string, GatewayRoute>;
  readonly literals: Map<string, ResourceNode>;
  /** `{name}` children; API Gateway allows one per parent, kept as a list so nothing is lost if not. */
  readonly params: { readonly name: string; readonly node: ResourceNode }[];
  /** `{name+}` children. */
  readonly greedy: { readonly name: string; readonly node: ResourceNode }[];
}

const trees = new WeakMap<LocalGateway, ResourceNode>();
function treeOf(gateway: LocalGateway): ResourceNode {
  let root = trees.get(gateway);
  if (root !== undefined) return root;
  const node = (path: string): ResourceNode => ({ path, methods: new Map(), literals: new Map(), params: [], greedy: [] });
  root = node('/');
  for (const route of gateway.routes) {
    let at = root;
    for (const part of route.resourcePath.split('/').filter(Boolean)) {
      const path = `${at.path === '/' ? '' : at.path}/${part}`;
      const variable = /^\{(.+?)(\+?)\}$/.exec(part);
      const kind = variable === null ? undefined : variable[2] === '+' ? at.greedy : at.params;
      let next = kind === undefined ? at.literals.get(part) : kind.find((child) => child.name === variable![1])?.node;
      if (next === undefined) {
        next = node(path);
        if (kind === undefined) at.literals.set(part, next);
        else kind.push({ name: variable![1]!, node: next });
      }
      at = next;
    }
    at.methods.set(route.method, route);
  }
  trees.set(gateway, root);
  return root;
}

/** Every resource the segments reach, most specific first: literal, then `{param}`, then `{proxy+}`, at each level. */
function* candidates(at: ResourceNode, segments: readonly string[], index: number, params: Record<string, string>): Generator<{ node: ResourceNode; params: Record<string, string> }> {
  if (index === segments.length) {
    yield { node: at, params };
    return;
  }
  const segment = segments[index]!;
  const literal = at.literals.get(segment);
  if (literal !== undefined) yield* candidates(literal, segments, index + 1, params);
  for (const { name, node } of at.params) yield* candidates(node, segments, index + 1, { ...params, [name]: segment });
  for (const { name, node } of at.greedy) yield { node, params: { ...params, [name]: segments.slice(index).join('/') } };
}

const methodOn = (node: ResourceNode, method: string): GatewayRoute | undefined => node.methods.get(method) ?? node.methods.get('ANY');

/**
 * The route API Gateway would pick for this method and (raw, undecoded) path, with its path parameters, still
 * percent-encoded as API Gateway passes them; undefined when API Gateway would answer MISSING_AUTHENTICATION_TOKEN
 * itself. A path with an empty or dot segment goes to the root's `{proxy+}`, which gets the whole path after the
 * first slash.
 */
export function routeRequest(gateway: LocalGateway, method: string, path: string): { route: GatewayRoute; pathParameters: Record<string, string> } | undefined {
  const root = treeOf(gateway);
  const verb = method.toUpperCase();
  if (!isCanonicalPath(path)) {
    for (const { name, node } of root.greedy) {
      const route = methodOn(node, verb);
      if (route !== undefined) return { route, pathParameters: { [name]: path.replace(/^\//, '') } };
    }
    return undefined;
  }
  const segments = path.split('/').filter(Boolean);
  for (const { node, params } of candidates(root, segments, 0, {})) {
    const route = methodOn(node, verb);
    if (route !== undefined) return { route, pathParameters: params };
  }
  return undefined;
}

/** The media type of a Content-Type value, without parameters, lower-cased; the assumed one when there is none. */
function mediaTypeOf(headers: Readonly<Record<string, string | undefined>>): string {
  const value = Object.entries(headers).find(([name, text]) => name.toLowerCase() === 'content-type' && text !== undefined)?.[1];
  const type = value?.split(';')[0]?.trim().toLowerCase();
  return type === undefined || type === '' ? ASSUMED_CONTENT_TYPE : type;
}

/**
 * The gateway's own answer (its BAD_REQUEST_BODY response, exactly) when it would refuse the request before invoking
 * the function because the body fails the method's model; undefined when the function is invoked. A route without
 * body models, or a content type with no model and no `$default` one, is never refused.
 */
export function validateRequest(
  gateway: LocalGateway,
  route: GatewayRoute,
  request: { headers: Readonly<Record<string, string | undefined>>; body: string | null },
): GatewayAnswer | undefined {
  if (route.bodyModels === undefined) return undefined;
  const mediaType = mediaTypeOf(request.headers);
  const key = Object.keys(route.bodyModels).find((contentType) => contentType.toLowerCase() === mediaType) ?? (ANY_CONTENT_TYPE in route.bodyModels ? ANY_CONTENT_TYPE : undefined);
  if (key === undefined) return undefined;
  let body: unknown;
  try {
    body = request.body === null || request.body === '' ? {} : JSON.parse(request.body);
  } catch {
    return gatewayAnswer(gateway, 'BAD_REQUEST_BODY');
  }
  return validatorOf(route.bodyModels[key]!)(body) ? undefined : gatewayAnswer(gateway, 'BAD_REQUEST_BODY');
}
