// Infrastructure: the alarms of one stage and where they go: the API's 5xx answers, every function's errors and
// throttles, failed emails and dropped SES feedback, surges of failed sign-ins (per company and in all) and of
// lockouts, and the SES account's bounce and complaint rates, to an encrypted SNS topic that emails the operator.
// It owns the stage's metric namespace, which it gives every function it watches.
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { Construct } from 'constructs';
import { FEEDBACK_LOG } from '../functions/adapters/ses/feedback-notification';
import { eventFunctions } from '../functions/contract/event-functions';
import { routes, type RouteDefinition } from '../functions/contract/routes';
import type { ErrorCode } from '../functions/domain/errors';
import { SERVICE_NAME, metricNamespaceOf, type ServiceMetric } from '../functions/http/metric-names';
import type { Api } from './api';
import type { ApiFunction } from './api-function';

/**
 * What a mailing function writes when an email was not sent (functions/http/logger.ts writes JSON lines):
 * the warning of a password-change or email-change notice that failed (the change itself stands), and the request line of a reset
 * whose link could not be sent (EMAIL_DELIVERY_FAILED, 502). A failed SendEmail call never reaches SES's own
 * metrics (`Send`, `Reject`, `Bounce` count what SES accepted), so these lines are the only record of it.
 */
export const EMAIL_FAILURE_LOG = {
  noticeNotSent: 'password change notice not sent',
  emailNoticeNotSent: 'email change notice not sent',
  deliveryFailedCode: 'EMAIL_DELIVERY_FAILED',
} as const;

/** The metric the email failures are counted in. */
export const EMAIL_FAILURE_METRIC = 'EmailSendFailures';

/** The metric SES feedback the sesFeedback function dropped is counted in. */
export const FEEDBACK_DROPPED_METRIC = 'SesFeedbackDropped';

/**
 * Where each alarm on the service's own metrics and on SES's reputation fires, in one place: the alarms, the
 * dashboard's lines and the README read these. Counts are per five minutes; rates are SES's fractions (0.02 = 2%).
 */
export const ALARM_THRESHOLDS = {
  /**
   * Failed sign-ins of the one company with the most in five minutes (Contributor Insights on the sign-in log). A
   * company's own people mistyping stay far below; the lockout stops one source at the policy's threshold, so this
   * many means many sources or many accounts: a spraying or stuffing attack on that company.
   */
  failedSignInsOfOneCompany: 25,
  /** Failed sign-ins across all companies in five minutes: an attack spread over many companies. */
  failedSignIns: 100,
  /** Lockouts across all companies in five minutes. */
  lockouts: 10,
  /** SES's account bounce rate: AWS reviews the account at 5% (SES_REVIEW_RATES); this warns at 2%. */
  sesBounceRate: 0.02,
  /** SES's account complaint rate: AWS reviews the account at 0.1%; this warns at 0.05%. */
  sesComplaintRate: 0.0005,
} as const;

/** The rates at which AWS puts an SES account under review (SES developer guide, "sending review process"). */
export const SES_REVIEW_RATES = { bounce: 0.05, complaint: 0.001 } as const;

/** The sign-in request line the per-company rule reads (functions/http/pipeline.ts writes one per request). */
export const FAILED_SIGN_IN_LOG = {
  operation: routes.signIn.operationId,
  errorCode: 'INVALID_CREDENTIALS' satisfies ErrorCode,
  /** The field the rule counts contributors by: the company the sign-in named (functions/sign-in/handler.ts). */
  contributor: 'companyId',
} as const;

/** SES's account-level reputation, as SES publishes it (no dimensions), over an hour. */
export const sesReputation = (metricName: 'Reputation.BounceRate' | 'Reputation.ComplaintRate'): cloudwatch.Metric =>
  new cloudwatch.Metric({ namespace: 'AWS/SES', metricName, statistic: cloudwatch.Stats.MAXIMUM, period: Duration.hours(1) });

export interface ServiceAlarmsProps {
  /** The stage: names the metric namespace and the topic. */
  readonly stageName: string;
  /** The API whose stage and functions are watched. */
  readonly api: Api;
  /**
   * The event functions, watched like the API's (errors, throttles); the ses-feedback one also for feedback it dropped.
   * @default - none
   */
  readonly eventFunctions?: ReadonlyMap<string, ApiFunction>;
  /** The routes whose functions send email (route.sendsEmail); their logs are searched for failed emails. */
  readonly mailingRoutes: readonly RouteDefinition[];
  /**
   * Who is emailed when an alarm fires or clears (AWS first mails the address a confirmation link).
   * @default - no subscriber: the alarms show in the CloudWatch console only
   */
  readonly alarmEmail?: string;
  /**
   * What happens to the topic's key when it leaves the stack.
   * @default RemovalPolicy.RETAIN
   */
  readonly keyRemovalPolicy?: RemovalPolicy;
}

