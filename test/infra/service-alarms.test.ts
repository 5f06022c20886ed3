// Stack tests (lib/service-alarms.ts): alarms on the API's 5xx, each function's errors and throttles and failed
// emails, all notifying an encrypted SNS topic with the configured email subscriber.
import { readFileSync } from 'node:fs';
import { FEEDBACK_LOG } from '../../functions/adapters/ses/feedback-notification';
import { eventFunctionList, eventFunctions, type FunctionDeclaration } from '../../functions/contract/event-functions';
import { fallbackRoute, routeList } from '../../functions/contract/routes';
import { ALARM_THRESHOLDS, EMAIL_FAILURE_LOG, EMAIL_FAILURE_METRIC, FEEDBACK_DROPPED_METRIC } from '../../lib/service-alarms';
import { ALARM_EMAIL, Match, functionOf, logicalIdOf, resourcesOf, synth, type Json, type Synthesized } from './synth';

const mailingRoutes = routeList.filter((route) => route.sendsEmail);

const topicIdOf = (synthesized: Synthesized): string => logicalIdOf(synthesized.stateless, synthesized.stateless.alarms.topic);

/** The alarms whose metric is this one, with these dimensions. */
function alarmsOn(template: Json, namespace: string, metricName: string, dimensions?: Json[]): Json[] {
  return Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'))
    .map((alarm) => alarm.Properties)
    .filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metricName)
    .filter((alarm) => dimensions === undefined || JSON.stringify(alarm.Dimensions) === JSON.stringify(dimensions));
}

describe('when the alarms are created', () => {
  it('alarms on any 5xx answer of the API stage', () => {
    const synthesized = synth();
    const restApi = synthesized.stateless.api.restApi;

    const alarms = alarmsOn(synthesized.api.toJSON(), 'AWS/ApiGateway', '5XXError', [
      { Name: 'ApiName', Value: restApi.restApiName },
      { Name: 'Stage', Value: { Ref: logicalIdOf(synthesized.stateless, synthesized.stateless.api.stage) } },
    ]);
    expect(alarms).toEqual([expect.objectContaining({ Statistic: 'Sum', Period: 300, Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold' })]);
  });

  it.each([...routeList, fallbackRoute, ...eventFunctionList])('alarms on the errors and the throttles of $operationId', (route: FunctionDeclaration) => {
    const synthesized = synth();
    const dimensions = [{ Name: 'FunctionName', Value: { Ref: functionOf(synthesized, route).functionId } }];

    for (const metric of ['Errors', 'Throttles']) {
      expect(alarmsOn(synthesized.api.toJSON(), 'AWS/Lambda', metric, dimensions)).toEqual([
        expect.objectContaining({ Statistic: 'Sum', Period: 300, Threshold: 1, TreatMissingData: 'notBreaching' }),
      ]);
    }
  });

  it('alarms on any email not sent, counted from the mailing functions\' logs', () => {
    const alarms = alarmsOn(synth().api.toJSON(), 'adminpass/dev', EMAIL_FAILURE_METRIC);

    expect(alarms).toEqual([expect.objectContaining({ Statistic: 'Sum', Period: 300, Threshold: 1 })]);
  });

  it('alarms on SES feedback the sesFeedback function dropped, counted from its log', () => {
    const synthesized = synth();

    expect(alarmsOn(synthesized.api.toJSON(), 'adminpass/dev', FEEDBACK_DROPPED_METRIC)).toEqual([expect.objectContaining({ Statistic: 'Sum', Period: 300, Threshold: 1 })]);
    synthesized.api.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: functionOf(synthesized, eventFunctions.sesFeedback).logGroupId },
      FilterPattern: `{ $.message = "${FEEDBACK_LOG.dropped}" }`,
      MetricTransformations: [{ MetricNamespace: 'adminpass/dev', MetricName: FEEDBACK_DROPPED_METRIC, MetricValue: '1' }],
    });
  });

  it('has exactly these alarms: the API, two per function, email, dropped SES feedback, and one per threshold of ALARM_THRESHOLDS', () => {
    synth().api.resourceCountIs('AWS::CloudWatch::Alarm', 1 + 2 * (routeList.length + 1 + eventFunctionList.length) + 1 + 1 + Object.keys(ALARM_THRESHOLDS).length);
  });

  it('notifies the topic when an alarm fires and when it clears', () => {
    const synthesized = synth();
    const topic = { Ref: topicIdOf(synthesized) };

    synthesized.api.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [topic], OKActions: [topic] });
  });
});

