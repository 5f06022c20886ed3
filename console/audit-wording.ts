// Console (browser): the audit log in words. One table for every event type (typed by the API's list of types, and
// checked against the domain's list by test/console/audit-wording.test.ts), one for the details' names and one for
// the codes they hold; times in the reader's locale and time zone, with the zone shown. Nothing here touches the
// page, so the tables can be tested without a browser.
import type { AuditEvent, AuditEventType } from './api-types';

/** What each event type says happened, in the order the type filter offers them. */
export const EVENT_WORDING: Readonly<Record<AuditEventType, string>> = {
  SIGN_IN_SUCCEEDED: 'Signed in',
  SIGN_IN_FAILED: 'Sign-in refused',
  ACCOUNT_LOCKED: 'Locked after failed sign-ins',
  ACCOUNT_UNLOCKED: 'Unlocked',
  PASSWORD_CHANGED: 'Changed his own password',
  NEW_PASSWORD_SET: 'Chose a new password at sign-in',
  TEMPORARY_PASSWORD_SET: 'Temporary password set',
  PASSWORD_RESET_REQUESTED: 'Password reset link sent',
  PASSWORD_RESET_LIMITED: 'Password reset refused: too many reset emails',
  PASSWORD_RESET_SUPPRESSED: 'Password reset refused: the address is suppressed',
  PASSWORD_RESET_COMPLETED: 'New password set from the reset link',
  PASSWORD_RESET_REFUSED: 'Reset link refused',
  ADMIN_CREATED: 'Administrator registered',
  ADMIN_UPDATED: 'Basic info changed',
  ADMIN_DISABLED: 'Administrator disabled',
  ADMIN_ENABLED: 'Administrator enabled again',
  PERMISSION_GRANTED: '"May change own password" granted',
  PERMISSION_REVOKED: '"May change own password" removed',
  PASSWORD_POLICY_CHANGED: 'Password policy changed',
  EMAIL_SUPPRESSED: 'Address suppressed: email to it bounced or was marked as spam',
  EMAIL_SUPPRESSION_CLEARED: 'Suppressed address cleared',
  COMPANY_CREATED: 'Company created',
  FEATURE_ENABLED: 'Feature enabled by the service operator',
  FEATURE_DISABLED: 'Feature disabled by the service operator',
  RESET_LIMIT_CHANGED: 'Daily limit of reset emails changed by the service operator',
};

export const AUDIT_EVENT_TYPES = Object.keys(EVENT_WORDING) as AuditEventType[];

/**
 * The actors that are no admin, known by the user agent their events carry (the operator's commands, SES's delivery
 * feedback); test/console/audit-wording.test.ts holds these to the domain's origins. Any other event without an
 * actor came from someone not signed in (a sign-in, a reset link): the column "About" names whom it concerns.
 */
export const SYSTEM_ACTORS: Readonly<Record<string, { readonly by: string; readonly from: string }>> = {
  'adminpass-ops': { by: 'Service operator', from: 'Operator command' },
  'amazon-ses-feedback': { by: 'Amazon SES', from: 'Delivery feedback' },
};
const systemActorOf = (event: AuditEvent) => (event.actorAdminId === null && event.userAgent !== null ? SYSTEM_ACTORS[event.userAgent] : undefined);

/** The names of the details events carry; a `xFrom`/`xTo` pair is shown as one change of x. */
export const DETAIL_LABELS: Readonly<Record<string, string>> = {
  reason: 'Reason',
  result: 'Result',
  scope: 'Locked',
  minutes: 'For (minutes)',
  until: 'Until',
  wasLockedUntil: 'Was locked until',
  source: 'Unlocked for',
  by: 'By',
  expiresAt: 'Expires',
  sentTo: 'Sent to',
  destination: 'Address',
  requestedBy: 'Link sent by',
  stage: 'When',
  limit: 'Limit',
  retryAfterSeconds: 'Next possible in (seconds)',
  suppressedAt: 'Suppressed on',
  email: 'Email address',
  detail: 'Mail server said',
  purpose: 'Email',
  role: 'Role',
  name: 'Name',
  canChangeOwnPassword: 'May change own password',
  firstPassword: 'First password',
  permission: 'Permission',
  feature: 'Feature',
  resetsPerDay: 'Reset emails per day',
  previous: 'Before',
  registered: 'Address of an administrator',
  feedbackId: 'SES feedback id',
  messageId: 'SES message id',
  minLength: 'Minimum length',
  minGuessScore: 'Minimum strength (0 to 4)',
  historyCount: 'Previous passwords not reusable',
  maxAgeDays: 'Password expiry (days)',
  lockoutThreshold: 'Failed sign-ins before lock',
  lockoutMinutes: 'Lockout (minutes)',
  temporaryPasswordValidityDays: 'Temporary password validity (days)',
  requireUppercase: 'Require an upper-case letter',
  requireLowercase: 'Require a lower-case letter',
  requireDigit: 'Require a digit',
  requireSymbol: 'Require a symbol or space',
  blockCommonPasswords: 'Refuse common and breached passwords',
  blockPersonalInfo: 'Refuse personal details',
};

