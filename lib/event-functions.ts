// Infrastructure: the functions no HTTP request invokes, one per entry of functions/contract/event-functions.ts,
// built with the house function (and its table grants from `tables`) as the API's are, each subscribed to what
// starts it.
import { Duration } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import type { TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { eventFunctionList, type EventFunctionDefinition, type EventSource } from '../functions/contract/event-functions';
import { ApiFunction } from './api-function';
import type { LogSettings } from './api';

export interface EventFunctionsProps {
  /** The tables the declarations may name, by their key in TABLES. */
  readonly tables: Readonly<Record<TableKey, dynamodb.ITableV2>>;
  /** What starts the functions of each trigger: `ses-feedback` is the topic SES publishes bounces and complaints to. */
  readonly sources: Readonly<Record<EventSource, sns.ITopic>>;
  /** Log settings of every function. */
  readonly logs: LogSettings;
  /**
   * The functions to build.
   * @default eventFunctionList from functions/contract/event-functions.ts
   */
  readonly functions?: readonly EventFunctionDefinition[];
}

/** Every event function, with its grants and its subscription. */
export class EventFunctions extends Construct {
  private readonly byOperation = new Map<string, ApiFunction>();

  constructor(scope: Construct, id: string, props: EventFunctionsProps) {
    super(scope, id);
    for (const declaration of props.functions ?? eventFunctionList) {
      const fn = new ApiFunction(this, `${declaration.operationId.charAt(0).toUpperCase()}${declaration.operationId.slice(1)}Function`, {
        declaration,
        tables: props.tables,
        logRetention: props.logs.retention,
        logRemovalPolicy: props.logs.removalPolicy,
      });
      // SNS invokes asynchronously. A message the function cannot read is logged and answered normally, so only a
      // failure to store is retried: twice (Lambda's default, said here), within an hour, then the errors alarm has it.
      fn.handler.configureAsyncInvoke({ retryAttempts: 2, maxEventAge: Duration.hours(1) });
      props.sources[declaration.trigger].addSubscription(new subscriptions.LambdaSubscription(fn.handler));
      this.byOperation.set(declaration.operationId, fn);
    }
  }

  /** Every event function by its operationId. */
  get functions(): ReadonlyMap<string, ApiFunction> {
    return this.byOperation;
  }
}
