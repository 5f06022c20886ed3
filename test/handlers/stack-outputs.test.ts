// The operator's --stack: a deployed stack's outputs, read through CloudFormation (mocked: no AWS here).
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { mockClient } from 'aws-sdk-client-mock';
import { stackOutputs } from '../../functions/adapters/cloudformation/stack-outputs';

const cloudFormation = mockClient(CloudFormationClient);
beforeEach(() => cloudFormation.reset());

describe('when the stack exists', () => {
  it('answers its outputs by key', async () => {
    cloudFormation.on(DescribeStacksCommand, { StackName: 'adminpass-prod' }).resolves({
      Stacks: [
        {
          StackName: 'adminpass-prod',
          CreationTime: new Date(),
          StackStatus: 'CREATE_COMPLETE',
          Outputs: [
            { OutputKey: 'DirectoryTableName', OutputValue: 'adminpass-prod-data-DirectoryTable-ABC' },
            { OutputKey: 'SenderEmail', OutputValue: 'no-reply@acme.example' },
          ],
        },
      ],
    });

    const outputs = await stackOutputs('adminpass-prod', new CloudFormationClient({ region: 'eu-west-1' }));

    expect(outputs).toEqual({ DirectoryTableName: 'adminpass-prod-data-DirectoryTable-ABC', SenderEmail: 'no-reply@acme.example' });
  });
});

describe('when the stack does not exist', () => {
  it('says so in one sentence naming it', async () => {
    cloudFormation.on(DescribeStacksCommand).rejects(Object.assign(new Error('Stack with id adminpass-nope does not exist'), { name: 'ValidationError' }));

    await expect(stackOutputs('adminpass-nope', new CloudFormationClient({ region: 'eu-west-1' }))).rejects.toThrow('there is no stack "adminpass-nope" in this account and region');
  });
});
