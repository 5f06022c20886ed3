// Handler: the ses-feedback event function (functions/contract/event-functions.ts). SNS invokes it with SES's bounce
// and complaint notifications; each becomes what recordDeliveryFeedback decides. A message that cannot be read or
// attributed is logged and dropped (answering normally, so Lambda does not retry it); a failure to store is thrown,
// and Lambda's two asynchronous retries run it again, which the conditional writes make harmless.
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import * as z from 'zod';
import { FEEDBACK_LOG, parseSesNotification } from '../adapters/ses/feedback-notification';
import { logger } from '../http/logger';
import { recordDeliveryFeedback } from '../use-cases/delivery-feedback';
import { admins, suppressions } from '../wiring/stores';
import { cryptoRandom, systemClock } from '../wiring/system';

const deps = { suppressions, admins, clock: systemClock, random: cryptoRandom };

/** The part of SNS's Lambda event the function reads. */
const SnsEvent = z.object({
  Records: z.array(z.object({ Sns: z.object({ MessageId: z.string(), Message: z.string() }) })).min(1),
});

export const core = async (event: unknown): Promise<void> => {
  const parsed = SnsEvent.safeParse(event);
  if (!parsed.success) {
    logger.warn(FEEDBACK_LOG.dropped, { why: 'not an SNS event' });
    return;
  }
  for (const record of parsed.data.Records) {
    const facts = { snsMessageId: record.Sns.MessageId };
    const notification = parseSesNotification(record.Sns.Message);
    if (notification.kind === 'malformed') {
      logger.warn(FEEDBACK_LOG.dropped, { ...facts, why: 'malformed', problem: notification.problem });
      continue;
    }
    if (notification.kind === 'other') {
      logger.info(FEEDBACK_LOG.ignored, { ...facts, notificationType: notification.type });
      continue;
    }
    const { feedback } = notification;
    const about = { ...facts, kind: feedback.kind, bounceType: feedback.bounceType, feedbackId: feedback.feedbackId, messageId: feedback.messageId };
    // Counts and ids only: the addresses are personal data, and the audit trail holds them.
    const outcome = await recordDeliveryFeedback(feedback, deps);
    if (outcome.kind === 'unattributed') logger.warn(FEEDBACK_LOG.dropped, { ...about, why: 'no company tag' });
    else if (outcome.kind === 'ignored') logger.info(FEEDBACK_LOG.ignored, { ...about, companyId: outcome.companyId, why: outcome.why });
    else logger.info(FEEDBACK_LOG.recorded, { ...about, ...outcome });
  }
};

export const handler = middy(core).use(injectLambdaContext(logger, { resetKeys: true }));
