// Console (browser): the audit log, newest first, for masters; narrowed to one administrator from his Edit screen.
import { api } from '../api';
import type { Admin, AuditEvent } from '../api-types';
import { HOME, go, route, type ScreenView } from '../app';
import { formatTime, h } from '../dom';

const PATH = '/settings/audit-log';

const EVENT_NAMES: Readonly<Record<string, string>> = {
  SIGN_IN_SUCCEEDED: 'Signed in',
  SIGN_IN_FAILED: 'Sign-in refused',
  PASSWORD_CHANGED: 'Changed his own password',
  NEW_PASSWORD_SET: 'Chose a new password at sign-in',
  TEMPORARY_PASSWORD_SET: 'Temporary password set',
  PASSWORD_RESET_REQUESTED: 'Password reset',
  PASSWORD_RESET_LIMITED: 'Password reset refused: too many reset emails',
  PASSWORD_RESET_COMPLETED: 'New password set from the reset link',
  PASSWORD_RESET_REFUSED: 'Reset link refused (its sender is no longer a master, or the address changed)',
  ACCOUNT_LOCKED: 'Locked after failed sign-ins',
  ACCOUNT_UNLOCKED: 'Unlocked',
  PERMISSION_GRANTED: '"Change Password" permission granted',
  PERMISSION_REVOKED: '"Change Password" permission removed',
  ADMIN_CREATED: 'Administrator registered',
  ADMIN_UPDATED: 'Basic info changed',
  ADMIN_DISABLED: 'Administrator disabled',
  PASSWORD_POLICY_CHANGED: 'Password policy changed',
  COMPANY_CREATED: 'Company created',
  FEATURE_ENABLED: 'Feature enabled by the service operator',
  FEATURE_DISABLED: 'Feature disabled by the service operator',
  EMAIL_SUPPRESSED: 'Address suppressed: email to it bounced or was marked as spam',
  EMAIL_SUPPRESSION_CLEARED: 'Suppressed address cleared',
  PASSWORD_RESET_SUPPRESSED: 'Password reset refused: the address is suppressed',
  RESET_LIMIT_CHANGED: 'Daily limit of reset emails changed by the service operator',
};

/** Up to 100 administrators' names, to show events with names instead of ids (the rest show their id). */
async function adminNames(): Promise<Map<string, Admin>> {
  const page = await api.listAdmins(undefined, 100);
  return new Map(page.items.map((admin) => [admin.adminId, admin]));
}

function eventRow(event: AuditEvent, names: Map<string, Admin>) {
  const who = (adminId: string | null, nobody: string) => (adminId === null ? nobody : (names.get(adminId)?.name ?? adminId));
  const details = Object.entries(event.details).map(([key, value]) => `${key}: ${String(value)}`).join(', ');
  const cell = (label: string, text: string) => h('td', { 'data-label': label }, text);
  return h(
    'tr',
    { 'data-type': event.type },
    cell('Time', formatTime(event.at)),
    h('th', { scope: 'row', 'data-label': 'Event' }, EVENT_NAMES[event.type] ?? event.type),
    cell('Outcome', event.outcome === 'success' ? 'Success' : 'Failure'),
    cell('By', who(event.actorAdminId, event.type.startsWith('FEATURE_') || event.type === 'COMPANY_CREATED' ? 'Service operator' : '—')),
    cell('About', who(event.targetAdminId, '—')),
    cell('Details', details === '' ? '—' : details),
    cell('From', event.sourceIp ?? '—'),
  );
}

async function auditScreen(_params: Readonly<Record<string, string>>, query: URLSearchParams): Promise<ScreenView> {
  const adminId = query.get('admin') ?? undefined;
  const [names, first] = await Promise.all([adminNames(), api.auditEvents({ adminId })]);
  const rows = h('tbody', null, ...first.items.map((event) => eventRow(event, names)));
  let cursor = first.nextCursor;
  const more: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      hidden: cursor === null,
      onclick: async () => {
        more.disabled = true;
        const page = await api.auditEvents({ adminId, cursor: cursor ?? undefined });
        rows.append(...page.items.map((event) => eventRow(event, names)));
        cursor = page.nextCursor;
        more.disabled = false;
        more.hidden = cursor === null;
      },
    },
    'Older events',
  );
  const filter = h(
    'select',
    { id: 'audit-admin', name: 'admin' },
    h('option', { value: '' }, 'Everyone'),
    ...[...names.values()].map((admin) => h('option', { value: admin.adminId, selected: admin.adminId === adminId }, `${admin.name} (${admin.email})`)),
  );
  // A [Show] button rather than acting on change, so moving through the choices with the keyboard goes nowhere.
  const filterForm = h(
    'form',
    {
      class: 'filter',
      'aria-label': 'Filter',
      onsubmit: (event: Event) => {
        event.preventDefault();
        go(filter.value === '' ? PATH : `${PATH}?admin=${encodeURIComponent(filter.value)}`);
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'audit-admin' }, 'Events about'), filter),
    h('button', { type: 'submit', class: 'secondary' }, 'Show'),
  );
  const table = h(
    'table',
    { class: 'events' },
    h('caption', { class: 'visually-hidden' }, 'Audit events, newest first'),
    h('thead', null, h('tr', null, ...['Time', 'Event', 'Outcome', 'By', 'About', 'Details', 'From'].map((text) => h('th', { scope: 'col' }, text)))),
    rows,
  );
  return {
    title: 'Audit log',
    trail: [{ text: 'Settings', href: HOME }, { text: 'Admin' }],
    body: [
      filterForm,
      first.items.length === 0 ? h('p', null, 'No events yet.') : h('div', { class: 'card table-card' }, table),
      h('div', { class: 'actions' }, more),
    ],
  };
}

route(PATH, auditScreen);
