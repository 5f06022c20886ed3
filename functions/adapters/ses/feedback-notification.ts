// Adapter: SES's bounce and complaint notifications, as SNS delivers them, parsed with zod into the domain's
// DeliveryFeedback. Both of SES's formats are read: event publishing through a configuration set (`eventType`, with
// the email's tags in mail.tags), which the stack wires, and an identity's feedback notifications
// (`notificationType`, which carry no tags and so cannot be attributed to a company).
import * as z from 'zod';
import type { DeliveryFeedback } from '../../domain/delivery';
import { CompanyId } from '../../contract/schemas';
import { MAIL_TAG_NAMES } from './mail-tags';

/**
 * What the ses-feedback function logs (functions/http/logger.ts writes JSON lines); the stack's alarm counts
 * `dropped`: feedback that could not be read or attributed, so suppression may have stopped working.
 */
export const FEEDBACK_LOG = {
  recorded: 'ses feedback recorded',
  ignored: 'ses feedback ignored',
  dropped: 'ses feedback dropped',
} as const;

const Recipient = z.object({ emailAddress: z.string().min(3).max(320) });
const Timestamp = z.iso.datetime({ offset: true });

/** The part of `mail` the service reads; SES sends much more (headers, destination, source...), which is ignored. */
const Mail = z.object({
  messageId: z.string().min(1).max(256),
  // Event publishing: every tag's values, SES's own (ses:configuration-set, ses:from-domain...) among them.
  tags: z.record(z.string(), z.array(z.string())).optional(),
});

const Bounce = z.object({
  bounceType: z.enum(['Permanent', 'Transient', 'Undetermined']),
  bounceSubType: z.string().max(64).optional(),
  bouncedRecipients: z.array(Recipient).min(1).max(100),
  timestamp: Timestamp,
  feedbackId: z.string().min(1).max(256),
});

const Complaint = z.object({
  complainedRecipients: z.array(Recipient).min(1).max(100),
  complaintFeedbackType: z.string().max(64).optional(),
  timestamp: Timestamp,
  feedbackId: z.string().min(1).max(256),
});

/** Each notification type the service acts on, read into one shape: what it says about which recipients. */
const NOTIFICATIONS = {
  Bounce: z.object({ bounce: Bounce, mail: Mail }).transform(({ bounce, mail }) => ({
    kind: 'bounce' as const,
    bounceType: bounce.bounceType,
    subType: bounce.bounceSubType,
    recipients: bounce.bouncedRecipients,
    feedbackId: bounce.feedbackId,
    timestamp: bounce.timestamp,
    mail,
  })),
  Complaint: z.object({ complaint: Complaint, mail: Mail }).transform(({ complaint, mail }) => ({
    kind: 'complaint' as const,
    subType: complaint.complaintFeedbackType,
    recipients: complaint.complainedRecipients,
    feedbackId: complaint.feedbackId,
    timestamp: complaint.timestamp,
    mail,
  })),
} as const;

/** The tag values a notification carries for this service, when they are well formed (else: absent). */
function tagsOf(mail: z.output<typeof Mail>): DeliveryFeedback['tags'] {
  const companyId = mail.tags?.[MAIL_TAG_NAMES.companyId]?.[0];
  if (companyId === undefined || !CompanyId.safeParse(companyId).success) return undefined;
  const purpose = mail.tags?.[MAIL_TAG_NAMES.purpose]?.[0];
  return { companyId, purpose };
}

/** What one SNS message from SES turned out to be. */
export type ParsedNotification =
  | { readonly kind: 'feedback'; readonly feedback: DeliveryFeedback }
  /** A well-formed notification of a type the service does not act on (Delivery, Send, a subscription test...). */
  | { readonly kind: 'other'; readonly type: string }
  /** Not a notification the service can read; `problem` names fields, never their values (they hold addresses). */
  | { readonly kind: 'malformed'; readonly problem: string };

const problemOf = (error: z.ZodError): string =>
  error.issues
    .slice(0, 5)
    .map((issue) => `${issue.path.join('.') || '(message)'}: ${issue.code}`)
    .join('; ');

/** Parses the text of one SNS message (SNS's `Message`) as SES's bounce or complaint notification. */
export function parseSesNotification(message: string): ParsedNotification {
  let raw: unknown;
  try {
    raw = JSON.parse(message);
  } catch {
    return { kind: 'malformed', problem: 'not JSON' };
  }
  if (raw === null || typeof raw !== 'object') return { kind: 'malformed', problem: 'not a JSON object' };
  const { eventType, notificationType } = raw as { eventType?: unknown; notificationType?: unknown };
  const type = eventType ?? notificationType;
  if (typeof type !== 'string') return { kind: 'malformed', problem: 'neither eventType nor notificationType' };
  if (!Object.hasOwn(NOTIFICATIONS, type)) return { kind: 'other', type: type.slice(0, 64) };
  const parsed = NOTIFICATIONS[type as keyof typeof NOTIFICATIONS].safeParse(raw);
  if (!parsed.success) return { kind: 'malformed', problem: problemOf(parsed.error) };
  const { recipients, timestamp, mail, ...about } = parsed.data;
  return {
    kind: 'feedback',
    feedback: {
      ...about,
      recipients: recipients.map((recipient) => recipient.emailAddress),
      messageId: mail.messageId,
      tags: tagsOf(mail),
      at: new Date(timestamp).toISOString(),
    },
  };
}
