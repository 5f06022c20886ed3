// Stack tests (lib/stateful-stack.ts, lib/data-tables.ts, lib/pepper-secret.ts, lib/sender-identity.ts): the tables,
// the pepper and the SES identity, apart from the stateless stack, with the settings each stage keeps.
import { TABLES, type TableDefinition } from '../../functions/adapters/dynamodb/table-definitions';
import { Match, SENDER, expectResource, synth, tableIdOf, tableKeys } from './synth';

/** Every Fn::GetStackOutput in a template: the stack and the output it reads. */
function stackOutputsReadBy(template: unknown): { StackName: string; OutputName: string }[] {
  if (Array.isArray(template)) return template.flatMap(stackOutputsReadBy);
  if (template === null || typeof template !== 'object') return [];
  const read = (template as Record<string, unknown>)['Fn::GetStackOutput'] as { StackName: string; OutputName: string } | undefined;
  return read ? [read] : Object.values(template).flatMap(stackOutputsReadBy);
}

describe('when the stacks of a stage are built', () => {
  it('puts the tables, the pepper and the SES identity in the stateful stack, and none of them in the stateless one', () => {
    const { data, api } = synth();

    data.resourceCountIs('AWS::DynamoDB::GlobalTable', tableKeys.length);
    data.resourceCountIs('AWS::SecretsManager::Secret', 1);
    data.resourceCountIs('AWS::SES::EmailIdentity', 1);
    for (const type of ['AWS::DynamoDB::GlobalTable', 'AWS::SecretsManager::Secret', 'AWS::SES::EmailIdentity']) api.resourceCountIs(type, 0);
  });

  it('puts no function, API or alarm in the stateful stack', () => {
    const { data } = synth();

    for (const type of ['AWS::Lambda::Function', 'AWS::ApiGateway::RestApi', 'AWS::CloudWatch::Alarm', 'AWS::WAFv2::WebACL']) data.resourceCountIs(type, 0);
  });

  it('names the stacks after the stage, and deploys the stateful one first', () => {
    const { stateful, stateless } = synth({ stage: 'prod' });

    expect([stateful.stackName, stateless.stackName]).toEqual(['adminpass-prod-data', 'adminpass-prod']);
    expect(stateless.dependencies).toContain(stateful);
  });

  it('protects the stateful stack from deletion outside dev, and not in dev', () => {
    expect(synth({ stage: 'prod' }).stateful.terminationProtection).toBe(true);
    expect(synth().stateful.terminationProtection).toBe(false);
  });
});

describe('when the tables are created from the table definitions', () => {
  it.each(tableKeys)('creates the %s table on demand with point-in-time recovery and AWS-managed encryption', (key) => {
    const synthesized = synth();

    expectResource(synthesized.data, 'AWS::DynamoDB::GlobalTable', tableIdOf(synthesized, key), {
      Properties: Match.objectLike({
        BillingMode: 'PAY_PER_REQUEST',
        SSESpecification: { SSEEnabled: true, SSEType: 'KMS' },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });

  it.each(tableKeys)('keys the %s table as defined, with TTL where defined', (key) => {
    const synthesized = synth();
    const { partitionKey, sortKey, timeToLiveAttribute }: TableDefinition = TABLES[key];

    expectResource(synthesized.data, 'AWS::DynamoDB::GlobalTable', tableIdOf(synthesized, key), {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: partitionKey, KeyType: 'HASH' }, ...(sortKey ? [{ AttributeName: sortKey, KeyType: 'RANGE' }] : [])],
        TimeToLiveSpecification: timeToLiveAttribute ? { AttributeName: timeToLiveAttribute, Enabled: true } : Match.absent(),
      }),
    });
  });

  it.each(['sessions', 'tokens', 'audit'] as const)('expires %s items by TTL', (key) => {
    const synthesized = synth();

    expectResource(synthesized.data, 'AWS::DynamoDB::GlobalTable', tableIdOf(synthesized, key), {
      Properties: Match.objectLike({ TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } }),
    });
  });

  it('gives no table a physical name', () => {
    synth().data.allResourcesProperties('AWS::DynamoDB::GlobalTable', { TableName: Match.absent() });
  });

  it('keeps the construct ids of the table definitions, under Data in the stateful stack', () => {
    const { stateful } = synth();

    for (const key of tableKeys) expect(stateful.data.tables[key].node.path).toBe(`adminpass-dev-data/Data/${TABLES[key].constructId}`);
  });

  it('shares the tables with the stateless stack by weak references to its outputs: nothing exported, nothing imported', () => {
    const synthesized = synth();
    const read = stackOutputsReadBy(synthesized.api.toJSON());

    expect(new Set(read.map(({ StackName }) => StackName))).toEqual(new Set(['adminpass-dev-data']));
    for (const key of tableKeys) expect(read.map(({ OutputName }) => OutputName).join()).toContain(tableIdOf(synthesized, key));
    expect(JSON.stringify(synthesized.api.toJSON())).not.toContain('Fn::ImportValue');
    expect(Object.values(synthesized.data.toJSON().Outputs as Record<string, { Export?: unknown }>).filter((output) => output.Export !== undefined)).toEqual([]);
  });
});

