// Test support: SES's bounce and complaint notifications in the format SES publishes through a configuration set's
// SNS event destination (eventType, mail.tags), as SNS hands them to a Lambda function. Shaped on the examples of
// "Examples of event data that Amazon SES publishes to Amazon SNS" in the SES developer guide.
import type { SNSEvent } from 'aws-lambda';

export interface FeedbackFacts {
  /** The recipients the notification is about. */
  readonly recipients: readonly string[];
  /** The email's tags as the mailer set them; SES adds its own (ses:*) beside them. Omit for an untagged email. */
  readonly tags?: { readonly companyId: string; readonly purpose?: string };
  readonly messageId?: string;
  readonly feedbackId?: string;
  readonly at?: string;
}

const SENDER = 'no-reply@mail.adminpass.example';

function mailOf(facts: FeedbackFacts) {
  const at = facts.at ?? '2026-11-27T10:00:02.669Z';
  return {
    timestamp: new Date(Date.parse(at) - 2000).toISOString(),
    source: `adminpass <${SENDER}>`,
    sourceArn: `arn:aws:ses:us-east-1:123456789012:identity/${SENDER}`,
    sendingAccountId: '123456789012',
    messageId: facts.messageId ?? '0100019a7c1e2f3a-5b6c7d8e-0000-4000-8000-000000000001-000000',
    destination: [...facts.recipients],
    headersTruncated: false,
    headers: [
      { name: 'From', value: `adminpass <${SENDER}>` },
      { name: 'To', value: facts.recipients.join(', ') },
      { name: 'Subject', value: 'Reset your Acme Corporation administrator password' },
      { name: 'MIME-Version', value: '1.0' },
    ],
    commonHeaders: { from: [`adminpass <${SENDER}>`], to: [...facts.recipients], messageId: 'EXAMPLE', subject: 'Reset your Acme Corporation administrator password' },
    tags: {
      'ses:configuration-set': ['adminpass-dev-DeliveryFeedbackConfigurationSet'],
      'ses:source-ip': ['192.0.2.10'],
      'ses:from-domain': ['mail.adminpass.example'],
      'ses:caller-identity': ['adminpass-requestPasswordReset'],
      ...(facts.tags ? { companyId: [facts.tags.companyId], ...(facts.tags.purpose ? { purpose: [facts.tags.purpose] } : {}) } : {}),
    },
  };
}

/** A Bounce event record: Permanent by default, with SES's per-recipient diagnostics. */
export function bounceNotification(facts: FeedbackFacts & { readonly bounceType?: 'Permanent' | 'Transient' | 'Undetermined'; readonly bounceSubType?: string }) {
  return {
    eventType: 'Bounce',
    bounce: {
      bounceType: facts.bounceType ?? 'Permanent',
      bounceSubType: facts.bounceSubType ?? (facts.bounceType === 'Transient' ? 'MailboxFull' : 'General'),
      bouncedRecipients: facts.recipients.map((emailAddress) => ({ emailAddress, action: 'failed', status: '5.1.1', diagnosticCode: 'smtp; 550 5.1.1 user unknown' })),
      timestamp: facts.at ?? '2026-11-27T10:00:02.669Z',
      feedbackId: facts.feedbackId ?? '0100019a7c1e3b4c-feedback-0000-4000-8000-000000000001-000000',
      reportingMTA: 'dsn; mta.example.org',
    },
    mail: mailOf(facts),
  };
}

/** A Complaint event record, as a mailbox provider's feedback loop reports "this is spam". */
export function complaintNotification(facts: FeedbackFacts) {
  return {
    eventType: 'Complaint',
    complaint: {
      feedbackId: facts.feedbackId ?? '0100019a7c1e3b4c-complaint-0000-4000-8000-000000000001-000000',
      complaintSubType: null,
      complainedRecipients: facts.recipients.map((emailAddress) => ({ emailAddress })),
      timestamp: facts.at ?? '2026-11-27T10:05:00.000Z',
      userAgent: 'ExampleCorp Feedback Loop (V0.01)',
      complaintFeedbackType: 'abuse',
      arrivalDate: '2026-11-27T10:04:58.000Z',
    },
    mail: mailOf(facts),
  };
}

/** The SNS event Lambda receives for one or more messages (each an object sent as JSON text, or a raw string). */
export function snsEvent(...messages: readonly unknown[]): SNSEvent {
  return {
    Records: messages.map((message, index) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn: 'arn:aws:sns:us-east-1:123456789012:adminpass-dev-data-DeliveryFeedbackTopic:1f2e3d4c-0000-4000-8000-000000000000',
      Sns: {
        Type: 'Notification',
        MessageId: `95df01b4-ee98-5cb9-9903-4c221d41eb5${index}`,
        TopicArn: 'arn:aws:sns:us-east-1:123456789012:adminpass-dev-data-DeliveryFeedbackTopic',
        Subject: null as unknown as string,
        Message: typeof message === 'string' ? message : JSON.stringify(message),
        Timestamp: '2026-11-27T10:00:03.000Z',
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-0000000000000000000000.pem',
        UnsubscribeUrl: 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe',
        MessageAttributes: {},
      },
    })),
  };
}
