// Infrastructure: the house Lambda function for one route of the route table or one event function: its entry,
// runtime, sizing, bundling, log group, role and table grants are fixed here once, so every function is built, and
// granted its declared tables, the same way.
import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_MS } from '../functions/adapters/clients/sdk-budget';
import { METRICS_NAMESPACE_ENV, SERVICE_NAME } from '../functions/http/metric-names';
import { TABLES, type TableDefinition, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import type { FunctionDeclaration } from '../functions/contract/event-functions';
import { bundleFileHooks, cdkBundlingOptions, entryOf, projectRoot } from './bundling';

/**
 * The DynamoDB actions each level of table access allows. There is no separate permission for TransactWriteItems:
 * a transaction is authorized per item action (Put, Update, Delete, ConditionCheck), so `write` lists all four.
 * BatchWriteItem is its own action (the audit log stores events that stand alone in batches of 25); it puts and
 * deletes no more than PutItem and DeleteItem already allow. BatchGetItem (the audit log's names of the admins a
 * page mentions) reads no more than GetItem already allows.
 */
const TABLE_ACTIONS = {
  read: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'],
  write: ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:BatchWriteItem'],
} as const satisfies Record<'read' | 'write', readonly string[]>;

/**
 * Memory, and with it CPU: Lambda allots CPU in proportion to memory, one vCPU at 1,769 MB. A password hash (bcryptjs,
 * or argon2id with one lane) runs on one thread: below one vCPU it takes longer in proportion and costs the same
 * GB-seconds, above it it is no faster and costs more. So the functions that hash get exactly one vCPU, and a
 * sign-in is as fast as the hash allows at the lowest cost per sign-in. The others mostly wait on DynamoDB and SES;
 * their CPU is spent in a cold start's import, which 1,024 MB (0.58 vCPU) keeps to a few hundred ms (README,
 * "Lambda memory", with the numbers of `npm run bench`).
 */
export const FUNCTION_MEMORY_MB = { hashing: 1769, other: 1024 } as const;

export const memoryOf = (declaration: Pick<FunctionDeclaration, 'usesPepper'>): number =>
  declaration.usesPepper === true ? FUNCTION_MEMORY_MB.hashing : FUNCTION_MEMORY_MB.other;

export interface ApiFunctionProps {
  /** The route (or event function) this function runs; its handler is functions/<declaration.handler>/handler.ts. */
  readonly declaration: FunctionDeclaration;
  /**
   * The tables a declaration may name, by their key in TABLES: the function gets the name of each table its
   * declaration's `tables` names (in the table's env var) and exactly that access to it.
   * @default - none: a declaration that names a table is then an error
   */
  readonly tables?: Readonly<Record<TableKey, dynamodb.ITableV2>>;
  /**
   * Environment variables besides the house ones (Powertools service name and log level).
   * @default - none
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * How long the function's log group keeps its logs.
   * @default logs.RetentionDays.ONE_YEAR
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly logRemovalPolicy?: RemovalPolicy;
}

/**
 * A route's or an event function's Lambda function: Node.js 24 on ARM, bundled locally by esbuild, with its own log
 * group, its own role and X-Ray active tracing. The role starts with nothing but writing to that log group, sending
 * its traces and the declared tables; the caller grants anything else the declaration needs (the pepper, sending
 * email, its trigger).
 */
export class ApiFunction extends Construct {
  readonly handler: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    const { declaration } = props;
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Not AWSLambdaBasicExecutionRole: that managed policy lets a function create and write any log group in the
    // account. The log group exists already, so writing its streams is all the function needs.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `adminpass ${declaration.operationId} function`,
    });
    this.logGroup.grants.write(this.role);
    const tableAccess = Object.entries(declaration.tables) as [TableKey, 'read' | 'write'][];
    const tableOf = (key: TableKey): dynamodb.ITableV2 => {
      const table = props.tables?.[key];
      if (table === undefined) throw new Error(`adminpass: ${declaration.operationId} declares the ${key} table, which was not given`);
      return table;
    };
    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      description: `adminpass ${declaration.operationId}: ${declaration.summary}`,
      entry: entryOf(declaration),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      memorySize: memoryOf(declaration),
      // The same number the pipeline's deadline and the SDK clients' budget are derived from.
      timeout: Duration.millis(FUNCTION_TIMEOUT_MS),
      logGroup: this.logGroup,
      role: this.role,
      // Lambda records each invocation's segment (init, invocation, overhead) and joins the API stage's trace. No
      // tracing SDK runs inside: Powertools Tracer's import would cost every cold start more than it tells (README,
      // "Observability").
      tracing: lambda.Tracing.ACTIVE,
      environment: {
        POWERTOOLS_SERVICE_NAME: SERVICE_NAME,
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...Object.fromEntries(tableAccess.map(([key]) => [TABLES[key].envVar, tableOf(key).tableName])),
        ...props.environment,
      },
      bundling: {
        // Bundled with the esbuild in node_modules; never Docker (none exists where this synthesizes).
        forceDockerBundling: false,
        // How the handler is bundled (ESM, Node 24, minified, source maps, AWS SDK included) is lib/bundling.ts.
        ...cdkBundlingOptions,
        ...(bundleFileHooks(declaration) ? { commandHooks: bundleFileHooks(declaration) } : {}),
      },
    });
    // X-Ray's PutTraceSegments and PutTelemetryRecords name no resource: '*' is the only resource they take.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason: 'Active tracing lets the function send its trace segments to X-Ray, whose actions accept no resource but *.',
    });
    for (const [key, access] of tableAccess) {
      const tableArn = tableOf(key).tableArn;
      this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: [...TABLE_ACTIONS[access]], resources: [tableArn] }));
      // A table's indexes are read through their own ARNs, and only by Query.
      const indexArns = ((TABLES[key] as TableDefinition).globalIndexes ?? []).map((index) => `${tableArn}/index/${index.indexName}`);
      if (indexArns.length > 0) this.role.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['dynamodb:Query'], resources: indexArns }));
    }
  }

  /** The CloudWatch namespace the function's metrics are published in (functions/http/metrics.ts reads it). */
  publishMetricsIn(namespace: string): void {
    this.handler.addEnvironment(METRICS_NAMESPACE_ENV, namespace);
  }
}