describe('when failed emails are counted', () => {
  it.each(mailingRoutes)("counts the failed emails in the $operationId function's log", (route) => {
    const synthesized = synth();

    synthesized.api.hasResourceProperties('AWS::Logs::MetricFilter', {
      LogGroupName: { Ref: functionOf(synthesized, route).logGroupId },
      FilterPattern: `{ ($.message = "${EMAIL_FAILURE_LOG.noticeNotSent}") || ($.message = "${EMAIL_FAILURE_LOG.emailNoticeNotSent}") || ($.errorCode = "${EMAIL_FAILURE_LOG.deliveryFailedCode}") }`,
      MetricTransformations: [{ MetricNamespace: 'adminpass/dev', MetricName: EMAIL_FAILURE_METRIC, MetricValue: '1' }],
    });
  });

  it('searches no other function\'s log for them (the one other filter counts dropped SES feedback)', () => {
    synth().api.resourcePropertiesCountIs('AWS::Logs::MetricFilter', { MetricTransformations: [Match.objectLike({ MetricName: EMAIL_FAILURE_METRIC })] }, mailingRoutes.length);
    synth().api.resourceCountIs('AWS::Logs::MetricFilter', mailingRoutes.length + 1);
  });

  it.each(mailingRoutes)('matches what $operationId writes when an email fails', (route) => {
    // The filter counts what the runtime writes: a reset answers EMAIL_DELIVERY_FAILED (logged as the request's
    // errorCode); a password-change or email-change notice that fails is logged as a warning and the change stands.
    const handler = readFileSync(new URL(`../../functions/${route.handler}/handler.ts`, import.meta.url), 'utf8');
    const answersDeliveryFailure = (route.errors ?? []).includes(EMAIL_FAILURE_LOG.deliveryFailedCode as never);

    const warnsOfNotice = [EMAIL_FAILURE_LOG.noticeNotSent, EMAIL_FAILURE_LOG.emailNoticeNotSent].some((message) => handler.includes(`'${message}'`));
    expect(answersDeliveryFailure || warnsOfNotice).toBe(true);
  });
});

describe('when the alarm topic is created', () => {
  it('encrypts it with a rotated customer managed key that CloudWatch may use', () => {
    const synthesized = synth();
    const [keyId] = Object.keys(resourcesOf(synthesized.api.toJSON(), 'AWS::KMS::Key'));

    synthesized.api.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] } });
    synthesized.api.hasResourceProperties('AWS::KMS::Key', {
      EnableKeyRotation: true,
      KeyPolicy: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Principal: { Service: 'cloudwatch.amazonaws.com' }, Action: ['kms:Decrypt', 'kms:GenerateDataKey*'] }),
        ]),
      }),
    });
  });

  it('refuses publishing without TLS', () => {
    synth().api.hasResourceProperties('AWS::SNS::TopicPolicy', {
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
      }),
    });
  });

  it('emails the configured alarm address', () => {
    const synthesized = synth({ alarmEmail: ALARM_EMAIL });

    synthesized.api.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: ALARM_EMAIL, TopicArn: { Ref: topicIdOf(synthesized) } });
  });

  it('has no subscriber in dev when no alarm address is given', () => {
    const synthesized = synth();

    synthesized.api.resourcePropertiesCountIs('AWS::SNS::Subscription', { TopicArn: { Ref: topicIdOf(synthesized) } }, 0);
  });
});
