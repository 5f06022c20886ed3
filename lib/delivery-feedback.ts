// Infrastructure: where SES reports what became of the emails: a configuration set, the sender identity's default,
// publishes every bounce and complaint (with the email's tags) to an SNS topic encrypted with its own key. The
// ses-feedback function subscribes to the topic from the stateless stack (lib/event-functions.ts).
import { Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface DeliveryFeedbackProps {
  /** The stage: names the topic and the key in the console. */
  readonly stageName: string;
  /**
   * The key may go with the stack (a dev stage), after KMS's shortest waiting period.
   * @default false — the key is retained
   */
  readonly ephemeral?: boolean;
}

/** The configuration set every email is sent through, and the topic its bounces and complaints go to. */
export class DeliveryFeedback extends Construct {
  readonly configurationSet: ses.ConfigurationSet;
  readonly topic: sns.Topic;
  readonly key: kms.Key;

  constructor(scope: Construct, id: string, props: DeliveryFeedbackProps) {
    super(scope, id);
    const ephemeral = props.ephemeral ?? false;
    this.configurationSet = new ses.ConfigurationSet(this, 'ConfigurationSet', {
      // SES's account-level suppression list stays on for these sends too: SES itself drops an address that bounced
      // or complained anywhere in the account, and reports it as a bounce (OnAccountSuppressionList).
      suppressionReasons: ses.SuppressionReasons.BOUNCES_AND_COMPLAINTS,
      reputationMetrics: true,
    });
    // A customer managed key: SES must be allowed to use the key to publish to an encrypted topic, and the AWS
    // managed SNS key's policy cannot be changed to allow it.
    this.key = new kms.Key(this, 'TopicKey', {
      description: `adminpass ${props.stageName} SES feedback topic`,
      enableKeyRotation: true,
      removalPolicy: ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      ...(ephemeral ? { pendingWindow: Duration.days(7) } : {}),
    });
    this.key.addToResourcePolicy(
      new iam.PolicyStatement({
        principals: [new iam.ServicePrincipal('ses.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        resources: ['*'],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    this.topic = new sns.Topic(this, 'Topic', { displayName: `adminpass ${props.stageName} SES feedback`, masterKey: this.key, enforceSSL: true });
    // The event destination also lets SES (and only this configuration set) publish to the topic.
    this.configurationSet.addEventDestination('ToTopic', {
      destination: ses.EventDestination.snsTopic(this.topic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });
  }
}
