// Stack tests (lib/adminpass.ts, lib/account-stack.ts, lib/api-domain.ts, lib/stage-commands.ts): stages side by
// side in one account share one account stack and nothing else; a stage that names its account is pinned to it; a
// custom domain gets its certificate, its mapping and its record, and emailed links point at it; the deploy commands
// hand cdk the stage.
import { Token } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { routes } from '../../functions/contract/routes';
import { ACCOUNT_STACK_NAME, AdminpassAccountStack } from '../../lib/account-stack';
import { defineAdminpass } from '../../lib/adminpass';
import { readAppContext } from '../../lib/app-context';
import { parseStageCommand } from '../../lib/stage-commands';
import { ACCOUNT, ALARM_EMAIL, Match, REGION, SENDER, functionOf, logicalIdOf, newApp, synth } from './synth';

const CUSTOM_DOMAIN = { domainName: 'admin.adminpass.example', hostedZoneId: 'Z0123456789ABC', hostedZoneName: 'adminpass.example' };

/**
 * Two stages in one app, as two deploys into one account and region would build them, with one sender: prod made its
 * SES identity, and staging uses it (SES has one identity per address or domain).
 */
function twoStages() {
  const app = newApp();
  const settings = { senderEmail: SENDER, alarmEmail: ALARM_EMAIL, account: ACCOUNT, region: REGION };
  const staging = defineAdminpass(app, readAppContext(newApp({ ...settings, stage: 'staging', senderIdentity: 'existing' })));
  const prod = defineAdminpass(app, readAppContext(newApp({ ...settings, stage: 'prod' })));
  return { app, staging, prod, assembly: app.synth() };
}

/**
 * The properties that name a resource in the whole account and region (CloudFormation fails a second stack that
 * names the same), by resource type; names scoped to a parent (an API's models, a table's indexes) are not listed.
 */
const ACCOUNT_WIDE_NAMES: Readonly<Record<string, readonly string[]>> = {
  'AWS::ApiGateway::RestApi': ['Name'],
  'AWS::WAFv2::WebACL': ['Name'],
  'AWS::CloudWatch::Alarm': ['AlarmName'],
  'AWS::CloudWatch::Dashboard': ['DashboardName'],
  'AWS::CloudWatch::InsightRule': ['RuleName'],
  'AWS::DynamoDB::GlobalTable': ['TableName'],
  'AWS::Lambda::Function': ['FunctionName'],
  'AWS::Logs::LogGroup': ['LogGroupName'],
  'AWS::SNS::Topic': ['TopicName'],
  'AWS::SecretsManager::Secret': ['Name'],
  'AWS::SES::EmailIdentity': ['EmailIdentity'],
  'AWS::SES::ConfigurationSet': ['Name'],
  'AWS::KMS::Alias': ['AliasName'],
  'AWS::IAM::Role': ['RoleName'],
  'AWS::ApiGateway::DomainName': ['DomainName'],
};

