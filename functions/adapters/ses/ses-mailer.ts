// Adapter: the Mailer port on SES (SendEmail, v1 API), with a text and an HTML part, and the email's tags as SES
// message tags: the sender identity's configuration set publishes bounces and complaints with them (mail.tags).
import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Mailer } from '../../domain/ports';
import { sesTagsOf } from './mail-tags';

export function createSesMailer(client: SESClient, sender: string): Mailer {
  return {
    async send(to, message, tags) {
      await client.send(
        new SendEmailCommand({
          Source: sender,
          Destination: { ToAddresses: [to] },
          Message: {
            Subject: { Data: message.subject, Charset: 'UTF-8' },
            Body: { Text: { Data: message.text, Charset: 'UTF-8' }, Html: { Data: message.html, Charset: 'UTF-8' } },
          },
          Tags: sesTagsOf(tags),
        }),
      );
    },
  };
}
