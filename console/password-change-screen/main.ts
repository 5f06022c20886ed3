// Password Change Screen (browser): the page the emailed set-up and reset links open, an entry of console/ beside
// the console's own (../main.ts), built from the same forms, password checklist, API client and style sheet. The
// link's token is read from the URL fragment and dropped from the address bar at once; it lives only in this
// script's memory and travels only in JSON request bodies.
import { ApiError, api } from '../api';
import type { PasswordResetDetails } from '../api-types';
import { formatTime, h, linkButton, message } from '../dom';
import { FormControl, formOf, showPasswordsToggle } from '../forms';
import { newPasswordFields } from '../new-password-fields';
import { signInLink } from '../sign-in-link';

const SCREEN_NAME = 'Password Change Screen';
const LINK_INVALID =
  'This link is not valid: it has expired, was already used or was replaced by a newer one. ' +
  'Ask your master administrator to send you a new link (a master administrator who cannot sign in asks the service operator).';
const NO_TOKEN =
  'This page opens from the link in your email, and the link token is missing. Open the link in the email again; ' +
  'if it no longer works, ask your master administrator to send you a new link.';
const UNREACHABLE = 'The service could not be reached. Check your connection and try again.';

/** The words of each kind of link (PasswordResetDetails.purpose). */
const WORDS = {
  'set-up': {
    title: 'Set your password',
    intro: 'Your administrator account has no password yet. Choose the password you will sign in with.',
    button: 'Set Password',
    done: 'Your password is set',
  },
  reset: {
    title: 'Reset your password',
    intro: 'Your previous password was reset and no longer works. Choose a new password.',
    button: 'Change Password',
    done: 'Your password has been changed',
  },
} as const satisfies Record<PasswordResetDetails['purpose'], Record<string, string>>;

const heading = h('h1', { tabindex: -1 }, SCREEN_NAME);
const content = h('div');
const main = h('main', { id: 'main' }, heading, content);

// The fragment never reaches a server, but it stays in the address bar, history and screenshots: drop it first.
let token = new URLSearchParams(location.hash.slice(1)).get('token');
if (location.hash !== '') history.replaceState(null, '', location.pathname + location.search);

/** The console is served at the API's root, beside this page (a stage prefix such as /prod/ is kept). */
const consoleUrl = (): string => location.pathname.replace(/[^/]*$/, '');

function show(title: string, ...children: Node[]): void {
  heading.textContent = title;
  document.title = `${title} – adminpass`;
  content.replaceChildren(...children);
}

/** The link cannot be used (or the wait is long): nothing else on the page applies any more. */
function stop(text: string): void {
  token = null;
  const notice = message(text, 'error');
  show(SCREEN_NAME, notice);
  notice.focus();
}

/** Stops the page for an answer that ends the link (it is dead, or too many links were tried); false for others. */
function stopFor(error: unknown): boolean {
  if (!(error instanceof ApiError)) return false;
  if (error.code === 'RESET_LINK_INVALID') stop(LINK_INVALID);
  else if (error.code === 'TOO_MANY_ATTEMPTS') stop(error.message);
  else return false;
  return true;
}

function showForm(details: PasswordResetDetails): void {
  const words = WORDS[details.purpose];
  const fields = newPasswordFields(details.passwordPolicy, () => ({ email: details.email, companyId: details.companyId }));
  const { newPassword, confirm } = fields;
  const form: HTMLFormElement = formOf(words.title, () =>
    control.submit(async () => {
      const typed = fields.typedPassword(control);
      if (typed === undefined) return;
      if (token === null) return;
      try {
        await api.completeReset(token, typed, confirm.control.value);
      } catch (error) {
        if (stopFor(error)) return;
        throw error;
      }
      succeed(details);
    }),
    // The address the password belongs to, for the browser's password manager.
    h('input', { type: 'email', name: 'username', autocomplete: 'username', value: details.email, readonly: true, hidden: true }),
    ...fields.elements,
    showPasswordsToggle([newPassword, confirm]),
  );
  const control = new FormControl(form, [newPassword, confirm]);
  form.append(control.formError, h('button', { type: 'submit', class: 'primary' }, words.button));
  show(
    words.title,
    h(
      'div',
      { class: 'card narrow' },
      h('p', null, words.intro),
      h(
        'dl',
        { class: 'facts' },
        h('dt', null, 'Company'),
        h('dd', null, details.companyName),
        h('dt', null, 'Company ID'),
        h('dd', null, details.companyId),
        h('dt', null, 'Email address'),
        h('dd', null, details.email),
        h('dt', null, 'This link is valid until'),
        h('dd', null, formatTime(details.expiresAt)),
      ),
      form,
    ),
  );
  heading.focus();
}

function succeed(details: PasswordResetDetails): void {
  token = null;
  const words = WORDS[details.purpose];
  const done = h(
    'section',
    { class: 'message', 'data-kind': 'success', tabindex: -1, 'aria-labelledby': 'done-heading' },
    h('h2', { id: 'done-heading' }, words.done),
    h('p', null, 'You can now sign in as ', h('strong', null, details.email), ` to ${details.companyName} (company ID ${details.companyId}) with your new password.`),
    h('p', null, linkButton(signInLink(consoleUrl(), details.companyId), 'Sign in to the console')),
  );
  show(words.title, done);
  done.focus();
}

async function verify(): Promise<void> {
  if (token === null) return stop(NO_TOKEN);
  show(SCREEN_NAME, message('Checking your link…'));
  try {
    showForm(await api.verifyResetLink(token));
  } catch (error) {
    // A token that is not even shaped like one is refused as a malformed request: to the person, a dead link.
    if (error instanceof ApiError && error.status === 400) return stop(LINK_INVALID);
    if (stopFor(error)) return;
    // A reload would lose the token (the fragment is gone), so offer to ask again from here.
    const retry = h('button', { type: 'button', onclick: () => void verify() }, 'Try again');
    show(SCREEN_NAME, message(error instanceof ApiError ? error.message : UNREACHABLE, 'error'), retry);
    retry.focus();
  }
}

const root = document.getElementById('app');
if (root !== null) {
  root.replaceChildren(h('header', { class: 'topbar' }, h('div', { class: 'topbar-inner' }, h('p', { class: 'brand' }, 'adminpass'))), main);
  void verify();
}
