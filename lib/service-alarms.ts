// Infrastructure: the alarms of one stage and where they go: the API's 5xx answers, every function's errors and
// throttles, failed emails and dropped SES feedback, to an encrypted SNS topic that emails the operator.
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
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
import type { RouteDefinition } from '../functions/contract/routes';
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

    for (const [operationId, fn] of [...props.api.functions, ...(props.eventFunctions ?? [])]) {
      const name = `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}`;
      this.alarm(`${name}Errors`, fn.handler.metricErrors(fiveMinutes), {
        description: `adminpass ${props.stageName}: the ${operationId} function failed (crash, timeout or cold-start failure). See its log group.`,
      });
      this.alarm(`${name}Throttles`, fn.handler.metricThrottles(fiveMinutes), {
        description: `adminpass ${props.stageName}: Lambda refused to run ${operationId} (concurrency limit reached).`,
      });
    }

    const namespace = `adminpass/${props.stageName}`;
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
    this.alarms = this.collected;
  }

  /** An alarm when the metric reaches 1 in a five-minute period, notifying the topic when it fires and clears. */
  private alarm(id: string, metric: cloudwatch.IMetric, options: { description: string }): void {
    const alarm = new cloudwatch.Alarm(this, id, {
      metric,
      threshold: 1,
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
