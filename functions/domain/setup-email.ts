// Domain layer: the words of the emails that carry a single-use link to the Password Change Screen for someone who
// did not ask a master for a reset: the set-up link of a new company's first master and the reset link a locked-out
// master asked the operator for (both sent by the operator's commands), and the set-up link a master sends an
// administrator he invites. Pure, like emails.ts; no email carries a password.
import { companyNameOf, formatUtc, lifetimeWords, paragraphsToHtml, personName, signInSentence, type EmailMessage } from './emails';

export interface OperatorLinkFacts {
  readonly adminName: string;
  readonly email: string;
  readonly companyId: string;
  readonly companyName: string;
  readonly link: string;
  readonly expiresAt: string;
  /** How long the link lives, for the sentence that says so. */
  readonly validMinutes: number;
}

/** The facts with the names an email may quote (see quotableName). */
const quotable = (facts: OperatorLinkFacts): OperatorLinkFacts => ({ ...facts, adminName: personName(facts.adminName), companyName: companyNameOf(facts.companyName) });

function linkEmail(subject: string, paragraphs: readonly string[], link: { text: string; href: string }): EmailMessage {
  return { subject, text: paragraphs.join('\n\n'), html: paragraphsToHtml(paragraphs, link) };
}

const THE_OPERATOR = 'the service operator through the inquiry form';

/** `askFor`: who sends a new link once this one lapsed. */
const validity = (facts: OperatorLinkFacts, askFor = THE_OPERATOR): string =>
  `The link can be used once and is valid ${lifetimeWords(facts.validMinutes)}, until ${formatUtc(facts.expiresAt)}. ` + `If it expires, ask ${askFor} for a new one.`;

/** The first master's invitation: his account exists and has no password until he sets one with the link. */
export function accountSetUpEmail(typed: OperatorLinkFacts): EmailMessage {
  const facts = quotable(typed);
  return linkEmail(
    `Your adminpass account for ${facts.companyName} was created`,
    [
      `Hello ${facts.adminName},`,
      `Your adminpass account for ${facts.companyName} was created, with you as its master administrator. It has no password yet.`,
      'Set your password with this link:',
      facts.link,
      validity(facts),
      signInSentence(facts),
      'If you did not expect this email, tell the service operator through the inquiry form.',
    ],
    { text: 'Set your password', href: facts.link },
  );
}

/** The "contact us" path of a master who cannot sign in: the operator, not another master, started the reset. */
export function operatorResetEmail(typed: OperatorLinkFacts): EmailMessage {
  const facts = quotable(typed);
  return linkEmail(
    `Set a new password for your ${facts.companyName} master administrator account`,
    [
      `Hello ${facts.adminName},`,
      `As requested through the inquiry form, the adminpass service operator has reset your master administrator password for ${facts.companyName}. Your previous password no longer works and your sessions were signed out.`,
      'Open this link to choose a new password on the Password Change Screen; once it is set you can sign in again, even if your account was locked:',
      facts.link,
      validity(facts),
      signInSentence(facts),
      'If you did not ask for this, tell the service operator through the inquiry form at once.',
    ],
    { text: 'Choose a new password', href: facts.link },
  );
}

/** A master's invitation: the account exists and has no password until the invited admin sets one with the link. */
export function invitationEmail(typed: OperatorLinkFacts & { readonly masterName: string }): EmailMessage {
  const facts = quotable(typed);
  const master = personName(typed.masterName);
  return linkEmail(
    `${master} added you as an administrator of ${facts.companyName}`,
    [
      `Hello ${facts.adminName},`,
      `${master} added you as an administrator of ${facts.companyName} in adminpass. Your account has no password yet.`,
      'Set your password with this link:',
      facts.link,
      validity(facts, `${master} or another master administrator of ${facts.companyName}`),
      signInSentence(facts),
      `If you did not expect this email, tell ${master} or ignore it: without the link nobody can set this password.`,
    ],
    { text: 'Set your password', href: facts.link },
  );
}
