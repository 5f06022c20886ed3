// Stack tests (bin/app.ts, lib/adminpass.ts): cdk-nag's AWS Solutions rules find nothing unacknowledged in any
// stack, in dev or in a production configuration (pinned to an account, custom domain, MAIL FROM domain); every acknowledgment sits on its resource with a reason; and an
// unacknowledged finding fails the synth.
import { Stack, Validations, type App } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import { checkWithCdkNag } from '../../lib/adminpass';
import { ALARM_EMAIL, newApp, synth } from './synth';

const PRODUCTION = {
  stage: 'prod',
  alarmEmail: ALARM_EMAIL,
  senderIdentity: 'domain',
  mailFromDomain: 'bounce.mail.adminpass.example',
  customDomain: { domainName: 'admin.adminpass.example', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'adminpass.example' },
  allowedOrigins: 'https://console.adminpass.example',
  sandboxRecipients: 'qa@adminpass.example',
};

/** Every acknowledgment in the app: rule id, the construct it sits on, and its reason. */
function acknowledgmentsOf(app: App): { id: string; path: string; reason: string }[] {
  return app.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.entries(entry.data as Record<string, string>))
      // aws-cdk-lib files an acknowledgment under its annotation namespace; cdk-nag reads it without.
      .map(([id, reason]) => ({ id: id.replace(/^annotation::/i, ''), path: construct.node.path, reason })),
  );
}

describe.each([
  ['dev', {}],
  ['production', PRODUCTION],
])('when cdk-nag checks the %s configuration', (_name, context) => {
  it('finds nothing unacknowledged, error or warning', () => {
    const { app } = synth(context);

    const report = new AwsSolutionsChecks(app).validateScope(app);

    expect(report.violations.map((violation) => `${violation.ruleName}: ${violation.violatingResources.map((resource) => resource.constructPath).join(', ')}`)).toEqual([]);
  });

  it('acknowledges only these findings, each on its own resource', () => {
    const { app, account: accountStack, stateless } = synth(context);
    const stage = (context as { stage?: string }).stage ?? 'dev';
    const account = accountStack.node.path;
    // Each function's role sends X-Ray traces, whose actions take no resource but '*'.
    const tracingRoles = [...stateless.api.functions.values(), ...stateless.eventFunctions.functions.values()].map((fn) => `AwsSolutions-IAM5[Resource::*] @ ${fn.role.node.path}`);

    expect(acknowledgmentsOf(app).map(({ id, path }) => `${id} @ ${path}`).sort()).toEqual(
      [
        `AwsSolutions-APIG4 @ adminpass-${stage}/Api/RestApi`,
        `AwsSolutions-COG4 @ adminpass-${stage}/Api/RestApi`,
        `AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs] @ ${account}/ApiGatewayLoggingRole`,
        `AwsSolutions-SMG4 @ adminpass-${stage}-data/Pepper/Secret`,
        ...tracingRoles,
      ].sort(),
    );
  });

  it('gives every acknowledgment a written reason', () => {
    for (const { reason } of acknowledgmentsOf(synth(context).app)) expect(reason.length).toBeGreaterThan(60);
  });
});

describe('when the app synthesizes with the checks', () => {
  it('fails on a finding nobody acknowledged, naming the rule', () => {
    // Prepare: a bucket with none of the settings AWS Solutions asks for.
    const app = newApp();
    new s3.Bucket(new Stack(app, 'Careless'), 'Bucket');
    checkWithCdkNag(app);

    // Act, Assess
    expect(() => app.synth()).toThrow(/AwsSolutions-S1/);
  });
});
