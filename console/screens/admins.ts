// Console (browser): Settings > Admin > Admin settings: the list with each admin's state, [Add administrator] (with
// a temporary password or an emailed set-up link), and the Edit screen with the "Sign-in password" item ([Change
// Password], [Reset Password], the "May change own password" permission), the state, the lock, Disable and Enable,
// and [Register], which saves with If-Match so that another master's change is never overwritten.
import { ApiError, api, type VersionedAdmin } from '../api';
import type { Admin, AdminProfileChange, Role } from '../api-types';
import { HOME, ROLE_NAMES, account, go, notify, route, type Crumb, type ScreenView } from '../app';
import { PERMISSION_NAME, accountState, lastSignIn, passwordState } from '../admin-state';
import { formatTime, h, linkButton, message } from '../dom';
import { FormControl, checkboxField, formOf, inputField, radioGroup, selectField, type Field } from '../forms';
import { temporaryPasswordEntry } from '../temporary-password-field';
import { ownPasswordChange } from './my-account';

const LIST = '/settings/admins';
const editPath = (adminId: string) => `${LIST}/${encodeURIComponent(adminId)}`;
const SETTINGS: Crumb = { text: 'Settings', href: HOME };
const ADMIN_SETTINGS: Crumb = { text: 'Admin settings', href: LIST };
const editCrumb = (admin: Pick<Admin, 'adminId' | 'name'>): Crumb => ({ text: `Edit ${admin.name}`, href: editPath(admin.adminId) });
const ROLE_CHOICES = [
  ['general', ROLE_NAMES.general],
  ['master', ROLE_NAMES.master],
] as const;
const PERMISSION_HINT = 'Lets this administrator change his own sign-in password (My account > Sign-in password).';
const MASTER_MAY = 'A master administrator may always change his own password.';
const STALE =
  'Another master changed this administrator after you opened this screen, so nothing was saved. Reload to see the current values, then make your change again.';

/** What the Edit screen holds between its sub-screens: the version read, for If-Match, and the values typed. */
interface Draft {
  readonly read: VersionedAdmin;
  name: string;
  email: string;
  role: Role;
  canChangeOwnPassword: boolean;
}

const drafts = new Map<string, Draft>();

/** The basic info a draft would change, as PATCH takes it: empty when [Register] has nothing to save. */
function draftChange(draft: Draft, admin: Admin): AdminProfileChange {
  const change: { -readonly [K in keyof AdminProfileChange]: AdminProfileChange[K] } = {};
  if (draft.name.trim() !== admin.name) change.name = draft.name;
  if (draft.email.trim().toLowerCase() !== admin.email.toLowerCase()) change.email = draft.email.trim();
  if (draft.role !== admin.role) change.role = draft.role;
  if (draft.role === 'general' && draft.canChangeOwnPassword !== admin.canChangeOwnPassword) change.canChangeOwnPassword = draft.canChangeOwnPassword;
  return change;
}

/**
 * What a notice after a password action adds when the Edit screen still holds basic info typed before it: the one
 * case where [Register] is left to do, since the password change itself is done already.
 */
function unsavedNote(adminId: string, admin: Admin): string {
  const draft = drafts.get(adminId);
  return draft !== undefined && Object.keys(draftChange(draft, admin)).length > 0 ? ' Your changes to the basic info are not registered yet: click [Register] to save them.' : '';
}

const permissionText = (admin: Admin): string => (admin.role === 'master' ? 'Always (master)' : admin.canChangeOwnPassword ? 'Permitted' : 'Not permitted');

// ---- The list ----

/** Cursors of the pages before the one shown, for [Previous page]. */
const earlierPages: string[] = [];