describe('when two stages are deployed in one account and region', () => {
  it('builds one account stack, which both stages depend on', () => {
    const { app, staging, prod } = twoStages();

    const accountStacks = app.node.children.filter((child) => child instanceof AdminpassAccountStack);
    expect(accountStacks).toEqual([staging.account]);
    expect(prod.account).toBe(staging.account);
    expect(staging.account.stackName).toBe(ACCOUNT_STACK_NAME);
    for (const stage of [staging, prod]) expect(stage.stateless.dependencies).toContain(stage.account);
  });

  it('gives every stack its own name', () => {
    const { assembly } = twoStages();

    expect(assembly.stacks.map((stack) => stack.stackName).sort()).toEqual(['adminpass-account', 'adminpass-prod', 'adminpass-prod-data', 'adminpass-staging', 'adminpass-staging-data']);
  });

  it("gives no two stages the same name of anything named account-wide, the sender's SES identity included", () => {
    const { staging, prod } = twoStages();
    const namesOf = (stage: typeof prod) =>
      [stage.stateful, stage.stateless].flatMap((stack) =>
        Object.values(Template.fromStack(stack).toJSON().Resources as Record<string, { Type: string; Properties?: Record<string, unknown> }>).flatMap((resource) =>
          (ACCOUNT_WIDE_NAMES[resource.Type] ?? [])
            .filter((key) => resource.Properties?.[key] !== undefined)
            .map((key) => `${resource.Type} ${key} ${JSON.stringify(resource.Properties?.[key])}`),
        ),
      );

    const prodNames = namesOf(prod);
    expect(namesOf(staging).filter((name) => prodNames.includes(name))).toEqual([]);
    // The check sees names: prod's identity is one of them.
    expect(prodNames).toContain(`AWS::SES::EmailIdentity EmailIdentity ${JSON.stringify(SENDER)}`);
  });

  it("sends the stage that uses the other's identity through its own configuration set, so its bounces come back to it", () => {
    const { staging } = twoStages();

    expect(staging.stateful.sender.emailIdentity).toBeUndefined();
    Template.fromStack(staging.stateful).resourceCountIs('AWS::SES::ConfigurationSet', 1);
    Template.fromStack(staging.stateless).hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ SENDER_EMAIL: SENDER, SES_CONFIGURATION_SET: Match.anyValue() }) },
    });
  });
});

describe('when the account stack is built', () => {
  it('sets the role API Gateway logs through in the account setting, and keeps both when the stack goes', () => {
    const account = Template.fromStack(synth().account);
    const roleId = logicalIdOf(synth().account, synth().account.apiGatewayLoggingRole);

    account.resourceCountIs('AWS::ApiGateway::Account', 1);
    account.hasResource('AWS::ApiGateway::Account', { Properties: { CloudWatchRoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } }, DeletionPolicy: 'Retain' });
    account.hasResource('AWS::IAM::Role', {
      DeletionPolicy: 'Retain',
      Properties: Match.objectLike({ AssumeRolePolicyDocument: Match.objectLike({ Statement: [Match.objectLike({ Principal: { Service: 'apigateway.amazonaws.com' } })] }) }),
    });
  });

  it('holds nothing of a stage', () => {
    const account = Template.fromStack(synth().account).toJSON();

    expect(Object.values(account.Resources as Record<string, { Type: string }>).map((resource) => resource.Type).sort()).toEqual(['AWS::ApiGateway::Account', 'AWS::IAM::Role']);
  });
});

describe('when a stage names its account and region', () => {
  it('pins all three stacks to them', () => {
    const { account, stateful, stateless } = synth({ stage: 'prod' });

    for (const stack of [account, stateful, stateless]) expect([stack.account, stack.region]).toEqual([ACCOUNT, REGION]);
  });

  it('leaves dev environment-agnostic, so it synthesizes without an account', () => {
    const { account, stateful, stateless } = synth();

    for (const stack of [account, stateful, stateless]) expect(Token.isUnresolved(stack.account)).toBe(true);
  });
});

