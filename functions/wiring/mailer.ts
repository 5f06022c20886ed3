// Composition root: the mailer on SES and the public URL links point at. Only functions that send email import it.
import { ses } from '../adapters/clients/ses';
import { createSesMailer } from '../adapters/ses/ses-mailer';
import { mailConfig } from '../config';
import type { Mailer } from '../domain/ports';

const mail = mailConfig();

export const mailer: Mailer = createSesMailer(ses, mail.SENDER_EMAIL);
export const publicBaseUrl: string = mail.PUBLIC_BASE_URL;
