// Adapter: the Mailer port on SES (SendEmail, v1 API), with a text and an HTML part, and the email's tags as SES
// message tags: the stage's configuration set publishes bounces and complaints with them (mail.tags). Each send
// names that configuration set when one is given: the sender identity's own default is the set of the stage that
// owns the identity, which is another stage's where two share one sender (lib/sender-identity.ts).
import { SendEmailCommand, type SESClient } from '@aws-sdk/client-ses';
import type { Mailer } from '../../domain/ports';
import { sesTagsOf } from './mail-tags';

export function createSesMailer(client: SESClient, sender: string, configurationSet?: string): Mailer {
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
          ...(configurationSet === undefined ? {} : { ConfigurationSetName: configurationSet }),
        }),
      );
    },
  };
}