/** The alarms and their SNS topic. */
export class ServiceAlarms extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: readonly cloudwatch.Alarm[];
  /** Emails not sent, per five minutes, across the mailing functions. */
  readonly emailFailures: cloudwatch.Metric;
  /** The stage's metric namespace: the service's own metrics and those its log filters count. */
  readonly namespace: string;
  /** Failed sign-ins of the company with the most of them, per five minutes (undefined without a sign-in route). */
  readonly failedSignInsOfTopCompany: cloudwatch.IMetric | undefined;

  private readonly collected: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: ServiceAlarmsProps) {
    super(scope, id);
    // A customer managed key: CloudWatch must be allowed to use the key to publish to an encrypted topic, and the
    // AWS managed SNS key's policy cannot be changed to allow it.
    const key = new kms.Key(this, 'TopicKey', {
      description: `adminpass ${props.stageName} alarm topic`,
      enableKeyRotation: true,
      removalPolicy: props.keyRemovalPolicy ?? RemovalPolicy.RETAIN,
      // A destroyed key waits out KMS's pending window; a disposable stage's key need not wait the default 30 days.
      ...(props.keyRemovalPolicy === RemovalPolicy.DESTROY ? { pendingWindow: Duration.days(7) } : {}),
    });
    key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: `adminpass ${props.stageName} alarms`, masterKey: key, enforceSSL: true });
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));

    const fiveMinutes = { period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM };
    this.alarm('Api5xx', props.api.stage.metricServerError(fiveMinutes), {
      description: `adminpass ${props.stageName}: the API answered 5xx. The access log and the function logs say which operation and why.`,
    });

    this.namespace = metricNamespaceOf(props.stageName);
    for (const [operationId, fn] of [...props.api.functions, ...(props.eventFunctions ?? [])]) {
      fn.publishMetricsIn(this.namespace);
      const name = `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}`;
      this.alarm(`${name}Errors`, fn.handler.metricErrors(fiveMinutes), {
        description: `adminpass ${props.stageName}: the ${operationId} function failed (crash, timeout or cold-start failure). See its log group.`,
      });
      this.alarm(`${name}Throttles`, fn.handler.metricThrottles(fiveMinutes), {
        description: `adminpass ${props.stageName}: Lambda refused to run ${operationId} (concurrency limit reached).`,
      });
    }

    const { namespace } = this;
    const failedEmail = logs.FilterPattern.any(
      logs.FilterPattern.stringValue('$.message', '=', EMAIL_FAILURE_LOG.noticeNotSent),
      logs.FilterPattern.stringValue('$.message', '=', EMAIL_FAILURE_LOG.emailNoticeNotSent),
      logs.FilterPattern.stringValue('$.errorCode', '=', EMAIL_FAILURE_LOG.deliveryFailedCode),
    );
    for (const route of props.mailingRoutes) {
      const fn = props.api.functions.get(route.operationId);
      if (!fn) throw new Error(`adminpass: no function for the mailing route ${route.operationId}`);
      new logs.MetricFilter(this, `${route.operationId.charAt(0).toUpperCase()}${route.operationId.slice(1)}EmailFailures`, {
        logGroup: fn.logGroup,
        filterPattern: failedEmail,
        metricNamespace: namespace,
        metricName: EMAIL_FAILURE_METRIC,
        metricValue: '1',
      });
    }
    this.emailFailures = new cloudwatch.Metric({ namespace, metricName: EMAIL_FAILURE_METRIC, ...fiveMinutes });
    this.alarm('EmailSendFailures', this.emailFailures, {
      description:
        `adminpass ${props.stageName}: an email was not sent (a reset link, answered 502, or a password-change notice). ` +
        'Check the SES identity, the sandbox and the sending quota; the function log has the SES error.',
    });
    const feedback = props.eventFunctions?.get(eventFunctions.sesFeedback.operationId);
    if (feedback) {
      new logs.MetricFilter(this, 'SesFeedbackDroppedCount', {
        logGroup: feedback.logGroup,
        filterPattern: logs.FilterPattern.stringValue('$.message', '=', FEEDBACK_LOG.dropped),
        metricNamespace: namespace,
        metricName: FEEDBACK_DROPPED_METRIC,
        metricValue: '1',
      });
      this.alarm('SesFeedbackDropped', new cloudwatch.Metric({ namespace, metricName: FEEDBACK_DROPPED_METRIC, ...fiveMinutes }), {
        description:
          `adminpass ${props.stageName}: SES feedback was dropped: a notification the sesFeedback function could not read, or one without ` +
          'a company tag, so no address was suppressed for it. The function log says why.',
      });
    }

    this.failedSignInsOfTopCompany = this.watchSignIns(props, fiveMinutes);
    this.alarm('SesBounceRate', sesReputation('Reputation.BounceRate'), {
      threshold: ALARM_THRESHOLDS.sesBounceRate,
      description:
        `adminpass ${props.stageName}: the SES account's bounce rate reached ${percent(ALARM_THRESHOLDS.sesBounceRate)} ` +
        `(AWS reviews the account at ${percent(SES_REVIEW_RATES.bounce)}). Bounced addresses are suppressed per company; see the suppressed addresses and the SES console.`,
    });
    this.alarm('SesComplaintRate', sesReputation('Reputation.ComplaintRate'), {
      threshold: ALARM_THRESHOLDS.sesComplaintRate,
      description:
        `adminpass ${props.stageName}: the SES account's complaint rate reached ${percent(ALARM_THRESHOLDS.sesComplaintRate)} ` +
        `(AWS reviews the account at ${percent(SES_REVIEW_RATES.complaint)}). Someone marks reset emails as spam: see who in the suppressed addresses.`,
    });
    this.alarms = this.collected;
  }

  /** One of the service's own metrics (functions/http/metrics.ts publishes them with the service dimension). */
  serviceMetric(metricName: ServiceMetric, options: cloudwatch.MetricOptions = {}): cloudwatch.Metric {
    return new cloudwatch.Metric({ namespace: this.namespace, metricName, dimensionsMap: { service: SERVICE_NAME }, statistic: cloudwatch.Stats.SUM, period: Duration.minutes(5), ...options });
  }

  /**
   * Surges of failed sign-ins and lockouts. The per-company count is a Contributor Insights rule on the sign-in
   * function's request lines, keyed by company: one rule whatever the number of companies, where a company
   * dimension on the metrics would make a metric per company (README, "Observability").
   */
  private watchSignIns(props: ServiceAlarmsProps, fiveMinutes: cloudwatch.MetricOptions): cloudwatch.IMetric | undefined {
    this.alarm('FailedSignIns', this.serviceMetric('SignInFailed'), {
      threshold: ALARM_THRESHOLDS.failedSignIns,
      description: `adminpass ${props.stageName}: ${ALARM_THRESHOLDS.failedSignIns} or more failed sign-ins in five minutes across all companies. The audit log of each company says which accounts and sources.`,
    });
    this.alarm('Lockouts', this.serviceMetric('AccountLocked'), {
      threshold: ALARM_THRESHOLDS.lockouts,
      description: `adminpass ${props.stageName}: ${ALARM_THRESHOLDS.lockouts} or more sign-in lockouts in five minutes. ACCOUNT_LOCKED events in the audit logs say which accounts and sources.`,
    });
    const signIn = props.api.functions.get(FAILED_SIGN_IN_LOG.operation);
    if (signIn === undefined) return undefined;
    const ruleName = `adminpass-${props.stageName}-failed-sign-ins-by-company`;
    new cloudwatch.CfnInsightRule(this, 'FailedSignInsByCompany', {
      ruleName,
      ruleState: 'ENABLED',
      ruleBody: Stack.of(this).toJsonString({
        Schema: { Name: 'CloudWatchLogRule', Version: 1 },
        LogGroupNames: [signIn.logGroup.logGroupName],
        LogFormat: 'JSON',
        Contribution: {
          Keys: [`$.${FAILED_SIGN_IN_LOG.contributor}`],
          Filters: [
            { Match: '$.operation', In: [FAILED_SIGN_IN_LOG.operation] },
            { Match: '$.errorCode', In: [FAILED_SIGN_IN_LOG.errorCode] },
          ],
        },
        AggregateOn: 'Count',
      }),
    });
    const topCompany = new cloudwatch.MathExpression({
      expression: `INSIGHT_RULE_METRIC('${ruleName}', 'MaxContributorValue')`,
      label: 'Failed sign-ins of the company with the most',
      period: fiveMinutes.period!,
    });
    this.alarm('FailedSignInsOfOneCompany', topCompany, {
      threshold: ALARM_THRESHOLDS.failedSignInsOfOneCompany,
      description:
        `adminpass ${props.stageName}: ${ALARM_THRESHOLDS.failedSignInsOfOneCompany} or more failed sign-ins in five minutes naming one company. ` +
        `The Contributor Insights rule ${ruleName} names the company; its audit log names the accounts and sources.`,
    });
    return topCompany;
  }

  /** An alarm when the metric reaches the threshold (1 unless given) in a period, notifying the topic when it fires and clears. */
  private alarm(id: string, metric: cloudwatch.IMetric, options: { description: string; threshold?: number }): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: options.threshold ?? 1,
      evaluationPeriods: 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      // No requests, no data: that is quiet, not broken.
      treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      alarmDescription: options.description,
    });
    alarm.addAlarmAction(new actions.SnsAction(this.topic));
    alarm.addOkAction(new actions.SnsAction(this.topic));
    this.collected.push(alarm);
  }
}

const percent = (rate: number): string => `${Number((rate * 100).toPrecision(3))}%`;
