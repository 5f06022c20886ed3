// Domain layer: the words of every email adminpass sends. Pure: the use cases fill them in, an adapter delivers them.
// No email carries a password; only the reset email carries a secret, the link itself.

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** "27 November 2026 at 09:15 UTC": the same instant for every reader, whatever their time zone. */
export function formatUtc(isoTime: string): string {
  const time = new Date(isoTime);
  const date = time.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: 'UTC' });
  const clock = time.toLocaleTimeString('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC', hour12: false });
  return `${date} at ${clock} UTC`;
}

/** The HTML part of an email: one paragraph each, names escaped; the paragraph equal to the link becomes an anchor. */
export function paragraphsToHtml(paragraphs: readonly string[], link?: { text: string; href: string }): string {
  const body = paragraphs
    .map((paragraph) => {
      const escaped = escapeHtml(paragraph);
      return link && paragraph === link.href
        ? `<p><a href="${escapeHtml(link.href)}">${escapeHtml(link.text)}</a></p>`
        : `<p>${escaped}</p>`;
    })
    .join('\n');
  return `<!doctype html><html lang="en"><body style="font-family:sans-serif;line-height:1.5;color:#1a1a1a">\n${body}\n</body></html>`;
}

export interface ResetEmailFacts {
  readonly adminName: string;
  readonly masterName: string;
  readonly companyName: string;
  readonly link: string;
  readonly expiresAt: string;
}

/** The email of the seed's "Reset Password": who asked, for which company, the link, and when it expires. */
export function passwordResetEmail(facts: ResetEmailFacts): EmailMessage {
  const expires = formatUtc(facts.expiresAt);
  const paragraphs = [
    `Hello ${facts.adminName},`,
    `${facts.masterName}, master administrator of ${facts.companyName}, has reset your administrator password. Your previous password no longer works.`,
    'Open this link to choose a new password on the Password Change Screen:',
    facts.link,
    `The link can be used once and expires in 24 hours, on ${expires}. After that, ask your master administrator for a new one.`,
    'If you did not expect this email, tell your master administrator.',
  ];
  return {
    subject: `Reset your ${facts.companyName} administrator password`,
    text: paragraphs.join('\n\n'),
    html: paragraphsToHtml(paragraphs, { text: 'Choose a new password', href: facts.link }),
  };
}

/** Which password change a notice reports. */
export type PasswordChange = 'changed-by-you' | 'temporary-set-by-master' | 'reset-completed';

export interface ChangeNoticeFacts {
  readonly adminName: string;
  readonly companyName: string;
  readonly change: PasswordChange;
  readonly at: string;
}

const CHANGE_SENTENCES: Record<PasswordChange, string> = {
  'changed-by-you': 'Your administrator password was changed.',
  'temporary-set-by-master':
    'Your master administrator set a temporary password for your account. You will be asked to choose a new password when you next sign in.',
  'reset-completed': 'A new administrator password was set through a password reset link.',
};

/** The notice sent to the registered address after any password change: what happened and when, no secret. */
export function passwordChangeNotice(facts: ChangeNoticeFacts): EmailMessage {
  const paragraphs = [
    `Hello ${facts.adminName},`,
    `${CHANGE_SENTENCES[facts.change]} (${facts.companyName}, ${formatUtc(facts.at)}.)`,
    'Your other sessions were signed out.',
    'If this was not you or your master administrator, contact your master administrator at once.',
  ];
  return {
    subject: `Your ${facts.companyName} administrator password was changed`,
    text: paragraphs.join('\n\n'),
    html: paragraphsToHtml(paragraphs),
  };
}

export interface EmailChangeNoticeFacts {
  readonly adminName: string;
  readonly companyName: string;
  readonly at: string;
}

/**
 * The notice sent to the OLD address after a master changed an admin's email: what changed, when, and whom to ask.
 * It names neither the new address (the old one may no longer be the person's) nor the master, and holds no secret.
 */
export function emailChangeNotice(facts: EmailChangeNoticeFacts): EmailMessage {
  const paragraphs = [
    `Hello ${facts.adminName},`,
    `The email address of your ${facts.companyName} administrator account was changed on ${formatUtc(facts.at)}. This address no longer receives the account's emails, and any password reset link sent before the change no longer works.`,
    `If you did not expect this change, contact a master administrator of ${facts.companyName} at once.`,
  ];
  return {
    subject: `The email address of your ${facts.companyName} administrator account was changed`,
    text: paragraphs.join('\n\n'),
    html: paragraphsToHtml(paragraphs),
  };
}
