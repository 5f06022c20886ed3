// Adapter: the outputs of a deployed stack, for the operator's commands (`npm run ops -- … --aws --stack <name>`),
// which find the tables, the public URL and the sender there instead of asking for each.
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';

/** Every output of the stack by its key; a clear error when the stack does not exist. */
export async function stackOutputs(stackName: string, client: CloudFormationClient = new CloudFormationClient({})): Promise<Record<string, string>> {
  let stacks;
  try {
    ({ Stacks: stacks } = await client.send(new DescribeStacksCommand({ StackName: stackName })));
  } catch (error) {
    if ((error as Error).name === 'ValidationError') throw new Error(`there is no stack "${stackName}" in this account and region`);
    throw error;
  }
  const outputs = stacks?.[0]?.Outputs ?? [];
  return Object.fromEntries(outputs.flatMap((output) => (output.OutputKey && output.OutputValue ? [[output.OutputKey, output.OutputValue]] : [])));
}
