// Console (browser): Settings, the menu of everything the signed-in administrator may open.
import { HOME, ROLE_NAMES, account, isMaster, refreshAccount, route, type ScreenView } from '../app';
import { h } from '../dom';

const entry = (href: string, text: string, description: string) =>
  h('li', null, h('a', { href: `#${href}` }, text), h('p', { class: 'hint' }, description));

async function settingsScreen(): Promise<ScreenView> {
  const me = await refreshAccount();
  const sections = [
    isMaster()
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'settings-admin' },
          h('h2', { id: 'settings-admin' }, 'Admin'),
          h(
            'ul',
            { class: 'menu' },
            entry('/settings/admins', 'Admin settings', "Register administrators, edit them, set their permission to change their own password, change or reset their password, unlock them."),
            entry('/settings/audit-log', 'Audit log', 'Sign-ins, password changes and resets, and every change made here.'),
          ),
        )
      : null,
    h(
      'section',
      { class: 'card', 'aria-labelledby': 'settings-account' },
      h('h2', { id: 'settings-account' }, 'My account'),
      h('ul', { class: 'menu' }, entry('/my-account', 'My account', `${me.name}, ${ROLE_NAMES[me.role]}: your basic info and your sign-in password.`)),
    ),
    // Only where the service operator enabled the settings for the company (and only for masters).
    account.policyEditable
      ? h(
          'section',
          { class: 'card', 'aria-labelledby': 'settings-company' },
          h('h2', { id: 'settings-company' }, 'Company settings'),
          h('ul', { class: 'menu' }, entry('/settings/company/password-policy', 'Password policy settings', 'What a password of your company must be, lockout and expiry.')),
        )
      : null,
  ];
  return { title: 'Settings', body: sections };
}

route(HOME, settingsScreen);
