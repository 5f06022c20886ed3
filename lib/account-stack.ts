// Infrastructure: what belongs to the account and region rather than to a stage: the role API Gateway writes every
// API's access and execution logs through, set in the account's API Gateway settings. One stack per account and
// region, which every stage deployed there depends on, so two stages never overwrite each other's setting.
import { RemovalPolicy, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type { Construct } from 'constructs';

/** The account stack's name: the same for every stage, so each stage's deploy finds it already in place. */
export const ACCOUNT_STACK_NAME = 'adminpass-account';

/** The account-wide API Gateway logging role, and the account setting that names it. */
export class AdminpassAccountStack extends Stack {
  readonly apiGatewayLoggingRole: iam.Role;

  constructor(scope: Construct, id: string, props: StackProps = {}) {
    super(scope, id, { stackName: ACCOUNT_STACK_NAME, description: 'adminpass, once per account and region: the role API Gateway writes logs through', ...props });
    this.apiGatewayLoggingRole = new iam.Role(this, 'ApiGatewayLoggingRole', {
      assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com'),
      managedPolicies: [iam.ManagedPolicy.fromAwsManagedPolicyName('service-role/AmazonAPIGatewayPushToCloudWatchLogs')],
    });
    // Kept when the stack goes: other APIs in the account may log through the same setting.
    this.apiGatewayLoggingRole.applyRemovalPolicy(RemovalPolicy.RETAIN);
    Validations.of(this.apiGatewayLoggingRole).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
      reason:
        'The account-wide role API Gateway writes every API\'s access and execution logs through; AWS maintains ' +
        'its policy, and its log groups are named by API Gateway per API and stage, so it cannot be narrowed to ours.',
    });
    const setting = new apigateway.CfnAccount(this, 'ApiGatewaySettings', { cloudWatchRoleArn: this.apiGatewayLoggingRole.roleArn });
    setting.applyRemovalPolicy(RemovalPolicy.RETAIN);
  }
}
