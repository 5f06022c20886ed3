// Console (browser): Sign in, and the new-password step a temporary (or expired) password leads to.
import { api, startSession } from '../api';
import type { NewPasswordChallenge } from '../api-types';
import { SIGN_IN, go, goAfterSignIn, notify, refreshAccount, route, type ScreenView } from '../app';
import { h } from '../dom';
import { FormControl, formOf, inputField, showPasswordsToggle } from '../forms';
import { newPasswordFields } from '../new-password-fields';
import { COMPANY_PARAMETER } from '../sign-in-link';

const NEW_PASSWORD = `${SIGN_IN}/new-password`;

/**
 * The challenge between the two steps, in memory only. The password typed at sign-in is kept with it only to tick
 * "Different from the current password" in the browser; both are dropped when the step ends.
 */
let pending: { challenge: NewPasswordChallenge; companyId: string; email: string; password: string } | null = null;


/** The sign-in form; a link from the Password Change Screen fills in the company id (sign-in-link.ts). */
async function signInScreen(_params: Readonly<Record<string, string>>, query: URLSearchParams): Promise<ScreenView> {
  pending = null;
  const companyId = inputField({
    name: 'companyId',
    label: 'Company ID',
    value: query.get(COMPANY_PARAMETER) ?? '',
    autocomplete: 'organization',
    hint: 'The identifier of your company, such as "demo".',
  });
  const email = inputField({ name: 'email', label: 'Email address', type: 'email', autocomplete: 'username' });
  const password = inputField({ name: 'password', label: 'Password', type: 'password', autocomplete: 'current-password' });
  const form: HTMLFormElement = formOf('Sign in', () =>
    control.submit(async () => {
      const typed = { companyId: companyId.control.value.trim(), email: email.control.value.trim(), password: password.control.value };
      const answer = await api.signIn(typed.companyId, typed.email, typed.password);
      if ('challenge' in answer) {
        pending = { challenge: answer, ...typed };
        go(NEW_PASSWORD);
        return;
      }
      startSession(answer);
      await refreshAccount();
      goAfterSignIn();
    }),
    companyId.element,
    email.element,
    password.element,
    showPasswordsToggle([password]),
  );
  const control = new FormControl(form, [companyId, email, password]);
  form.append(control.formError, h('button', { type: 'submit', class: 'primary' }, 'Sign in'));
  return {
    title: 'Sign in',
    body: [
      h('div', { class: 'card narrow' }, form),
      h('p', { class: 'hint' }, 'The console keeps your session in this tab only: reloading the page or closing the tab signs you out.'),
    ],
  };
}

async function newPasswordScreen(): Promise<ScreenView> {
  const step = pending;
  if (step === null) {
    go(SIGN_IN);
    return { title: 'Sign in', body: [] };
  }
  const fields = newPasswordFields(step.challenge.passwordPolicy, () => ({ email: step.email, companyId: step.companyId }), () => step.password);
  const { newPassword, confirm } = fields;
  const form: HTMLFormElement = formOf('Set a new password', () =>
    control.submit(async () => {
      const typed = fields.typedPassword(control);
      if (typed === undefined) return;
      try {
        const grant = await api.answerChallenge(step.challenge.challengeToken, typed);
        pending = null;
        startSession(grant);
        await refreshAccount();
        notify('Your new password is set, and you are signed in.');
        goAfterSignIn();
      } catch (error) {
        if ((error as { code?: string }).code === 'CHALLENGE_INVALID') {
          pending = null;
          notify((error as Error).message, 'error');
          go(SIGN_IN);
          return;
        }
        throw error;
      }
    }),
    h('input', { type: 'email', name: 'username', autocomplete: 'username', value: step.email, readonly: true, hidden: true }),
    ...fields.elements,
    showPasswordsToggle([newPassword, confirm]),
  );
  const control = new FormControl(form, [newPassword, confirm]);
  form.append(control.formError, h('button', { type: 'submit', class: 'primary' }, 'Change Password'));
  const why =
    step.challenge.reason === 'TEMPORARY_PASSWORD'
      ? 'You signed in with a temporary password. It counts as your current password: choose your own new password to continue.'
      : "Your password is older than your company's policy allows. Choose a new password to continue.";
  return {
    title: 'Set a new password',
    body: [
      h('div', { class: 'card narrow' }, h('p', null, why), h('dl', { class: 'facts' }, h('dt', null, 'Company ID'), h('dd', null, step.companyId), h('dt', null, 'Email address'), h('dd', null, step.email)), form),
      h('p', { class: 'hint' }, 'This step is valid for 10 minutes; after that, sign in again with the same password.'),
    ],
  };
}

route(SIGN_IN, signInScreen, { public: true });
route(NEW_PASSWORD, newPasswordScreen, { public: true });
