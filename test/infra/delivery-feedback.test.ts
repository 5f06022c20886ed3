// Stack tests (lib/delivery-feedback.ts, lib/sender-identity.ts, lib/event-functions.ts): SES publishes the
// bounces and complaints of every email sent as the sender, through the identity's default configuration set, to an
// encrypted topic; the sesFeedback function subscribes to it with only the grants its declaration names.
import { TABLES, type TableDefinition, type TableKey } from '../../functions/adapters/dynamodb/table-definitions';
import { eventFunctions } from '../../functions/contract/event-functions';
import { Match, expectResource, functionOf, logicalIdOf, permissionsOf, synth, tableIdOf, type Synthesized } from './synth';

const ids = ({ stateful }: Synthesized) => ({
  configurationSet: logicalIdOf(stateful, stateful.feedback.configurationSet),
  topic: logicalIdOf(stateful, stateful.feedback.topic),
  key: logicalIdOf(stateful, stateful.feedback.key),
  identity: logicalIdOf(stateful, stateful.sender.emailIdentity!),
});

describe('when SES feedback is wired in the stateful stack', () => {
  it('sends every email as the sender through a configuration set: the identity’s default', () => {
    const synthesized = synth();
    const { configurationSet, identity } = ids(synthesized);

    expectResource(synthesized.data, 'AWS::SES::EmailIdentity', identity, {
      Properties: Match.objectLike({ ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSet } } }),
    });
  });

  it('keeps SES’s account-level suppression list on for bounces and complaints in that configuration set', () => {
    const synthesized = synth();

    expectResource(synthesized.data, 'AWS::SES::ConfigurationSet', ids(synthesized).configurationSet, {
      Properties: Match.objectLike({ SuppressionOptions: { SuppressedReasons: ['BOUNCE', 'COMPLAINT'] } }),
    });
  });

  it('publishes bounces and complaints, and nothing else, to the feedback topic', () => {
    const synthesized = synth();
    const { configurationSet, topic } = ids(synthesized);

    synthesized.data.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
    synthesized.data.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
      ConfigurationSetName: { Ref: configurationSet },
      EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: { TopicARN: { Ref: topic } } },
    });
  });

  it('encrypts the topic with a rotated key of its own that SES, from this account, may use', () => {
    const synthesized = synth();
    const { topic, key } = ids(synthesized);

    expectResource(synthesized.data, 'AWS::SNS::Topic', topic, { Properties: Match.objectLike({ KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] } }) });
    expectResource(synthesized.data, 'AWS::KMS::Key', key, {
      Properties: Match.objectLike({
        EnableKeyRotation: true,
        KeyPolicy: Match.objectLike({
          Statement: Match.arrayWith([
            Match.objectLike({
              Principal: { Service: 'ses.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Condition: { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } },
            }),
          ]),
        }),
      }),
    });
  });

  it('lets only SES publish, for this configuration set, and only over TLS', () => {
    const synthesized = synth();
    const { configurationSet, topic } = ids(synthesized);

    synthesized.data.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [{ Ref: topic }],
      PolicyDocument: Match.objectLike({
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: 'Deny', Action: 'sns:Publish', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
          Match.objectLike({
            Effect: 'Allow',
            Action: 'sns:Publish',
            Principal: { Service: 'ses.amazonaws.com' },
            Condition: {
              StringEquals: {
                'AWS:SourceAccount': { Ref: 'AWS::AccountId' },
                'AWS:SourceArn': { 'Fn::Join': ['', Match.arrayWith([':configuration-set/', { Ref: configurationSet }])] },
              },
            },
          }),
        ]),
      }),
    });
  });

  it('retains the topic’s key outside dev', () => {
    const synthesized = synth({ stage: 'prod' });

    expectResource(synthesized.data, 'AWS::KMS::Key', ids(synthesized).key, { DeletionPolicy: 'Retain' });
  });
});

describe('when the sesFeedback function is built in the stateless stack', () => {
  it('subscribes it to the feedback topic, which may invoke it', () => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, eventFunctions.sesFeedback);
    const topicArn = { Ref: ids(synthesized).topic };

    const subscriptions = Object.values(synthesized.apiResolved.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>).filter(
      (resource) => resource.Type === 'AWS::SNS::Subscription' && JSON.stringify(resource.Properties.TopicArn) === JSON.stringify(topicArn),
    );
    expect(subscriptions.map((resource) => resource.Properties)).toEqual([{ Protocol: 'lambda', TopicArn: topicArn, Endpoint: { 'Fn::GetAtt': [functionId, 'Arn'] } }]);
    expect(Object.values(synthesized.apiResolved.Resources as Record<string, { Type: string; Properties: Record<string, unknown> }>)).toContainEqual(
      expect.objectContaining({
        Type: 'AWS::Lambda::Permission',
        Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [functionId, 'Arn'] }, Principal: 'sns.amazonaws.com', SourceArn: topicArn },
      }),
    );
  });

  it('retries a failed invocation twice, within an hour', () => {
    const synthesized = synth();

    synthesized.api.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
      FunctionName: { Ref: functionOf(synthesized, eventFunctions.sesFeedback).functionId },
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3600,
    });
  });

  it('grants it its own logs, its traces and write access to the tables it declares, and nothing else: no email, no pepper, no key', () => {
    const synthesized = synth();
    const { roleId, logGroupId } = functionOf(synthesized, eventFunctions.sesFeedback);
    const write = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query', 'dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:ConditionCheckItem', 'dynamodb:BatchWriteItem'];

    // X-Ray's two actions take no resource but '*' (lib/api-function.ts).
    const expected = [`logs:CreateLogStream on ${logGroupId}`, `logs:PutLogEvents on ${logGroupId}`, 'xray:PutTelemetryRecords on "*"', 'xray:PutTraceSegments on "*"'];
    for (const key of Object.keys(eventFunctions.sesFeedback.tables) as TableKey[]) {
      expected.push(...write.map((action) => `${action} on ${tableIdOf(synthesized, key)}`));
      for (const index of (TABLES[key] as TableDefinition).globalIndexes ?? []) expected.push(`dynamodb:Query on ${tableIdOf(synthesized, key)}/index/${index.indexName}`);
    }
    expect(permissionsOf(synthesized, roleId)).toEqual(expected.sort());
    expect(Object.keys(eventFunctions.sesFeedback.tables).sort()).toEqual(['audit', 'directory']);
  });

  it('tells it the names of exactly its tables, and neither a sender nor a pepper', () => {
    const synthesized = synth();
    const variables = synthesized.apiResolved.Resources[functionOf(synthesized, eventFunctions.sesFeedback).functionId].Properties.Environment.Variables;

    expect(variables).toMatchObject({ DIRECTORY_TABLE: { Ref: tableIdOf(synthesized, 'directory') }, AUDIT_TABLE: { Ref: tableIdOf(synthesized, 'audit') } });
    for (const absent of ['SESSIONS_TABLE', 'TOKENS_TABLE', 'IDEMPOTENCY_TABLE', 'SENDER_EMAIL', 'PEPPER_SECRET_ARN', 'ALLOWED_ORIGINS']) expect(variables).not.toHaveProperty(absent);
  });

  it('puts it behind no API method', () => {
    const synthesized = synth();
    const { functionId } = functionOf(synthesized, eventFunctions.sesFeedback);

    const invokedByApi = Object.values(synthesized.api.findResources('AWS::Lambda::Permission')).some(
      (permission) => permission.Properties.Principal === 'apigateway.amazonaws.com' && JSON.stringify(permission.Properties.FunctionName).includes(functionId),
    );
    expect(invokedByApi).toBe(false);
  });
});
