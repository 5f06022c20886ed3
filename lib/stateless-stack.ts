// Infrastructure: the stateless stack of one stage: the API and its functions, its custom domain if it has one, the
// event functions (SES feedback), the web ACL in front of the API, the alarms, and every output an operator or a
// client needs. It holds no data: it can be destroyed and redeployed.
import { CfnOutput, RemovalPolicy, Stack, type StackProps } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import type { Construct } from 'constructs';
import { TABLES, type TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { routeList, type RouteDefinition } from '../functions/contract/routes';
import { Api, type BreachedPasswordCheck } from './api';
import { ApiDomain, urlOfDomain, type CustomDomain } from './api-domain';
import { ApiFirewall } from './api-firewall';
import { ServiceDashboard } from './dashboard';
import { EventFunctions } from './event-functions';
import { ServiceAlarms } from './service-alarms';
import type { StatefulResources } from './stateful-stack';

export interface AdminpassStatelessStackProps extends StackProps {
  /** The stage: names the API stage, the web ACL and the alarm topic. */
  readonly stage: string;
  /** What the stateful stack of the same stage holds. */
  readonly stateful: StatefulResources;
  /** The bcrypt cost the password-hashing functions use. */
  readonly bcryptCost: number;
  /**
   * The scheme of new password hashes.
   * @default 'bcrypt'
   */
  readonly passwordHashScheme?: 'bcrypt' | 'argon2id';
  /**
   * Where emailed links point.
   * @default the custom domain's URL if there is one, else the API's own URL; both serve the Password Change Screen
   */
  readonly publicBaseUrl?: string;
  /**
   * A custom domain for the stage, with its certificate and its alias record.
   * @default - none
   */
  readonly customDomain?: CustomDomain;
  /**
   * Browser origins allowed to call the API cross-origin.
   * @default - none: no CORS
   */
  readonly allowedOrigins?: readonly string[];
  /**
   * Who is emailed when an alarm fires.
   * @default - nobody: the alarms show in the console only
   */
  readonly alarmEmail?: string;
  /**
   * Recipients verified in SES while the account is in the sandbox.
   * @default - none
   */
  readonly sandboxRecipients?: readonly string[];
  /**
   * The breached-password check of the functions that judge new passwords.
   * @default - off
   */
  readonly breachedPasswordCheck?: BreachedPasswordCheck;
  /**
   * Logs and the alarm topic's key may go with the stack (a dev stage), kept a week rather than a year.
   * @default false
   */
  readonly ephemeral?: boolean;
  /**
   * The routes to serve. Only tests give another table (the local IAM check proves a route that forgets a table fails).
   * @default routeList from functions/contract/routes.ts
   */
  readonly routes?: readonly RouteDefinition[];
}

/** The API, its functions, its web ACL and its alarms, for one stage. */
export class AdminpassStatelessStack extends Stack {
  readonly api: Api;
  readonly firewall: ApiFirewall;
  readonly alarms: ServiceAlarms;
  readonly eventFunctions: EventFunctions;
  readonly domain: ApiDomain | undefined;

  constructor(scope: Construct, id: string, props: AdminpassStatelessStackProps) {
    super(scope, id, props);
    const ephemeral = props.ephemeral ?? false;
    const { tables, pepper, sender, feedbackTopic } = props.stateful;
    const givenPublicBaseUrl = props.publicBaseUrl ?? (props.customDomain ? urlOfDomain(props.customDomain) : undefined);
    const logSettings = ephemeral
      ? { retention: logs.RetentionDays.ONE_WEEK, removalPolicy: RemovalPolicy.DESTROY }
      : { retention: logs.RetentionDays.ONE_YEAR, removalPolicy: RemovalPolicy.RETAIN };

    this.api = new Api(this, 'Api', {
      stageName: props.stage,
      tables,
      pepper,
      bcryptCost: props.bcryptCost,
      ...(props.passwordHashScheme ? { passwordHashScheme: props.passwordHashScheme } : {}),
      sender,
      ...(props.sandboxRecipients ? { sandboxRecipients: props.sandboxRecipients } : {}),
      ...(givenPublicBaseUrl ? { publicBaseUrl: givenPublicBaseUrl } : {}),
      ...(props.allowedOrigins ? { allowedOrigins: props.allowedOrigins } : {}),
      ...(props.breachedPasswordCheck ? { breachedPasswordCheck: props.breachedPasswordCheck } : {}),
      ...(props.routes ? { routes: props.routes } : {}),
      logs: logSettings,
    });
    this.domain = props.customDomain ? new ApiDomain(this, 'Domain', { domain: props.customDomain, restApi: this.api.restApi }) : undefined;
    this.eventFunctions = new EventFunctions(this, 'Events', { tables, sources: { 'ses-feedback': feedbackTopic }, logs: logSettings });
    this.firewall = new ApiFirewall(this, 'Firewall', { stageArn: this.api.stage.stageArn, stageName: props.stage });
    this.alarms = new ServiceAlarms(this, 'Alarms', {
      stageName: props.stage,
      api: this.api,
      eventFunctions: this.eventFunctions.functions,
      mailingRoutes: (props.routes ?? routeList).filter((route) => route.sendsEmail === true),
      ...(props.alarmEmail ? { alarmEmail: props.alarmEmail } : {}),
      keyRemovalPolicy: ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
    });
    new ServiceDashboard(this, 'Dashboard', { stageName: props.stage, api: this.api, eventFunctions: this.eventFunctions.functions, tables, alarms: this.alarms });

    // What `npm run ops -- … --aws --stack <this stack>` and a client read; names are stable, values follow the stage.
    const publicBaseUrl = givenPublicBaseUrl ?? this.api.stageUrl;
    const outputs: Record<string, [string, string]> = {
      ApiUrl: [this.api.url, 'The API base URL, stage included.'],
      PublicBaseUrl: [publicBaseUrl, 'Where emailed links point (ops: --public-base-url).'],
      PasswordChangeScreenUrl: [`${publicBaseUrl}/password-reset`, 'The Password Change Screen that emailed links open.'],
      SenderEmail: [sender.senderEmail, 'The From address of every email (ops: --sender).'],
      ...(sender.configurationSetName === undefined
        ? {}
        : { SenderConfigurationSet: [sender.configurationSetName, "The SES configuration set every email names, so its bounces come back to this stage (ops: --configuration-set)."] as [string, string] }),
      AlarmTopicArn: [this.alarms.topic.topicArn, 'The SNS topic every alarm notifies; subscribe more endpoints to it.'],
    };
    for (const key of Object.keys(TABLES) as TableKey[]) {
      outputs[`${TABLES[key].constructId}Name`] = [tables[key].tableName, `The ${key} table.`];
    }
    for (const [name, [value, description]] of Object.entries(outputs)) new CfnOutput(this, name, { value, description });
  }
}
