// Domain layer: what comes back from delivering email. The tags every email carries so that SES's feedback about it
// can be attributed to a company; that feedback in the domain's terms; and the decision that turns a permanent
// bounce or a complaint into a per-company suppression of the address, which later resets to it are refused by.
import { normalizeEmail } from './admin';

/** Why an email was sent; SES hands it back in the feedback's tags. */
export const MAIL_PURPOSES = ['password-reset', 'password-change-notice', 'email-change-notice'] as const;
export type MailPurpose = (typeof MAIL_PURPOSES)[number];

/**
 * What an email carries besides its words, as SES message tags (`mail.tags` of the feedback): the company it was
 * sent for and why. SES allows only ASCII letters, digits, `_` and `-` in a tag, which company ids and purposes keep.
 */
export interface MailTags {
  readonly companyId: string;
  readonly purpose: MailPurpose;
}

/** Why an address is suppressed: it bounced for good, or its owner marked one of our emails as spam. */
export const SUPPRESSION_REASONS = ['bounce', 'complaint'] as const;
export type SuppressionReason = (typeof SUPPRESSION_REASONS)[number];

/** SES's word on a bounce: Permanent (the address does not exist), Transient (full mailbox, greylisting...), Undetermined. */
export type BounceType = 'Permanent' | 'Transient' | 'Undetermined';

/** One SES notification about one sent email, as the service understands it. */
export interface DeliveryFeedback {
  readonly kind: SuppressionReason;
  /** For a bounce: SES's bounceType; a complaint has none. */
  readonly bounceType?: BounceType | undefined;
  /** SES's bounceSubType (e.g. General, NoEmail, Suppressed) or a complaint's feedback type (abuse, ...), when given. */
  readonly subType?: string | undefined;
  /** The addresses the feedback is about (bouncedRecipients or complainedRecipients). */
  readonly recipients: readonly string[];
  /** SES's id of this feedback: the same notification delivered twice has the same one. */
  readonly feedbackId: string;
  /** SES's id of the email the feedback is about. */
  readonly messageId: string;
  /**
   * The email's tags as SES handed them back (the purpose unchecked); absent when it was sent without a company tag,
   * and then the feedback cannot be attributed.
   */
  readonly tags: { readonly companyId: string; readonly purpose?: string | undefined } | undefined;
  /** When the bounce or complaint happened, as SES reports it. */
  readonly at: string;
}

/** An address a company's reset emails no longer go to, until a master clears it. */
export interface DeliverySuppression {
  readonly companyId: string;
  /** Normalized (lower-cased): the key it is stored and looked up under. */
  readonly email: string;
  readonly reason: SuppressionReason;
  /** SES's bounce sub-type or complaint feedback type, when it gave one. */
  readonly detail: string | null;
  /** Why the email that bounced was sent, when its tags said. */
  readonly purpose: MailPurpose | null;
  readonly feedbackId: string;
  readonly messageId: string;
  /** When the bounce or complaint happened. */
  readonly suppressedAt: string;
}

const isPurpose = (value: string | undefined): value is MailPurpose => (MAIL_PURPOSES as readonly (string | undefined)[]).includes(value);

/** What a piece of feedback comes to, before anything is stored. */
export type FeedbackDecision =
  | { readonly kind: 'suppress'; readonly suppressions: readonly DeliverySuppression[] }
  /** Nothing to suppress: a transient or undetermined bounce (SES retried; the address may work tomorrow). */
  | { readonly kind: 'ignore'; readonly why: 'not-permanent' | 'no-recipients' }
  /** The email carried no company tag (sent by something other than this service's use cases): nobody to suppress it for. */
  | { readonly kind: 'unattributed' };

/**
 * Decides what feedback suppresses: every recipient of a permanent bounce and every recipient of a complaint, for
 * the company the email was sent for. A transient or undetermined bounce suppresses nothing (SES itself retried, and
 * a full mailbox is no reason to stop a person's password reset); the caller only logs it.
 */
export function decideSuppressions(feedback: DeliveryFeedback): FeedbackDecision {
  const companyId = feedback.tags?.companyId;
  if (companyId === undefined) return { kind: 'unattributed' };
  if (feedback.kind === 'bounce' && feedback.bounceType !== 'Permanent') return { kind: 'ignore', why: 'not-permanent' };
  const emails = [...new Set(feedback.recipients.map(normalizeEmail).filter((email) => email !== ''))];
  if (emails.length === 0) return { kind: 'ignore', why: 'no-recipients' };
  const purpose = feedback.tags?.purpose;
  return {
    kind: 'suppress',
    suppressions: emails.map((email) => ({
      companyId,
      email,
      reason: feedback.kind,
      detail: feedback.subType ?? null,
      purpose: isPurpose(purpose) ? purpose : null,
      feedbackId: feedback.feedbackId,
      messageId: feedback.messageId,
      suppressedAt: feedback.at,
    })),
  };
}