async function listScreen(_params: Readonly<Record<string, string>>, query: URLSearchParams): Promise<ScreenView> {
  const cursor = query.get('cursor') ?? undefined;
  if (cursor === undefined) earlierPages.length = 0;
  drafts.clear();
  const page = await api.listAdmins(cursor);
  const cell = (label: string, ...content: (Node | string)[]) => h('td', { 'data-label': label }, ...content);
  const table = h(
    'table',
    { class: 'admins' },
    h('caption', { class: 'visually-hidden' }, 'Administrators of your company'),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        ...['Name', 'Email address', 'Role', PERMISSION_NAME, 'Status', 'Last sign-in'].map((text) => h('th', { scope: 'col' }, text)),
        h('th', { scope: 'col' }, h('span', { class: 'visually-hidden' }, 'Actions')),
      ),
    ),
    h(
      'tbody',
      null,
      ...page.items.map((admin) =>
        h(
          'tr',
          { 'data-admin-id': admin.adminId },
          h('th', { scope: 'row', 'data-label': 'Name' }, admin.name),
          cell('Email address', admin.email),
          cell('Role', ROLE_NAMES[admin.role]),
          cell(PERMISSION_NAME, permissionText(admin)),
          cell('Status', h('div', null, accountState(admin)), h('div', { class: 'hint' }, passwordState(admin, 'list'))),
          cell('Last sign-in', lastSignIn(admin)),
          cell('', linkButton(`#${editPath(admin.adminId)}`, 'Edit', { secondary: true, label: `Edit ${admin.name}` })),
        ),
      ),
    ),
  );
  const pageButton = (text: string, onclick: () => void) => h('button', { type: 'button', class: 'secondary', onclick }, text);
  const pager = h(
    'nav',
    { class: 'pager', 'aria-label': 'Pages of administrators' },
    cursor === undefined
      ? null
      : pageButton('Previous page', () => {
          const previous = earlierPages.pop();
          go(previous === undefined || previous === '' ? LIST : `${LIST}?cursor=${encodeURIComponent(previous)}`);
        }),
    h('span', null, `Page ${earlierPages.length + 1}`),
    page.nextCursor === null
      ? null
      : pageButton('Next page', () => {
          earlierPages.push(cursor ?? '');
          go(`${LIST}?cursor=${encodeURIComponent(page.nextCursor ?? '')}`);
        }),
  );
  return {
    title: 'Admin settings',
    trail: [SETTINGS, { text: 'Admin' }],
    body: [h('div', { class: 'actions' }, linkButton(`#${LIST}/new`, 'Add administrator')), h('div', { class: 'card table-card' }, table), pager],
  };
}

// ---- Basic info fields, shared by Add and Edit ----

interface BasicInfoFields {
  readonly name: Field;
  readonly email: Field;
  readonly role: Field & { control: HTMLSelectElement };
  readonly permission: Field & { control: HTMLInputElement };
  /** Where the permission sits: the checkbox for a general administrator, a sentence for a master. */
  readonly permissionItem: HTMLElement;
}

function basicInfoFields(values: { name: string; email: string; role: Role; canChangeOwnPassword: boolean }): BasicInfoFields {
  const name = inputField({ name: 'name', label: 'Name', value: values.name, autocomplete: 'off' });
  const email = inputField({ name: 'email', label: 'Email address', type: 'email', value: values.email, autocomplete: 'off' });
  const role = selectField({ name: 'role', label: 'Role', value: values.role, choices: ROLE_CHOICES, hint: 'A master administrator has all rights.' });
  const permission = checkboxField({ name: 'canChangeOwnPassword', label: PERMISSION_NAME, checked: values.canChangeOwnPassword, hint: PERMISSION_HINT });
  const masterNote = h('p', { class: 'hint' }, MASTER_MAY);
  const permissionItem = h('div', { class: 'permission' }, permission.element, masterNote);
  const showPermission = () => {
    const general = role.control.value === 'general';
    permission.element.hidden = !general;
    masterNote.hidden = general;
  };
  role.control.addEventListener('change', showPermission);
  showPermission();
  return { name, email, role, permission, permissionItem };
}

// ---- Add administrator ----

