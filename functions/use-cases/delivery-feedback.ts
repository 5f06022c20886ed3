// Use-case layer: SES's word that an email bounced or was marked as spam. A permanent bounce or a complaint
// suppresses the address in the company the email was sent for (its tag), with an EMAIL_SUPPRESSED event in the same
// write; a transient bounce changes nothing. No AWS import: the handler hands in the parsed feedback and the ports.
import { auditEvent, type Origin } from '../domain/audit';
import { decideSuppressions, type DeliveryFeedback } from '../domain/delivery';
import { refusalOf } from '../domain/write-refusals';
import type { Dependencies } from './dependencies';

/** Where feedback events come from: SES, through its notification, never a person. */
export const SES_FEEDBACK_ORIGIN: Origin = { sourceIp: null, userAgent: 'amazon-ses-feedback' };

/** What one piece of feedback came to; counts only, since the addresses are personal data and stay out of logs. */
export type FeedbackOutcome =
  | { readonly kind: 'suppressed'; readonly companyId: string; readonly suppressed: number; readonly alreadySuppressed: number; readonly unknownCompany: number }
  | { readonly kind: 'ignored'; readonly companyId: string; readonly why: 'not-permanent' | 'no-recipients' }
  | { readonly kind: 'unattributed' };

/**
 * Records what the feedback decides (decideSuppressions). Each address is its own write, conditional on the address
 * not being suppressed yet, so the same notification delivered twice suppresses once and records one event, and a
 * retry after a partial failure finishes the rest. The event names the admin whose registered address it is, if any.
 */
export async function recordDeliveryFeedback(
  feedback: DeliveryFeedback,
  deps: Pick<Dependencies, 'suppressions' | 'admins' | 'clock' | 'random'>,
): Promise<FeedbackOutcome> {
  const decision = decideSuppressions(feedback);
  if (decision.kind === 'unattributed') return decision;
  const companyId = feedback.tags!.companyId;
  if (decision.kind === 'ignore') return { kind: 'ignored', companyId, why: decision.why };
  const counts = { suppressed: 0, alreadySuppressed: 0, unknownCompany: 0 };
  for (const suppression of decision.suppressions) {
    const holder = await deps.admins.findByEmail(companyId, suppression.email);
    const event = auditEvent(
      {
        companyId,
        type: 'EMAIL_SUPPRESSED',
        actorAdminId: null,
        targetAdminId: holder?.adminId ?? null,
        origin: SES_FEEDBACK_ORIGIN,
        details: {
          email: suppression.email,
          reason: suppression.reason,
          detail: suppression.detail,
          purpose: suppression.purpose,
          registered: holder !== undefined,
          feedbackId: suppression.feedbackId,
          messageId: suppression.messageId,
          suppressedAt: suppression.suppressedAt,
        },
      },
      deps,
    );
    const refused = await refusalOf(deps.suppressions.suppress(suppression, [event]));
    if (refused === undefined) counts.suppressed += 1;
    else if (refused.has('ALREADY_SUPPRESSED')) counts.alreadySuppressed += 1;
    else if (refused.has('COMPANY_MISSING')) counts.unknownCompany += 1;
    else throw refused;
  }
  return { kind: 'suppressed', companyId, ...counts };
}
