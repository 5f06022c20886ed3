// Infrastructure: the REST API, generated from the route table: one function per route, each granted exactly the
// access its route declares; a body model per route with a body schema; the stage's access logs, execution logs and
// throttling; and the fallback function behind every method and path the table does not declare.
import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import type { TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { BREACH_LOOKUP_TIMEOUT_MS } from '../functions/adapters/clients/sdk-budget';
import { IDEMPOTENCY_KEY_HEADER } from '../functions/contract/idempotency-key';
import { fallbackRoute, judgesNewPasswords, routeList, type RouteDefinition } from '../functions/contract/routes';
import type { ErrorCode } from '../functions/domain/errors';
import { GATEWAY_STATUS_OF, STATUS_OF, type GatewayErrorCode } from '../functions/http/error-status';
import { SECURITY_HEADERS } from '../functions/http/responses';
import { ApiFunction } from './api-function';
import { requestModelSchema } from './request-models';
import type { SenderIdentity } from './sender-identity';

/**
 * One line of JSON per request in the access log. Never `$context.error.validationErrorString`: API Gateway's
 * validator quotes the offending value in it, and that value may be a password.
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  requestTime: '$context.requestTime',
  ip: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  path: '$context.path',
  status: '$context.status',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integration.status',
  integrationLatency: '$context.integration.latency',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  wafStatus: '$context.waf.status',
} as const;

/** A deployment's breached-password check: Pwned Passwords' range API (README, "Security decisions"). */
export interface BreachedPasswordCheck {
  /** The API's base URL, without a trailing slash: https://api.pwnedpasswords.com. */
  readonly url: string;
  /**
   * How long one lookup may take, in milliseconds (100 to 3000).
   * @default BREACH_LOOKUP_TIMEOUT_MS (1500)
   */
  readonly timeoutMs?: number;
}

/** The log settings of the functions and of the stage. */
export interface LogSettings {
  /** How long logs are kept. */
  readonly retention: logs.RetentionDays;
  /** What happens to a log group when it leaves the stack. */
  readonly removalPolicy: RemovalPolicy;
}

export interface ApiProps {
  /** The API Gateway stage the API is deployed to. */
  readonly stageName: string;
  /** The tables routes may declare, by their key in TABLES. */
  readonly tables: Readonly<Record<TableKey, dynamodb.ITableV2>>;
  /** The pepper, read by the routes marked `usesPepper`. */
  readonly pepper: secretsmanager.ISecret;
  /** The bcrypt cost handed to the routes marked `usesPepper`. */
  readonly bcryptCost: number;
  /**
   * The scheme of new password hashes, handed to the routes marked `usesPepper`.
   * @default 'bcrypt'
   */
  readonly passwordHashScheme?: 'bcrypt' | 'argon2id';
  /** The identity the routes marked `sendsEmail` send as; they may send as this identity and no other. */
  readonly sender: SenderIdentity;
  /**
   * Recipients verified in SES while the account is in the sandbox, where SES also authorizes a send against the
   * recipient's identity. The mailing functions may address these identities too, still only from the sender.
   * @default - none
   */
  readonly sandboxRecipients?: readonly string[];
  /**
   * Where emailed links point.
   * @default the API's own execute-api URL for the stage
   */
  readonly publicBaseUrl?: string;
  /**
   * Browser origins allowed to call the API cross-origin. Preflight requests are answered by API Gateway; every
   * function gets the list as ALLOWED_ORIGINS to answer the request itself.
   * @default - none: no CORS
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * The breached-password check, given to the functions of the routes that judge new passwords and to no other.
   * @default - off
   */
  readonly breachedPasswordCheck?: BreachedPasswordCheck;
  /**
   * The stage's steady request rate, per second, across all clients; requests beyond it get 429.
   * @default 25
   */
  readonly throttlingRateLimit?: number;
  /**
   * The stage's burst: how many requests may arrive at once above the steady rate.
   * @default 50
   */
  readonly throttlingBurstLimit?: number;
  /**
   * Log settings of every function and of the stage's access and execution logs.
   * @default - one year, retained
   */
  readonly logs?: LogSettings;
  /**
   * The routes to serve.
   * @default routeList from functions/contract/routes.ts
   */
  readonly routes?: readonly RouteDefinition[];
  /**
   * The route behind every undeclared path and method; it answers 404 or 405.
   * @default fallbackRoute from functions/contract/routes.ts
   */
  readonly fallback?: RouteDefinition;
}

/** The adminpass REST API and its functions. */
export class Api extends Construct {
  readonly restApi: apigateway.RestApi;
  /** The stage's access log: one JSON line per request. */
  readonly accessLogs: logs.LogGroup;
  /** Validates the body of each route that has a body schema. */
  readonly bodyValidator: apigateway.RequestValidator;

  private readonly props: ApiProps;
  private readonly logSettings: LogSettings;
  private readonly functionsByOperation = new Map<string, ApiFunction>();
  private readonly modelsByOperation = new Map<string, apigateway.Model>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.props = props;
    this.logSettings = props.logs ?? { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN };
    const allowedOrigins = props.allowedOrigins ?? [];

    this.accessLogs = new logs.LogGroup(this, 'AccessLogs', this.logGroupProps());
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `adminpass-${props.stageName}`,
      description: 'adminpass administrator passwords; generated from functions/contract/routes.ts',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // API Gateway writes access and execution logs through one role per account and region, set in the account's
      // API Gateway settings: the account stack's (lib/account-stack.ts), which every stage depends on, not a stage's.
      cloudWatchRole: false,
      deployOptions: {
        stageName: props.stageName,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogs),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
        throttlingRateLimit: props.throttlingRateLimit ?? 25,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 50,
        // Errors only, and never the data trace: it would log request bodies, which carry passwords.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        tracingEnabled: true,
      },
      ...(allowedOrigins.length > 0
        ? {
            defaultCorsPreflightOptions: {
              allowOrigins: [...allowedOrigins],
              allowMethods: apigateway.Cors.ALL_METHODS,
              allowHeaders: ['Content-Type', 'Authorization', 'If-Match', IDEMPOTENCY_KEY_HEADER],
            },
          }
        : {}),
    });
    // The stack publishes the URL as its ApiUrl output; RestApi's own generated-name copy of it would only repeat it.
    this.restApi.node.tryRemoveChild('Endpoint');
    this.keepExecutionLogs();
    this.acknowledgeFindings();

    this.bodyValidator = this.restApi.addRequestValidator('BodyValidator', {
      // Parameters too, though no method declares a required one: cdk-nag (APIG2) asks for both.
      validateRequestBody: true,
      validateRequestParameters: true,
    });

    const declaredResources = new Set<apigateway.IResource>();
    for (const route of props.routes ?? routeList) {
      const integration = new apigateway.LambdaIntegration(this.functionFor(route).handler);
      this.restApi.root.resourceForPath(route.path).addMethod(route.method, integration, this.bodyValidationOf(route));
      for (const resource of this.resourcesAlong(route.path)) declaredResources.add(resource);
    }

    // One permission for the whole API rather than one per method: the fallback answers any of them.
    const fallback = new apigateway.LambdaIntegration(this.functionFor(props.fallback ?? fallbackRoute).handler, {
      scopePermissionToMethod: false,
    });
    this.restApi.root.addMethod('ANY', fallback);
    this.restApi.root.addProxy({ defaultIntegration: fallback, anyMethod: true });
    // API Gateway answers a method a declared resource lacks with its own 403 "Missing Authentication Token" rather
    // than falling through to {proxy+}; ANY on each declared resource lets the fallback answer 405 with Allow instead.
    for (const resource of declaredResources) resource.addMethod('ANY', fallback);
    this.answerGatewayErrorsInTheEnvelope(allowedOrigins);
  }

  /** Every function by its route's operationId, the fallback's included. */
  get functions(): ReadonlyMap<string, ApiFunction> {
    return this.functionsByOperation;
  }

  /** The body model of each route with a body schema, by operationId. */
  get models(): ReadonlyMap<string, apigateway.Model> {
    return this.modelsByOperation;
  }

  /** The API's invoke URL for its stage, ending in a slash. */
  get url(): string {
    return this.restApi.url;
  }

  /** The stage's URL without a trailing slash, as links are built from it. */
  get stageUrl(): string {
    return this.ownUrl();
  }

  /** The stage the API is deployed to. */
  get stage(): apigateway.Stage {
    return this.restApi.deploymentStage;
  }

  private logGroupProps(): logs.LogGroupProps {
    return { retention: this.logSettings.retention, removalPolicy: this.logSettings.removalPolicy };
  }

  /**
   * API Gateway creates the stage's execution log group on its first error, never expiring. Creating it first, under
   * the name API Gateway will use, gives it the stage's retention and removal instead.
   */
  private keepExecutionLogs(): void {
    const executionLogs = new logs.LogGroup(this, 'ExecutionLogs', {
      ...this.logGroupProps(),
      logGroupName: `API-Gateway-Execution-Logs_${this.restApi.restApiId}/${this.props.stageName}`,
    });
    this.restApi.deploymentStage.node.addDependency(executionLogs);
  }

  /** The cdk-nag findings this API answers by design, each with its reason, on the API itself. */
  private acknowledgeFindings(): void {
    const api = Validations.of(this.restApi);
    api.acknowledge({
      id: 'AwsSolutions-APIG4',
      reason:
        'No API Gateway authorizer, by design: the session check is one middleware in every session route\'s function ' +
        '(functions/http/session-pipeline.ts) against the sessions table, and the public routes (sign-in, the reset ' +
        'link, health, the OpenAPI document, the Password Change Screen) must be callable without a session.',
    });
    api.acknowledge({
      id: 'AwsSolutions-COG4',
      reason:
        'No Cognito user pool: administrators and their sessions live in this service\'s own tables, which is the ' +
        'product (per-company password policy, lockout, audit trail); sessions are checked in-function.',
    });
  }

  /**
   * Answers API Gateway's own refusals (a path it cannot route, throttling, an oversized request, a body that fails
   * its model, a firewall block, a failed integration) in the same {"error":{code,message}} envelope and with the
   * same headers as the functions do.
   */
  private answerGatewayErrorsInTheEnvelope(allowedOrigins: readonly string[]): void {
    const headers: Record<string, string> = { ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' };
    // A gateway response cannot choose among origins: with one allowed origin, its errors are readable there too.
    if (allowedOrigins.length === 1) Object.assign(headers, { 'Access-Control-Allow-Origin': allowedOrigins[0], Vary: 'Origin' });
    const responseHeaders = Object.fromEntries(Object.entries(headers).map(([name, value]) => [name, `'${value}'`]));
    const envelope = (code: ErrorCode | GatewayErrorCode, message: string) => ({ 'application/json': JSON.stringify({ error: { code, message } }) });
    // The statuses come from the one mapping of codes to statuses (functions/http/error-status.ts), which the OpenAPI
    // document declares too.
    const status = (code: keyof typeof STATUS_OF | keyof typeof GATEWAY_STATUS_OF) => String({ ...STATUS_OF, ...GATEWAY_STATUS_OF }[code]);
    const responses: [string, apigateway.ResponseType, string | undefined, Record<string, string>][] = [
      ['NoSuchRoute', apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, status('ROUTE_NOT_FOUND'), envelope('ROUTE_NOT_FOUND', 'There is no such operation. GET /openapi.json lists them all.')],
      ['Throttled', apigateway.ResponseType.THROTTLED, status('TOO_MANY_REQUESTS'), envelope('TOO_MANY_REQUESTS', 'Too many requests. Wait a moment and try again.')],
      ['TooLarge', apigateway.ResponseType.REQUEST_TOO_LARGE, status('PAYLOAD_TOO_LARGE'), envelope('PAYLOAD_TOO_LARGE', 'The request is too large.')],
      // The same code and message as a function's own body validation; the details stay out, since API Gateway's
      // description of the failure quotes the submitted value.
      ['InvalidBody', apigateway.ResponseType.BAD_REQUEST_BODY, status('VALIDATION_FAILED'), envelope('VALIDATION_FAILED', 'The request body is not valid.')],
      ['Blocked', apigateway.ResponseType.WAF_FILTERED, status('REQUEST_BLOCKED'), envelope('REQUEST_BLOCKED', 'The request was blocked by the firewall.')],
      ['Other4xx', apigateway.ResponseType.DEFAULT_4XX, undefined, envelope('REQUEST_REFUSED', 'The request was refused before it reached the service.')],
      // A function that crashed or ran out of time may have written before it stopped: no claim that nothing changed.
      ['Other5xx', apigateway.ResponseType.DEFAULT_5XX, undefined, envelope('OUTCOME_UNKNOWN', 'The service could not finish, and the change may have been applied. Check before you try again; a retry with the same Idempotency-Key is safe.')],
    ];
    for (const [id, type, statusCode, templates] of responses) {
      this.restApi.addGatewayResponse(id, { type, ...(statusCode ? { statusCode } : {}), responseHeaders, templates });
    }
  }

  /** The body model and validator of a route with a body schema; nothing for a route without one. */
  private bodyValidationOf(route: RouteDefinition): apigateway.MethodOptions {
    if (route.body === undefined) return {};
    const model = this.restApi.addModel(`${this.idOf(route)}Body`, {
      contentType: 'application/json',
      description: `The body of ${route.method} ${route.path}, generated from its zod schema.`,
      // The CDK passes keys it does not map through unchanged, so draft-04 JSON Schema can be handed over as it is.
      schema: requestModelSchema(route.body) as apigateway.JsonSchema,
    });
    this.modelsByOperation.set(route.operationId, model);
    return { requestValidator: this.bodyValidator, requestModels: { 'application/json': model } };
  }

  /**
   * The stage's URL built from the API's id alone: referring to the stage itself would make every function depend
   * on the deployment, which depends on the functions.
   */
  private ownUrl(): string {
    const { region, urlSuffix } = Stack.of(this);
    return `https://${this.restApi.restApiId}.execute-api.${region}.${urlSuffix}/${this.props.stageName}`;
  }

  /** Each resource from the root to the path, so intermediate resources without a route are covered too. */
  private resourcesAlong(path: string): apigateway.IResource[] {
    const segments = path.split('/').filter(Boolean);
    return segments.map((_, index) => this.restApi.root.resourceForPath(segments.slice(0, index + 1).join('/')));
  }

  private idOf(route: RouteDefinition): string {
    return `${route.operationId.charAt(0).toUpperCase()}${route.operationId.slice(1)}`;
  }

  /** The route's function, with the environment and the permissions its route declares and nothing more. */
  private functionFor(route: RouteDefinition): ApiFunction {
    const environment: Record<string, string> = {};
    if (route.sendsEmail) {
      environment.SENDER_EMAIL = this.props.sender.senderEmail;
      if (this.props.sender.configurationSetName !== undefined) environment.SES_CONFIGURATION_SET = this.props.sender.configurationSetName;
      environment.PUBLIC_BASE_URL = this.props.publicBaseUrl ?? this.ownUrl();
    }
    if (route.usesPepper) {
      environment.PEPPER_SECRET_ARN = this.props.pepper.secretArn;
      environment.BCRYPT_COST = String(this.props.bcryptCost);
      environment.PASSWORD_HASH_SCHEME = this.props.passwordHashScheme ?? 'bcrypt';
    }
    const breachCheck = this.props.breachedPasswordCheck;
    if (breachCheck !== undefined && judgesNewPasswords(route)) {
      environment.PWNED_PASSWORDS_URL = breachCheck.url;
      environment.PWNED_PASSWORDS_TIMEOUT_MS = String(breachCheck.timeoutMs ?? BREACH_LOOKUP_TIMEOUT_MS);
    }
    if ((this.props.allowedOrigins ?? []).length > 0) environment.ALLOWED_ORIGINS = (this.props.allowedOrigins ?? []).join(',');

    // The tables' names and grants come from the house function, as for every declared function.
    const fn = new ApiFunction(this, `${this.idOf(route)}Function`, {
      declaration: route,
      tables: this.props.tables,
      environment,
      logRetention: this.logSettings.retention,
      logRemovalPolicy: this.logSettings.removalPolicy,
    });
    if (route.usesPepper) this.props.pepper.grantRead(fn.role);
    if (route.sendsEmail) this.allowSending(fn.role);
    this.functionsByOperation.set(route.operationId, fn);
    return fn;
  }

  /**
   * SendEmail as the sender identity (through its configuration set) and from the sender address alone. In the SES
   * sandbox SES also authorizes the send against each recipient's identity, so the verified sandbox recipients are
   * listed beside the sender.
   */
  private allowSending(role: iam.IRole): void {
    const { partition, region, account } = Stack.of(this);
    const recipients = (this.props.sandboxRecipients ?? []).map((identity) => `arn:${partition}:ses:${region}:${account}:identity/${identity}`);
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['ses:SendEmail'],
        resources: [...this.props.sender.sendingArnsIn(this), ...recipients],
        conditions: { StringEquals: { 'ses:FromAddress': this.props.sender.senderEmail } },
      }),
    );
  }
}
