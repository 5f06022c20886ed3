// Console (browser): the audit log, newest first, for masters, as people read it: names instead of ids (each page of
// the API comes with the admins it mentions), local times, words instead of codes; filtered by event type,
// administrator and date range (all three applied by the API), paged with "Older events", and exported as CSV from
// the rows on screen. The filters live in the address (#/settings/audit-log?admin=…&type=…&from=…&to=…), so the
// Edit screen's link narrows it to one administrator and the browser's back button returns to the previous filters.
import { api } from '../api';
import type { Admin, AuditAdminName, AuditEvent, AuditEventQuery, AuditEventType } from '../api-types';
import { HOME, account, go, route, type ScreenView } from '../app';
import { AUDIT_EVENT_TYPES, COLUMNS, EVENT_WORDING, eventInWords, localTime, type EventInWords } from '../audit-wording';
import { csvOf } from '../csv';
import { h } from '../dom';

const PATH = '/settings/audit-log';
const PAGE_SIZE = 50;
const ADMIN_PAGE_SIZE = 100;
/** What a name says when the id is no admin of the company (never was, or his record is gone). */
const UNKNOWN_ADMIN = 'Unknown administrator (no longer registered)';

/** The filters as the address holds them; dates are the reader's own calendar days (YYYY-MM-DD). */
interface Filters {
  readonly admin: string;
  readonly type: string;
  readonly from: string;
  readonly to: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function filtersOf(query: URLSearchParams): Filters {
  const day = (value: string | null) => (value !== null && DAY.test(value) ? value : '');
  const type = query.get('type') ?? '';
  return {
    admin: query.get('admin') ?? '',
    type: (AUDIT_EVENT_TYPES as readonly string[]).includes(type) ? type : '',
    from: day(query.get('from')),
    to: day(query.get('to')),
  };
}

const addressOf = (filters: Filters): string => {
  const query = new URLSearchParams(Object.entries(filters).filter(([, value]) => value !== ''));
  return query.size === 0 ? PATH : `${PATH}?${query}`;
};

/** The API's query: the reader's calendar days become UTC instants, from the start of `from` to the end of `to`. */
function apiQueryOf(filters: Filters): AuditEventQuery {
  return {
    limit: PAGE_SIZE,
    ...(filters.admin === '' ? {} : { adminId: filters.admin }),
    ...(filters.type === '' ? {} : { type: filters.type as AuditEventType }),
    ...(filters.from === '' ? {} : { from: new Date(`${filters.from}T00:00:00`).toISOString() }),
    ...(filters.to === '' ? {} : { to: new Date(`${filters.to}T23:59:59.999`).toISOString() }),
  };
}

/** Every administrator of the company, for the filter: the admin list page after page. */
async function allAdmins(): Promise<Admin[]> {
  const admins: Admin[] = [];
  let cursor: string | undefined;
  do {
    const page = await api.listAdmins(cursor, ADMIN_PAGE_SIZE);
    admins.push(...page.items);
    cursor = page.nextCursor ?? undefined;
  } while (cursor !== undefined);
  return admins;
}

/** The names the pages read so far came with; an id none of them named is no admin of the company. */
class AdminNames {
  private readonly known = new Map<string, AuditAdminName>();
  learn(admins: readonly AuditAdminName[]): void {
    for (const admin of admins) this.known.set(admin.adminId, admin);
  }
  nameOf = (adminId: string): string => this.known.get(adminId)?.name ?? UNKNOWN_ADMIN;
  emailOf = (adminId: string | null): string | undefined => (adminId === null ? undefined : this.known.get(adminId)?.email);
}

/** A cell with its column's name, which the phone layout shows above the value. */
const cell = (label: string, ...content: (Node | string)[]) => h('td', { 'data-label': label }, ...content);

/** A person's name, with his address under it (two admins may share a name). */
const person = (name: string, email: string | undefined) => (email === undefined ? [name] : [name, h('span', { class: 'email' }, email)]);

function eventRow(event: AuditEvent, words: EventInWords, names: AdminNames) {
  const [time, kind, outcome, by, about, details, from] = COLUMNS.map(([, label]) => label);
  return h(
    'tr',
    { 'data-type': event.type },
    cell(time!, h('time', { datetime: event.at }, words.time)),
    h('th', { scope: 'row', 'data-label': kind }, words.event),
    cell(outcome!, h('span', { class: 'outcome', 'data-outcome': event.outcome }, words.outcome)),
    cell(by!, ...person(words.by, names.emailOf(event.actorAdminId))),
    cell(about!, ...person(words.about, names.emailOf(event.targetAdminId))),
    cell(details!, words.details.length === 0 ? '—' : h('ul', { class: 'details' }, ...words.details.map((line) => h('li', null, line)))),
    cell(from!, words.from),
  );
}

/** The CSV of the rows shown: the screen's columns and words, with each person's address beside his name. */
function csvOfRows(shown: readonly { event: AuditEvent; words: EventInWords }[], names: AdminNames): string {
  const withEmail = (name: string, adminId: string | null) => {
    const email = names.emailOf(adminId);
    return email === undefined ? name : `${name} <${email}>`;
  };
  return csvOf(
    COLUMNS.map(([, label]) => label),
    shown.map(({ event, words }) => [
      words.time,
      words.event,
      words.outcome,
      withEmail(words.by, event.actorAdminId),
      withEmail(words.about, event.targetAdminId),
      words.details.join('; '),
      words.from,
    ]),
  );
}

/** Hands the text to the browser as a file download (a Blob: nothing leaves the page). */
function download(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob(['\uFEFF', text], { type: 'text/csv;charset=utf-8' }));
  const link = h('a', { href: url, download: fileName, hidden: true });
  document.body.append(link);
  link.click();
  link.remove();
  // Revoked once the browser has surely read it.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
}