describe('when a stage has a custom domain', () => {
  const withDomain = () => synth({ customDomain: CUSTOM_DOMAIN });

  it('validates a certificate for the name by DNS in the hosted zone', () => {
    withDomain().api.hasResourceProperties('AWS::CertificateManager::Certificate', {
      DomainName: CUSTOM_DOMAIN.domainName,
      ValidationMethod: 'DNS',
      DomainValidationOptions: [{ DomainName: CUSTOM_DOMAIN.domainName, HostedZoneId: CUSTOM_DOMAIN.hostedZoneId }],
    });
  });

  it('serves the stage at the domain’s root, regional, over TLS 1.2 or later, with that certificate', () => {
    const synthesized = withDomain();
    const domain = synthesized.stateless.domain;
    if (domain === undefined) throw new Error('no domain');
    const restApiId = logicalIdOf(synthesized.stateless, synthesized.stateless.api.restApi);

    synthesized.api.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: CUSTOM_DOMAIN.domainName,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
      RegionalCertificateArn: { Ref: logicalIdOf(synthesized.stateless, domain.certificate) },
    });
    synthesized.api.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      DomainName: { Ref: logicalIdOf(synthesized.stateless, domain.domainName) },
      RestApiId: { Ref: restApiId },
      Stage: Match.anyValue(),
      BasePath: Match.absent(),
    });
  });

  it('points an alias record in the hosted zone at the domain', () => {
    const synthesized = withDomain();

    synthesized.api.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${CUSTOM_DOMAIN.domainName}.`,
      Type: 'A',
      HostedZoneId: CUSTOM_DOMAIN.hostedZoneId,
      AliasTarget: Match.objectLike({ DNSName: Match.anyValue(), HostedZoneId: Match.anyValue() }),
    });
  });

  it('points emailed links at the domain, and outputs it as the public URL', () => {
    const synthesized = withDomain();
    const { functionId } = functionOf(synthesized, routes.requestPasswordReset);

    expect(synthesized.apiResolved.Resources[functionId].Properties.Environment.Variables.PUBLIC_BASE_URL).toBe(`https://${CUSTOM_DOMAIN.domainName}`);
    synthesized.api.hasOutput('PublicBaseUrl', { Value: `https://${CUSTOM_DOMAIN.domainName}` });
  });

  it('builds no domain, certificate or record for a stage without one', () => {
    const { api } = synth();

    for (const type of ['AWS::CertificateManager::Certificate', 'AWS::ApiGateway::DomainName', 'AWS::Route53::RecordSet']) api.resourceCountIs(type, 0);
  });
});

describe('when the sender has a custom MAIL FROM domain', () => {
  it('sets it on the domain identity, falling back to SES’s own while its MX record is missing, and outputs the records to add', () => {
    const { data } = synth({ senderIdentity: 'domain', mailFromDomain: 'bounce.mail.adminpass.example' });

    data.hasResourceProperties('AWS::SES::EmailIdentity', {
      EmailIdentity: 'mail.adminpass.example',
      MailFromAttributes: { MailFromDomain: 'bounce.mail.adminpass.example', BehaviorOnMxFailure: 'USE_DEFAULT_VALUE' },
    });
    data.hasOutput('SenderMailFromMxRecord', { Value: { 'Fn::Join': ['', ['bounce.mail.adminpass.example MX 10 feedback-smtp.', { Ref: 'AWS::Region' }, '.amazonses.com']] } });
    data.hasOutput('SenderMailFromSpfRecord', { Value: 'bounce.mail.adminpass.example TXT "v=spf1 include:amazonses.com ~all"' });
  });
});

describe('when a stage command is given', () => {
  it('deploys and diffs the whole app of the stage, passing the other options on', () => {
    expect(parseStageCommand(['deploy', '--stage', 'prod', '--require-approval', 'never']).cdkArguments).toEqual([
      'deploy',
      '--all',
      '-c',
      'stage=prod',
      '--require-approval',
      'never',
    ]);
    expect(parseStageCommand(['diff', '--stage=staging']).cdkArguments).toEqual(['diff', '--all', '-c', 'stage=staging']);
  });

  it('destroys only the API stack outside dev, both stage stacks in dev, and never the account stack', () => {
    expect(parseStageCommand(['destroy', '--stage', 'prod']).cdkArguments).toEqual(['destroy', 'adminpass-prod', '-c', 'stage=prod']);
    expect(parseStageCommand(['destroy', '--stage', 'dev']).cdkArguments).toEqual(['destroy', 'adminpass-dev', 'adminpass-dev-data', '-c', 'stage=dev']);
  });

  it('asks for the stage rather than guess it, and names the commands it has', () => {
    expect(() => parseStageCommand(['deploy'])).toThrow(/^adminpass: name the stage: npm run deploy -- --stage dev$/);
    expect(() => parseStageCommand(['deploy', '--stage', '--all'])).toThrow(/name the stage/);
    expect(() => parseStageCommand(['bootstrap', '--stage', 'prod'])).toThrow(/usage: npm run deploy\|diff\|destroy/);
  });
});
