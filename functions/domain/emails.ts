// Domain layer: the words of every email adminpass sends. Pure: the use cases fill them in, an adapter delivers them.
// No email carries a password; only the reset email carries a secret, the link itself.

export interface EmailMessage {
  readonly subject: string;
  readonly text: string;
  readonly html: string;
}

const escapeHtml = (text: string): string =>
  text.replace(/[&<>"']/g, (character) => `&#${character.charCodeAt(0)};`);

/** The longest a person's name (and a company's name) may be when an email quotes it, in code points. */
export const QUOTED_NAME_MAX = 40;
export const QUOTED_COMPANY_MAX = 60;

/** A word that a mail client could make a link of, or that names a scheme: `evil.example`, `a://b`, `x@y`, `www`, `http…`, `mailto…`. */
const LINK_LIKE = /[\p{L}\p{N}][.:/@][\p{L}\p{N}/]|^(?:https?|ftp|www|mailto|javascript|data)/iu;

/**
 * What an email may quote of a name someone typed (an admin's, a master's, a company's): after NFKC (which folds
 * full-width and other compatibility look-alikes, "ｈｔｔｐ" to "http"), only letters, combining marks, spaces,
 * apostrophes, hyphens and dots (and, for a company, digits and "&"); anything else becomes a space, every word a
 * client could turn into a link (a dot between letters, a scheme) is dropped, spaces collapse, and the rest is cut
 * to `max` code points. A name cannot carry a link, a line break or a paragraph of instructions into an email; what
 * is left of an empty one is the fallback. The HTML part escapes it again.
 */
export function quotableName(name: string, fallback: string, options: { company?: boolean; max?: number } = {}): string {
  const allowed = options.company === true ? /[^\p{L}\p{M}\p{N}\s'’&.-]/gu : /[^\p{L}\p{M}\s'’.-]/gu;
  // Whole link-like words go first (all of "http://evil.example/login"), then what is left is reduced to the allowed
  // characters and judged again (a "www" or "evil.example" left between two removed characters).
  const words = name
    .normalize('NFKC')
    .split(/\s+/u)
    .filter((word) => !LINK_LIKE.test(word))
    .join(' ')
    .replace(allowed, ' ')
    .split(/\s+/u)
    .filter((word) => word !== '' && !LINK_LIKE.test(word) && /[\p{L}\p{N}&]/u.test(word));
  const max = options.max ?? (options.company === true ? QUOTED_COMPANY_MAX : QUOTED_NAME_MAX);
  const points = [...words.join(' ')];
  const quoted = points.length > max ? `${points.slice(0, max - 1).join('').trimEnd()}…` : points.join('');
  return quoted === '' ? fallback : quoted;
}

/** The names of an email's facts as they may be quoted. */
export const personName = (name: string) => quotableName(name, 'administrator');
export const companyNameOf = (name: string) => quotableName(name, 'your company', { company: true });

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

/**
 * What a person types at the console's sign-in once his password is set: the company id (which the company's name
 * does not tell him) and his registered address. Neither is a secret.
 */
export const signInSentence = (facts: { readonly companyId: string; readonly email: string }): string =>
  `To sign in, use the company id "${facts.companyId}" and your email address ${facts.email}.`;

/** A link's lifetime as an email states it: "24 hours", "1 hour", "90 minutes". */
export function lifetimeWords(minutes: number): string {
  if (minutes % 60 !== 0) return `${minutes} minutes`;
  const hours = minutes / 60;
  return hours === 1 ? '1 hour' : `${hours} hours`;
}

export interface ResetEmailFacts {
  readonly adminName: string;
  readonly masterName: string;
  readonly companyId: string;
  readonly companyName: string;
  /** The admin's registered address, which he signs in with (the link may have gone to another one). */
  readonly email: string;
  readonly link: string;
  readonly expiresAt: string;
  /** How long the link lives (the deployment's reset-link lifetime), for the sentence that says so. */
  readonly validMinutes: number;
}

/**
 * The email of the seed's "Reset Password": who asked, for which company, the link, when it expires, and what to
 * sign in with afterwards.
 */
export function passwordResetEmail(facts: ResetEmailFacts): EmailMessage {
  const expires = formatUtc(facts.expiresAt);
  const companyName = companyNameOf(facts.companyName);
  const paragraphs = [
    `Hello ${personName(facts.adminName)},`,
    `${quotableName(facts.masterName, 'A master administrator')}, master administrator of ${companyName}, has reset your administrator password. Your previous password no longer works.`,
    'Open this link to choose a new password on the Password Change Screen:',
    facts.link,
    `The link can be used once and expires in ${lifetimeWords(facts.validMinutes)}, on ${expires}. After that, ask your master administrator for a new one.`,
    signInSentence(facts),
    'If you did not expect this email, tell your master administrator.',
  ];
  return {
    subject: `Reset your ${companyName} administrator password`,
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
  const companyName = companyNameOf(facts.companyName);
  const paragraphs = [
    `Hello ${personName(facts.adminName)},`,
    `${CHANGE_SENTENCES[facts.change]} (${companyName}, ${formatUtc(facts.at)}.)`,
    'Your other sessions were signed out.',
    'If this was not you or your master administrator, contact your master administrator at once.',
  ];
  return {
    subject: `Your ${companyName} administrator password was changed`,
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