function filterForm(filters: Filters, admins: readonly Admin[]): HTMLFormElement {
  const option = (value: string, text: string, selected: string) => h('option', { value, selected: value === selected }, text);
  const typeSelect = h(
    'select',
    { id: 'audit-type', name: 'type' },
    option('', 'All events', filters.type),
    ...AUDIT_EVENT_TYPES.map((type) => option(type, EVENT_WORDING[type], filters.type)),
  );
  const adminSelect = h(
    'select',
    { id: 'audit-admin', name: 'admin' },
    option('', 'Everyone', filters.admin),
    ...admins.map((admin) => option(admin.adminId, `${admin.name} (${admin.email})`, filters.admin)),
    // An administrator the list no longer has (the link came from elsewhere) is still the filter in force.
    filters.admin !== '' && !admins.some((admin) => admin.adminId === filters.admin) ? option(filters.admin, UNKNOWN_ADMIN, filters.admin) : null,
  );
  const day = (id: string, name: string, value: string) => h('input', { id, name, type: 'date', value, 'aria-describedby': 'audit-dates-hint' });
  const fromInput = day('audit-from', 'from', filters.from);
  const toInput = day('audit-to', 'to', filters.to);
  const error = h('div', { class: 'form-error', role: 'alert', tabindex: -1 });
  // A [Show] button rather than acting on change, so moving through the choices with the keyboard goes nowhere.
  return h(
    'form',
    {
      class: 'filter audit-filter',
      'aria-label': 'Filter the audit log',
      onsubmit: (event: Event) => {
        event.preventDefault();
        if (fromInput.value !== '' && toInput.value !== '' && fromInput.value > toInput.value) {
          error.replaceChildren(h('p', null, 'The "To" day is before the "From" day. Choose a "To" day on or after it.'));
          toInput.setAttribute('aria-invalid', 'true');
          error.focus();
          return;
        }
        go(addressOf({ admin: adminSelect.value, type: typeSelect.value, from: fromInput.value, to: toInput.value }));
      },
    },
    h('div', { class: 'field' }, h('label', { for: 'audit-type' }, 'Event'), typeSelect),
    h('div', { class: 'field' }, h('label', { for: 'audit-admin' }, 'Events about'), adminSelect),
    h('div', { class: 'field date' }, h('label', { for: 'audit-from' }, 'From'), fromInput),
    h('div', { class: 'field date' }, h('label', { for: 'audit-to' }, 'To'), toInput),
    h('p', { id: 'audit-dates-hint', class: 'hint' }, `Days in your time zone (${timeZoneName()}), both included.`),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'submit', class: 'secondary' }, 'Show'),
      h('button', { type: 'button', class: 'secondary', onclick: () => go(PATH) }, 'Clear filters'),
    ),
    error,
  );
}

