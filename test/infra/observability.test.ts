// Stack tests (lib/api-function.ts, lib/service-alarms.ts, lib/dashboard.ts): X-Ray tracing on every function and on
// the API stage, one metric namespace given to every function, the alarms on the service's own metrics and on SES's
// reputation with the thresholds of ALARM_THRESHOLDS, the per-company rule of failed sign-ins, and the dashboard.
import { readFileSync } from 'node:fs';
import { eventFunctionList, type FunctionDeclaration } from '../../functions/contract/event-functions';
import { fallbackRoute, routeList, routes } from '../../functions/contract/routes';
import { METRICS_NAMESPACE_ENV, SERVICE_METRICS, SERVICE_NAME, metricNamespaceOf } from '../../functions/http/metric-names';
import { ALARM_THRESHOLDS, FAILED_SIGN_IN_LOG, SES_REVIEW_RATES } from '../../lib/service-alarms';
import { Match, functionOf, logicalIdOf, resourcesOf, synth, type Json } from './synth';

const everyFunction: FunctionDeclaration[] = [...routeList, fallbackRoute, ...eventFunctionList];

/** The alarm (one, or the test fails) whose metric has this namespace and name. */
function alarmOn(template: Json, namespace: string, metricName: string): Json {
  const alarms = Object.values(resourcesOf(template, 'AWS::CloudWatch::Alarm'))
    .map((alarm) => alarm.Properties)
    .filter((alarm) => alarm.Namespace === namespace && alarm.MetricName === metricName);
  expect(alarms).toHaveLength(1);
  return alarms[0]!;
}

describe('when the stack is traced', () => {
  it.each(everyFunction)('runs $operationId with X-Ray active tracing', (declaration) => {
    const synthesized = synth();

    const fn = synthesized.api.toJSON().Resources[functionOf(synthesized, declaration).functionId];

    expect(fn.Properties.TracingConfig).toEqual({ Mode: 'Active' });
  });

  it('traces the API stage', () => {
    synth().api.hasResourceProperties('AWS::ApiGateway::Stage', { TracingEnabled: true });
  });
});

describe('when the functions publish metrics', () => {
  it.each(everyFunction)('gives $operationId the stage namespace and the service name', (declaration) => {
    const synthesized = synth();

    const fn = synthesized.api.toJSON().Resources[functionOf(synthesized, declaration).functionId];

    expect(fn.Properties.Environment.Variables).toMatchObject({ [METRICS_NAMESPACE_ENV]: metricNamespaceOf('dev'), POWERTOOLS_SERVICE_NAME: SERVICE_NAME });
  });

  it('uses the namespace the alarms watch', () => {
    expect(synth().stateless.alarms.namespace).toBe(metricNamespaceOf('dev'));
  });
});

describe('when the alarms watch the service’s own metrics', () => {
  it.each([
    ['SignInFailed', ALARM_THRESHOLDS.failedSignIns],
    ['AccountLocked', ALARM_THRESHOLDS.lockouts],
  ])('alarms on %s at its threshold in five minutes, with the service dimension', (metricName, threshold) => {
    const alarm = alarmOn(synth().api.toJSON(), metricNamespaceOf('dev'), metricName);

    expect(alarm).toMatchObject({ Threshold: threshold, Statistic: 'Sum', Period: 300, Dimensions: [{ Name: 'service', Value: SERVICE_NAME }] });
  });

  it('counts failed sign-ins per company from the sign-in function’s request lines', () => {
    const synthesized = synth();

    const [rule] = Object.values(resourcesOf(synthesized.api.toJSON(), 'AWS::CloudWatch::InsightRule')).map((resource) => resource.Properties);

    expect(rule.RuleName).toBe('adminpass-dev-failed-sign-ins-by-company');
    expect(rule.RuleState).toBe('ENABLED');
    const body = JSON.stringify(rule.RuleBody);
    expect(body).toContain(functionOf(synthesized, routes.signIn).logGroupId);
    for (const part of [`$.${FAILED_SIGN_IN_LOG.contributor}`, FAILED_SIGN_IN_LOG.operation, FAILED_SIGN_IN_LOG.errorCode]) expect(body).toContain(part);
  });

  it('alarms when one company reaches the per-company threshold', () => {
    synth().api.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Threshold: ALARM_THRESHOLDS.failedSignInsOfOneCompany,
      Metrics: [Match.objectLike({ Expression: "INSIGHT_RULE_METRIC('adminpass-dev-failed-sign-ins-by-company', 'MaxContributorValue')", Period: 300 })],
    });
  });

  it('names the rule after the stage, so two stages side by side do not clash', () => {
    const rules = ['dev', 'prod'].map((stage) => Object.values(resourcesOf(synth({ stage }).api.toJSON(), 'AWS::CloudWatch::InsightRule'))[0]!.Properties.RuleName);

    expect(new Set(rules).size).toBe(2);
  });
});

