// Infrastructure: the house Lambda function for one route of the route table: its entry, runtime, sizing, bundling,
// log group and role are fixed here once, so every route's function is built the same way.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { FUNCTION_TIMEOUT_MS } from '../functions/adapters/clients/sdk-budget';
import type { RouteDefinition } from '../functions/contract/routes';
import { assetBuildHooks, cdkBundlingOptions, entryOf, projectRoot } from './bundling';

export interface ApiFunctionProps {
  /** The route this function answers; its handler is functions/<route.handler>/handler.ts. */
  readonly route: RouteDefinition;
  /**
   * Environment variables besides the house ones (source maps, Powertools service name and log level).
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
 * A route's Lambda function: Node.js 24 on ARM, bundled locally by esbuild, with its own log group and its own role.
 * The role starts with nothing but writing to that log group; the caller grants what the route needs.
 */
export class ApiFunction extends Construct {
  readonly handler: nodejs.NodejsFunction;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, 'LogGroup', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_YEAR,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.RETAIN,
    });
    // Not AWSLambdaBasicExecutionRole: that managed policy lets a function create and write any log group in the
    // account. The log group exists already, so writing its streams is all the function needs.
    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `adminpass ${props.route.operationId} function`,
    });
    this.logGroup.grants.write(this.role);
    this.handler = new nodejs.NodejsFunction(this, 'Handler', {
      description: `adminpass ${props.route.operationId}: ${props.route.summary}`,
      entry: entryOf(props.route),
      handler: 'handler',
      projectRoot,
      depsLockFilePath: `${projectRoot}package-lock.json`,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      // bcrypt is CPU-bound and Lambda allots CPU in proportion to memory: 1024 MB is about 0.6 of a vCPU, which keeps a
      // cost-12 hash under a second. The functions that never hash pay little for it at this traffic.
      memorySize: 1024,
      // The same number the pipeline's deadline and the SDK clients' budget are derived from.
      timeout: Duration.millis(FUNCTION_TIMEOUT_MS),
      logGroup: this.logGroup,
      role: this.role,
      environment: {
        NODE_OPTIONS: '--enable-source-maps',
        POWERTOOLS_SERVICE_NAME: 'adminpass',
        POWERTOOLS_LOG_LEVEL: 'INFO',
        ...props.environment,
      },
      bundling: {
        // Bundled with the esbuild in node_modules; never Docker (none exists where this synthesizes).
        forceDockerBundling: false,
        // How the handler is bundled (ESM, Node 24, minified, source maps, AWS SDK included) is lib/bundling.ts.
        ...cdkBundlingOptions,
        ...(assetBuildHooks(props.route) ? { commandHooks: assetBuildHooks(props.route) } : {}),
      },
    });
  }
}
