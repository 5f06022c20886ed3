// Adapter tests: the Mailer port on SES (functions/adapters/ses/ses-mailer.ts), against a mocked SES client: what
// SendEmail is asked. The local stack's emulator, which has no configuration sets, covers the real sends.
import { SESClient, SendEmailCommand } from '@aws-sdk/client-ses';
import { mockClient } from 'aws-sdk-client-mock';
import { createSesMailer } from '../../functions/adapters/ses/ses-mailer';
import { MAIL_PURPOSES } from '../../functions/domain/delivery';

const MESSAGE = { subject: 'Reset your Acme administrator password', text: 'Hello', html: '<p>Hello</p>' };
const SENDER = 'no-reply@mail.adminpass.example';

describe('when an email is sent through SES', () => {
  const ses = mockClient(SESClient);
  afterEach(() => ses.reset());
  afterAll(() => ses.restore());

  it("names the stage's configuration set, so its bounces come back to the stage that sent it", async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-1' });

    await createSesMailer(new SESClient({ region: 'us-east-1' }), SENDER, 'adminpass-staging-feedback').send('grace@acme.example', MESSAGE, { companyId: 'acme', purpose: MAIL_PURPOSES[0] });

    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).toMatchObject({
      Source: SENDER,
      Destination: { ToAddresses: ['grace@acme.example'] },
      ConfigurationSetName: 'adminpass-staging-feedback',
    });
  });

  it('names none where none is given, as locally', async () => {
    ses.on(SendEmailCommand).resolves({ MessageId: 'm-2' });

    await createSesMailer(new SESClient({ region: 'us-east-1' }), SENDER).send('grace@acme.example', MESSAGE, { companyId: 'acme', purpose: MAIL_PURPOSES[0] });

    expect(ses.commandCalls(SendEmailCommand)[0]?.args[0].input).not.toHaveProperty('ConfigurationSetName');
  });
});
