// Test support: the emails the SES emulator received, read back through its GET /store, as a person reads an inbox.
export interface ReceivedEmail {
  readonly messageId: string;
  readonly from: string;
  readonly destination: { to: string[]; cc: string[]; bcc: string[] };
  readonly subject: string;
  readonly body: { text?: string; html?: string };
  readonly at: number;
}

export async function emailsTo(address: string): Promise<ReceivedEmail[]> {
  const response = await fetch(`${process.env.SES_ENDPOINT}/store`);
  const { emails } = (await response.json()) as { emails: ReceivedEmail[] };
  return emails.filter((email) => email.destination.to.some((to) => to.toLowerCase().includes(address.toLowerCase())));
}

/** The newest email to the address whose subject matches, waiting briefly for it to arrive. */
export async function latestEmailTo(address: string, subject: RegExp = /./): Promise<ReceivedEmail> {
  for (let attempt = 0; attempt < 50; attempt += 1) {
    const matching = (await emailsTo(address)).filter((email) => subject.test(email.subject));
    if (matching.length > 0) return matching.at(-1)!;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`no email to ${address} with a subject like ${subject}`);
}

/** The Password Change Screen link of a reset email. */
export function resetLinkOf(email: ReceivedEmail): string {
  const link = /https?:\/\/\S+\/password-reset#token=[A-Za-z0-9_-]+/.exec(email.body.text ?? '')?.[0];
  if (link === undefined) throw new Error(`no reset link in "${email.subject}"`);
  return link;
}