/** The codes details hold, in words. */
export const VALUE_WORDS: Readonly<Record<string, string>> = {
  UNKNOWN_EMAIL: 'no administrator has this address',
  WRONG_PASSWORD: 'wrong password',
  LOCKED: 'locked after failed sign-ins',
  DISABLED: 'the administrator is disabled',
  TEMPORARY_PASSWORD_EXPIRED: 'the temporary password had expired',
  PASSWORD_RESET_PENDING: 'a password reset is pending',
  CURRENT_PASSWORD_INCORRECT: 'the current password was wrong',
  SESSION: 'signed in',
  TEMPORARY_PASSWORD: 'must replace a temporary password',
  PASSWORD_EXPIRED: 'must replace an expired password',
  REQUESTER_NOT_MASTER: 'its sender is no longer a master',
  EMAIL_CHANGED: 'the address changed since it was sent',
  verify: 'on opening the link',
  complete: 'on setting the password',
  source: 'one place of sign-in',
  account: 'every place of sign-in',
  self: 'himself',
  registered: 'the registered address',
  typed: 'an address the master typed',
  temporary: 'a temporary password the master typed',
  'set-up-link': 'a set-up link emailed to him',
  bounce: 'the email bounced',
  complaint: 'marked as spam',
  'password-reset': 'password reset',
  'password-change-notice': 'notice of a password change',
  'email-change-notice': 'notice of an address change',
  'password-policy': 'password policy settings',
  canChangeOwnPassword: 'may change own password',
  master: 'master administrator',
  general: 'general administrator',
  operator: 'the service operator',
};

const ISO_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const ADMIN_ID = /^[0-9A-HJKMNP-TV-Z]{26}$/;
const CODE = /^[A-Za-z]+([_-][A-Za-z]+)+$/;

/** A time in the reader's locale and time zone, with the zone named (an audit log read across zones must say which). */
export function localTime(iso: string, locale?: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return 'an unreadable time';
  return date.toLocaleString(locale, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short', timeZone });
}

/** Words from a name or code nobody gave words to yet (`retryAfter` or `RETRY_AFTER` → "retry after"). */
const spelledOut = (code: string): string =>
  code
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/[_-]+/g, ' ')
    .toLowerCase();

/** Who an admin id is, as the reader should see him: his name, or a plain statement that he is not known. */
export type NameOf = (adminId: string) => string;

/** One detail's value in words: times local, admin ids as names, codes as words, never a raw id or ISO string. */
export function valueInWords(value: string | number | boolean | null, nameOf: NameOf): string {
  if (value === null || value === '') return 'none';
  if (typeof value === 'boolean') return value ? 'yes' : 'no';
  if (typeof value === 'number') return String(value);
  if (ISO_TIME.test(value)) return localTime(value);
  if (ADMIN_ID.test(value)) return nameOf(value);
  const words = VALUE_WORDS[value];
  if (words !== undefined) return words;
  return CODE.test(value) && !value.includes('@') ? spelledOut(value) : value;
}

const labelOf = (key: string): string => {
  const label = DETAIL_LABELS[key] ?? spelledOut(key);
  return label.charAt(0).toUpperCase() + label.slice(1);
};

/** The event's details as "Label: value" lines; a `xFrom`/`xTo` pair becomes "X: before → after". */
export function detailsInWords(details: AuditEvent['details'], nameOf: NameOf): string[] {
  const lines: string[] = [];
  for (const [key, value] of Object.entries(details)) {
    const change = /^(.+)(From|To)$/.exec(key);
    if (change !== null && `${change[1]}From` in details && `${change[1]}To` in details) {
      if (change[2] === 'To') continue;
      const field = change[1]!;
      lines.push(`${labelOf(field)}: ${valueInWords(value, nameOf)} → ${valueInWords(details[`${field}To`] ?? null, nameOf)}`);
      continue;
    }
    lines.push(`${labelOf(key)}: ${valueInWords(value, nameOf)}`);
  }
  return lines;
}

/** Who did it: his name, the service operator, SES, or nobody signed in (a dash). */
export function actorInWords(event: AuditEvent, nameOf: NameOf): string {
  if (event.actorAdminId !== null) return nameOf(event.actorAdminId);
  return systemActorOf(event)?.by ?? '—';
}

/** Whom it was about. */
export const subjectInWords = (event: AuditEvent, nameOf: NameOf): string => (event.targetAdminId === null ? '—' : nameOf(event.targetAdminId));

export const outcomeInWords = (event: AuditEvent): string => (event.outcome === 'success' ? 'Success' : 'Failure');

/** The event as the columns of the screen and of the CSV export show it. */
export interface EventInWords {
  readonly time: string;
  readonly event: string;
  readonly outcome: string;
  readonly by: string;
  readonly about: string;
  readonly details: readonly string[];
  readonly from: string;
}

export const COLUMNS: readonly (readonly [keyof EventInWords, string])[] = [
  ['time', 'Time'],
  ['event', 'Event'],
  ['outcome', 'Outcome'],
  ['by', 'By'],
  ['about', 'About'],
  ['details', 'Details'],
  ['from', 'From'],
];

export function eventInWords(event: AuditEvent, nameOf: NameOf): EventInWords {
  return {
    time: localTime(event.at),
    event: EVENT_WORDING[event.type] ?? spelledOut(event.type),
    outcome: outcomeInWords(event),
    by: actorInWords(event, nameOf),
    about: subjectInWords(event, nameOf),
    details: detailsInWords(event.details, nameOf),
    from: event.sourceIp ?? systemActorOf(event)?.from ?? '—',
  };
}
