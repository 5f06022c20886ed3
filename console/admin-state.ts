// Console (browser): an administrator's state in words, for the Admin settings list and the Edit screen: whether he
// can sign in (active, disabled, locked until when), where his password stands (his own, a temporary one and until
// when, a link sent and where to, or lapsed) and when he last signed in. Times are the reader's local time.
import type { Admin } from './api-types';
import { formatTime } from './dom';

/** The column and checkbox of the permission: what it is, while the buttons keep the seed's words. */
export const PERMISSION_NAME = 'May change own password';

export const accountState = (admin: Admin): string =>
  admin.status === 'disabled' ? 'Disabled' : admin.locked ? `Locked until ${formatTime(admin.lockedUntil)}` : 'Active';

/**
 * An address with its local part hidden but for the first character ("j•••@example.com"). The list shows a typed
 * address so (a master may send a reset link to any address; the list is read at a glance, over shoulders), and the
 * Edit screen and the audit log in full.
 */
export function maskedAddress(email: string): string {
  const at = email.lastIndexOf('@');
  return at <= 0 ? '•••' : `${email.slice(0, 1)}•••${email.slice(at)}`;
}

/**
 * Where the password stands. `where` says where a link went: the list names the registered address as "his address"
 * (it is in the next column) and masks a typed one; the Edit screen shows it in full.
 */
export function passwordState(admin: Admin, where: 'list' | 'edit'): string {
  const until = formatTime(admin.passwordExpiresAt);
  const sentTo = admin.resetLinkSentTo ?? '';
  const destination = where === 'edit' ? sentTo : sentTo === admin.email ? 'his address' : maskedAddress(sentTo);
  switch (admin.passwordState) {
    case 'set':
      return 'Own password';
    case 'temporary':
      return `Temporary password, to be replaced at sign-in before ${until}`;
    case 'reset-link':
      return `Link to set a password sent to ${destination}, valid until ${until}`;
    case 'expired':
      return admin.resetLinkSentTo === null ? `Temporary password expired on ${until}` : `Link to set a password (sent to ${destination}) expired on ${until}`;
    case 'none':
      return 'No password and no link: send a link with [Reset Password] or set a temporary password with [Change Password]';
  }
}

export const lastSignIn = (admin: Admin): string => (admin.lastSignInAt === null ? 'Never' : formatTime(admin.lastSignInAt));