async function addScreen(): Promise<ScreenView> {
  const description = await api.passwordPolicy();
  const fields = basicInfoFields({ name: '', email: '', role: 'general', canChangeOwnPassword: false });
  const owner = () => ({ name: fields.name.control.value, email: fields.email.control.value, companyId: account.me?.companyId ?? '' });
  const temporary = temporaryPasswordEntry(description, owner, () => fields.name.control.value.trim() || 'the administrator');
  for (const input of [fields.name.control, fields.email.control]) input.addEventListener('input', temporary.recheck);
  const firstPassword = radioGroup({
    name: 'firstPassword',
    legend: 'His first password',
    value: 'set-up-link',
    choices: [
      ['set-up-link', 'Email him a link to set his own password', 'Nobody but him ever knows it. The link works once, for 24 hours.'],
      ['temporary', 'Set a temporary password', 'You give it to him in person; at his first sign-in he replaces it.'],
    ],
  });
  const showTemporary = () => (temporary.element.hidden = firstPassword.value() !== 'temporary');
  firstPassword.element.addEventListener('change', showTemporary);
  showTemporary();
  const form: HTMLFormElement = formOf('Add administrator', () =>
    control.submit(async () => {
      const role = fields.role.control.value as Role;
      const byLink = firstPassword.value() === 'set-up-link';
      const created = await api.createAdmin({
        name: fields.name.control.value,
        email: fields.email.control.value.trim(),
        role,
        canChangeOwnPassword: role === 'general' && fields.permission.control.checked,
        ...(byLink ? { sendSetUpLink: true } : { temporaryPassword: (temporary.field.control as HTMLInputElement).value }),
      });
      notify(
        byLink
          ? `Registered ${created.name}. A link to set his password was sent to ${created.resetLinkSentTo ?? created.email}, valid until ${formatTime(created.passwordExpiresAt)}.`
          : `Registered ${created.name}. Give him the temporary password through a safe channel; at his first sign-in, before ${formatTime(created.passwordExpiresAt)}, he replaces it with his own.`,
      );
      go(LIST);
    }),
    h('h2', null, 'Basic info'),
    fields.name.element,
    fields.email.element,
    fields.role.element,
    h('fieldset', null, h('legend', null, 'Sign-in password'), fields.permissionItem, firstPassword.element, temporary.element),
  );
  const control = new FormControl(form, [fields.name, fields.email, fields.role, fields.permission, temporary.field]);
  form.append(control.formError, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Register'), linkButton(`#${LIST}`, 'Cancel', { secondary: true })));
  return { title: 'Add administrator', trail: [SETTINGS, ADMIN_SETTINGS], body: [h('div', { class: 'card' }, form)] };
}

// ---- Edit ----

async function editScreen(params: Readonly<Record<string, string>>): Promise<ScreenView> {
  const adminId = params.adminId ?? '';
  const read = await api.getAdmin(adminId);
  const admin = read.admin;
  const draft: Draft = drafts.get(adminId) ?? { read, name: admin.name, email: admin.email, role: admin.role, canChangeOwnPassword: admin.canChangeOwnPassword };
  drafts.set(adminId, draft);
  const isMe = adminId === account.me?.adminId;

  const fields = basicInfoFields(draft);
  fields.name.control.addEventListener('input', () => (draft.name = fields.name.control.value));
  fields.email.control.addEventListener('input', () => (draft.email = fields.email.control.value));
  fields.role.control.addEventListener('change', () => (draft.role = fields.role.control.value as Role));
  fields.permission.control.addEventListener('change', () => (draft.canChangeOwnPassword = fields.permission.control.checked));

  const reload = () => {
    drafts.delete(adminId);
    go(editPath(adminId));
  };

  const passwordButtons =
    admin.status === 'disabled'
      ? h('p', { class: 'hint' }, 'A disabled administrator cannot sign in; his password cannot be changed or reset.')
      : h(
          'div',
          { class: 'actions' },
          linkButton(`#${editPath(adminId)}/change-password`, 'Change Password', { secondary: true }),
          isMe ? null : linkButton(`#${editPath(adminId)}/reset-password`, 'Reset Password', { secondary: true }),
        );
  const signInPassword = h(
    'fieldset',
    null,
    h('legend', null, 'Sign-in password'),
    h('p', null, `${passwordState(admin, 'edit')}.`, admin.passwordChangedAt === null ? null : ` Last changed: ${formatTime(admin.passwordChangedAt)}.`),
    fields.permissionItem,
    passwordButtons,
    isMe ? h('p', { class: 'hint' }, 'Your own password: [Change Password] asks for your current password. To have it reset, ask another master administrator.') : null,
  );

  const form: HTMLFormElement = formOf(`Edit ${admin.name}`, () =>
    control.submit(async () => {
      const change = draftChange(draft, admin);
      if (Object.keys(change).length === 0) {
        drafts.delete(adminId);
        notify(`Registered. Nothing in the basic info of ${admin.name} was changed.`);
        go(LIST);
        return;
      }
      try {
        const saved = await api.updateAdmin(adminId, draft.read.etag, change);
        drafts.delete(adminId);
        notify(`Registered the changes to ${saved.admin.name}.`);
        go(LIST);
      } catch (error) {
        if (error instanceof ApiError && error.status === 412) {
          control.failForm([h('p', null, STALE), h('button', { type: 'button', class: 'secondary', onclick: reload }, 'Reload')]);
          return;
        }
        throw error;
      }
    }),
    h('h2', null, 'Basic info'),
    fields.name.element,
    fields.email.element,
    fields.role.element,
    signInPassword,
  );
  const control = new FormControl(form, [fields.name, fields.email, fields.role, fields.permission]);
  form.append(control.formError, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Register'), linkButton(`#${LIST}`, 'Back to Admin settings', { secondary: true })));

  const lock = admin.locked
    ? h(
        'section',
        { class: 'card', 'aria-labelledby': 'lock-heading' },
        h('h2', { id: 'lock-heading' }, 'Sign-in lock'),
        h('p', null, `Locked after repeated failed sign-ins, until ${formatTime(admin.lockedUntil)}.`),
        h(
          'button',
          {
            type: 'button',
            onclick: async (event: Event) => {
              (event.currentTarget as HTMLButtonElement).disabled = true;
              try {
                await api.unlockAdmin(adminId);
                notify(`Unlocked: ${admin.name} can sign in again.`);
              } catch (error) {
                notify(error instanceof ApiError ? error.message : 'The administrator could not be unlocked.', 'error');
              }
              go(editPath(adminId));
            },
          },
          'Unlock',
        ),
      )
    : null;

  return {
    title: `Edit ${admin.name}`,
    trail: [SETTINGS, ADMIN_SETTINGS],
    body: [
      admin.status === 'disabled' ? message('This administrator is disabled.', 'info') : null,
      stateCard(admin, isMe, reload),
      lock,
      h('div', { class: 'card' }, form),
      h('p', null, h('a', { href: `#/settings/audit-log?admin=${encodeURIComponent(adminId)}` }, `Audit log of ${admin.name}`)),
    ],
  };
}

// ---- The state, Disable and Enable ----

/** Whether he can sign in and when he last did (his password is in the "Sign-in password" item); the way to disable or enable him. */
function stateCard(admin: Admin, isMe: boolean, reload: () => void): HTMLElement {
  const enable = async (event: Event) => {
    (event.currentTarget as HTMLButtonElement).disabled = true;
    try {
      await api.enableAdmin(admin.adminId);
      notify(`Enabled ${admin.name}: he can sign in again. ${passwordState(admin, 'edit')}.`);
    } catch (error) {
      notify(error instanceof ApiError ? error.message : `${admin.name} could not be enabled.`, 'error');
    }
    reload();
  };
  const action = isMe
    ? h('p', { class: 'hint' }, 'Your own account: another master administrator can disable it.')
    : admin.status === 'disabled'
      ? h('button', { type: 'button', onclick: enable }, 'Enable')
      : linkButton(`#${editPath(admin.adminId)}/disable`, 'Disable', { secondary: true });
  return h(
    'section',
    { class: 'card', 'aria-labelledby': 'state-heading' },
    h('h2', { id: 'state-heading' }, 'State'),
    h(
      'dl',
      { class: 'facts' },
      h('dt', null, 'Status'),
      h('dd', null, accountState(admin)),
      h('dt', null, 'Last sign-in'),
      h('dd', null, lastSignIn(admin)),
    ),
    h('div', { class: 'actions' }, action),
  );
}

async function disableScreen(params: Readonly<Record<string, string>>): Promise<ScreenView> {
  const adminId = params.adminId ?? '';
  const back = editPath(adminId);
  const { admin } = await api.getAdmin(adminId);
  const form: HTMLFormElement = formOf('Disable', () =>
    control.submit(async () => {
      await api.disableAdmin(adminId);
      drafts.delete(adminId);
      notify(`Disabled ${admin.name}: he can no longer sign in, and his sessions were ended. [Enable] on this screen lets him in again.`);
      go(back);
    }),
  );
  const control = new FormControl(form, []);
  form.append(control.formError, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Disable'), linkButton(`#${back}`, 'Cancel', { secondary: true })));
  return {
    title: `Disable ${admin.name}?`,
    trail: [SETTINGS, ADMIN_SETTINGS, editCrumb(admin)],
    body: [
      h(
        'div',
        { class: 'card narrow' },
        h(
          'p',
          null,
          `${admin.name} (${admin.email}) can no longer sign in, and every session he has ends at once. His account, settings and audit trail are kept: you can enable him again later, with the password he has now.`,
        ),
        form,
      ),
    ],
  };
}

// ---- [Change Password]: a temporary password for another administrator, the own change for oneself ----

async function changePasswordScreen(params: Readonly<Record<string, string>>): Promise<ScreenView> {
  const adminId = params.adminId ?? '';
  const back = editPath(adminId);
  const [{ admin }, description] = await Promise.all([api.getAdmin(adminId), api.passwordPolicy()]);
  const trail = [SETTINGS, ADMIN_SETTINGS, editCrumb(admin)];
  if (adminId === account.me?.adminId) {
    return ownPasswordChange(back, trail, `Your password has been changed, and your other sessions were signed out.${unsavedNote(adminId, admin)}`);
  }
  const temporary = temporaryPasswordEntry(description, () => admin, () => admin.name);
  const form: HTMLFormElement = formOf('Change Password', () =>
    control.submit(async () => {
      const input = temporary.field.control as HTMLInputElement;
      if (input.value === '') return control.fail('temporaryPassword', 'Enter a temporary password, or press [Generate].');
      await api.setTemporaryPassword(adminId, input.value);
      input.value = '';
      const { admin: changed } = await api.getAdmin(adminId);
      notify(
        `Temporary password set. ${admin.name} must replace it at his next sign-in, before ${formatTime(changed.passwordExpiresAt)}; his sessions were ended.${unsavedNote(adminId, admin)}`,
      );
      go(back);
    }),
    temporary.element,
  );
  const control = new FormControl(form, [temporary.field]);
  form.append(control.formError, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Change Password'), linkButton(`#${back}`, 'Cancel', { secondary: true })));
  return {
    title: 'Change Password',
    trail,
    body: [
      h(
        'div',
        { class: 'card narrow' },
        h('p', null, `Set a temporary password for ${admin.name} (${admin.email}). His current password stops working at once; at his next sign-in he enters the temporary password and chooses his own.`),
        form,
      ),
    ],
  };
}

// ---- [Reset Password]: the confirmation, with the address the link goes to ----

async function resetPasswordScreen(params: Readonly<Record<string, string>>): Promise<ScreenView> {
  const adminId = params.adminId ?? '';
  const back = editPath(adminId);
  const { admin } = await api.getAdmin(adminId);
  const trail = [SETTINGS, ADMIN_SETTINGS, editCrumb(admin)];
  const email = inputField({
    name: 'email',
    label: 'Recipient email address',
    type: 'email',
    value: admin.email,
    autocomplete: 'off',
    hint: `The address registered for ${admin.name} is shown; you can enter any address.`,
  });
  const form: HTMLFormElement = formOf('Reset Password', () =>
    control.submit(async () => {
      const typed = email.control.value.trim();
      const sent = await api.resetPassword(adminId, typed.toLowerCase() === admin.email.toLowerCase() ? undefined : typed);
      notify(
        `Reset link sent to ${sent.sentTo}, valid until ${formatTime(sent.expiresAt)}. The password of ${admin.name} no longer works and his sessions were ended.${unsavedNote(adminId, admin)}`,
      );
      go(back);
    }),
    email.element,
  );
  const control = new FormControl(form, [email]);
  form.append(control.formError, h('div', { class: 'actions' }, h('button', { type: 'submit', class: 'primary' }, 'Reset'), linkButton(`#${back}`, 'Cancel', { secondary: true })));
  return {
    title: 'Reset Password',
    trail,
    body: [
      h(
        'div',
        { class: 'card narrow' },
        h(
          'p',
          null,
          `Reset the password of ${admin.name}? It stops working at once and his sessions end. An email with a link to the Password Change Screen, valid for 24 hours, is sent to the address below.`,
        ),
        form,
      ),
    ],
  };
}

route(LIST, listScreen);
route(`${LIST}/new`, addScreen);
route(`${LIST}/:adminId`, editScreen);
route(`${LIST}/:adminId/change-password`, changePasswordScreen);
route(`${LIST}/:adminId/reset-password`, resetPasswordScreen);
route(`${LIST}/:adminId/disable`, disableScreen);
