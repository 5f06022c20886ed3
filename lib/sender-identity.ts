// Infrastructure: the SES identity every email is sent as: the configured sender address, or its whole domain.
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export interface SenderIdentityProps {
  /** The From address of every email. */
  readonly senderEmail: string;
  /**
   * What SES verifies: the address alone (SES mails it a link to click), or the address's domain (Easy DKIM: three
   * CNAME records to add to the domain's DNS, published as stack outputs).
   * @default 'address'
   */
  readonly verify?: 'address' | 'domain';
  /**
   * A subdomain of the sender's domain as the envelope sender (MAIL FROM), so that SPF passes for, and aligns with,
   * the From domain (DMARC). Only with `verify: 'domain'`. Its MX and SPF records are published as stack outputs;
   * until the MX record resolves SES falls back to its own amazonses.com, so mail keeps flowing.
   * @default - none: SES's own MAIL FROM domain
   */
  readonly mailFromDomain?: string;
  /**
   * The identity's default configuration set: every email sent as the identity goes through it, whoever sends it
   * (the functions, the operator's CLI), without naming it.
   * @default - none
   */
  readonly configurationSet?: ses.IConfigurationSet;
}

/** The verified SES identity of the sender; the mailing functions may send as this identity and no other. */
export class SenderIdentity extends Construct {
  /** The From address of every email. */
  readonly senderEmail: string;
  /** The identity SES authorizes a send against: the address, or its domain. */
  readonly identityName: string;
  readonly emailIdentity: ses.EmailIdentity;
  /** The name of the identity's default configuration set, if it has one. */
  readonly configurationSetName: string | undefined;

  constructor(scope: Construct, id: string, props: SenderIdentityProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    const domain = props.senderEmail.slice(props.senderEmail.lastIndexOf('@') + 1);
    this.identityName = props.verify === 'domain' ? domain : props.senderEmail;
    this.configurationSetName = props.configurationSet?.configurationSetName;
    this.emailIdentity = new ses.EmailIdentity(this, 'Identity', {
      identity: props.verify === 'domain' ? ses.Identity.domain(domain) : ses.Identity.email(props.senderEmail),
      ...(props.configurationSet ? { configurationSet: props.configurationSet } : {}),
      ...(props.mailFromDomain ? { mailFromDomain: props.mailFromDomain, mailFromBehaviorOnMxFailure: ses.MailFromBehaviorOnMxFailure.USE_DEFAULT_VALUE } : {}),
    });
    if (props.mailFromDomain) {
      const { region } = Stack.of(this);
      const records = {
        SenderMailFromMxRecord: [`${props.mailFromDomain} MX 10 feedback-smtp.${region}.amazonses.com`, 'the MX record that lets SES receive the bounces'],
        SenderMailFromSpfRecord: [`${props.mailFromDomain} TXT "v=spf1 include:amazonses.com ~all"`, 'the SPF record that authorizes SES to send'],
      } as const;
      for (const [key, [value, what]] of Object.entries(records)) {
        new CfnOutput(this, key, { key, value, description: `The MAIL FROM domain's record to add to the DNS of ${domain}: ${what}.` });
      }
    }
    if (props.verify === 'domain') {
      this.emailIdentity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          key: `SenderDkimRecord${index + 1}`,
          value: `${record.name} CNAME ${record.value}`,
          description: `DKIM record ${index + 1} of 3 to add to the DNS of ${domain}; SES verifies the domain once all three resolve.`,
        });
      });
    }
  }

  /** The identity's ARN, written out rather than taken from the resource, so a policy needs no cross-stack export. */
  arnIn(scope: Construct): string {
    const { partition, region, account } = Stack.of(scope);
    return `arn:${partition}:ses:${region}:${account}:identity/${this.identityName}`;
  }

  /**
   * The ARNs a send as this identity is authorized against: the identity, and its configuration set (SES authorizes
   * ses:SendEmail on every resource a send involves, the configuration set it goes through included).
   */
  sendingArnsIn(scope: Construct): string[] {
    const { partition, region, account } = Stack.of(scope);
    return [this.arnIn(scope), ...(this.configurationSetName ? [`arn:${partition}:ses:${region}:${account}:configuration-set/${this.configurationSetName}`] : [])];
  }
}
