// Composition root: the mailer on SES and the public URL links point at. Only functions that send email import it.
import { ses } from '../adapters/clients/ses';
import { createSesMailer } from '../adapters/ses/ses-mailer';
import { mailConfig } from '../config';
import type { Mailer } from '../domain/ports';
import { countingSends } from '../http/metrics';

const mail = mailConfig();

// Each send is counted in the service's metrics (EmailSent, EmailRefusedBySes).
export const mailer: Mailer = countingSends(createSesMailer(ses, mail.SENDER_EMAIL, mail.SES_CONFIGURATION_SET));
export const publicBaseUrl: string = mail.PUBLIC_BASE_URL;
