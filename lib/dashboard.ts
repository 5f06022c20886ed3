// Infrastructure: the stage's CloudWatch dashboard, one page an operator reads top to bottom: the alarms' states, the
// API's answers and latency, the service's own counts (sign-ins, lockouts, resets, emails), every function's errors,
// throttles and duration, the tables' throttles and the SES account's reputation. The metrics come from the
// constructs that own them (the API stage, the functions, ServiceAlarms), the thresholds from ALARM_THRESHOLDS.
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { Construct } from 'constructs';
import type { TableKey } from '../functions/adapters/dynamodb/table-definitions';
import { SERVICE_METRICS, type ServiceMetric } from '../functions/http/metric-names';
import type { Api } from './api';
import type { ApiFunction } from './api-function';
import { ALARM_THRESHOLDS, SES_REVIEW_RATES, sesReputation, type ServiceAlarms } from './service-alarms';

export interface ServiceDashboardProps {
  /** The stage: names the dashboard. */
  readonly stageName: string;
  /** The API whose stage and functions are graphed. */
  readonly api: Api;
  /**
   * The event functions, graphed like the API's.
   * @default - none
   */
  readonly eventFunctions?: ReadonlyMap<string, ApiFunction>;
  /** The tables whose throttled requests are graphed. */
  readonly tables: Readonly<Record<TableKey, dynamodb.ITableV2>>;
  /** The alarms: their states, the stage's namespace and the per-company count of failed sign-ins. */
  readonly alarms: ServiceAlarms;
}

const WIDTH = 24;
const FIVE_MINUTES = Duration.minutes(5);

/** The stage's dashboard, named `adminpass-<stage>` so an operator finds it by the stack's name. */
export class ServiceDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: ServiceDashboardProps) {
    super(scope, id);
    const { api, alarms } = props;
    const functions = [...api.functions, ...(props.eventFunctions ?? [])];
    const graph = (title: string, left: cloudwatch.IMetric[], options: Partial<cloudwatch.GraphWidgetProps> = {}) =>
      new cloudwatch.GraphWidget({ title, left, width: WIDTH / 3, height: 6, ...options });
    const service = (...names: ServiceMetric[]) => names.map((name) => alarms.serviceMetric(name, { label: name }));
    const perFunction = (metricOf: (fn: ApiFunction) => cloudwatch.Metric, label: (operationId: string) => string = (operationId) => operationId) =>
      functions.map(([operationId, fn]) => metricOf(fn).with({ label: label(operationId) }));
    const sum = { statistic: cloudwatch.Stats.SUM, period: FIVE_MINUTES };
    const threshold = (value: number, label: string): cloudwatch.HorizontalAnnotation => ({ value, label });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `adminpass-${props.stageName}`,
      defaultInterval: Duration.hours(12),
    });
    this.dashboard.addWidgets(new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: [...alarms.alarms], width: WIDTH, height: 4 }));
    this.dashboard.addWidgets(
      graph('API requests and errors (per 5 minutes)', [
        api.stage.metricCount({ ...sum, label: 'Requests' }),
        api.stage.metricClientError({ ...sum, label: '4xx' }),
        api.stage.metricServerError({ ...sum, label: '5xx' }),
      ]),
      graph('API latency (ms)', [
        api.stage.metricLatency({ statistic: cloudwatch.Stats.percentile(50), label: 'p50' }),
        api.stage.metricLatency({ statistic: cloudwatch.Stats.percentile(99), label: 'p99' }),
        api.stage.metricIntegrationLatency({ statistic: cloudwatch.Stats.percentile(99), label: 'integration p99' }),
      ]),
      graph('Sign-ins (per 5 minutes)', service('SignInSucceeded', 'SignInFailed', 'AccountLocked'), {
        leftAnnotations: [threshold(ALARM_THRESHOLDS.failedSignIns, 'failed sign-ins alarm'), threshold(ALARM_THRESHOLDS.lockouts, 'lockouts alarm')],
      }),
    );
    this.dashboard.addWidgets(
      graph(
        'Failed sign-ins of the company with the most (per 5 minutes)',
        alarms.failedSignInsOfTopCompany === undefined ? [] : [alarms.failedSignInsOfTopCompany],
        { leftAnnotations: [threshold(ALARM_THRESHOLDS.failedSignInsOfOneCompany, 'alarm')] },
      ),
      graph('Password resets (per 5 minutes)', service('PasswordResetRequested', 'PasswordResetCompleted')),
      graph('Emails (per 5 minutes)', [...service('EmailSent', 'EmailSuppressed', 'EmailRefusedBySes'), alarms.emailFailures.with({ label: 'EmailSendFailures (log)' })]),
    );
    this.dashboard.addWidgets(
      graph('Function errors (per 5 minutes)', perFunction((fn) => fn.handler.metricErrors(sum))),
      graph('Function throttles (per 5 minutes)', perFunction((fn) => fn.handler.metricThrottles(sum))),
      graph('Function duration p99 (ms)', perFunction((fn) => fn.handler.metricDuration({ statistic: cloudwatch.Stats.percentile(99) }))),
    );
    const tables = Object.entries(props.tables) as [TableKey, dynamodb.ITableV2][];
    const throttles = (metricName: 'ReadThrottleEvents' | 'WriteThrottleEvents') =>
      tables.map(([key, table]) => new cloudwatch.Metric({ namespace: 'AWS/DynamoDB', metricName, dimensionsMap: { TableName: table.tableName }, ...sum, label: `${key} ${metricName}` }));
    this.dashboard.addWidgets(
      graph('DynamoDB throttled events (per 5 minutes)', [...throttles('ReadThrottleEvents'), ...throttles('WriteThrottleEvents')]),
      graph('SES bounce rate (account)', [sesReputation('Reputation.BounceRate').with({ label: 'bounce rate' })], {
        leftAnnotations: [threshold(ALARM_THRESHOLDS.sesBounceRate, 'alarm'), threshold(SES_REVIEW_RATES.bounce, 'AWS review')],
      }),
      graph('SES complaint rate (account)', [sesReputation('Reputation.ComplaintRate').with({ label: 'complaint rate' })], {
        leftAnnotations: [threshold(ALARM_THRESHOLDS.sesComplaintRate, 'alarm'), threshold(SES_REVIEW_RATES.complaint, 'AWS review')],
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown: ['**What the service counts** (namespace `' + alarms.namespace + '`, dimension `service`)', '', ...Object.entries(SERVICE_METRICS).map(([name, meaning]) => `- \`${name}\`: ${meaning}`)].join('\n'),
        width: WIDTH,
        height: 5,
      }),
    );
  }
}