describe('when the alarms watch the SES account', () => {
  it.each([
    ['Reputation.BounceRate', ALARM_THRESHOLDS.sesBounceRate, SES_REVIEW_RATES.bounce],
    ['Reputation.ComplaintRate', ALARM_THRESHOLDS.sesComplaintRate, SES_REVIEW_RATES.complaint],
  ])('alarms on %s well below the rate AWS reviews an account at', (metricName, threshold, reviewRate) => {
    const alarm = alarmOn(synth().api.toJSON(), 'AWS/SES', metricName);

    expect(alarm).toMatchObject({ Threshold: threshold, Statistic: 'Maximum' });
    expect(alarm.Dimensions).toBeUndefined();
    expect(threshold).toBeLessThanOrEqual(reviewRate / 2);
  });
});

describe('when the alarms notify', () => {
  it('sends every new alarm to the existing alarm topic', () => {
    const synthesized = synth();
    const topic = { Ref: logicalIdOf(synthesized.stateless, synthesized.stateless.alarms.topic) };

    const alarms = Object.values(resourcesOf(synthesized.api.toJSON(), 'AWS::CloudWatch::Alarm')).map((alarm) => alarm.Properties);

    expect(alarms.filter((alarm) => alarm.Namespace === 'AWS/SES' || alarm.Namespace === metricNamespaceOf('dev') || alarm.Metrics !== undefined).length).toBeGreaterThanOrEqual(5);
    for (const alarm of alarms) expect(alarm).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
  });
});

describe('when the dashboard is built', () => {
  /** The dashboard's body as CloudFormation joins it, each token written as its JSON. */
  const dashboardBody = (stage = 'dev'): string => {
    const [dashboard] = Object.values(resourcesOf(synth({ stage }).api.toJSON(), 'AWS::CloudWatch::Dashboard')).map((resource) => resource.Properties);
    expect(dashboard.DashboardName).toBe(`adminpass-${stage}`);
    return (dashboard.DashboardBody['Fn::Join'][1] as unknown[]).map((part) => (typeof part === 'string' ? part : JSON.stringify(part))).join('');
  };
  /** The names the body does not graph. */
  const missing = (body: string, names: readonly string[]) => names.filter((name) => !body.includes(`"${name}"`));

  it('graphs every metric the service publishes', () => {
    expect(missing(dashboardBody(), Object.keys(SERVICE_METRICS))).toEqual([]);
  });

  it('graphs the API, the functions, the tables and the SES account', () => {
    const metrics = ['4XXError', '5XXError', 'Latency', 'IntegrationLatency', 'Errors', 'Throttles', 'Duration', 'ReadThrottleEvents', 'WriteThrottleEvents', 'Reputation.BounceRate', 'Reputation.ComplaintRate'];

    expect(missing(dashboardBody(), metrics)).toEqual([]);
  });

  it('shows the state of every alarm', () => {
    const synthesized = synth();

    const body = dashboardBody();

    expect(synthesized.stateless.alarms.alarms.map((alarm) => logicalIdOf(synthesized.stateless, alarm)).filter((id) => !body.includes(id))).toEqual([]);
  });
});

describe('when the README describes what is observed', () => {
  /** The README's Observability section. */
  const section = (): string => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    const start = readme.indexOf('### Observability');
    return readme.slice(start, readme.indexOf('\n## ', start));
  };
  const percent = (rate: number) => `${Number((rate * 100).toPrecision(3))}%`;

  it('lists every metric with the meaning the code gives it', () => {
    const text = section();

    expect(Object.entries(SERVICE_METRICS).filter(([name, meaning]) => !text.includes(`| \`${name}\` | ${meaning} |`))).toEqual([]);
  });

  it.each([
    ['FailedSignInsOfOneCompany', `${ALARM_THRESHOLDS.failedSignInsOfOneCompany} failed sign-ins naming one company`],
    ['FailedSignIns', `${ALARM_THRESHOLDS.failedSignIns} failed sign-ins across all companies`],
    ['Lockouts', `${ALARM_THRESHOLDS.lockouts} lockouts`],
    ['SesBounceRate', `an SES account bounce rate of ${percent(ALARM_THRESHOLDS.sesBounceRate)}`],
    ['SesComplaintRate', `an SES account complaint rate of ${percent(ALARM_THRESHOLDS.sesComplaintRate)}`],
  ])('gives the alarm %s the threshold of ALARM_THRESHOLDS', (alarmId, firesAt) => {
    expect(synth().stateless.alarms.node.tryFindChild(alarmId)).toBeDefined();
    expect(section()).toContain(`| \`${alarmId}\` | ${firesAt}`);
  });

  it('states the rates AWS reviews an SES account at as the code does', () => {
    expect(section()).toContain(`AWS reviews the account at ${percent(SES_REVIEW_RATES.bounce)}`);
    expect(section()).toContain(`AWS reviews the account at ${percent(SES_REVIEW_RATES.complaint)}`);
  });
});
