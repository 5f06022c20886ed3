// Infrastructure: the SES identity every email is sent as: the configured sender address, or its whole domain, made
// by this stage, or one that already exists in the account and region (another stage's), which this stage only uses.
import { CfnOutput, Stack } from 'aws-cdk-lib';
import * as ses from 'aws-cdk-lib/aws-ses';
import { Construct } from 'constructs';

export type SenderVerification = 'address' | 'domain' | 'existing';

export interface SenderIdentityProps {
  /** The From address of every email. */
  readonly senderEmail: string;
  /**
   * What SES verifies: the address alone (SES mails it a link to click), or the address's domain (Easy DKIM: three
   * CNAME records to add to the domain's DNS, published as stack outputs). `existing`: the address or its domain is
   * an identity already in the account and region, made by another stage (or by hand), which owns it: SES has one
   * identity per address or domain, so a second stage that made its own would fail to deploy. This stage makes
   * none, and its functions name its own configuration set on every send, so its bounces and complaints still come
   * back to it, not to the owner's.
   * @default 'address'
   */
  readonly verify?: SenderVerification;
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
  /**
   * The identities SES may authorize a send against: the address, or its domain; both for an existing identity,
   * since SES takes the address's own identity where there is one and the domain's otherwise.
   */
  readonly identityNames: readonly string[];
  /** The identity this stage made; undefined when it uses an existing one. */
  readonly emailIdentity: ses.EmailIdentity | undefined;
  /** The stage's configuration set, which every send names (and the identity's default, where this stage made it). */
  readonly configurationSetName: string | undefined;

  constructor(scope: Construct, id: string, props: SenderIdentityProps) {
    super(scope, id);
    this.senderEmail = props.senderEmail;
    const domain = props.senderEmail.slice(props.senderEmail.lastIndexOf('@') + 1);
    this.identityNames = { address: [props.senderEmail], domain: [domain], existing: [props.senderEmail, domain] }[props.verify ?? 'address'];
    this.configurationSetName = props.configurationSet?.configurationSetName;
    this.emailIdentity =
      props.verify === 'existing'
        ? undefined
        : new ses.EmailIdentity(this, 'Identity', {
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
    if (props.verify === 'domain' && this.emailIdentity !== undefined) {
      this.emailIdentity.dkimRecords.forEach((record, index) => {
        new CfnOutput(this, `DkimRecord${index + 1}`, {
          key: `SenderDkimRecord${index + 1}`,
          value: `${record.name} CNAME ${record.value}`,
          description: `DKIM record ${index + 1} of 3 to add to the DNS of ${domain}; SES verifies the domain once all three resolve.`,
        });
      });
    }
  }

  /**
   * The ARNs a send as this identity is authorized against: the identity (or identities), and the configuration set
   * (SES authorizes ses:SendEmail on every resource a send involves, the configuration set it goes through included).
   * Written out rather than taken from the resources, so a policy needs no cross-stack export.
   */
  sendingArnsIn(scope: Construct): string[] {
    const { partition, region, account } = Stack.of(scope);
    const arn = (resource: string) => `arn:${partition}:ses:${region}:${account}:${resource}`;
    return [...this.identityNames.map((name) => arn(`identity/${name}`)), ...(this.configurationSetName ? [arn(`configuration-set/${this.configurationSetName}`)] : [])];
  }
}
