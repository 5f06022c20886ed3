// Console (browser): My account, with the "Sign-in password" item, and the own password change (current, new,
// confirm) that the item and the master's own Edit screen both open.
import { api } from '../api';
import type { Admin } from '../api-types';
import { HOME, ROLE_NAMES, go, notify, refreshAccount, route, type Crumb, type ScreenView } from '../app';
import { formatTime, h, linkButton } from '../dom';
import { FormControl, formOf, inputField, showPasswordsToggle } from '../forms';
import { newPasswordFields } from '../new-password-fields';

const MY_ACCOUNT = '/my-account';

/** The seed's words for an administrator without the permission. */
export const ASK_THE_MASTER =
  'Your sign-in password can be changed only by the Master administrator. Please request the change from the Master administrator.';

export const basicInfo = (admin: Admin) =>
  h(
    'dl',
    { class: 'facts' },
    h('dt', null, 'Name'),
    h('dd', null, admin.name),
    h('dt', null, 'Email address'),
    h('dd', null, admin.email),
    h('dt', null, 'Role'),
    h('dd', null, ROLE_NAMES[admin.role]),
    h('dt', null, 'Company ID'),
    h('dd', null, admin.companyId),
  );

async function myAccountScreen(): Promise<ScreenView> {
  const me = await refreshAccount();
  const password = me.canChangeOwnPassword
    ? h(
        'section',
        { class: 'card', 'aria-labelledby': 'sign-in-password' },
        h('h2', { id: 'sign-in-password' }, 'Sign-in password'),
        h('p', null, `Last changed: ${formatTime(me.passwordChangedAt)}`),
        linkButton(`#${MY_ACCOUNT}/change-password`, 'Change Password'),
      )
    : h('section', { class: 'card', 'aria-label': 'Password' }, h('p', { class: 'notice-text' }, ASK_THE_MASTER));
  return {
    title: 'My account',
    trail: [{ text: 'Settings', href: HOME }],
    body: [h('section', { class: 'card', 'aria-labelledby': 'basic-info' }, h('h2', { id: 'basic-info' }, 'Basic info'), basicInfo(me)), password],
  };
}

/**
 * The own password change: the current password, the new one and its confirmation. `back` is the screen it came
 * from, which reappears afterwards, as the seed describes.
 */
export async function ownPasswordChange(back: string, trail: readonly Crumb[], afterwards: string): Promise<ScreenView> {
  const me = await refreshAccount();
  if (!me.canChangeOwnPassword) return { title: 'Change Password', trail, body: [h('div', { class: 'card' }, h('p', { class: 'notice-text' }, ASK_THE_MASTER))] };
  const { rules, policy } = await api.passwordPolicy();
  const current = inputField({ name: 'currentPassword', label: 'Current password', type: 'password', autocomplete: 'current-password' });
  const fields = newPasswordFields({ rules, policy }, () => ({ email: me.email, name: me.name, companyId: me.companyId }), () => current.control.value);
  const { newPassword: next, confirm } = fields;
  // "Different from the current password" is judged again as the current one is typed.
  current.control.addEventListener('input', fields.checklist.update);
  const form: HTMLFormElement = formOf('Change Password', () =>
    control.submit(async () => {
      if (current.control.value === '') return control.fail('currentPassword', 'Enter your current password.');
      const typed = fields.typedPassword(control);
      if (typed === undefined) return;
      await api.changeOwnPassword(current.control.value, typed);
      notify(afterwards);
      go(back);
    }),
    h('input', { type: 'email', name: 'username', autocomplete: 'username', value: me.email, readonly: true, hidden: true }),
    current.element,
    ...fields.elements,
    showPasswordsToggle([current, next, confirm]),
  );
  const control = new FormControl(form, [current, next, confirm]);
  form.append(
    control.formError,
    h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Change Password'), linkButton(`#${back}`, 'Cancel', { secondary: true })),
  );
  return {
    title: 'Change Password',
    trail,
    body: [h('div', { class: 'card narrow' }, h('p', null, `Change the sign-in password of ${me.email}. Your other sessions are signed out.`), form)],
  };
}

route(MY_ACCOUNT, myAccountScreen);
route(`${MY_ACCOUNT}/change-password`, () =>
  ownPasswordChange(MY_ACCOUNT, [{ text: 'Settings', href: HOME }, { text: 'My account', href: MY_ACCOUNT }], 'Your password has been changed. Your other sessions were signed out.'),
);