describe('when the stage is not dev', () => {
  it('retains every table and protects it from deletion', () => {
    synth({ stage: 'prod' }).data.allResources('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: true })] }),
    });
  });

  it('retains the pepper secret', () => {
    synth({ stage: 'prod' }).data.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Retain' });
  });

  it('retains the logs, kept for a year', () => {
    synth({ stage: 'prod' }).api.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Retain', Properties: Match.objectLike({ RetentionInDays: 365 }) });
  });
});

describe('when the stage is dev', () => {
  it('lets the tables go with the stack, unprotected', () => {
    synth().data.allResources('AWS::DynamoDB::GlobalTable', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ Replicas: [Match.objectLike({ DeletionProtectionEnabled: false })] }),
    });
  });

  it('lets the pepper go with the stack', () => {
    synth().data.hasResource('AWS::SecretsManager::Secret', { DeletionPolicy: 'Delete' });
  });

  it('keeps logs for a week, and lets them go with the stack', () => {
    synth().api.allResources('AWS::Logs::LogGroup', { DeletionPolicy: 'Delete', Properties: Match.objectLike({ RetentionInDays: 7 }) });
  });
});

describe('when the pepper secret is generated', () => {
  it('is 64 characters without punctuation', () => {
    synth().data.hasResourceProperties('AWS::SecretsManager::Secret', {
      GenerateSecretString: Match.objectLike({ PasswordLength: 64, ExcludePunctuation: true }),
    });
  });
});

describe('when the sender identity is created', () => {
  it('verifies the sender address by default', () => {
    synth().data.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: SENDER });
  });

  it('verifies the whole domain with DKIM when asked, and outputs the three DNS records to add', () => {
    const { data } = synth({ senderIdentity: 'domain' });

    data.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: 'mail.adminpass.example' });
    for (const n of [1, 2, 3]) data.hasOutput(`SenderDkimRecord${n}`, { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
  });

  it('outputs no DKIM records for an address identity', () => {
    expect(Object.keys(synth().data.findOutputs('*')).filter((name) => name.startsWith('SenderDkim'))).toEqual([]);
  });

  it('makes no identity when another stage owns it, and keeps its own configuration set and feedback topic', () => {
    const { data } = synth({ senderIdentity: 'existing' });

    data.resourceCountIs('AWS::SES::EmailIdentity', 0);
    data.resourceCountIs('AWS::SES::ConfigurationSet', 1);
    data.resourceCountIs('AWS::SES::ConfigurationSetEventDestination', 1);
  });
});

describe('when retries are kept in the idempotency table', () => {
  it('creates it in the stateful stack, keyed by id, expiring by TTL on expiration, with point-in-time recovery', () => {
    const synthesized = synth();

    expectResource(synthesized.data, 'AWS::DynamoDB::GlobalTable', tableIdOf(synthesized, 'idempotency'), {
      Properties: Match.objectLike({
        KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        TimeToLiveSpecification: { AttributeName: 'expiration', Enabled: true },
        Replicas: [Match.objectLike({ PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } })],
      }),
    });
  });
});
