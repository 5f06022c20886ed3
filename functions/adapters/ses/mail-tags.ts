// Adapter: the names of the SES message tags every email carries (MailTags), shared by the mailer that sets them and
// the feedback parser that reads them back from a notification's mail.tags.
import type { MailTags } from '../../domain/delivery';

export const MAIL_TAG_NAMES = { companyId: 'companyId', purpose: 'purpose' } as const satisfies Record<keyof MailTags, string>;

/** The tags as SendEmail takes them. */
export const sesTagsOf = (tags: MailTags) => (Object.keys(MAIL_TAG_NAMES) as (keyof MailTags)[]).map((key) => ({ Name: MAIL_TAG_NAMES[key], Value: tags[key] }));
