// Infrastructure: the REST API, generated from the route table: one function per route, each granted exactly the
// table access its route declares, and the fallback function behind every method and path the table does not declare.
import { Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { TABLES, type TableDefinition, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { fallbackRoute, routeList, type RouteDefinition } from '../functions/contract/routes';
import { SECURITY_HEADERS } from '../functions/http/responses';
import { ApiFunction, type ApiFunctionProps } from './api-function';

/**
 * The DynamoDB actions each level of table access allows. There is no separate permission for TransactWriteItems:
 * a transaction is authorized per item action (Put, Update, Delete, ConditionCheck), so `write` lists all four.
 */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:Query'],
  write: ['dynamodb:GetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem'],
} as const satisfies Record<'read' | 'write', readonly string[]>;

export interface ApiProps {
  /** The API Gateway stage the API is deployed to. */
  readonly stageName: string;
  /** The tables routes may declare, by their key in TABLES. */
  readonly tables: Readonly<Record<TableKey, dynamodb.ITableV2>>;
  /** The pepper, read by the routes marked `usesPepper`. */
  readonly pepper: secretsmanager.ISecret;
  /** The bcrypt cost handed to the routes marked `usesPepper`. */
  readonly bcryptCost: number;
  /** The From address of the routes marked `sendsEmail`; they may send as this identity and no other. */
  readonly senderEmail: string;
  /**
   * Where emailed links point.
   * @default the API's own execute-api URL for the stage
   */
  readonly publicBaseUrl?: string;
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
  /**
   * Log settings for every function.
   * @default - ApiFunction's defaults: one year, retained
   */
  readonly functionLogs?: Pick<ApiFunctionProps, 'logRetention' | 'logRemovalPolicy'>;
}

/** The adminpass REST API and its functions. */
export class Api extends Construct {
  readonly restApi: apigateway.RestApi;

  private readonly props: ApiProps;
  private readonly functionsByOperation = new Map<string, ApiFunction>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.props = props;
    this.restApi = new apigateway.RestApi(this, 'RestApi', {
      restApiName: `adminpass-${props.stageName}`,
      description: 'adminpass administrator passwords; generated from functions/contract/routes.ts',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // The CloudWatch role is one per account and region, not this service's to own.
      cloudWatchRole: false,
      deployOptions: { stageName: props.stageName },
    });
    // The stack publishes the URL as its ApiUrl output; RestApi's own generated-name copy of it would only repeat it.
    this.restApi.node.tryRemoveChild('Endpoint');

    const declaredResources = new Set<apigateway.IResource>();
    for (const route of props.routes ?? routeList) {
      const integration = new apigateway.LambdaIntegration(this.functionFor(route).handler);
      this.restApi.root.resourceForPath(route.path).addMethod(route.method, integration);
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
    this.answerGatewayErrorsInTheEnvelope();
  }

  /**
   * Answers API Gateway's own refusals (a path it cannot route, throttling, an oversized request, a failed
   * integration) in the same {"error":{code,message}} envelope and with the same headers as the functions do.
   */
  private answerGatewayErrorsInTheEnvelope(): void {
    const responseHeaders = Object.fromEntries(
      Object.entries({ ...SECURITY_HEADERS, 'Content-Type': 'application/json; charset=utf-8' }).map(([name, value]) => [name, `'${value}'`]),
    );
    const envelope = (code: string, message: string) => ({ 'application/json': JSON.stringify({ error: { code, message } }) });
    const responses: [string, apigateway.ResponseType, string | undefined, Record<string, string>][] = [
      ['NoSuchRoute', apigateway.ResponseType.MISSING_AUTHENTICATION_TOKEN, '404', envelope('ROUTE_NOT_FOUND', 'There is no such operation. GET /openapi.json lists them all.')],
      ['Throttled', apigateway.ResponseType.THROTTLED, '429', envelope('TOO_MANY_REQUESTS', 'Too many requests. Wait a moment and try again.')],
      ['TooLarge', apigateway.ResponseType.REQUEST_TOO_LARGE, '413', envelope('PAYLOAD_TOO_LARGE', 'The request is too large.')],
      ['Other4xx', apigateway.ResponseType.DEFAULT_4XX, undefined, envelope('REQUEST_REFUSED', 'The request was refused before it reached the service.')],
      ['Other5xx', apigateway.ResponseType.DEFAULT_5XX, undefined, envelope('INTERNAL', 'Something went wrong on our side. Nothing was changed; please try again.')],
    ];
    for (const [id, type, statusCode, templates] of responses) {
      this.restApi.addGatewayResponse(id, { type, ...(statusCode ? { statusCode } : {}), responseHeaders, templates });
    }
  }

  /** Every function by its route's operationId, the fallback's included. */
  get functions(): ReadonlyMap<string, ApiFunction> {
    return this.functionsByOperation;
  }

  /** The API's invoke URL for its stage. */
  get url(): string {
    return this.restApi.url;
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

  /** The route's function, with the environment and the permissions its route declares and nothing more. */
  private functionFor(route: RouteDefinition): ApiFunction {
    const tableAccess = Object.entries(route.tables) as [TableKey, 'read' | 'write'][];
    const environment: Record<string, string> = Object.fromEntries(
      tableAccess.map(([key]) => [TABLES[key].envVar, this.props.tables[key].tableName]),
    );
    if (route.sendsEmail) {
      environment.SENDER_EMAIL = this.props.senderEmail;
      environment.PUBLIC_BASE_URL = this.props.publicBaseUrl ?? this.ownUrl();
    }
    if (route.usesPepper) {
      environment.PEPPER_SECRET_ARN = this.props.pepper.secretArn;
      environment.BCRYPT_COST = String(this.props.bcryptCost);
    }

    const id = `${route.operationId.charAt(0).toUpperCase()}${route.operationId.slice(1)}Function`;
    const fn = new ApiFunction(this, id, { route, environment, ...this.props.functionLogs });
    for (const [key, access] of tableAccess) {
      fn.handler.addToRolePolicy(
        new iam.PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [this.props.tables[key].tableArn] }),
      );
      // A table's indexes are read through their own ARNs, and only by Query.
      const indexArns = ((TABLES[key] as TableDefinition).globalIndexes ?? []).map((index) => `${this.props.tables[key].tableArn}/index/${index.indexName}`);
      if (indexArns.length > 0) fn.handler.addToRolePolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: indexArns }));
    }
    if (route.usesPepper) this.props.pepper.grantRead(fn.handler);
    if (route.sendsEmail) {
      const { account, region, partition } = Stack.of(this);
      const domain = this.props.senderEmail.split('@')[1];
      fn.handler.addToRolePolicy(
        new iam.PolicyStatement({
          actions: ['ses:SendEmail'],
          // SES authorizes against the identity that verified the sender: the address itself or its domain.
          resources: [this.props.senderEmail, domain].map((identity) => `arn:${partition}:ses:${region}:${account}:identity/${identity}`),
          conditions: { StringEquals: { 'ses:FromAddress': this.props.senderEmail } },
        }),
      );
    }
    this.functionsByOperation.set(route.operationId, fn);
    return fn;
  }
}