const timeZoneName = (): string => Intl.DateTimeFormat().resolvedOptions().timeZone;

async function auditScreen(_params: Readonly<Record<string, string>>, query: URLSearchParams): Promise<ScreenView> {
  const filters = filtersOf(query);
  const apiQuery = apiQueryOf(filters);
  const [admins, first] = await Promise.all([allAdmins(), api.auditEvents(apiQuery)]);
  const names = new AdminNames();
  const shown: { event: AuditEvent; words: EventInWords }[] = [];
  const rows = h('tbody');
  const count = h('p', { class: 'count', role: 'status' });

  let cursor = first.nextCursor;
  const more: HTMLButtonElement = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      onclick: async () => {
        more.disabled = true;
        try {
          show(await api.auditEvents({ ...apiQuery, ...(cursor === null ? {} : { cursor }) }));
        } finally {
          more.disabled = false;
        }
      },
    },
    'Older events',
  );
  const exportButton = h(
    'button',
    {
      type: 'button',
      class: 'secondary',
      onclick: () => download(`audit-log-${account.me?.companyId ?? 'company'}-${new Date().toISOString().slice(0, 10)}.csv`, csvOfRows(shown, names)),
    },
    'Download CSV of the events shown',
  );
  const table = h(
    'table',
    { class: 'events' },
    h('caption', { class: 'visually-hidden' }, 'Audit events, newest first'),
    h('thead', null, h('tr', null, ...COLUMNS.map(([, label]) => h('th', { scope: 'col' }, label)))),
    rows,
  );
  const tableCard = h('div', { class: 'card table-card audit-log' }, table);
  const empty = h('p');
  const emptyNotice = h('div', { class: 'message', 'data-kind': 'info' }, empty);

  function show(page: { items: AuditEvent[]; nextCursor: string | null; admins: AuditAdminName[] }): void {
    names.learn(page.admins);
    for (const event of page.items) {
      const words = eventInWords(event, names.nameOf);
      shown.push({ event, words });
      rows.append(eventRow(event, words, names));
    }
    cursor = page.nextCursor;
    more.hidden = cursor === null;
    tableCard.hidden = shown.length === 0;
    exportButton.hidden = shown.length === 0;
    // A type filter reads a bounded number of events per page, so a page may find none and still have older ones.
    emptyNotice.hidden = shown.length > 0;
    empty.textContent = cursor === null ? 'No events match these filters.' : 'No matching event among the latest ones. [Older events] searches further back.';
    const oldest = shown.at(-1);
    count.textContent =
      shown.length === 0 ? '' : `${shown.length} ${shown.length === 1 ? 'event' : 'events'} shown, back to ${localTime(oldest!.event.at)}${cursor === null ? ' (all that match).' : '.'}`;
  }
  show(first);

  return {
    title: 'Audit log',
    trail: [{ text: 'Settings', href: HOME }, { text: 'Admin' }],
    body: [
      filterForm(filters, admins),
      h('div', { class: 'actions audit-summary' }, count, exportButton),
      emptyNotice,
      tableCard,
      h('div', { class: 'actions' }, more),
    ],
  };
}

route(PATH, auditScreen);
